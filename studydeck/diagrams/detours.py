"""Lines kept out of labels they were drawn through (pure geometry, in EMU).

A line is routed before the labels of the lines drawn after it are placed, and Graphviz's curve
is kept as it drew it, so a line may still run through another edge's label, a cluster's label
or a node it does not join (most in a template's smaller body, its labels at the deck's size).
Each such crossing is mended in turn, by the first of these that crosses nothing new: the label
crossed, if it is an edge's, moves to a free place on its own line; the crossing line is drawn
again as a connector glued to its nodes (diagrams.elbows: an elbow, else a straight line), so
that it still follows them when someone moves one in an editor, clear of every label and node
placed, else through the crossed label, which then moves along its own line; the crossed
label's own line is drawn again as such a connector; the crossing line takes a way round what
it crossed (diagrams.bends: its ends on their nodes, its own label carried along, drawn as a
freeform); the label goes beside its own line, which bends through it. A crossing none of them
mends is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from studydeck.diagrams.bends import ways_round
from studydeck.diagrams.elbows import ConnectorEnds
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
    besides other lines' labels (other nodes' icons and labels, cluster labels); where a
    connector may join its nodes, and, once the line is drawn again as one, which of those
    pairs of ends it joins (None: the line as it came, or bent into a freeform)."""

    key: str
    path: Path
    label: Box | None
    avoid: tuple[Box, ...]
    ends: tuple[tuple[Box, ...], tuple[Box, ...]] = ((), ())  # its tail's and head's parts
    connector: Callable[[], ConnectorEnds | None] | None = None  # asked for only when needed
    glued: int | None = None


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
            found = mended
    return found


def _mended(lines: Sequence[DrawnLine], index: int, box: Box, taken: Sequence[Box],
            fits: Callable[[Box], bool]) -> list[DrawnLine] | None:
    """Give `lines` with line `index` taken out of `box`; None if nothing can."""
    return next((found for found in _mendings(lines, index, box, taken, fits)
                 if found is not None), None)


def _mendings(lines: Sequence[DrawnLine], index: int, box: Box, taken: Sequence[Box],
              fits: Callable[[Box], bool]) -> Iterator[list[DrawnLine] | None]:
    """Give, worked out one by one, the ways of taking line `index` out of `box` (None for one
    that cannot): first those that leave every connector a connector glued to its nodes, then
    those that bend a line into a freeform."""
    owner = next((n for n, line in enumerate(lines) if line.label == box and n != index), None)
    if owner is not None:
        yield _changed(lines, owner, _label_moved(lines, owner, taken, fits))
    yield _rerouted(lines, index, taken, fits)
    if owner is not None:
        yield _rerouted(lines, index, taken, fits, moving=owner)
        yield _rerouted(lines, owner, taken, fits)
    yield _changed(lines, index, _bent_round(lines, index, box, taken, fits))
    if owner is not None:
        yield _changed(lines, owner, _label_beside(lines, owner, taken, fits))


def _changed(lines: Sequence[DrawnLine], index: int, line: DrawnLine | None,
             ) -> list[DrawnLine] | None:
    """Give `lines` with line `index` replaced by `line`; None when `line` is None."""
    return None if line is None else [line if n == index else old for n, old in
                                      enumerate(lines)]


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
                 fits: Callable[[Box], bool], touching: bool = False) -> DrawnLine | None:
    """Give line `owner` with its label at the free place on its own line nearest where it
    is (`touching`: else where it touches other labels); None when there is none."""
    line = lines[owner]
    assert line.label is not None
    moved = free_place_on_path(line.label, line.path, *_others(lines, owner, taken), fits,
                               touching)
    return None if moved is None else replace(line, label=moved)


def _label_beside(lines: Sequence[DrawnLine], owner: int, taken: Sequence[Box],
                  fits: Callable[[Box], bool]) -> DrawnLine | None:
    """Give line `owner` with its label at the free place beside it nearest it, the line bent
    through the label's middle (crossing nothing it must miss); None when there is none."""
    line = lines[owner]
    assert line.label is not None
    found = label_beside_path(line.label, line.path, *_others(lines, owner, taken),
                              _obstacles(lines, owner), fits)
    return None if found is None else replace(line, label=found[0], path=found[1], glued=None)


def _rerouted(lines: Sequence[DrawnLine], index: int, taken: Sequence[Box],
              fits: Callable[[Box], bool], moving: int | None = None) -> list[DrawnLine] | None:
    """Give `lines` with line `index` drawn again as a connector glued to its nodes (an elbow,
    else a straight line) through none of the labels and nodes placed (its own nodes' too) nor
    along another line, its label at the free place on it nearest where it was; with
    `moving`, it may run through that line's label, which then moves along its own line to a
    free place. None when no connector is clear or a label finds no place."""
    line = lines[index]
    connector = None if line.connector is None else line.connector()
    if connector is None:
        return None
    passed = None if moving is None else lines[moving].label
    obstacles = [box for box in (*_obstacles(lines, index), *line.ends[0], *line.ends[1])
                 if box != passed]
    for glued, path in connector.clear_connectors(obstacles, _others(lines, index, taken)[1]):
        found = None if path == line.path else _glued_again(lines, index, glued, path, taken,
                                                            fits, moving)
        if found is not None:
            return found
    return None


def _glued_again(lines: Sequence[DrawnLine], index: int, glued: int, path: Path,
                 taken: Sequence[Box], fits: Callable[[Box], bool],
                 moving: int | None) -> list[DrawnLine] | None:
    """Give `lines` with line `index` drawn along `path` as a connector joining its pair of
    ends `glued`, the label of line `moving` (if any) moved off it and its own label placed on
    it; None when a label finds no free place."""
    line = lines[index]
    changed = _changed(lines, index, replace(line, path=path, label=None, glued=glued))
    if moving is not None and changed is not None:
        changed = _changed(changed, moving, _label_moved(changed, moving, taken, fits,
                                                         touching=True))
    if line.label is None or changed is None:
        return changed
    label = free_place_on_path(line.label, path, *_others(changed, index, taken), fits,
                               touching=True)  # as close as a bent line's label may come
    return None if label is None else _changed(changed, index, replace(changed[index],
                                                                       label=label))


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
        return replace(line, path=path, label=label, glued=None)
    return None
