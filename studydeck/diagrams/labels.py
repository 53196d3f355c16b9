"""Lines as drawn (polylines in EMU) and where an edge's label goes on its line (pure geometry).

An edge's label sits on its own line, centred on it (the label has the colour behind it, so the
line stops at its edges, as draw.io writes labels), at the free place nearest to where Graphviz
put it: covering no other label or icon and crossed by no other line. Where other lines and
labels leave no such place on it, the label goes beside the line, as near as is free, and the
line is bent smoothly through it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from studydeck.layout.geometry import Box

XY = tuple[int, int]
Segment = tuple[XY, XY]
Path = tuple[XY, ...]
SAMPLES = 48  # points tried along a segment when testing it against a box
NEAREST_END = 0.1  # a label stays this far (as a share of the line) from either end
PLACES = 40  # places tried along a line for its label
CURVE_STEPS = 12  # straight pieces per Bézier segment when a curve is flattened
# a label with no free place on its line goes beside it, at most this many label heights off,
# tried in steps of a label height over BESIDE_STEPS, its line bent through it over at most
# BEND_REACH label widths each side
BESIDE_REACH = 2
BESIDE_STEPS = 4
BEND_REACH = 2.5


def flattened(controls: Sequence[XY]) -> Path:
    """Give the polyline through the cubic Bézier segments whose control points are `controls`
    (start, then three points per segment, as Graphviz writes a spline)."""
    points = [controls[0]]
    for index in range(1, len(controls) - 2, 3):
        p0, p1, p2, p3 = controls[index - 1:index + 3]
        for step in range(1, CURVE_STEPS + 1):
            t = step / CURVE_STEPS
            weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
            points.append((round(sum(w * p[0] for w, p in zip(weights, (p0, p1, p2, p3),
                                                               strict=True))),
                           round(sum(w * p[1] for w, p in zip(weights, (p0, p1, p2, p3),
                                                               strict=True)))))
    return tuple(points)


def segments(path: Path) -> list[Segment]:
    return list(zip(path, path[1:], strict=False))


def path_length(path: Path) -> float:
    return sum(math.dist(a, b) for a, b in segments(path))


def point_along(path: Path, distance: float) -> tuple[float, float]:
    """Give the point `distance` along `path` from its start."""
    for a, b in segments(path):
        length = math.dist(a, b)
        if distance <= length and length:
            share = distance / length
            return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share
        distance -= length
    return path[-1]


def distance_to(path: Path, point: tuple[float, float]) -> tuple[float, float]:
    """Give how far `point` is from `path` and how far along the path its nearest point is."""
    best, along, walked = math.inf, 0.0, 0.0
    for a, b in segments(path):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length_squared = dx * dx + dy * dy
        share = 0.0 if not length_squared else max(0.0, min(1.0, (
            (point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length_squared))
        gap = math.dist(point, (a[0] + dx * share, a[1] + dy * share))
        if gap < best:
            best, along = gap, walked + share * math.sqrt(length_squared)
        walked += math.sqrt(length_squared)
    return best, along


def label_on_path(label: Box, path: Path, taken: Sequence[Box],
                  other_paths: Sequence[Path]) -> Box:
    """Give the box `label` takes: centred on `path` at the free place nearest its own place,
    else its own place (Graphviz's, beside the line) if that is free, else on the path nearest
    its place (where it covers what it must)."""
    if not path_length(path):
        return label
    boxes = [_centred(label, point_along(path, along)) for along in _places(path, label)]
    for box in [*boxes, label]:
        if is_free(box, taken, other_paths, label.height // 3):
            return box
    for box in [*boxes, label]:  # else touching other labels, never covering them
        if is_free(box, taken, other_paths):
            return box
    return boxes[0]


def free_place_on_path(label: Box, path: Path, taken: Sequence[Box],
                       other_paths: Sequence[Path], fits: Callable[[Box], bool],
                       touching: bool = False) -> Box | None:
    """Give the place centred on `path` nearest `label`'s own that keeps clear of `taken` (by a
    third of its height; `touching`: else touching them) and of `other_paths`, where `fits`
    says it may go; None if none is."""
    if not path_length(path):
        return None
    for apart in (label.height // 3, *([0] if touching else [])):
        for along in _places(path, label):
            box = _centred(label, point_along(path, along))
            if fits(box) and is_free(box, taken, other_paths, apart):
                return box
    return None


def _places(path: Path, label: Box) -> list[float]:
    """Give the places (distances along `path`) a label may be centred at, nearest the place
    of `path` nearest the label first, none nearer either end than NEAREST_END."""
    total = path_length(path)
    _, nearest = distance_to(path, (label.left + label.width / 2, label.top + label.height / 2))
    low, high = total * NEAREST_END, total * (1 - NEAREST_END)
    return sorted({min(high, max(low, low + (high - low) * n / PLACES)) for n in
                   range(PLACES + 1)} | {min(high, max(low, nearest))},
                  key=lambda along: abs(along - nearest))


def is_free(box: Box, taken: Sequence[Box], other_paths: Sequence[Path], apart: int = 0) -> bool:
    """Tell whether `box` keeps `apart` clear of every box `taken` (apart 0: touching them,
    never covering them) and no path of `other_paths` runs through it."""
    return not any(_grown(box, apart).intersects(other) for other in taken) and not any(
        path_crosses(other, box) for other in other_paths)


def label_beside_path(label: Box, path: Path, taken: Sequence[Box],
                      other_paths: Sequence[Path], in_the_way: Sequence[Box],
                      fits: Callable[[Box], bool]) -> tuple[Box, Path] | None:
    """Give a free place for `label` beside `path` (where `fits` says it may go), nearest the
    line, and `path` bent smoothly through its middle (its ends kept, crossing none of
    `in_the_way`): for a line that other lines or labels hem in everywhere along it. None
    when no such place is near."""
    if not path_length(path):
        return None
    apart = label.height // 3
    places = [(point_along(path, along), _normal(path, along)) for along in _places(path, label)]
    for step in range(1, BESIDE_REACH * BESIDE_STEPS + 1):  # nearest the line first
        offset = label.height * step / BESIDE_STEPS
        for ((x, y), across), side in itertools.product(places, (1, -1)):
            box = _centred(label, (x + across[0] * side * offset, y + across[1] * side * offset))
            if not fits(box) or not is_free(box, taken, other_paths, apart):
                continue
            bent = bent_to(path, box, box.height)  # no sharper than a label's height
            if bent is not None and not any(path_crosses(bent, other) for other in in_the_way):
                return box, bent
    return None


def bent_to(path: Path, label: Box, least_reach: float = 1) -> Path | None:
    """Give `path` bent smoothly through the middle of `label`, over at most BEND_REACH label
    widths each side and clear of its ends (it still meets its nodes where it did); None where
    the label lies so near an end that the bend would reach less than `least_reach`."""
    centre = (label.left + label.width / 2, label.top + label.height / 2)
    nearest = distance_to(path, centre)[1]
    reach = min(BEND_REACH * label.width, nearest, path_length(path) - nearest)
    return bent_through(path, centre, reach) if reach >= least_reach else None


def _normal(path: Path, along: float) -> tuple[float, float]:
    """Give the unit vector square to `path` where it is `along` from its start."""
    for a, b in segments(path):
        length = math.dist(a, b)
        if along <= length and length:
            return (a[1] - b[1]) / length, (b[0] - a[0]) / length
        along -= length
    (a, b) = segments(path)[-1]
    length = math.dist(a, b) or 1.0
    return (a[1] - b[1]) / length, (b[0] - a[0]) / length


def _grown(box: Box, margin: int) -> Box:
    return Box(box.left - margin, box.top - margin, box.width + 2 * margin,
               box.height + 2 * margin)


def _centred(label: Box, point: tuple[float, float]) -> Box:
    return Box(round(point[0] - label.width / 2), round(point[1] - label.height / 2),
               label.width, label.height)


def path_crosses(path: Path, box: Box) -> bool:
    """Tell whether any piece of `path` passes through the inside of `box`."""
    return any(segment_crosses(segment, box) for segment in segments(path))


def segment_crosses(segment: Segment, box: Box) -> bool:
    """Tell whether `segment` passes through the inside of `box` (sampled finely)."""
    (ax, ay), (bx, by) = segment
    if (max(ax, bx) <= box.left or min(ax, bx) >= box.right
            or max(ay, by) <= box.top or min(ay, by) >= box.bottom):
        return False  # the segment lies beside the box: no point of it is inside
    first, last = _samples_near(ax, bx - ax, box.left, box.right, 0, SAMPLES)
    first, last = _samples_near(ay, by - ay, box.top, box.bottom, first, last)
    return any(
        box.left < ax + (bx - ax) * t / SAMPLES < box.right
        and box.top < ay + (by - ay) * t / SAMPLES < box.bottom
        for t in range(first, last + 1)
    )


def deviation(path: Path, line: Segment) -> float:
    """Give how far the farthest point of `path` lies from the straight `line`."""
    (ax, ay), (bx, by) = line
    length = math.dist(line[0], line[1])
    if not length:
        return max(math.dist(p, line[0]) for p in path)
    return max(abs((bx - ax) * (ay - p[1]) - (ax - p[0]) * (by - ay)) / length for p in path)


def _samples_near(start: int, step: int, low: int, high: int, first: int,
                  last: int) -> tuple[int, int]:
    """Narrow the samples `first`..`last` to those whose coordinate `start + step * t / SAMPLES`
    may lie between `low` and `high`, a sample to spare each side against rounding (the samples
    kept are then tested exactly as before: the answer is the same, found sooner)."""
    if not step:
        return first, last
    near, far = sorted(((low - start) * SAMPLES / step, (high - start) * SAMPLES / step))
    return max(first, math.floor(near) - 1), min(last, math.ceil(far) + 1)


def bent_through(path: Path, point: tuple[float, float], reach: float, *,
                 corners: bool = False) -> Path:
    """Give `path` bent smoothly so that it passes through `point`: the nearest place of the
    path moves onto it, and the path around it follows less and less over `reach` each side
    (`corners`: the path's own corners kept among the places it passes, so an elbow stays
    square where the bend does not reach)."""
    total = path_length(path)
    gap, nearest = distance_to(path, point)
    if not total or not gap:
        return path
    anchor = point_along(path, nearest)
    shift = (point[0] - anchor[0], point[1] - anchor[1])
    steps = max(8, round(total / reach * 8))
    places = sorted({total * n / steps for n in range(steps + 1)} | {nearest}
                    | (set(itertools.accumulate(math.dist(a, b) for a, b in segments(path)))
                       if corners else set()))
    bent = []
    for along in places:
        x, y = point_along(path, along)
        weight = max(0.0, 1 - abs(along - nearest) / reach)
        weight = weight * weight * (3 - 2 * weight)  # eases in and out: no corner
        bent.append((round(x + shift[0] * weight), round(y + shift[1] * weight)))
    return tuple(bent)
