"""Elbow routes: horizontal and vertical pieces between two connection sites (pure geometry).

An elbow route leaves its tail's site straight out of the side it is on and enters its head's
site straight in, bending one to four times between: the shapes PowerPoint's elbow connectors
(`bentConnector2` … `bentConnector5`) draw, so such a route can be a connector glued at both
ends. Routes are given cheapest first (short, few bends); the caller keeps the first that
crosses nothing it must miss.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from studydeck.diagrams.labels import XY, Path, path_crosses, segments
from studydeck.layout.geometry import Box

Direction = tuple[int, int]  # the way out of a side: (1, 0) right, (0, -1) up …
# LibreOffice (7.4) draws a glued bentConnector4 or 5 along its own route, not the adjust
# values', and bentConnector3's middle piece halfway between its ends: routes of more pieces,
# and U-shaped ones, are left to freeforms
MOST_PIECES = 3
BEND_COST = 1.5  # a bend costs as much as this many stubs of extra length
# where between its ends a middle piece runs: halfway only, as LibreOffice (7.4) draws a glued
# bentConnector3 halfway whatever its adjust value says
SHARES = (0.5,)


@dataclass(frozen=True)
class Port:
    """Where a route may start or end: a connection site and the way out of its side."""

    x: int
    y: int
    out: Direction


def elbow_routes(tail: Port, head: Port, stub: int) -> Iterator[Path]:
    """Give the elbow routes from `tail` to `head` whose first and last pieces run at least
    `stub` straight out of their sides, with one to four bends each."""
    if tail.out[0]:  # leaves sideways: worked out as it is
        found: Iterator[Path] = _sideways(tail, head, stub)
    else:  # leaves up or down: worked out with x and y swapped, then swapped back
        found = (tuple((y, x) for x, y in route)
                 for route in _sideways(_swapped(tail), _swapped(head), stub))
    for route in found:
        if (len(route) - 1 <= MOST_PIECES and _heading(route[0], route[1]) == tail.out
                and _heading(route[-1], route[-2]) == head.out):
            yield route


def _heading(start: XY, end: XY) -> Direction:
    """Give the way from `start` to `end` as a direction, (0, 0) unless straight across."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx and dy:
        return (0, 0)
    return ((dx > 0) - (dx < 0), (dy > 0) - (dy < 0))


def cost(route: Path, stub: int) -> float:
    """Give how long a route is, each bend counted as BEND_COST stubs more."""
    length = sum(math.dist(a, b) for a, b in segments(route))
    return length + (len(route) - 2) * BEND_COST * stub


def runs_along(route: Path, other: Path, gap: int) -> float:
    """Give how long `route`'s horizontal and vertical pieces run within `gap` of, and side by
    side with, `other`'s (two lines drawn as one there)."""
    shared = 0.0
    for (ax, ay), (bx, by) in segments(route):
        for (cx, cy), (dx, dy) in segments(other):
            if ay == by and cy == dy and abs(ay - cy) < gap:
                shared += max(0, min(max(ax, bx), max(cx, dx)) - max(min(ax, bx), min(cx, dx)))
            elif ax == bx and cx == dx and abs(ax - cx) < gap:
                shared += max(0, min(max(ay, by), max(cy, dy)) - max(min(ay, by), min(cy, dy)))
    return shared


def _swapped(port: Port) -> Port:
    return Port(port.y, port.x, (port.out[1], port.out[0]))


def _sideways(tail: Port, head: Port, stub: int) -> Iterator[Path]:
    """Give the routes from a tail leaving sideways (its first piece horizontal)."""
    start, end = (tail.x, tail.y), (head.x, head.y)
    step, into = tail.out[0], head.out
    if into[0]:  # the head is entered sideways too: three pieces, else five
        for x in _between(tail.x, step, head.x, into[0], stub):
            yield _clean((start, (x, tail.y), (x, head.y), end))
        for y in _around(tail.y, head.y, stub):
            yield _clean((start, (tail.x + step * stub, tail.y), (tail.x + step * stub, y),
                          (head.x + into[0] * stub, y), (head.x + into[0] * stub, head.y), end))
        return
    # the head is entered from above or below: two pieces, else four
    if (head.x - tail.x) * step >= stub and (tail.y - head.y) * into[1] >= stub:
        yield (start, (head.x, tail.y), end)
    for x in _ahead(tail.x, step, head.x, stub):
        y = head.y + into[1] * stub
        yield _clean((start, (x, tail.y), (x, y), (head.x, y), end))


def _between(start: int, step: int, end: int, into: int, stub: int) -> list[int]:
    """Give where a middle vertical piece may run: at least a stub out of both sides."""
    low = start + step * stub
    high = end + into * stub
    if step != into and (high - low) * step >= 0:  # facing each other: anywhere between
        return [round(low + (high - low) * share) for share in SHARES]
    if step == into:  # both facing one way: beyond the farther of the two
        farthest = max(low * step, high * step) * step
        return [farthest, farthest + step * stub]
    return []


def _ahead(start: int, step: int, end: int, stub: int) -> list[int]:
    """Give where the vertical piece of a four-piece route may run: ahead of the tail, clear
    of the head's column."""
    low = start + step * stub
    found = [low, low + step * stub]
    return [x for x in found if abs(x - end) >= stub]


def _around(start: int, end: int, stub: int) -> list[int]:
    """Give the heights a five-piece route's middle may run at: between, above or below."""
    return [round((start + end) / 2), min(start, end) - 2 * stub, max(start, end) + 2 * stub]


def _clean(route: Sequence[XY]) -> Path:
    """Give the route without repeated points or straight-through corners."""
    points: list[XY] = []
    for point in route:
        if points and point == points[-1]:
            continue
        if len(points) >= 2 and (points[-2][0] == points[-1][0] == point[0]
                                 or points[-2][1] == points[-1][1] == point[1]):
            points[-1] = point
            continue
        points.append(point)
    return tuple(points)


CROSSING_COST = 4  # stubs: a route crossing another line costs as much as this much longer
TRIES = 12  # clear routes compared, cheapest first, for the lines they cross
LEAST_SLANT = 0.5  # a straight line leaves its site at least 30° off the side it is on


@dataclass(frozen=True)
class ConnectorEnds:
    """Where an edge's connector may be glued: pairs of ends (tail, head, each pair's extra
    cost), the least straight run out of a site, and how long a piece its label needs."""

    pairs: tuple[tuple[Port, Port, float], ...]
    stub: int
    room: int = 0

    def cheapest_clear(self, obstacles: Sequence[Box],
                       lines: Sequence[Path]) -> tuple[int, Path] | None:
        """Give `cheapest_clear` between these ends: the pair's index and the route."""
        return cheapest_clear(self.pairs, self.stub, obstacles, lines, self.room)

    def clear_connectors(self, obstacles: Sequence[Box],
                         lines: Sequence[Path]) -> Iterator[tuple[int, Path]]:
        """Give, worked out one by one, the cheapest clear elbow between these ends, then the
        cheapest clear straight line (a connector draws it on a slant), each with its pair's
        index."""
        elbow = self.cheapest_clear(obstacles, lines)
        if elbow is not None:
            yield elbow
        straight = _cheapest(self._straight_lines(), self.stub, obstacles, lines, self.room)
        if straight is not None:
            yield straight

    def _straight_lines(self) -> list[tuple[float, int, Path]]:
        """Give the straight line between each pair of ends that leaves both its sites
        outward, with its cost and its pair's index, cheapest first."""
        return sorted(((math.dist((tail.x, tail.y), (head.x, head.y)) + extra, index,
                        ((tail.x, tail.y), (head.x, head.y)))
                       for index, (tail, head, extra) in enumerate(self.pairs)
                       if _leaves_outward(tail, head)), key=lambda route: route[0])


def cheapest_clear(ends: Sequence[tuple[Port, Port, float]], stub: int,
                   obstacles: Sequence[Box], lines: Sequence[Path],
                   room: int = 0) -> tuple[int, Path] | None:
    """Give the cheapest elbow route between any of the pairs of ends (each with its own extra
    cost) that passes through none of `obstacles` and runs along none of `lines`, counting the
    lines it crosses and whether a piece of it is `room` long (to hold its label), and the
    index of its pair; None when no route is clear."""
    routes = sorted(((cost(route, stub) + extra, index, route)
                     for index, (tail, head, extra) in enumerate(ends)
                     for route in elbow_routes(tail, head, stub) if _drawable(route)),
                    key=lambda found: found[0])
    return _cheapest(routes, stub, obstacles, lines, room)


def _cheapest(routes: Sequence[tuple[float, int, Path]], stub: int, obstacles: Sequence[Box],
              lines: Sequence[Path], room: int) -> tuple[int, Path] | None:
    """Give the cheapest of the first TRIES of `routes` (each with its cost and its pair's
    index, cheapest first) that are clear, counting the lines each crosses and whether a piece
    of it is `room` long; None when none is clear."""
    clear: list[tuple[float, int, Path]] = []
    for base, index, route in routes:
        if any(path_crosses(route, box) for box in obstacles):
            continue
        if any(runs_along(route, line, stub // 2) > stub for line in lines):
            continue  # two lines drawn as one: which one a label or arrow belongs to is lost
        crossed = sum(crossings(route, line) for line in lines)
        cramped = max(math.dist(a, b) for a, b in segments(route)) < room
        clear.append((base + (crossed + cramped) * CROSSING_COST * stub, index, route))
        if len(clear) >= TRIES:
            break
    if not clear:
        return None
    _, index, route = min(clear, key=lambda found: found[0])
    return index, route


def _leaves_outward(tail: Port, head: Port) -> bool:
    """Tell whether the straight line from `tail` to `head` leaves each site out of its side,
    no flatter to the side than LEAST_SLANT."""
    dx, dy = head.x - tail.x, head.y - tail.y
    length = math.hypot(dx, dy)
    return bool(length) and min(dx * tail.out[0] + dy * tail.out[1],
                                -dx * head.out[0] - dy * head.out[1]) >= LEAST_SLANT * length


def crossings(route: Path, other: Path) -> int:
    """Give how many times `route` crosses `other` (touching ends not counted)."""
    return sum(_cross(a, b) for a in segments(route) for b in segments(other))


def _cross(first: tuple[XY, XY], second: tuple[XY, XY]) -> bool:
    (a, b), (c, d) = first, second
    if (max(a[0], b[0]) < min(c[0], d[0]) or max(c[0], d[0]) < min(a[0], b[0])
            or max(a[1], b[1]) < min(c[1], d[1]) or max(c[1], d[1]) < min(a[1], b[1])):
        return False
    return (_turn(a, b, c) * _turn(a, b, d) < 0) and (_turn(c, d, a) * _turn(c, d, b) < 0)


def _turn(a: XY, b: XY, c: XY) -> int:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _drawable(route: Path) -> bool:
    """Tell whether a connector can draw the route as LibreOffice and PowerPoint both draw it:
    a bent one needs its ends apart both ways (its adjust values are shares of its box's width
    and height), and its middle piece between them."""
    (sx, sy), (ex, ey) = route[0], route[-1]
    if len(route) == 2:
        return True
    if sx == ex or sy == ey:
        return False
    if len(route) == 4:
        axis = 0 if route[0][1] == route[1][1] else 1  # the first piece's: x when horizontal
        low, high = sorted((route[0][axis], route[-1][axis]))
        return low <= route[1][axis] <= high
    return True
