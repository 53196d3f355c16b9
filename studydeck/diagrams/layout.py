"""Graphviz's JSON layout → where each node, icon, cluster, edge and label goes (pure data).

Everything is in points with the origin at the drawing's top-left corner and y growing
downwards, as on a slide; Graphviz's own y grows upwards from the bottom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

# What Graphviz leaves between the top of a node's box and the top of its icon, and the
# icon's side: the node label's 56-point cell less its padding (see render._node_label).
ICON_TOP_GAP = 11.5
ICON_SIDE = 52.0
# Graphviz sets a line 1.2 ems high with its baseline 0.8 ems below the top: its middle is
# this many ems above the baseline.
TEXT_MIDDLE = 0.2
LINE_HEIGHT = 1.2  # Graphviz's own line spacing, in ems


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> Point:
        return Point(self.left + self.width / 2, self.top + self.height / 2)

    def overlaps(self, other: Rect) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


@dataclass(frozen=True)
class Label:
    """Lines of text as Graphviz set them: the box they fill, their size and weight."""

    lines: tuple[str, ...]
    box: Rect
    size: float  # points, in the layout's scale
    bold: bool = False


@dataclass(frozen=True)
class NodeLayout:
    id: str
    box: Rect
    icon: Rect | None
    label: Label | None


@dataclass(frozen=True)
class ClusterLayout:
    box: Rect
    label: Label | None
    fill: str  # RRGGBB
    line: str


class EdgeEnds(Protocol):
    """What the layout needs of an edge: its name and its two nodes (model.Edge has them)."""

    @property
    def key(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...


@dataclass(frozen=True)
class EdgeLayout:
    key: str
    source: str
    target: str
    route: tuple[Point, ...]  # Graphviz's B-spline control points, tail to head
    tip: Point  # where the arrowhead points
    dashed: bool
    label: Label | None


@dataclass(frozen=True)
class DiagramLayout:
    width: float
    height: float
    title: Label | None
    nodes: dict[str, NodeLayout]
    clusters: list[ClusterLayout]  # outermost first, so drawing in order nests them
    edges: list[EdgeLayout]
    text_scale: float

    def labels(self) -> list[Label]:
        """Give every label of the drawing: title, clusters, nodes, edges."""
        owners: Iterable[NodeLayout | ClusterLayout | EdgeLayout] = [
            *self.clusters, *self.nodes.values(), *self.edges
        ]
        found = [self.title] + [owner.label for owner in owners]
        return [label for label in found if label is not None]

    def node_text(self) -> float:
        """Give the size of the largest node label, in the layout's points (0: none)."""
        return max((node.label.size for node in self.nodes.values() if node.label), default=0)

    def smallest_text(self) -> float:
        """Give the size of the smallest label, in the layout's points."""
        return min((label.size for label in self.labels()), default=math.inf)


def parse_layout(data: dict[str, Any], edges: Sequence[EdgeEnds],
                 text_scale: float = 1.0) -> DiagramLayout:
    """Give the layout in Graphviz's JSON output `data` of a graph with `edges`, in their order."""
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    flip = _Flip(height)
    objects: list[dict[str, Any]] = data.get("objects", [])
    nodes = {o["name"]: _node(o, flip) for o in objects if "pos" in o}
    names = {o["_gvid"]: o.get("name", "") for o in objects}
    clusters = [_cluster(o, flip) for o in objects if str(o.get("name", "")).startswith("cluster")]
    clusters.sort(key=lambda c: -c.box.width * c.box.height)
    laid_out = [_edge(e, names, flip) for e in data.get("edges", [])
                if "invis" not in str(e.get("style", ""))]  # what keeps a rank's order
    edge_layouts = [_take_edge(laid_out, ends) for ends in edges]
    return DiagramLayout(width, height, _label(data.get("_ldraw_", []), flip), nodes, clusters,
                         edge_layouts, text_scale)


def _take_edge(laid_out: list[EdgeLayout], ends: EdgeEnds) -> EdgeLayout:
    """Remove and give the first laid-out edge from `ends.source` to `ends.target`, named."""
    # Graphviz lists edges in its own order; two edges with the same ends keep theirs.
    for index, edge in enumerate(laid_out):
        if (edge.source, edge.target) == (ends.source, ends.target):
            return replace(laid_out.pop(index), key=ends.key)
    raise ValueError(f"Graphviz laid out no edge {ends.key}")


@dataclass(frozen=True)
class _Flip:
    """Turns Graphviz's y-up coordinates into the layout's y-down ones."""

    height: float

    def point(self, x: float, y: float) -> Point:
        return Point(x, self.height - y)


def _node(data: dict[str, Any], flip: _Flip) -> NodeLayout:
    x, y = (float(v) for v in data["pos"].split(","))
    width, height = float(data["width"]) * 72, float(data["height"]) * 72
    centre = flip.point(x, y)
    box = Rect(centre.x - width / 2, centre.y - height / 2, width, height)
    icon = None
    if "<IMG" in data.get("label", ""):
        icon = Rect(centre.x - ICON_SIDE / 2, box.top + ICON_TOP_GAP, ICON_SIDE, ICON_SIDE)
    return NodeLayout(data["name"], box, icon, _label(data.get("_ldraw_", []), flip))


def _cluster(data: dict[str, Any], flip: _Flip) -> ClusterLayout:
    left, bottom, right, top = (float(v) for v in data["bb"].split(","))
    corner = flip.point(left, top)
    box = Rect(corner.x, corner.y, right - left, top - bottom)
    fill = str(data.get("bgcolor", "#FFFFFF")).lstrip("#")[:6].upper()
    line = str(data.get("pencolor", "#AEB6BE")).lstrip("#")[:6].upper()
    return ClusterLayout(box, _label(data.get("_ldraw_", []), flip), fill, line)


def _edge(data: dict[str, Any], names: dict[int, str], flip: _Flip) -> EdgeLayout:
    route, tip = _spline(str(data["pos"]), flip)
    dashed = "dashed" in str(data.get("style", ""))
    return EdgeLayout("", names[data["tail"]], names[data["head"]], route, tip, dashed,
                      _label(data.get("_ldraw_", []), flip))


def _spline(pos: str, flip: _Flip) -> tuple[tuple[Point, ...], Point]:
    """Give a `pos` spline's control points and arrow tip (its `e,x,y` part, else its end)."""
    points: list[Point] = []
    tip: Point | None = None
    for part in pos.split():
        fields = part.split(",")
        if fields[0] == "e":
            tip = flip.point(float(fields[1]), float(fields[2]))
        elif fields[0] != "s":
            points.append(flip.point(float(fields[0]), float(fields[1])))
    return tuple(points), tip or points[-1]


def _label(ops: list[dict[str, Any]], flip: _Flip) -> Label | None:
    """Give the text Graphviz's drawing operations `ops` write, one line per `T` operation."""
    size, bold = 14.0, False
    lines: list[tuple[str, Rect]] = []
    for op in ops:
        kind = op.get("op")
        if kind == "F":
            size = float(op["size"])
        elif kind == "t":
            bold = bool(int(op.get("fontchar", 0)) & 1)
        elif kind == "T" and op.get("text"):
            lines.append((str(op["text"]), _line_box(op, size, flip)))
    if not lines:
        return None
    boxes = [box for _, box in lines]
    left, top = min(b.left for b in boxes), min(b.top for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Label(tuple(text for text, _ in lines), Rect(left, top, right - left, bottom - top),
                 size, bold)


def _line_box(op: dict[str, Any], size: float, flip: _Flip) -> Rect:
    """Give the box one line of text fills: its width, one line high, centred on its middle."""
    baseline = flip.point(float(op["pt"][0]), float(op["pt"][1]))
    width = float(op["width"])
    left = {"l": baseline.x, "c": baseline.x - width / 2, "r": baseline.x - width}[op["align"]]
    middle = baseline.y - TEXT_MIDDLE * size
    return Rect(left, middle - LINE_HEIGHT * size / 2, width, LINE_HEIGHT * size)
