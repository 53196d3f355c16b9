"""Ways a line may take round a box it runs through (pure geometry, in EMU): bent smoothly
off it, walked round its edge, or begun (or ended) at another place on its node; each with how
a label on the line moves with it. diagrams.detours picks the first that crosses nothing new.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

from studydeck.diagrams.labels import (
    XY,
    Path,
    bent_through,
    distance_to,
    path_crosses,
    path_length,
    point_along,
    segments,
)
from studydeck.layout.geometry import Box

# the bend that takes a line round a box moves its nearest place this many times as far as
# leaving the box needs (the places either side follow less), over reaches of these many
# times the box's larger side
PUSHES = (1.0, 1.2, 1.45, 1.75, 2.1, 2.6, 3.2)
REACHES = (1.5, 3.0)
CLEARANCE = 6  # a bent line passes a box by a sixth of the box's height
INSIDE_SAMPLES = 400  # places tried along a line for where it runs through a box
Bend = tuple[Path, Callable[[Box], Box]]  # the new path; how a label on the old one moves
Sides = tuple[float, float, float, float]  # a box's left, top, right and bottom


def ways_round(path: Path, box: Box,
               ends: tuple[tuple[Box, ...], tuple[Box, ...]]) -> Iterator[Bend]:
    """Give the smooth bends that may take `path` round `box`, the smallest first (the gentler
    of two as small), then walks round its edge, then the path begun (or ended) elsewhere on
    its node (`ends`: the boxes of its tail and its head): each the new path and how a box on
    the path moves with it."""
    total = path_length(path)
    nearest = _middle_inside(path, box)
    anchor = point_along(path, nearest)
    margin = box.height / CLEARANCE
    grown = (box.left - margin, box.top - margin, box.right + margin, box.bottom + margin)
    side = max(box.width, box.height)
    tried: list[tuple[float, float, tuple[float, float]]] = []
    for (dx, dy), push, reach in itertools.product(_directions(path, nearest), PUSHES, REACHES):
        room = min(reach * side, nearest, total - nearest)
        if room >= box.height / 2:  # a shorter bend would read as a kink
            leave = _way_out(anchor, (dx, dy), grown) * push
            tried.append((leave, room, (anchor[0] + dx * leave, anchor[1] + dy * leave)))
    for _, room, target in sorted(tried, key=lambda item: (item[0], -item[1])):
        shift = (target[0] - anchor[0], target[1] - anchor[1])
        yield (bent_through(path, target, room, corners=True),
               _carrier(nearest, room, shift, path))
    for walked in _walks_round(path, grown):
        yield walked, _recentred(path, walked)
    for moved in _ends_moved(path, grown, ends):
        yield moved, _recentred(path, moved)


def _ends_moved(path: Path, box: Sides,
                ends: tuple[tuple[Box, ...], tuple[Box, ...]]) -> list[Path]:
    """Give `path`, where it starts (or ends) inside `box`, begun instead at another place on
    the edge of its node's boxes and joined straight to the path past `box`, the shortest
    first."""
    found = []
    if _inside_box(path[0], box):
        found += _new_starts(path, box, ends[0])
    if _inside_box(path[-1], box):
        found += [backwards[::-1] for backwards in _new_starts(path[::-1], box, ends[1])]
    return found


def _new_starts(path: Path, box: Sides,
                parts: tuple[Box, ...]) -> list[Path]:
    """Give `path` begun at places on the edges of `parts` outside `box` instead, each joined
    straight to a place of the path past where it leaves `box`, the shortest join first."""
    out = next((n for n, point in enumerate(path) if not _inside_box(point, box)), len(path))
    joins = sorted({min(len(path) - 1, out + len(path) * share // 10) for share in range(4)})
    found = []
    for part, join in itertools.product(parts, joins):
        for start in _edge_places(part):
            if _inside_box(start, box) or any(path_crosses((start, path[join]), other)
                                               for other in parts):
                continue
            found.append((math.dist(start, path[join]) + math.dist(start, path[0]),
                          (start, *path[join:])))
    return [path for _, path in sorted(found)]


def _edge_places(part: Box) -> list[XY]:
    """Give places on the edge of `part`: each side's middle, quarters and ends."""
    xs = [part.left + part.width * n // 4 for n in range(5)]
    ys = [part.top + part.height * n // 4 for n in range(5)]
    return sorted({*((x, y) for x in xs for y in (part.top, part.bottom)),
                   *((x, y) for y in ys for x in (part.left, part.right))})


def _walks_round(path: Path, box: Sides) -> list[Path]:
    """Give `path` with the part of it from where it first goes into `box` (left, top, right,
    bottom) to where it last comes out replaced by a walk along the box's edge, either way
    round, the shorter first; none when the path starts or ends inside the box."""
    cuts = [(index, t) for index, segment in enumerate(segments(path))
            for t in _clipped(segment, box)]
    if not cuts or _inside_box(path[0], box) or _inside_box(path[-1], box):
        return []
    (first, enter), (last, leave) = min(cuts), max(cuts)
    entry, exit_ = _at(path, first, enter), _at(path, last, leave)
    corners = ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3]))
    start, end = _round_edge(entry, box), _round_edge(exit_, box)
    perimeter = 2 * (box[2] - box[0] + box[3] - box[1])
    ways = []
    for turn in (1, -1):
        between = sorted((_round_edge(corner, box), corner) for corner in corners)
        if turn == 1:
            picked = [c for where, c in between if (where - start) % perimeter
                      < (end - start) % perimeter]
            picked.sort(key=lambda c: (_round_edge(c, box) - start) % perimeter)
        else:
            picked = [c for where, c in between if (start - where) % perimeter
                      < (start - end) % perimeter]
            picked.sort(key=lambda c: (start - _round_edge(c, box)) % perimeter)
        walk = [entry, *picked, exit_]
        ways.append((sum(math.dist(a, b) for a, b in itertools.pairwise(walk)), walk))
    return [_joined(path[:first + 1], walk, path[last + 1:]) for _, walk in sorted(ways)]


def _joined(before: Path, walk: list[tuple[float, float]], after: Path) -> Path:
    points: list[XY] = []
    for x, y in (*before, *walk, *after):
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    return tuple(points)


def _clipped(segment: tuple[XY, XY], box: Sides) -> list[float]:
    """Give where (shares of its length) `segment` goes into and comes out of `box`."""
    (ax, ay), (bx, by) = segment
    low, high = 0.0, 1.0
    for start, step, lowest, highest in ((ax, bx - ax, box[0], box[2]),
                                         (ay, by - ay, box[1], box[3])):
        if not step:
            if not lowest < start < highest:
                return []
            continue
        near, far = sorted(((lowest - start) / step, (highest - start) / step))
        low, high = max(low, near), min(high, far)
    return [] if low >= high else [low, high]


def _at(path: Path, index: int, share: float) -> tuple[float, float]:
    (ax, ay), (bx, by) = path[index], path[index + 1]
    return ax + (bx - ax) * share, ay + (by - ay) * share


def _inside_box(point: tuple[float, float], box: Sides) -> bool:
    return box[0] < point[0] < box[2] and box[1] < point[1] < box[3]


def _round_edge(point: tuple[float, float], box: Sides) -> float:
    """Give how far round `box`'s edge, clockwise from its top-left corner, `point` (on the
    edge) lies."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    sides = ((abs(point[1] - top), point[0] - left),
             (abs(point[0] - right), width + point[1] - top),
             (abs(point[1] - bottom), width + height + right - point[0]),
             (abs(point[0] - left), 2 * width + height + bottom - point[1]))
    return min(sides)[1]


def _recentred(path: Path, walked: Path) -> Callable[[Box], Box]:
    """Give how a label on `path` moves when the path is `walked` round a box: not at all where
    the path still runs under its middle, else to the nearest place of the new path."""
    def carried(label: Box) -> Box:
        centre = (label.left + label.width / 2, label.top + label.height / 2)
        gap, along = distance_to(walked, centre)
        if gap <= label.height / 4:
            return label
        x, y = point_along(walked, along)
        return Box(round(x - label.width / 2), round(y - label.height / 2), label.width,
                   label.height)
    return carried


def _middle_inside(path: Path, box: Box) -> float:
    """Give the distance along `path` to the middle of its first run through `box` (the place
    of the path nearest the box's middle if none is found among the places tried)."""
    total = path_length(path)
    sides = (box.left, box.top, box.right, box.bottom)
    inside = [along for along in (total * n / INSIDE_SAMPLES for n in range(INSIDE_SAMPLES + 1))
              if _inside_box(point_along(path, along), sides)]
    if not inside:
        return distance_to(path, (box.left + box.width / 2, box.top + box.height / 2))[1]
    step = total / INSIDE_SAMPLES
    run = [inside[0]]
    for along in inside[1:]:
        if along - run[-1] > step * 1.5:
            break
        run.append(along)
    return (run[0] + run[-1]) / 2


def _carrier(nearest: float, reach: float, shift: tuple[float, float],
             path: Path) -> Callable[[Box], Box]:
    """Give how a box centred on `path` moves when the path is bent (bent_through) at
    `nearest` by `shift` over `reach`: as the place of the path under its centre does."""
    def carried(label: Box) -> Box:
        centre = (label.left + label.width / 2, label.top + label.height / 2)
        along = distance_to(path, centre)[1]
        weight = max(0.0, 1 - abs(along - nearest) / reach)
        weight = weight * weight * (3 - 2 * weight)
        return Box(round(label.left + shift[0] * weight), round(label.top + shift[1] * weight),
                   label.width, label.height)
    return carried


def _directions(path: Path, along: float) -> list[tuple[float, float]]:
    """Give the ways a bend may push the path: square to it either side, and the four axes."""
    before = point_along(path, max(0.0, along - 1))
    after = point_along(path, min(path_length(path), along + 1))
    length = math.dist(before, after) or 1.0
    normal = ((before[1] - after[1]) / length, (after[0] - before[0]) / length)
    return [normal, (-normal[0], -normal[1]), (0.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)]


def _way_out(point: tuple[float, float], direction: tuple[float, float],
             box: Sides) -> float:
    """Give how far from `point` along `direction` the edge of `box` (left, top, right,
    bottom) is, leaving it (at least a little, from outside it)."""
    left, top, right, bottom = box
    reaches = []
    for value, step, low, high in ((point[0], direction[0], left, right),
                                   (point[1], direction[1], top, bottom)):
        if step > 1e-9:
            reaches.append((high - value) / step)
        elif step < -1e-9:
            reaches.append((low - value) / step)
    return max(min(reaches, default=0.0), (bottom - top) / 8)
