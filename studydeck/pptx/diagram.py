"""Native diagrams: a Graphviz layout written as one group of editable shapes and glued connectors.

Every node is its icon picture and its label grouped; every cluster a rounded rectangle behind
its nodes; every edge a straight connector glued (`a:stCxn`/`a:endCxn`) to the connection sites
of its two nodes nearest to where Graphviz's route leaves and enters them, so PowerPoint and
LibreOffice keep it attached when a node is moved. Groups keep their children's coordinates
(`a:chOff`/`a:chExt` equal `a:off`/`a:ext`), so slide and group coordinates are the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.shapes.connector import Connector
from pptx.shapes.shapetree import GroupShapes, SlideShapes
from pptx.slide import Slide
from pptx.util import Emu

from studydeck.diagrams.labels import label_on_line, segment_crosses
from studydeck.diagrams.layout import DiagramLayout, Label, Point, Rect
from studydeck.diagrams.native import NativeDiagram, fit_scale
from studydeck.layout import geometry as g
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, TextParagraph, TextRun, fill_frame

EDGE_COLOUR = "7B8894"  # as the pictures draw them (render.BASE_EDGE)
EDGE_WIDTH = 2.0  # layout points
STRESSED_WIDTH = 3.5
CLUSTER_LINE = 1.5
CORNER = 6.0  # a cluster's corner radius, layout points
LABEL_SLACK = 1.12  # the deck's font may set a label a little wider than Graphviz measured
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3  # connection sites of a rectangle, as OOXML numbers them
Shapes = SlideShapes | GroupShapes


@dataclass(frozen=True)
class Placement:
    """Where a layout lands on the slide: its top-left corner and EMU per layout point."""

    left: int
    top: int
    scale: float

    def point(self, p: Point) -> tuple[int, int]:
        return round(self.left + p.x * self.scale), round(self.top + p.y * self.scale)

    def box(self, rect: Rect) -> g.Box:
        left, top = self.point(Point(rect.left, rect.top))
        return g.Box(left, top, round(rect.width * self.scale), round(rect.height * self.scale))

    def points(self, length: float) -> float:
        """Give a length in layout points as slide points."""
        return length * self.scale / g.EMU_PER_POINT


@dataclass(frozen=True)
class Site:
    """A connection site of a shape: the shape, the site's number and where it is (EMU)."""

    shape: BaseShape
    index: int
    x: int
    y: int
    detour: int = 0  # EMU added to its distance when choosing sites: it is a worse place


@dataclass
class DrawnDiagram:
    """The shapes a native diagram was written as, for walkthrough highlights and tests."""

    group_id: int
    placement: Placement
    node_shapes: dict[str, list[BaseShape]] = field(default_factory=dict)  # icon first
    ends: dict[str, tuple[Site, Site]] = field(default_factory=dict)  # edge key → glue sites
    connectors: dict[str, int] = field(default_factory=dict)
    edge_labels: dict[str, g.Box] = field(default_factory=dict)  # edge key → its label's box


def place(layout: DiagramLayout, area: g.Box) -> Placement:
    """Give the placement that fits `layout` into `area`, centred."""
    scale = fit_scale(layout, area) * g.EMU_PER_POINT
    left = area.left + round((area.width - layout.width * scale) / 2)
    top = area.top + round((area.height - layout.height * scale) / 2)
    return Placement(left, top, scale)


def add_native_diagram(slide: Slide, native: NativeDiagram, area: g.Box,
                       style: DeckStyle) -> DrawnDiagram:
    """Write `native` as one group of shapes fitted into `area`; give what was written."""
    layout = native.layout
    placement = place(layout, area)
    group = slide.shapes.add_group_shape()
    group.name = f"diagram: {native.name}"
    drawn = DrawnDiagram(group.shape_id, placement)
    for cluster in layout.clusters:
        _add_cluster(group.shapes, placement, cluster.box, cluster.fill, cluster.line,
                     cluster.label, style)
    if layout.title is not None:
        _add_label(group.shapes, placement, layout.title, style, "title")
    for node in layout.nodes.values():
        node_group = group.shapes.add_group_shape()
        node_group.name = f"{node.id}: node"
        icon_path = native.icons.get(node.id)
        shapes: list[BaseShape] = []
        if node.icon is not None and icon_path is not None:
            shapes.append(_add_icon(node_group.shapes, placement, node.icon, icon_path, node.id,
                                    node.label))
        if node.label is not None:
            shapes.append(_add_label(node_group.shapes, placement, node.label, style,
                                     f"{node.id}: label"))
        drawn.node_shapes[node.id] = shapes
    used: set[frozenset[tuple[int, int]]] = set()
    for edge in layout.edges:
        others = [_box(shape) for node_id, shapes in drawn.node_shapes.items()
                  if node_id not in (edge.source, edge.target) for shape in shapes]
        ends = _glue_sites(drawn.node_shapes[edge.source], drawn.node_shapes[edge.target],
                           placement.point(edge.route[0]), placement.point(edge.tip), used,
                           others)
        drawn.ends[edge.key] = ends
        connector = add_connector(group.shapes, ends, placement.points(EDGE_WIDTH), EDGE_COLOUR,
                                  dashed=edge.dashed, name=edge.key)
        drawn.connectors[edge.key] = connector.shape_id
    drawn.edge_labels = _edge_label_boxes(layout, drawn)
    for edge in layout.edges:  # over every line, on the colour behind them, so lines part
        if edge.label is not None:
            _add_label(group.shapes, placement, edge.label, style, f"{edge.key}: label",
                       background=_colour_behind(layout, edge.label, style),
                       at=drawn.edge_labels[edge.key])
    return drawn


def _edge_label_boxes(layout: DiagramLayout, drawn: DrawnDiagram) -> dict[str, g.Box]:
    """Give each edge label's box: on its straight line where that is free, else Graphviz's."""
    placed = {e.key: _slack_box(drawn.placement.box(e.label.box))
              for e in layout.edges if e.label is not None}
    fixed = [_box(shape) for shapes in drawn.node_shapes.values() for shape in shapes]
    fixed += [_slack_box(drawn.placement.box(c.label.box))
              for c in layout.clusters if c.label is not None]
    lines = {key: ((a.x, a.y), (b.x, b.y)) for key, (a, b) in drawn.ends.items()}
    for key in placed:
        others = [box for other, box in placed.items() if other != key]
        other_lines = [line for other, line in lines.items() if other != key]
        placed[key] = label_on_line(placed[key], lines[key], fixed + others, other_lines)
    return placed


def _slack_box(box: g.Box) -> g.Box:
    """Give a label's box widened by LABEL_SLACK about its middle."""
    width = round(box.width * LABEL_SLACK)
    return g.Box(box.left - (width - box.width) // 2, box.top, width, box.height)


def _colour_behind(layout: DiagramLayout, label: Label, style: DeckStyle) -> str:
    """Give the fill of the innermost cluster under the label's middle, else the slide's."""
    middle = label.box.centre
    inside = [c for c in layout.clusters
              if c.box.left <= middle.x <= c.box.right and c.box.top <= middle.y <= c.box.bottom]
    return inside[-1].fill if inside else style.colors.background


def add_step_highlight(slide: Slide, native: NativeDiagram, drawn: DrawnDiagram,
                       edges: list[str], nodes: list[str], number: int,
                       style: DeckStyle) -> int:
    """Add a group stressing one walkthrough step's edges, labels and nodes; give its id."""
    accent = style.colors.accent
    placement = drawn.placement
    group = slide.shapes.add_group_shape()
    group.name = f"step {number}"
    chosen = [edge for edge in native.layout.edges if edge.key in edges]
    for edge in chosen:
        add_connector(group.shapes, drawn.ends[edge.key], placement.points(STRESSED_WIDTH),
                      accent, dashed=edge.dashed, name=f"step {number}: {edge.key}")
    for edge in chosen:  # a step's edges are labelled with its number (render._edge_label)
        if edge.label is not None:
            _add_label(group.shapes, placement, edge.label, style, f"step {number}: label",
                       color=accent, bold=True,
                       background=_colour_behind(native.layout, edge.label, style),
                       at=drawn.edge_labels[edge.key])
    for node_id in nodes:
        _add_outline(group.shapes, placement, native.layout.nodes[node_id].box, accent)
    return int(group.shape_id)


def add_connector(shapes: Shapes, ends: tuple[Site, Site], width: float, color: str, *,
                  dashed: bool, name: str) -> Connector:
    """Add a straight connector glued to both sites, with an arrowhead at its end."""
    start, end = ends
    connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(start.x), Emu(start.y),
                                     Emu(end.x), Emu(end.y))
    connector.begin_connect(start.shape, start.index)
    connector.end_connect(end.shape, end.index)
    connector.name = name
    connector.line.color.rgb = RGBColor.from_string(color)
    connector.line.width = Emu(round(width * g.EMU_PER_POINT))
    if dashed:
        connector.line.dash_style = MSO_LINE.DASH
    line = connector.line._get_or_add_ln()
    etree.SubElement(line, qn("a:tailEnd"), type="triangle", w="med", len="med")
    return connector


def _glue_sites(tail: list[BaseShape], head: list[BaseShape], start: tuple[int, int],
                end: tuple[int, int], used: set[frozenset[tuple[int, int]]],
                obstacles: list[g.Box]) -> tuple[Site, Site]:
    """Give the sites of the tail's and head's shapes nearest where Graphviz's route starts
    and ends, among pairs no other edge joins (two edges between the same nodes stay apart),
    preferring a line that crosses no other node (Graphviz's curves go round them)."""
    pairs = sorted(
        ((a, b) for a in _node_sites(tail) for b in _node_sites(head)),
        key=lambda pair: _cost(pair[0], start) + _cost(pair[1], end),
    )
    free = [pair for pair in pairs if _joined(pair) not in used]
    clear = [pair for pair in free if not any(
        segment_crosses(((pair[0].x, pair[0].y), (pair[1].x, pair[1].y)), box)
        for box in obstacles)]
    chosen = (clear or free or pairs)[0]
    used.add(_joined(chosen))
    return chosen


def _joined(pair: tuple[Site, Site]) -> frozenset[tuple[int, int]]:
    return frozenset((site.shape.shape_id, site.index) for site in pair)


def _box(shape: BaseShape) -> g.Box:
    return g.Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _node_sites(shapes: list[BaseShape]) -> list[Site]:
    """Give the connection sites a node's edges may use: where a line leaving them runs
    through neither the icon nor the label (an icon's bottom and a label's top lie between)."""
    if len(shapes) < 2:
        return [site for shape in shapes for site in _sites(shape)]
    icon, label = shapes
    # edges meet the icon rather than the text where they can: a label's side counts as
    # half an icon farther
    detour = int(icon.height) // 2
    return ([site for site in _sites(icon) if site.index != BOTTOM]
            + [replace(site, detour=detour if site.index in (LEFT, RIGHT) else 0)
               for site in _sites(label) if site.index != TOP])


def _cost(site: Site, point: tuple[int, int]) -> float:
    """Give how far `site` is from where Graphviz's route touches the node, detour included."""
    return _distance(site, point) + site.detour


def _distance(site: Site, point: tuple[int, int]) -> float:
    return math.hypot(site.x - point[0], site.y - point[1])


def _sites(shape: BaseShape) -> list[Site]:
    left, top, width, height = int(shape.left), int(shape.top), int(shape.width), int(shape.height)
    return [
        Site(shape, TOP, left + width // 2, top),
        Site(shape, LEFT, left, top + height // 2),
        Site(shape, BOTTOM, left + width // 2, top + height),
        Site(shape, RIGHT, left + width, top + height // 2),
    ]


def _add_icon(shapes: GroupShapes, placement: Placement, icon: Rect, path: str, name: str,
              label: Label | None) -> BaseShape:
    box = placement.box(icon)
    picture = shapes.add_picture(path, Emu(box.left), Emu(box.top), Emu(box.width),
                                 Emu(box.height))
    picture.name = name
    description = " ".join(label.lines) if label is not None else name
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", description)  # alt text
    return picture


def _add_label(shapes: Shapes, placement: Placement, label: Label, style: DeckStyle, name: str,
               *, color: str | None = None, bold: bool | None = None,
               background: str | None = None, at: g.Box | None = None) -> BaseShape:
    """Add a text box holding the label's lines, centred where Graphviz set them (or `at`)."""
    box = at or _slack_box(placement.box(label.box))
    shape = shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    size = round(placement.points(label.size), 1)
    paragraphs = [
        TextParagraph(runs=(TextRun(line, label.bold if bold is None else bold, color),),
                      align=PP_ALIGN.CENTER)
        for line in label.lines
    ]
    fill_frame(shape.text_frame, TextBlock(paragraphs, size, size, MSO_ANCHOR.MIDDLE), style,
               size)
    _tight_frame(shape)
    if background is not None:
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(background)
    return shape


def _tight_frame(shape: BaseShape) -> None:
    """Let a label's text run past its box rather than wrap, with no inner margin."""
    body_pr = shape._element.find(qn("p:txBody")).find(qn("a:bodyPr"))
    body_pr.set("wrap", "none")
    for side in ("lIns", "rIns", "tIns", "bIns"):
        body_pr.set(side, "0")


def _add_cluster(shapes: GroupShapes, placement: Placement, rect: Rect, fill: str, line: str,
                 label: Label | None, style: DeckStyle) -> None:
    box = placement.box(rect)
    shape = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top),
                             Emu(box.width), Emu(box.height))
    shape.name = "cluster: " + (" ".join(label.lines) if label else "")
    shape.adjustments[0] = min(0.5, CORNER / min(rect.width, rect.height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(fill)
    shape.line.color.rgb = RGBColor.from_string(line)
    shape.line.width = Emu(round(placement.points(CLUSTER_LINE) * g.EMU_PER_POINT))
    shape.shadow.inherit = False
    if label is not None:
        _add_label(shapes, placement, label, style, f"{shape.name}: label")


def _add_outline(shapes: GroupShapes, placement: Placement, rect: Rect, color: str) -> None:
    box = placement.box(rect)
    shape = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top),
                             Emu(box.width), Emu(box.height))
    shape.adjustments[0] = 0.12
    shape.fill.background()
    shape.line.color.rgb = RGBColor.from_string(color)
    shape.line.width = Emu(round(2.5 * g.EMU_PER_POINT))
    shape.shadow.inherit = False
