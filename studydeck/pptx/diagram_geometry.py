"""Where a native diagram's shapes and connectors go on the slide (pure geometry, in EMU).

Each node is its icon and its label; each edge a straight line between the connection sites
of its two nodes nearest to where Graphviz's route leaves and enters them; each edge label on
its line where that is free. This depends only on the layout, its icons and the area it fills,
so it is worked out once and shared by every slide that shows the diagram there (a
walkthrough's step slides draw the same diagram again and again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from studydeck.diagrams.labels import label_on_line, segment_crosses
from studydeck.diagrams.layout import DiagramLayout, Point, Rect
from studydeck.diagrams.native import NativeDiagram, fit_scale
from studydeck.layout import geometry as g

LABEL_SLACK = 1.12  # the deck's font may set a label a little wider than Graphviz measured
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3  # connection sites of a rectangle, as OOXML numbers them
KEPT_GEOMETRIES = 64  # diagrams × areas remembered; a deck rarely shows more


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
class NodePart:
    """One shape of a node: its icon picture or its label's text box, and where it goes."""

    kind: Literal["icon", "label"]
    box: g.Box


@dataclass(frozen=True)
class Site:
    """A connection site: the node, which of its parts, the site's number and where it is."""

    node: str
    part: int  # index into the node's parts
    index: int
    x: int
    y: int
    detour: int = 0  # EMU added to its distance when choosing sites: it is a worse place


@dataclass(frozen=True)
class DiagramGeometry:
    """Where everything of one diagram goes in one area of the slide."""

    placement: Placement
    parts: dict[str, tuple[NodePart, ...]]  # node id → its icon (if drawn) then its label
    ends: dict[str, tuple[Site, Site]]  # edge key → the sites its connector is glued to
    edge_labels: dict[str, g.Box]  # edge key → its label's box


def place(layout: DiagramLayout, area: g.Box) -> Placement:
    """Give the placement that fits `layout` into `area`, centred."""
    scale = fit_scale(layout, area) * g.EMU_PER_POINT
    left = area.left + round((area.width - layout.width * scale) / 2)
    top = area.top + round((area.height - layout.height * scale) / 2)
    return Placement(left, top, scale)


def slack_box(box: g.Box) -> g.Box:
    """Give a label's box widened by LABEL_SLACK about its middle."""
    width = round(box.width * LABEL_SLACK)
    return g.Box(box.left - (width - box.width) // 2, box.top, width, box.height)


_GEOMETRIES: dict[tuple[int, g.Box], tuple[NativeDiagram, DiagramGeometry]] = {}


def diagram_geometry(native: NativeDiagram, area: g.Box) -> DiagramGeometry:
    """Give where `native`'s shapes go when fitted into `area` (worked out once for both)."""
    key = (id(native), area)
    known = _GEOMETRIES.get(key)
    if known is not None and known[0] is native:
        return known[1]
    geometry = _worked_out(native, area)
    if len(_GEOMETRIES) >= KEPT_GEOMETRIES:
        del _GEOMETRIES[next(iter(_GEOMETRIES))]
    _GEOMETRIES[key] = (native, geometry)  # keeps `native` alive, so its id stays its own
    return geometry


def _worked_out(native: NativeDiagram, area: g.Box) -> DiagramGeometry:
    layout = native.layout
    placement = place(layout, area)
    parts = {node.id: _node_parts(native, node.id, placement) for node in layout.nodes.values()}
    used: set[frozenset[tuple[str, int, int]]] = set()
    ends: dict[str, tuple[Site, Site]] = {}
    for edge in layout.edges:
        others = [part.box for node_id, node_parts in parts.items()
                  if node_id not in (edge.source, edge.target) for part in node_parts]
        ends[edge.key] = _glue_sites(_node_sites(edge.source, parts[edge.source]),
                                     _node_sites(edge.target, parts[edge.target]),
                                     placement.point(edge.route[0]), placement.point(edge.tip),
                                     used, others)
    edge_labels = _edge_label_boxes(layout, placement, parts, ends)
    return DiagramGeometry(placement, parts, ends, edge_labels)


def _node_parts(native: NativeDiagram, node_id: str,
                placement: Placement) -> tuple[NodePart, ...]:
    node = native.layout.nodes[node_id]
    parts: list[NodePart] = []
    if node.icon is not None and native.icons.get(node_id) is not None:
        parts.append(NodePart("icon", placement.box(node.icon)))
    if node.label is not None:
        parts.append(NodePart("label", slack_box(placement.box(node.label.box))))
    return tuple(parts)


def _edge_label_boxes(layout: DiagramLayout, placement: Placement,
                      parts: dict[str, tuple[NodePart, ...]],
                      ends: dict[str, tuple[Site, Site]]) -> dict[str, g.Box]:
    """Give each edge label's box: on its straight line where that is free, else Graphviz's."""
    placed = {e.key: slack_box(placement.box(e.label.box))
              for e in layout.edges if e.label is not None}
    fixed = [part.box for node_parts in parts.values() for part in node_parts]
    fixed += [slack_box(placement.box(c.label.box))
              for c in layout.clusters if c.label is not None]
    lines = {key: ((a.x, a.y), (b.x, b.y)) for key, (a, b) in ends.items()}
    for key in placed:
        others = [box for other, box in placed.items() if other != key]
        other_lines = [line for other, line in lines.items() if other != key]
        placed[key] = label_on_line(placed[key], lines[key], fixed + others, other_lines)
    return placed


def _glue_sites(tail: list[Site], head: list[Site], start: tuple[int, int],
                end: tuple[int, int], used: set[frozenset[tuple[str, int, int]]],
                obstacles: list[g.Box]) -> tuple[Site, Site]:
    """Give the sites of the tail's and head's shapes nearest where Graphviz's route starts
    and ends, among pairs no other edge joins (two edges between the same nodes stay apart),
    preferring a line that crosses no other node (Graphviz's curves go round them)."""
    pairs = sorted(((a, b) for a in tail for b in head),
                   key=lambda pair: _cost(pair[0], start) + _cost(pair[1], end))
    free = [pair for pair in pairs if _joined(pair) not in used]
    clear = next((pair for pair in free if not _crosses_any(pair, obstacles)), None)
    chosen = clear if clear is not None else (free or pairs)[0]
    used.add(_joined(chosen))
    return chosen


def _crosses_any(pair: tuple[Site, Site], obstacles: list[g.Box]) -> bool:
    line = ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y))
    return any(segment_crosses(line, box) for box in obstacles)


def _joined(pair: tuple[Site, Site]) -> frozenset[tuple[str, int, int]]:
    return frozenset((site.node, site.part, site.index) for site in pair)


def _node_sites(node_id: str, parts: tuple[NodePart, ...]) -> list[Site]:
    """Give the connection sites a node's edges may use: where a line leaving them runs
    through neither the icon nor the label (an icon's bottom and a label's top lie between)."""
    if len(parts) < 2:
        return [site for index, part in enumerate(parts) for site in _sites(node_id, index, part)]
    icon, label = parts
    # edges meet the icon rather than the text where they can: a label's side counts as
    # half an icon farther
    detour = icon.box.height // 2
    return ([site for site in _sites(node_id, 0, icon) if site.index != BOTTOM]
            + [replace(site, detour=detour if site.index in (LEFT, RIGHT) else 0)
               for site in _sites(node_id, 1, label) if site.index != TOP])


def _cost(site: Site, point: tuple[int, int]) -> float:
    """Give how far `site` is from where Graphviz's route touches the node, detour included."""
    return math.hypot(site.x - point[0], site.y - point[1]) + site.detour


def _sites(node_id: str, index: int, part: NodePart) -> list[Site]:
    left, top, width, height = part.box.left, part.box.top, part.box.width, part.box.height
    return [
        Site(node_id, index, TOP, left + width // 2, top),
        Site(node_id, index, LEFT, left, top + height // 2),
        Site(node_id, index, BOTTOM, left + width // 2, top + height),
        Site(node_id, index, RIGHT, left + width, top + height // 2),
    ]
