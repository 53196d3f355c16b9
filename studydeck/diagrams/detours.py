"""Lines kept out of labels they were drawn through (pure geometry, in EMU).

A line is routed before the labels of the lines drawn after it are placed, and Graphviz's curve
is kept as it drew it, so a line may still run through another edge's label, a cluster's label
or a node it does not join (most in a template's smaller body, its labels at the deck's size).
Each such crossing is mended in turn, by the first of these that crosses nothing new: the label
crossed, if it is an edge's, moves to a free place on its own line; the crossing line takes a
way round what it crossed (diagrams.bends: its ends on their nodes, its own label carried
along); the label goes beside its own line, which bends through it. A crossing none of them
mends is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from studydeck.diagrams.bends import ways_round
from studydeck.diagrams.labels import (
    Path,
    free_place_on_path,
    is_free,
    label_beside_path,
    path_crosses,
)
from studydeck.layout.geometry import Box

ROUNDS_PER_LINE = 4  # crossings mended per line, at most


@dataclass(frozen=True)
class DrawnLine:
    """An edge's line as drawn, its label's box, and the boxes the line must keep out of
    besides other lines' labels (other nodes' icons and labels, cluster labels)."""

    key: str
    path: Path
    label: Box | None
    avoid: tuple[Box, ...]
    ends: tuple[tuple[Box, ...], tuple[Box, ...]] = ((), ())  # its tail's and head's parts


def kept_clear(lines: Sequence[DrawnLine], taken: Sequence[Box],
               fits: Callable[[Box], bool]) -> list[DrawnLine]:
    """Give `lines` with each crossing of a label or node mended where it can be (`taken`: the
    nodes' and clusters' labels, which a label moved keeps clear of; `fits`: where a label may
    go)."""
    found = list(lines)
    left_as_is: set[tuple[str, Box]] = set()
    for _ in range(ROUNDS_PER_LINE * len(found)):
        crossing = _first_crossing(found, left_as_is)
        if crossing is None:
            break
        mended = _mended(found, *crossing, taken, fits)
        if mended is None:
            left_as_is.add((found[crossing[0]].key, crossing[1]))
        else:
            found[mended[0]] = mended[1]
    return found


def _mended(lines: Sequence[DrawnLine], index: int, box: Box, taken: Sequence[Box],
            fits: Callable[[Box], bool]) -> tuple[int, DrawnLine] | None:
    """Give which line changes, and how, to take line `index` out of `box`; None if none can."""
    owner = next((n for n, line in enumerate(lines) if line.label == box and n != index), None)
    if owner is not None and (moved := _label_moved(lines, owner, taken, fits)) is not None:
        return owner, moved
    if (bent := _bent_round(lines, index, box, taken, fits)) is not None:
        return index, bent
    if owner is not None and (beside := _label_beside(lines, owner, taken, fits)) is not None:
        return owner, beside
    return None


def _others(lines: Sequence[DrawnLine], index: int,
            taken: Sequence[Box]) -> tuple[list[Box], list[Path]]:
    """Give the boxes a label of line `index` keeps clear of (`taken` and the other lines'
    labels) and the other lines' paths."""
    others = [line for n, line in enumerate(lines) if n != index]
    return ([*taken, *(line.label for line in others if line.label is not None)],
            [line.path for line in others])


def _obstacles(lines: Sequence[DrawnLine], index: int) -> list[Box]:
    """Give the boxes line `index` must not run through: the other lines' labels, and its own
    boxes to avoid."""
    return [line.label for n, line in enumerate(lines) if n != index and line.label is not None
            ] + list(lines[index].avoid)


def _first_crossing(lines: Sequence[DrawnLine],
                    left_as_is: set[tuple[str, Box]]) -> tuple[int, Box] | None:
    for index, line in enumerate(lines):
        for box in _obstacles(lines, index):
            if (line.key, box) not in left_as_is and path_crosses(line.path, box):
                return index, box
    return None


def _label_moved(lines: Sequence[DrawnLine], owner: int, taken: Sequence[Box],
                 fits: Callable[[Box], bool]) -> DrawnLine | None:
    """Give line `owner` with its label at the free place on its own line nearest where it
    is; None when there is none."""
    line = lines[owner]
    assert line.label is not None
    moved = free_place_on_path(line.label, line.path, *_others(lines, owner, taken), fits)
    return None if moved is None else replace(line, label=moved)


def _label_beside(lines: Sequence[DrawnLine], owner: int, taken: Sequence[Box],
                  fits: Callable[[Box], bool]) -> DrawnLine | None:
    """Give line `owner` with its label at the free place beside it nearest it, the line bent
    through the label's middle (crossing nothing it must miss); None when there is none."""
    line = lines[owner]
    assert line.label is not None
    found = label_beside_path(line.label, line.path, *_others(lines, owner, taken),
                              _obstacles(lines, owner), fits)
    return None if found is None else replace(line, label=found[0], path=found[1])


def _bent_round(lines: Sequence[DrawnLine], index: int, box: Box, taken: Sequence[Box],
                fits: Callable[[Box], bool]) -> DrawnLine | None:
    """Give line `index` bent round `box`, crossing none of what it must miss that it did not
    cross before, its label carried along with the line and still free; None when no such
    bend is found."""
    line = lines[index]
    obstacles = _obstacles(lines, index)
    crossed = {other for other in obstacles if other != box and path_crosses(line.path, other)}
    labels, other_paths = _others(lines, index, taken)
    for path, carried in ways_round(line.path, box, line.ends):
        if any(path_crosses(path, other) for other in obstacles if other not in crossed):
            continue
        label = None if line.label is None else carried(line.label)
        if label is not None and label != line.label and not (
                fits(label) and is_free(label, labels, other_paths)):
            continue
        return replace(line, path=path, label=label)
    return None
