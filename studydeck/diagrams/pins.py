"""Pinned nodes: a diagram's Graphviz layout with the nodes its file pins put where the pins say.

A pin (`pin: [x, y]` on a node in diagrams/*.yaml) gives the node's centre as shares of the
drawing's width and height from its top-left corner. The drawing keeps the size `dot` gave it
(a pin is kept inside it, with the room its clusters need round it), so a pin names the same
place whatever area or scale the diagram is drawn at, and a pinned layout is placed on the slide
as the unpinned one was. The other nodes stay where `dot` put them; each cluster is drawn round
its nodes again, with the room it had round them; the edges that meet a pinned node, or that
`dot` routed through where one now is, are routed again by Graphviz round every node and label
(`neato -n2` takes the positions as given and routes splines between them).
"""

from __future__ import annotations

import copy
import math
from typing import Any

from studydeck.diagrams.pin_routes import (
    Rect,
    label_rect,
    node_rect,
    position,
    reroute,
    shift_ops,
    touch,
)
from studydeck.schema.models import DiagramSpec

MOVED = 0.01  # layout points: a pin this close to where `dot` put the node moves nothing
FREE_STEP = 6.0  # layout points between the places tried round a pin on top of another node
FREE_MARGIN = 4.0  # layout points kept between a pinned node and the others
Room = tuple[float, float, float, float]  # left, bottom, right, top


def pinned(graphviz: dict[str, Any], spec: DiagramSpec) -> dict[str, Any]:
    """Give the Graphviz layout (`dot -Tjson`) with the spec's pinned nodes where their pins
    say, its clusters round their nodes and the edges in the way routed again; the layout
    itself when nothing is pinned."""
    pins = {node_id: node.pin for node_id, node in spec.nodes.items() if node.pin is not None}
    if not pins:
        return graphviz
    data = copy.deepcopy(graphviz)
    _, _, width, height = (float(v) for v in str(data["bb"]).split(","))
    objects: list[dict[str, Any]] = data.get("objects", [])
    nodes = {str(o["name"]): o for o in objects if "pos" in o}
    clusters = [o for o in objects if str(o.get("name", "")).startswith("cluster") and "bb" in o]
    room = _cluster_room(clusters, objects)
    moved: set[int] = set()
    for node_id, (x_share, y_share) in pins.items():
        node = nodes.get(node_id)
        if node is None:
            continue
        box = node_rect(node)
        left, bottom, right, top = _room_round(node, clusters, room)
        limits = (left + box.width / 2, bottom + box.height / 2,
                  width - right - box.width / 2, height - top - box.height / 2)
        others = [node_rect(o) for o in nodes.values() if o is not node]
        x, y = _free_place(box, (x_share * width, (1 - y_share) * height), limits, others)
        centre = position(node)
        if abs(x - centre[0]) > MOVED or abs(y - centre[1]) > MOVED:
            _shift_object(node, x - centre[0], y - centre[1])
            moved.add(int(node["_gvid"]))
    if not moved:
        return data
    labels_before = [label_rect(cluster) for cluster in clusters]
    _redraw_clusters(clusters, objects, room)
    shifted_labels = [after for before, after in zip(labels_before, map(label_rect, clusters),
                                                     strict=True) if after != before]
    reroute(data, objects, moved, [r for r in shifted_labels if r is not None])
    return data


def _free_place(box: Rect, wanted: tuple[float, float], limits: Room,
                others: list[Rect]) -> tuple[float, float]:
    """Give the centre nearest `wanted`, within `limits` (lowest x and y, highest x and y),
    where `box` touches none of `others` (edges cannot be routed round nodes that touch);
    the nearest centre within `limits` when there is none."""
    low_x, low_y, high_x, high_y = limits
    half_width, half_height = box.width / 2, box.height / 2
    start = (_within(wanted[0], low_x, high_x), _within(wanted[1], low_y, high_y))
    reach = max(high_x - low_x, high_y - low_y, 0.0)
    for ring in range(int(reach / FREE_STEP) + 1):
        for turn in range(max(1, 8 * ring)):
            angle = 2 * math.pi * turn / max(1, 8 * ring)
            x = _within(start[0] + ring * FREE_STEP * math.cos(angle), low_x, high_x)
            y = _within(start[1] + ring * FREE_STEP * math.sin(angle), low_y, high_y)
            moved = Rect(x - half_width, y - half_height, x + half_width, y + half_height)
            if not any(touch(moved, other, FREE_MARGIN) for other in others):
                return x, y
    return start


def _within(value: float, low: float, high: float) -> float:
    return (low + high) / 2 if low > high else min(max(value, low), high)


def _bb(cluster: dict[str, Any]) -> Rect:
    left, bottom, right, top = (float(v) for v in str(cluster["bb"]).split(","))
    return Rect(left, bottom, right, top)


def _content(cluster: dict[str, Any], objects: list[dict[str, Any]]) -> Rect | None:
    """Give the box round a cluster's nodes and inner clusters."""
    rects = [node_rect(objects[i]) for i in cluster.get("nodes", [])]
    rects += [_bb(objects[i]) for i in cluster.get("subgraphs", [])
              if str(objects[i].get("name", "")).startswith("cluster") and "bb" in objects[i]]
    if not rects:
        return None
    found = rects[0]
    for rect in rects[1:]:
        found = found.union(rect)
    return found


def _cluster_room(clusters: list[dict[str, Any]], objects: list[dict[str, Any]]
                  ) -> dict[int, Room]:
    """Give the room each cluster leaves round what it holds (its margin, its label's side)."""
    found: dict[int, Room] = {}
    for cluster in clusters:
        content, bb = _content(cluster, objects), _bb(cluster)
        if content is not None:
            found[int(cluster["_gvid"])] = (max(0.0, content.left - bb.left),
                                            max(0.0, content.bottom - bb.bottom),
                                            max(0.0, bb.right - content.right),
                                            max(0.0, bb.top - content.top))
    return found


def _room_round(node: dict[str, Any], clusters: list[dict[str, Any]],
                room: dict[int, Room]) -> Room:
    """Give the room the clusters holding `node` need between it and the drawing's sides."""
    held = [room.get(int(c["_gvid"]), (0.0,) * 4) for c in clusters
            if node["_gvid"] in c.get("nodes", [])]
    return (sum(r[0] for r in held), sum(r[1] for r in held), sum(r[2] for r in held),
            sum(r[3] for r in held))


def _redraw_clusters(clusters: list[dict[str, Any]], objects: list[dict[str, Any]],
                     room: dict[int, Room]) -> None:
    """Draw each cluster round its nodes and inner clusters again, its label following the
    corner it stood at."""
    for _ in range(len(clusters)):  # inner clusters settle first, then those round them
        for cluster in clusters:
            content, pad = _content(cluster, objects), room.get(int(cluster["_gvid"]))
            if content is None or pad is None:
                continue
            old = _bb(cluster)
            new = Rect(content.left - pad[0], content.bottom - pad[1], content.right + pad[2],
                       content.top + pad[3])
            if new == old:
                continue
            label = label_rect(cluster)
            if label is not None:
                middle_x, middle_y = (label.left + label.right) / 2, (label.bottom + label.top) / 2
                dx = new.left - old.left if middle_x < (old.left + old.right) / 2 else (
                    new.right - old.right)
                dy = new.bottom - old.bottom if middle_y < (old.bottom + old.top) / 2 else (
                    new.top - old.top)
                shift_ops(cluster.get("_ldraw_", []), dx, dy)
                if "lp" in cluster:
                    x, y = (float(v) for v in str(cluster["lp"]).split(","))
                    cluster["lp"] = f"{x + dx:.2f},{y + dy:.2f}"
            cluster["bb"] = f"{new.left:.2f},{new.bottom:.2f},{new.right:.2f},{new.top:.2f}"
            cluster.pop("_draw_", None)  # its outline as drawn before: nothing reads it now


def _shift_object(owner: dict[str, Any], dx: float, dy: float) -> None:
    x, y = position(owner)
    owner["pos"] = f"{x + dx:.2f},{y + dy:.2f}"
    for key in ("_draw_", "_ldraw_"):
        shift_ops(owner.get(key, []), dx, dy)


