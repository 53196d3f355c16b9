"""Where a native diagram's shapes and lines go on the slide (pure geometry, in EMU).

Each node is its icon and its label. Each edge is a connector glued to the connection sites of
its two nodes: straight on the sides Graphviz's route leaves and enters by, where that route is
(near enough) straight; else an elbow of one or two bends (diagrams.elbows) that runs through no
icon or label and along no other line. Where no elbow is clear (a loop, a node hemmed in) it is
a curve through Graphviz's own Bézier control points, which no connector preset can follow.
Each edge label is centred on its line where that is free; last, a line still drawn through a
label or a node it does not join is mended (diagrams.detours): drawn again as a connector
glued to its nodes where one is clear, else bent round as a freeform. This depends only on the
layout, its icons and the area it fills, so it is worked out once and shared by every slide
that shows the diagram there (a walkthrough's step slides draw the same diagram again and
again).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from studydeck.diagrams.detours import DrawnLine, kept_clear
from studydeck.diagrams.elbows import ConnectorEnds
from studydeck.diagrams.labels import (
    XY,
    Path,
    bent_to,
    deviation,
    distance_to,
    flattened,
    is_free,
    label_beside_path,
    label_on_path,
    path_crosses,
)
from studydeck.diagrams.layout import DiagramLayout, EdgeLayout, Point, Rect
from studydeck.diagrams.native import NativeDiagram, fit_scale
from studydeck.layout import geometry as g
from studydeck.pptx.diagram_sites import (
    NodePart,
    Site,
    glue_sites,
    joined,
    node_sites,
    port,
    site_cost,
)

LABEL_SLACK = 1.12  # the deck's font may set a label a little wider than Graphviz measured
KEPT_GEOMETRIES = 64  # diagrams × areas remembered; a deck rarely shows more
STRAIGHT = 0.12  # a route this far (a share of an icon's side) from straight is drawn straight
OUTLINE_MARGIN = 0.08  # a step's outline stands this far (a share of the icon) off the node


@dataclass(frozen=True)
class Placement:
    """Where a layout lands on the slide: its top-left corner, EMU per layout point and the
    area it was fitted into."""

    left: int
    top: int
    scale: float
    area: g.Box

    def point(self, p: Point) -> tuple[int, int]:
        return round(self.left + p.x * self.scale), round(self.top + p.y * self.scale)

    def box(self, rect: Rect) -> g.Box:
        left, top = self.point(Point(rect.left, rect.top))
        return g.Box(left, top, round(rect.width * self.scale), round(rect.height * self.scale))

    def label(self, rect: Rect) -> g.Box:
        """Give the box of a label Graphviz set in `rect`: widened by LABEL_SLACK about its
        middle, shifted inward where it would stick out of the area (its text stays centred
        on its node as far as it can)."""
        return self.within(slack_box(self.box(rect)))

    def within(self, box: g.Box) -> g.Box:
        """Give `box` shifted (no further than it must) to lie in the area, where it fits."""
        left = max(self.area.left, min(box.left, self.area.right - box.width))
        top = max(self.area.top, min(box.top, self.area.bottom - box.height))
        return box if (left, top) == (box.left, box.top) else g.Box(left, top, box.width,
                                                                     box.height)

    def points(self, length: float) -> float:
        """Give a length in layout points as slide points."""
        return length * self.scale / g.EMU_PER_POINT


@dataclass(frozen=True)
class EdgeRoute:
    """How one edge is drawn: a connector glued at both ends (straight, or an elbow through
    the corners of `path`), or Graphviz's curve.

    For a curve, `curve` holds Graphviz's Bézier control points (start, then three a segment)
    and, last, its tip; `start` and `end` carry the line on to the nodes; `path` is the line as
    drawn, flattened, for labels and checks (a line bent through its label has no curve: it is
    drawn as its path).
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
        """Give the box a walkthrough's outline of the node takes: round its icon and label,
        closer (a quarter as far off) on a side where it would leave the diagram's area."""
        boxes = [part.box for part in self.parts[node_id]]
        margin = round(max(box.height for box in boxes) * OUTLINE_MARGIN)
        close, area = margin // 4, self.placement.area
        left, top = min(b.left for b in boxes), min(b.top for b in boxes)
        right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
        left = max(left - margin, min(area.left, left - close))
        top = max(top - margin, min(area.top, top - close))
        right = min(right + margin, max(area.right, right + close))
        bottom = min(bottom + margin, max(area.bottom, bottom + close))
        return g.Box(left, top, right - left, bottom - top)


def place(native: NativeDiagram, area: g.Box) -> Placement:
    """Give the placement of `native` at its scale (smaller if it must, to fit `area`), centred
    in `area`."""
    layout = native.layout
    scale = min(native.scale, fit_scale(layout, area)) * g.EMU_PER_POINT
    left = area.left + round((area.width - layout.width * scale) / 2)
    top = area.top + round((area.height - layout.height * scale) / 2)
    return Placement(left, top, scale, area)


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
    """Give where everything goes: straight lines and their labels first, then the bent lines
    round those labels, then their labels."""
    layout = native.layout
    placement = place(native, area)
    parts = {node.id: _node_parts(native, node.id, placement) for node in layout.nodes.values()}
    cluster_labels = [placement.label(c.label.box)
                      for c in layout.clusters if c.label is not None]
    # a line may end on its nodes' icons and labels, never run through them
    fixed = [part.box for node_parts in parts.values() for part in node_parts] + cluster_labels
    icon_side = max((part.box.height for node_parts in parts.values() for part in node_parts
                     if part.kind == "icon"), default=round(placement.scale * 40))
    used: set[frozenset[tuple[str, int, int]]] = set()
    routes: dict[str, EdgeRoute] = {}
    graphviz = {edge.key: _drawn_route(edge, placement, parts) for edge in layout.edges}
    for edge in layout.edges:
        straight = _straight_route(edge, layout, graphviz[edge.key], parts, fixed, used,
                                   icon_side)
        if straight is not None:
            routes[edge.key] = straight
    labels = _edge_label_boxes(layout, placement, parts, cluster_labels, routes, {})
    for edge in layout.edges:
        if edge.key not in routes:
            room = 0 if edge.label is None else 2 * placement.label(edge.label.box).width
            routes[edge.key] = _bent_route(edge, graphviz[edge.key], parts,
                                           [*fixed, *labels.values()], used, icon_side,
                                           [route.path for route in routes.values()], room)
    labels = _edge_label_boxes(layout, placement, parts, cluster_labels, routes, labels)
    _keep_clear(layout, placement, parts, cluster_labels, routes, labels,
                {key: route.path for key, route in graphviz.items()}, icon_side)
    return DiagramGeometry(placement, parts, {edge.key: routes[edge.key] for edge in layout.edges},
                           labels)


def _keep_clear(layout: DiagramLayout, placement: Placement,
                parts: dict[str, tuple[NodePart, ...]], cluster_labels: list[g.Box],
                routes: dict[str, EdgeRoute], labels: dict[str, g.Box],
                graphviz: dict[str, Path], icon_side: int) -> None:
    """Mend, in `routes` and `labels`, each line still drawn through a label or a node it does
    not join (diagrams.detours): the label moved along its own line, else the line drawn
    again as a connector glued to its nodes (between sites no other line joins), else bent
    round as a freeform."""
    fixed = [part.box for node_parts in parts.values() for part in node_parts] + cluster_labels
    edges = {edge.key: edge for edge in layout.edges}

    @functools.cache  # worked out only for a line drawn again, and then once
    def connector(key: str) -> tuple[list[tuple[Site, Site]], ConnectorEnds] | None:
        used = {joined(route.glue) for other, route in routes.items()
                if route.glue is not None and other != key}
        label = labels.get(key)
        return _connector_ends(edges[key], graphviz[key], parts, used,
                               0 if label is None else 2 * label.width, icon_side)

    def connector_ends(key: str) -> ConnectorEnds | None:
        found = connector(key)
        return None if found is None else found[1]

    lines = [DrawnLine(edge.key, routes[edge.key].path, labels.get(edge.key),
                       (*cluster_labels, *(part.box for node_id, node_parts in parts.items()
                                           if node_id not in (edge.source, edge.target)
                                           for part in node_parts)),
                       (tuple(part.box for part in parts[edge.source]),
                        tuple(part.box for part in parts[edge.target])),
                       functools.partial(connector_ends, edge.key)) for edge in layout.edges]
    mended = kept_clear(lines, fixed, lambda box: placement.within(box) == box)
    for before, after in zip(lines, mended, strict=True):
        if after.path != before.path:
            pairs = connector(after.key)
            glue = None if after.glued is None or pairs is None else pairs[0][after.glued]
            routes[after.key] = EdgeRoute(glue, after.path if glue else (), after.path)
        if after.label is not None:
            labels[after.key] = after.label


def _drawn_route(edge: EdgeLayout, placement: Placement,
                 parts: dict[str, tuple[NodePart, ...]]) -> EdgeRoute:
    """Give Graphviz's route of `edge` as a freeform draws it, carried on to its nodes."""
    controls = [placement.point(p) for p in edge.route]
    tip = placement.point(edge.tip)
    # Graphviz's route starts and ends at the node's box: a short straight piece each end
    # carries the drawn line on to the node's icon (or label)
    start, end = _touching(controls[0], parts[edge.source]), _touching(tip, parts[edge.target])
    path = (*([start] if start != controls[0] else []), *flattened(controls), tip,
            *([end] if end != tip else []))
    return EdgeRoute(None, (*controls, tip), path, start if start != controls[0] else None,
                     end if end != tip else None)


def _straight_route(edge: EdgeLayout, layout: DiagramLayout, graphviz: EdgeRoute,
                    parts: dict[str, tuple[NodePart, ...]], obstacles: list[g.Box],
                    used: set[frozenset[tuple[str, int, int]]],
                    icon_side: int) -> EdgeRoute | None:
    """Give a straight connector glued at both ends where Graphviz's route is straight and the
    line between the glue sites crosses none of `obstacles`, else None."""
    ends = {edge.source, edge.target}
    siblings = [e for e in layout.edges if {e.source, e.target} == ends]
    path = graphviz.path
    if len(ends) < 2 or len(siblings) > 1 or deviation(path, (path[0], path[-1])) > (
            STRAIGHT * icon_side):
        return None
    glue = glue_sites(node_sites(edge.source, parts[edge.source]),
                       node_sites(edge.target, parts[edge.target]), path[0], path[-1], used,
                       obstacles)
    if glue is None:
        return None
    line = ((glue[0].x, glue[0].y), (glue[1].x, glue[1].y))
    return EdgeRoute(glue, line, line)


def _bent_route(edge: EdgeLayout, graphviz: EdgeRoute, parts: dict[str, tuple[NodePart, ...]],
                obstacles: list[g.Box], used: set[frozenset[tuple[str, int, int]]],
                icon_side: int, drawn: list[Path], room: int) -> EdgeRoute:
    """Give an elbow connector glued at both ends that crosses none of `obstacles` nor runs
    along the `drawn` lines (the one with fewest bends and crossings, near Graphviz's ends,
    with a piece `room` long for its label),
    else Graphviz's own route as a freeform."""
    elbow = _connector_ends(edge, graphviz.path, parts, used, room, icon_side)
    found = None if elbow is None else elbow[1].cheapest_clear(obstacles, drawn)
    if elbow is None or found is None:
        return graphviz
    pairs = elbow[0]
    used.add(joined(pairs[found[0]]))
    return EdgeRoute(pairs[found[0]], found[1], found[1])


def _connector_ends(edge: EdgeLayout, graphviz: Path, parts: dict[str, tuple[NodePart, ...]],
                    used: set[frozenset[tuple[str, int, int]]], room: int,
                    icon_side: int) -> tuple[list[tuple[Site, Site]], ConnectorEnds] | None:
    """Give the pairs of sites a connector of `edge` may join (none `used` by another edge) and
    the same as ends of a route, each costing how far it is from where Graphviz's route meets
    the node, with a piece `room` long for its label; None for a loop (no connector joins a
    shape to itself)."""
    if edge.source == edge.target:
        return None
    pairs = [(a, b) for a in node_sites(edge.source, parts[edge.source])
             for b in node_sites(edge.target, parts[edge.target]) if joined((a, b)) not in used]
    ends = tuple((port(a), port(b), (site_cost(a, graphviz[0]) + site_cost(b, graphviz[-1])) / 2)
                 for a, b in pairs)
    return pairs, ConnectorEnds(ends, max(1, icon_side // 4), room)


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
        parts.append(NodePart("label", placement.label(node.label.box)))
    return tuple(parts)


def _edge_label_boxes(layout: DiagramLayout, placement: Placement,
                      parts: dict[str, tuple[NodePart, ...]], cluster_labels: list[g.Box],
                      routes: dict[str, EdgeRoute], placed: dict[str, g.Box]) -> dict[str, g.Box]:
    """Give each edge label's box, those `placed` kept and those of edges not in `routes` left
    out: centred on its line, where it is free nearest Graphviz's; else at Graphviz's place
    (beside the line) with the line bent through it (`routes` changes to the bent line, its
    ends kept) if the bent line crosses nothing; else, hemmed in (as at a small scale, the
    labels at the deck's size), at the free place beside the line nearest it, the line bent
    through it."""
    fixed = [part.box for node_parts in parts.values() for part in node_parts] + cluster_labels
    placed = dict(placed)
    for edge in layout.edges:
        if edge.label is None or edge.key in placed or edge.key not in routes:
            continue
        others = [route.path for key, route in routes.items() if key != edge.key]
        path, taken = routes[edge.key].path, fixed + list(placed.values())
        in_the_way = [part.box for node_id, node_parts in parts.items()
                      if node_id not in (edge.source, edge.target) for part in node_parts]
        in_the_way += cluster_labels + list(placed.values())
        box = placement.within(label_on_path(placement.label(edge.label.box), path, taken,
                                             others))
        on_line = distance_to(path, (box.left + box.width / 2,
                                     box.top + box.height / 2))[0] <= box.height / 4
        through = None if on_line else bent_to(path, box)  # off it: Graphviz's place
        if through is not None and any(path_crosses(through, other) for other in in_the_way):
            through = None
        if through is None and not (on_line and is_free(box, taken, others)):
            beside = label_beside_path(placement.label(edge.label.box), path, taken, others,
                                       in_the_way, lambda box: placement.within(box) == box)
            if beside is not None:
                box, through = beside
        if through is not None:
            routes[edge.key] = EdgeRoute(None, (), through)
        placed[edge.key] = box
    return placed
