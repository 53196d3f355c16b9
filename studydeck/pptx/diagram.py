"""Native diagrams: a Graphviz layout written as one group of editable shapes and glued connectors.

Every node is its icon picture and its label grouped; every cluster a rounded rectangle behind
its nodes; every edge is a straight or elbow connector glued (`a:stCxn`/`a:endCxn`) to the
connection sites of its two nodes, so PowerPoint and LibreOffice keep it attached when a node is
moved; a route no connector can take is a freeform line (`a:custGeom`, Graphviz's Bézier curve):
it is not glued, so moving a node in the editor leaves it where it was (docs/format.md, "Native
diagrams"). Groups keep
their children's coordinates (`a:chOff`/`a:chExt` equal `a:off`/`a:ext`), so slide and group
coordinates are the same.

Where things go is worked out once per diagram and area (`diagram_geometry`), the shapes are
written straight into the slide's XML (`shape_writer`), and a diagram shown again as it was last
drawn (a walkthrough's next step slide) is copied rather than drawn again.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.dml.fill import FillFormat
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu

from studydeck.diagrams.layout import ClusterLayout, DiagramLayout, Label
from studydeck.diagrams.native import NativeDiagram
from studydeck.layout import geometry as g
from studydeck.pptx.diagram_geometry import (
    LABEL_SLACK,
    DiagramGeometry,
    EdgeRoute,
    Placement,
    diagram_geometry,
)
from studydeck.pptx.elbow_connector import elbow_shape, shape_as_elbow
from studydeck.pptx.shape_writer import ShapeWriter, fit_group
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, TextParagraph, TextRun, fill_frame

__all__ = ["LABEL_SLACK", "DrawnDiagram", "add_native_diagram", "add_step_highlight"]

EDGE_COLOUR = "7B8894"  # as the pictures draw them (render.BASE_EDGE)
EDGE_WIDTH = 2.0  # layout points
STRESSED_WIDTH = 3.5
CLUSTER_LINE = 1.5
CORNER = 6.0  # a cluster's corner radius, layout points
_C_NV_CXN_SP_PR = f"{qn('p:nvCxnSpPr')}/{qn('p:cNvCxnSpPr')}"
_BODY_PR = f"{qn('p:txBody')}/{qn('a:bodyPr')}"


@dataclass(frozen=True)
class DrawnDiagram:
    """The shapes a native diagram was written as, for walkthrough highlights and tests."""

    group_id: int
    geometry: DiagramGeometry
    part_ids: dict[str, tuple[int, ...]]  # node id → the shape ids of its icon and label
    connectors: dict[str, int]  # edge key → its connector's shape id

    @property
    def placement(self) -> Placement:
        return self.geometry.placement


@dataclass(frozen=True)
class _Drawing:
    """A diagram as written on one slide, to copy onto the next slide that shows it."""

    native: NativeDiagram
    style: DeckStyle
    group: Any  # a detached copy of the diagram's group
    image_files: tuple[str, ...]  # its pictures' files, in document order
    drawn: DrawnDiagram


KEPT_DRAWINGS = 16
_DRAWINGS: dict[tuple[int, g.Box, frozenset[int]], _Drawing] = {}


def add_native_diagram(slide: Slide, native: NativeDiagram, area: g.Box,
                       style: DeckStyle) -> DrawnDiagram:
    """Write `native` as one group of shapes fitted into `area`; give what was written.

    The same diagram in the same area on a slide holding the same shape ids (a walkthrough's
    next step slide) is the same XML: it is copied from the last slide, not drawn again.
    """
    writer = ShapeWriter(slide)
    key = (id(native), area, writer.taken_ids)
    known = _DRAWINGS.get(key)
    if known is not None and known.native is native and known.style == style:
        writer.copy(known.group, known.image_files)
        return known.drawn
    group, drawn = _draw(writer, native, diagram_geometry(native, area), style)
    if len(_DRAWINGS) >= KEPT_DRAWINGS:
        del _DRAWINGS[next(iter(_DRAWINGS))]
    _DRAWINGS[key] = _Drawing(native, style, deepcopy(group), tuple(writer.image_files), drawn)
    return drawn


def _draw(writer: ShapeWriter, native: NativeDiagram, geometry: DiagramGeometry,
          style: DeckStyle) -> tuple[Any, DrawnDiagram]:
    """Write the diagram's group of shapes; give it and what was written."""
    layout = native.layout
    placement = geometry.placement
    group = writer.group(writer.tree, f"diagram: {native.name}")
    for cluster in layout.clusters:
        _add_cluster(writer, group, placement, cluster, style)
    if layout.title is not None:
        _add_label(writer, group, placement, layout.title, style, "title")
    part_ids = {node.id: _add_node(writer, group, native, geometry, node.id, style)
                for node in layout.nodes.values()}
    connectors = {edge.key: _shape_id(_add_line(
        writer, group, part_ids, geometry.routes[edge.key], placement.points(EDGE_WIDTH),
        EDGE_COLOUR, dashed=edge.dashed, name=edge.key)) for edge in layout.edges}
    for edge in layout.edges:  # over every line, on the colour behind them, so lines part
        if edge.label is not None:
            _add_label(writer, group, placement, edge.label, style, f"{edge.key}: label",
                       background=_colour_behind(layout, edge.label, style),
                       at=geometry.edge_labels[edge.key])
    fit_group(group)
    return group, DrawnDiagram(_shape_id(group), geometry, part_ids, connectors)


def _add_node(writer: ShapeWriter, parent: Any, native: NativeDiagram,
              geometry: DiagramGeometry, node_id: str, style: DeckStyle) -> tuple[int, ...]:
    """Write a node as a group of its icon and its label; give their shape ids."""
    node = native.layout.nodes[node_id]
    group = writer.group(parent, f"{node_id}: node")
    ids: list[int] = []
    for part in geometry.parts[node_id]:
        if part.kind == "icon":
            description = " ".join(node.label.lines) if node.label is not None else node_id
            icon_file = native.icons[node_id]
            assert icon_file is not None  # a node has an icon part only with a file
            shape = writer.picture(group, part.box, icon_file, node_id, description)
        else:
            assert node.label is not None  # a node has a label part only with a label
            shape = _add_label(writer, group, geometry.placement, node.label, style,
                               f"{node_id}: label", at=part.box,
                               on=_colour_behind(native.layout, node.label, style))
        ids.append(_shape_id(shape))
    fit_group(group)
    return tuple(ids)


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
    writer = ShapeWriter(slide)
    group = writer.group(writer.tree, f"step {number}")
    chosen = [edge for edge in native.layout.edges if edge.key in edges]
    for edge in chosen:
        _add_line(writer, group, drawn.part_ids, drawn.geometry.routes[edge.key],
                  placement.points(STRESSED_WIDTH), accent, dashed=edge.dashed,
                  name=f"step {number}: {edge.key}")
    for edge in chosen:  # a step's edges are labelled with its number (render._edge_label)
        if edge.label is not None:
            _add_label(writer, group, placement, edge.label, style, f"step {number}: label",
                       color=accent, bold=True,
                       background=_colour_behind(native.layout, edge.label, style),
                       at=drawn.geometry.edge_labels[edge.key])
    for node_id in nodes:
        _add_outline(writer, group, drawn.geometry.outline(node_id), accent)
    fit_group(group)
    return _shape_id(group)


def _add_line(writer: ShapeWriter, parent: Any, part_ids: dict[str, tuple[int, ...]],
              route: EdgeRoute, width: float, color: str, *, dashed: bool, name: str) -> Any:
    """Add an edge's line with an arrowhead at its end: a straight or elbow connector glued
    to both its sites, or a freeform curve along Graphviz's route."""
    if route.glue is None:
        element = _freeform(writer, parent, route, name)
        properties = element.spPr
    else:
        start, end = route.glue
        element = writer.connector(parent, (start.x, start.y), (end.x, end.y), name)
        if len(route.path) > 2:  # bends: an elbow connector
            shape = elbow_shape(route.path)
            assert shape is not None  # diagram_geometry glues only routes a connector draws
            shape_as_elbow(element, shape)
        glue = element.find(_C_NV_CXN_SP_PR)
        for tag, site in (("a:stCxn", start), ("a:endCxn", end)):
            etree.SubElement(glue, qn(tag), id=str(part_ids[site.node][site.part]),
                             idx=str(site.index))
        properties = element.spPr
    # the line as python-pptx's LineFormat writes it, arrowhead last
    line = etree.SubElement(properties, qn("a:ln"), w=str(round(width * g.EMU_PER_POINT)))
    fill = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=str(RGBColor.from_string(color)))
    if dashed:
        etree.SubElement(line, qn("a:prstDash"), val="dash")
    etree.SubElement(line, qn("a:tailEnd"), type="triangle", w="med", len="med")
    return element


def _freeform(writer: ShapeWriter, parent: Any, route: EdgeRoute, name: str) -> Any:
    """Add an unfilled freeform shape along the route's curve (Bézier control points, then the
    arrow's tip) or, for a line bent through its label, its path, as PowerPoint writes one."""
    points = (*([route.start] if route.start else []), *route.curve,
              *([route.end] if route.end else [])) if route.curve else route.path
    xs, ys = [x for x, _ in points], [y for _, y in points]
    box = g.Box(min(xs), min(ys), max(1, max(xs) - min(xs)), max(1, max(ys) - min(ys)))
    element = writer.rounded_rectangle(parent, box, name)
    properties = element.spPr
    properties.remove(properties.find(qn("a:prstGeom")))
    element.remove(element.find(qn("p:txBody")))
    geometry = etree.SubElement(properties, qn("a:custGeom"))
    for tag in ("a:avLst", "a:gdLst", "a:ahLst", "a:cxnLst"):
        etree.SubElement(geometry, qn(tag))
    etree.SubElement(geometry, qn("a:rect"), l="l", t="t", r="r", b="b")
    path = etree.SubElement(etree.SubElement(geometry, qn("a:pathLst")), qn("a:path"),
                            w=str(box.width), h=str(box.height))
    local = [(x - box.left, y - box.top) for x, y in points]
    steps: list[tuple[str, list[tuple[int, int]]]] = [("a:moveTo", local[:1])]
    if route.curve:
        lead = 1 if route.start else 0  # a straight piece from the node to Graphviz's start
        if lead:
            steps.append(("a:lnTo", local[1:2]))
        controls = local[lead:lead + len(route.curve) - 1]
        steps += [("a:cubicBezTo", controls[i:i + 3]) for i in range(1, len(controls) - 2, 3)]
        steps += [("a:lnTo", [point]) for point in local[lead + len(controls):]]  # tip, end
    else:
        steps += [("a:lnTo", [point]) for point in local[1:]]
    for tag, corners in steps:
        step = etree.SubElement(path, qn(tag))
        for x, y in corners:
            etree.SubElement(step, qn("a:pt"), x=str(x), y=str(y))
    etree.SubElement(properties, qn("a:noFill"))
    return element


def _add_label(writer: ShapeWriter, parent: Any, placement: Placement, label: Label,
               style: DeckStyle, name: str, *, color: str | None = None,
               bold: bool | None = None, background: str | None = None,
               at: g.Box | None = None, on: str | None = None) -> Any:
    """Add a text box holding the label's lines, centred where Graphviz set them (or `at`),
    filled with `background` if given; its text reads on that, else on `on` (a cluster's
    fill under it), else on the slide."""
    box = at or placement.label(label.box)
    element = writer.text_box(parent, box, name)
    size = round(placement.points(label.size), 1)
    paragraphs = [
        TextParagraph(runs=(TextRun(line, label.bold if bold is None else bold, color),),
                      align=PP_ALIGN.CENTER)
        for line in label.lines
    ]
    fill_frame(TextFrame(element.txBody, writer.slide),
               TextBlock(paragraphs, size, size, MSO_ANCHOR.MIDDLE, background or on), style,
               size)
    _tight_frame(element)
    if background is not None:
        fill = FillFormat.from_fill_parent(element.spPr)
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(background)
    return element


def _tight_frame(element: Any) -> None:
    """Let a label's text run past its box rather than wrap, with no inner margin."""
    body_pr = element.find(_BODY_PR)
    body_pr.set("wrap", "none")
    for side in ("lIns", "rIns", "tIns", "bIns"):
        body_pr.set(side, "0")


def _add_cluster(writer: ShapeWriter, parent: Any, placement: Placement,
                 cluster: ClusterLayout, style: DeckStyle) -> None:
    rect, label = cluster.box, cluster.label
    name = "cluster: " + (" ".join(label.lines) if label else "")
    shape = Shape(writer.rounded_rectangle(parent, placement.box(rect), name), writer.slide)
    shape.adjustments[0] = min(0.5, CORNER / min(rect.width, rect.height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(cluster.fill)
    shape.line.color.rgb = RGBColor.from_string(cluster.line)
    shape.line.width = Emu(round(placement.points(CLUSTER_LINE) * g.EMU_PER_POINT))
    shape.shadow.inherit = False
    if label is not None:  # inside its own cluster, at its edge
        _add_label(writer, parent, placement, label, style, f"{name}: label", on=cluster.fill)


def _add_outline(writer: ShapeWriter, parent: Any, box: g.Box, color: str) -> None:
    shape = Shape(writer.rounded_rectangle(parent, box), writer.slide)
    shape.adjustments[0] = 0.12
    shape.fill.background()
    shape.line.color.rgb = RGBColor.from_string(color)
    shape.line.width = Emu(round(2.5 * g.EMU_PER_POINT))
    shape.shadow.inherit = False


def _shape_id(element: Any) -> int:
    return int(element.find(f"*/{qn('p:cNvPr')}").get("id"))
