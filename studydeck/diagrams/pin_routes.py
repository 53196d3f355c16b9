"""Edges routed again round nodes a diagram file pins (diagrams/pins.py): Graphviz's `neato -n2`
takes every node where it stands and routes splines between them, round the nodes and the
labels; and the small geometry of Graphviz's JSON layout that pinning moves about.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from studydeck.diagrams.labels import flattened, path_crosses, path_length, point_along
from studydeck.diagrams.render import DOT_SECONDS, GraphvizError
from studydeck.layout.geometry import Box

PRECISION = 100  # the labels' geometry works in whole numbers: layout points × this
POINTS_PER_INCH = 72.0
ROUTE_MARGIN = 3.0  # neato keeps a point round every shape (`esep="+1"`): closer ones touch


@dataclass(frozen=True)
class Rect:
    """A box in Graphviz's points, y growing upwards."""

    left: float
    bottom: float
    right: float
    top: float

    def union(self, other: Rect) -> Rect:
        return Rect(min(self.left, other.left), min(self.bottom, other.bottom),
                    max(self.right, other.right), max(self.top, other.top))

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def as_box(self) -> Box:
        return Box(round(self.left * PRECISION), round(self.bottom * PRECISION),
                   round(self.width * PRECISION), round(self.height * PRECISION))


def position(node: dict[str, Any]) -> tuple[float, float]:
    x, y = (float(v) for v in str(node["pos"]).split(","))
    return x, y


def node_rect(node: dict[str, Any]) -> Rect:
    x, y = position(node)
    half_width = float(node["width"]) * POINTS_PER_INCH / 2
    half_height = float(node["height"]) * POINTS_PER_INCH / 2
    return Rect(x - half_width, y - half_height, x + half_width, y + half_height)


def label_rect(owner: dict[str, Any]) -> Rect | None:
    """Give the box of the text an object's `_ldraw_` writes (one line of it a text op)."""
    found: Rect | None = None
    size = 14.0
    for op in owner.get("_ldraw_", []):
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = (float(v) for v in op["pt"])
            left = {"l": x, "c": x - float(op["width"]) / 2, "r": x - float(op["width"])}[
                op.get("align", "l")]
            line = Rect(left, y - 0.4 * size, left + float(op["width"]), y + 0.9 * size)
            found = line if found is None else found.union(line)
    return found


def shift_ops(ops: list[dict[str, Any]], dx: float, dy: float) -> None:
    """Move Graphviz's drawing operations (xdot as JSON) by (dx, dy)."""
    for op in ops:
        if "pt" in op:
            op["pt"] = [op["pt"][0] + dx, op["pt"][1] + dy]
        if "points" in op:
            op["points"] = [[x + dx, y + dy] for x, y in op["points"]]
        if "rect" in op:
            op["rect"] = [op["rect"][0] + dx, op["rect"][1] + dy, *op["rect"][2:]]


def _route_points(pos: str) -> list[tuple[float, float]]:
    """Give a spline's control points (its `s,` and `e,` ends left out)."""
    return [(float(x), float(y)) for x, y, *_ in
            (part.split(",") for part in pos.split()) if x not in ("s", "e")]


def _whole(points: Iterable[tuple[float, float]]) -> tuple[tuple[int, int], ...]:
    return tuple((round(x * PRECISION), round(y * PRECISION)) for x, y in points)


def reroute(data: dict[str, Any], objects: list[dict[str, Any]], moved: set[int],
             shifted_labels: list[Rect]) -> None:
    """Route again (with `neato -n2`) the edges that meet a moved node or run through one or
    through a cluster label that moved; each one's label goes to its new line's middle."""
    edges: list[dict[str, Any]] = [e for e in data.get("edges", [])
                                   if "invis" not in str(e.get("style", ""))]
    in_the_way = [node_rect(objects[i]).as_box() for i in moved]
    in_the_way += [rect.as_box() for rect in shifted_labels]
    chosen = [edge for edge in edges if edge["tail"] in moved or edge["head"] in moved
              or any(path_crosses(flattened(_whole(_route_points(str(edge["pos"])))), box)
                     for box in in_the_way)]
    if not chosen:
        return
    kept = [edge for edge in edges if edge not in chosen]
    labelled = [data, *(o for o in objects if "nodes" in o), *kept]  # title, clusters, edges
    obstacles = [rect for rect in map(label_rect, labelled) if rect is not None]
    for edge, route in zip(chosen, _neato_routes(objects, chosen, obstacles), strict=True):
        edge["pos"] = route
        for key in ("_draw_", "_hdraw_", "_tdraw_"):
            edge.pop(key, None)
        _label_to_middle(edge)


def _label_to_middle(edge: dict[str, Any]) -> None:
    label = label_rect(edge)
    if label is None:
        return
    line = flattened(_whole(_route_points(str(edge["pos"]))))
    x, y = point_along(line, path_length(line) / 2)
    dx = x / PRECISION - (label.left + label.right) / 2
    dy = y / PRECISION - (label.bottom + label.top) / 2
    shift_ops(edge.get("_ldraw_", []), dx, dy)
    edge["lp"] = f"{x / PRECISION:.2f},{y / PRECISION:.2f}"


def _neato_routes(objects: list[dict[str, Any]], edges: list[dict[str, Any]],
                  obstacles: list[Rect]) -> list[str]:
    """Give each edge's spline (`pos`) as `neato -n2` routes it between the nodes where they
    are, round them and the `obstacles` (labels), in the layout's own coordinates."""
    source = "\n".join(_routing_graph(objects, edges, obstacles))
    try:
        done = subprocess.run(["neato", "-n2", "-Tjson"], input=source.encode(),
                              capture_output=True, timeout=DOT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"routing the edges took longer than {DOT_SECONDS} s") from None
    except FileNotFoundError:
        raise GraphvizError("Graphviz's `neato` is missing") from None
    if done.returncode != 0:
        raise GraphvizError(done.stderr.decode(errors="replace").strip() or "neato failed")
    routed = json.loads(done.stdout)
    # neato moves the drawing to its own origin: its first node says by how much
    given = next(o for o in objects if "pos" in o)
    out = next(o for o in routed["objects"] if o["name"] == f"n{given['_gvid']}")
    dx, dy = (a - b for a, b in zip(position(given), position(out), strict=True))
    return [_shifted_spline(str(edge["pos"]), dx, dy)
            for edge in sorted(routed.get("edges", []), key=lambda e: int(e["_gvid"]))]


def _routing_graph(objects: list[dict[str, Any]], edges: list[dict[str, Any]],
                   obstacles: list[Rect]) -> Iterator[str]:
    """Give the graph `neato -n2` routes: every node and each label that touches none of them
    (neato routes nothing round shapes that touch: it draws every edge straight then), fixed
    where they are, and the edges to route."""
    yield 'digraph route { splines=true; esep="+1"; node [shape=box, fixedsize=true, label=""];'
    taken: list[Rect] = []
    for node in (o for o in objects if "pos" in o):
        taken.append(node_rect(node))
        yield _fixed(f"n{node['_gvid']}", taken[-1])
    for number, rect in enumerate(obstacles):
        if not any(touch(rect, other) for other in taken):
            taken.append(rect)
            yield _fixed(f"label{number}", rect)
    for edge in edges:
        yield f"n{edge['tail']} -> n{edge['head']};"
    yield "}"


def touch(rect: Rect, other: Rect, margin: float = ROUTE_MARGIN) -> bool:
    return (rect.left - margin < other.right and other.left - margin < rect.right
            and rect.bottom - margin < other.top and other.bottom - margin < rect.top)


def _fixed(name: str, rect: Rect) -> str:
    x, y = (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2
    return (f'{name} [pos="{x:.2f},{y:.2f}", width={rect.width / POINTS_PER_INCH:.4f}, '
            f"height={rect.height / POINTS_PER_INCH:.4f}];")


def _shifted_spline(pos: str, dx: float, dy: float) -> str:
    parts = []
    for part in pos.split():
        fields = part.split(",")
        lead = fields[:-2]
        x, y = float(fields[-2]) + dx, float(fields[-1]) + dy
        parts.append(",".join([*lead, f"{x:.2f}", f"{y:.2f}"]))
    return " ".join(parts)
