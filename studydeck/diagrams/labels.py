"""Where an edge's label goes once its edge is a straight line (pure geometry, in EMU).

Graphviz puts a label beside its curve; a glued connector is straight, so a label left where
Graphviz put it may float away from its line. It moves onto its line (the label has the colour
behind it, so the line stops at its edges, as draw.io writes labels) when it fits there without
covering another label, an icon or another line; else it stays where Graphviz put it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from studydeck.layout.geometry import Box

Segment = tuple[tuple[int, int], tuple[int, int]]
SAMPLES = 48  # points tried along a segment when testing it against a box
NEAREST_END = 0.25  # a label stays this far (as a share of the line) from either end


def label_on_line(label: Box, line: Segment, taken: Sequence[Box],
                  other_lines: Sequence[Segment]) -> Box:
    """Give the box `label` takes: centred on `line` nearest its place, if free, else itself."""
    (ax, ay), (bx, by) = line
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    if not length_squared:
        return label
    centre_x, centre_y = label.left + label.width / 2, label.top + label.height / 2
    along = ((centre_x - ax) * dx + (centre_y - ay) * dy) / length_squared
    along = min(1 - NEAREST_END, max(NEAREST_END, along))
    moved = Box(round(ax + dx * along - label.width / 2), round(ay + dy * along - label.height / 2),
                label.width, label.height)
    if any(moved.intersects(box) for box in taken):
        return label
    if any(segment_crosses(segment, moved) for segment in other_lines):
        return label
    return moved


def segment_crosses(segment: Segment, box: Box) -> bool:
    """Tell whether `segment` passes through the inside of `box` (sampled finely)."""
    (ax, ay), (bx, by) = segment
    if (max(ax, bx) <= box.left or min(ax, bx) >= box.right
            or max(ay, by) <= box.top or min(ay, by) >= box.bottom):
        return False  # the segment lies beside the box: no point of it is inside
    first, last = _samples_near(ax, bx - ax, box.left, box.right, 1, SAMPLES - 1)
    first, last = _samples_near(ay, by - ay, box.top, box.bottom, first, last)
    return any(
        box.left < ax + (bx - ax) * t / SAMPLES < box.right
        and box.top < ay + (by - ay) * t / SAMPLES < box.bottom
        for t in range(first, last + 1)
    )


def _samples_near(start: int, step: int, low: int, high: int, first: int,
                  last: int) -> tuple[int, int]:
    """Narrow the samples `first`..`last` to those whose coordinate `start + step * t / SAMPLES`
    may lie between `low` and `high`, a sample to spare each side against rounding (the samples
    kept are then tested exactly as before: the answer is the same, found sooner)."""
    if not step:
        return first, last
    near, far = sorted(((low - start) * SAMPLES / step, (high - start) * SAMPLES / step))
    return max(first, math.floor(near) - 1), min(last, math.ceil(far) + 1)
