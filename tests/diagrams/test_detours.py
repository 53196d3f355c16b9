"""Lines kept out of labels drawn after them (studydeck/diagrams/detours.py, pure geometry)."""

from __future__ import annotations

from studydeck.diagrams.detours import DrawnLine, kept_clear
from studydeck.diagrams.labels import distance_to, path_crosses
from studydeck.layout.geometry import Box

ANYWHERE = Box(-10_000, -10_000, 20_000, 20_000)


def _fits(box: Box) -> bool:
    return box.inside(ANYWHERE)


def _centre(box: Box) -> tuple[float, float]:
    return box.left + box.width / 2, box.top + box.height / 2


def test_a_label_crossed_by_another_line_moves_along_its_own_line() -> None:
    # a long level line labelled in its middle, and an upright line through that label
    level = DrawnLine("level", ((0, 500), (2000, 500)), Box(900, 450, 200, 100), ())
    upright = DrawnLine("upright", ((1000, 0), (1000, 1000)), None, ())
    moved, kept = kept_clear([level, upright], [], _fits)
    assert kept == upright and moved.path == level.path  # no line bent: the label moved
    assert moved.label is not None and not path_crosses(upright.path, moved.label)
    assert distance_to(moved.path, _centre(moved.label))[0] == 0  # still on its own line


def test_a_line_through_a_clusters_label_is_bent_round_it_its_ends_kept() -> None:
    label = Box(900, 450, 300, 100)  # nothing to move: a cluster's label
    line = DrawnLine("past", ((0, 520), (2000, 480)), None, (label,))
    [bent] = kept_clear([line], [label], _fits)
    assert not path_crosses(bent.path, label)
    assert (bent.path[0], bent.path[-1]) == (line.path[0], line.path[-1])


def test_a_bent_line_carries_its_own_label_and_crosses_nothing_new() -> None:
    cluster = Box(1400, 450, 200, 100)
    other = Box(1450, 700, 100, 100)  # a node below: the bend goes up
    line = DrawnLine("past", ((0, 500), (2400, 500)), Box(300, 470, 160, 60),
                     (cluster, other))
    [bent] = kept_clear([line], [cluster, other], _fits)
    assert not any(path_crosses(bent.path, box) for box in (cluster, other))
    assert bent.label is not None and distance_to(bent.path, _centre(bent.label))[0] <= 15


def test_a_line_that_starts_inside_a_label_starts_elsewhere_on_its_node() -> None:
    node = Box(0, 0, 200, 100)
    beside = Box(200, 20, 150, 60)  # another line's label against the node's side
    owner = DrawnLine("short", ((200, 50), (350, 50)), beside, ())
    line = DrawnLine("down", ((200, 60), (260, 140), (400, 400)), None, (),
                     ((node,), (Box(350, 400, 100, 100),)))
    kept, moved = kept_clear([owner, line], [node], _fits)
    assert not path_crosses(moved.path, kept.label or beside)
    start = moved.path[0]
    assert node.left <= start[0] <= node.right and node.top <= start[1] <= node.bottom
    assert moved.path[-1] == line.path[-1]


def test_a_crossing_nothing_can_mend_is_left_as_it_was() -> None:
    label = Box(0, 0, 1000, 1000)  # the line starts inside it, and its node is not known
    line = DrawnLine("through", ((500, 500), (1500, 500)), None, (label,))
    assert kept_clear([line], [label], _fits) == [line]
