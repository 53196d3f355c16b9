"""Where a native diagram's shapes and lines go on the slide (pure geometry, in EMU).

Each node is its icon and its label. Each edge follows Graphviz's own route, which goes round
every node and label it does not join: where that route is (near enough) straight, the edge is a
straight connector glued to the connection sites of its two nodes on the sides the route leaves
and enters by; where it bends (around a node, a loop, one of two edges between the same nodes)
it is a curve through Graphviz's own Bézier control points, which no connector preset can follow.
Each edge label is centred on its line where that is free. This depends only on the layout, its
icons and the area it fills, so it is worked out once and shared by every slide that shows the
diagram there (a walkthrough's step slides draw the same diagram again and again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from studydeck.diagrams.labels import (
    XY,
    Path,
    bent_through,
    deviation,
    distance_to,
    flattened,
    label_on_path,
    path_crosses,
)
from studydeck.diagrams.layout import DiagramLayout, EdgeLayout, Point, Rect
from studydeck.diagrams.native import NativeDiagram, fit_scale
from studydeck.layout import geometry as g

LABEL_SLACK = 1.12  # the deck's font may set a label a little wider than Graphviz measured
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3  # connection sites of a rectangle, as OOXML numbers them
KEPT_GEOMETRIES = 64  # diagrams × areas remembered; a deck rarely shows more
STRAIGHT = 0.12  # a route this far (a share of an icon's side) from straight is drawn straight
OUTLINE_MARGIN = 0.08  # a step's outline stands this far (a share of the icon) off the node


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
class EdgeRoute:
    """How one edge is drawn: a straight connector glued at both ends, or Graphviz's curve.

    `curve` holds Graphviz's Bézier control points (start, then three a segment) and, last, its
    tip; `start` and `end` carry the line on to the nodes; `path` is the line as drawn,
    flattened, for labels and checks (a line bent through its label has no curve: it is drawn
    as its path).
    """

    glue: tuple[Site, Site] | None
    curve: tuple[XY, ...]
    path: Path
    start: XY | None = None  # where a curve's line begins: on its tail's icon or label
    end: XY | None = None  # where the arrowhead points: on its head's icon or label


@dataclass(frozen=True)
class DiagramGeometry:
    """Where everything of one diagram goes in one area of the slide."""

    placement: Placement
    parts: dict[str, tuple[NodePart, ...]]  # node id → its icon (if drawn) then its label
    routes: dict[str, EdgeRoute]  # edge key → how its line is drawn
    edge_labels: dict[str, g.Box]  # edge key → its label's box

    def outline(self, node_id: str) -> g.Box:
        """Give the box a walkthrough's outline of the node takes: round its icon and label."""
        boxes = [part.box for part in self.parts[node_id]]
        margin = round(max(box.height for box in boxes) * OUTLINE_MARGIN)
        left, top = min(b.left for b in boxes) - margin, min(b.top for b in boxes) - margin
        right = max(b.right for b in boxes) + margin
        bottom = max(b.bottom for b in boxes) + margin
        return g.Box(left, top, right - left, bottom - top)


def place(native: NativeDiagram, area: g.Box) -> Placement:
    """Give the placement of `native` at its scale (smaller if it must, to fit `area`), centred
    in `area`."""
    layout = native.layout
    scale = min(native.scale, fit_scale(layout, area)) * g.EMU_PER_POINT
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
    placement = place(native, area)
    parts = {node.id: _node_parts(native, node.id, placement) for node in layout.nodes.values()}
    cluster_labels = [slack_box(placement.box(c.label.box))
                      for c in layout.clusters if c.label is not None]
    used: set[frozenset[tuple[str, int, int]]] = set()
    routes = {edge.key: _route(edge, layout, placement, parts, cluster_labels, used)
              for edge in layout.edges}
    edge_labels = _edge_label_boxes(layout, placement, parts, cluster_labels, routes)
    return DiagramGeometry(placement, parts, routes, edge_labels)


def _route(edge: EdgeLayout, layout: DiagramLayout, placement: Placement,
           parts: dict[str, tuple[NodePart, ...]], cluster_labels: list[g.Box],
           used: set[frozenset[tuple[str, int, int]]]) -> EdgeRoute:
    """Give how `edge` is drawn: straight and glued where Graphviz's route is straight and the
    straight line between the glue sites crosses nothing, else along Graphviz's curve."""
    controls = [placement.point(p) for p in edge.route]
    tip = placement.point(edge.tip)
    # Graphviz's route starts and ends at the node's box: a short straight piece each end
    # carries the drawn line on to the node's icon (or label)
    start, end = _touching(controls[0], parts[edge.source]), _touching(tip, parts[edge.target])
    curve = (*controls, tip)
    path = (*([start] if start != controls[0] else []), *flattened(controls), tip,
            *([end] if end != tip else []))
    ends = {edge.source, edge.target}
    siblings = [e for e in layout.edges if {e.source, e.target} == ends]
    icon_side = max((part.box.height for node_parts in parts.values() for part in node_parts
                     if part.kind == "icon"), default=round(placement.scale * 40))
    if len(ends) == 2 and len(siblings) == 1 and deviation(path, (path[0], path[-1])) <= (
            STRAIGHT * icon_side):
        # a line may end on its nodes' icons and labels, never run through them
        obstacles = [part.box for node_parts in parts.values() for part in node_parts]
        obstacles += cluster_labels
        glue = _glue_sites(_node_sites(edge.source, parts[edge.source]),
                           _node_sites(edge.target, parts[edge.target]),
                           path[0], path[-1], used, obstacles)
        if glue is not None:
            line = ((glue[0].x, glue[0].y), (glue[1].x, glue[1].y))
            return EdgeRoute(glue, line, line)
    return EdgeRoute(None, curve, path, start if start != controls[0] else None,
                     end if end != tip else None)


def _touching(point: XY, parts: tuple[NodePart, ...]) -> XY:
    """Give the point of the node's icon (or, when much nearer, its label) nearest `point`
    that a straight piece from `point` reaches without crossing the node's other part; itself
    for a node without either."""
    icon_side = max((part.box.height for part in parts if part.kind == "icon"), default=0)
    found = []
    for part in parts:
        nearest = (min(max(point[0], part.box.left), part.box.right),
                   min(max(point[1], part.box.top), part.box.bottom))
        if any(path_crosses((point, nearest), other.box) for other in parts):
            continue
        found.append((math.dist(nearest, point) + (icon_side if part.kind == "label" else 0),
                      nearest))
    return min(found, default=(0.0, point))[1]


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
                      parts: dict[str, tuple[NodePart, ...]], cluster_labels: list[g.Box],
                      routes: dict[str, EdgeRoute]) -> dict[str, g.Box]:
    """Give each edge label's box: centred on its line, where it is free nearest Graphviz's;
    where no place on the line is free, at Graphviz's place with the line bent through it
    (`routes` changes to the bent line) if the bent line crosses nothing."""
    fixed = [part.box for node_parts in parts.values() for part in node_parts] + cluster_labels
    placed: dict[str, g.Box] = {}
    for edge in layout.edges:
        if edge.label is None:
            continue
        others = [route.path for key, route in routes.items() if key != edge.key]
        box = label_on_path(slack_box(placement.box(edge.label.box)), routes[edge.key].path,
                            fixed + list(placed.values()), others)
        centre = (box.left + box.width / 2, box.top + box.height / 2)
        if distance_to(routes[edge.key].path, centre)[0] > box.height / 4:
            bent = bent_through(routes[edge.key].path, centre, 2.5 * box.width)
            ends = {edge.source, edge.target}
            in_the_way = [part.box for node_id, node_parts in parts.items()
                          if node_id not in ends for part in node_parts]
            in_the_way += cluster_labels + list(placed.values())
            if not any(path_crosses(bent, other) for other in in_the_way):
                routes[edge.key] = EdgeRoute(None, (), bent)
        placed[edge.key] = box
    return placed


def _glue_sites(tail: list[Site], head: list[Site], start: tuple[int, int],
                end: tuple[int, int], used: set[frozenset[tuple[str, int, int]]],
                obstacles: list[g.Box]) -> tuple[Site, Site] | None:
    """Give the sites of the tail's and head's shapes nearest where Graphviz's route starts
    and ends whose straight line crosses no other node or cluster label, among pairs no
    other edge joins; None when every such line crosses something."""
    pairs = sorted(((a, b) for a in tail for b in head),
                   key=lambda pair: _cost(pair[0], start) + _cost(pair[1], end))
    chosen = next((pair for pair in pairs if _joined(pair) not in used
                   and not _crosses_any(pair, obstacles)), None)
    if chosen is not None:
        used.add(_joined(chosen))
    return chosen


def _crosses_any(pair: tuple[Site, Site], obstacles: list[g.Box]) -> bool:
    line = ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y))
    return any(path_crosses(line, box) for box in obstacles)


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
