"""Lines kept out of labels drawn after them (studydeck/diagrams/detours.py, pure geometry)."""

from __future__ import annotations

from studydeck.diagrams.detours import DrawnLine, kept_clear
from studydeck.diagrams.elbows import ConnectorEnds, Port
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


RIGHT, LEFT, DOWN_INTO = (1, 0), (-1, 0), (0, -1)  # the way out of a site's side
TAIL_NODE = Box(-200, -50, 200, 100)  # its right side's middle is (0, 0)


def test_a_connector_through_a_label_placed_after_it_is_routed_again_as_a_connector() -> None:
    # a Z through the middle of another line's wide label, which cannot leave the Z's middle
    head = Box(2000, 900, 100, 100)
    ends = ConnectorEnds(((Port(0, 0, RIGHT), Port(2000, 950, LEFT), 0.0),
                          (Port(0, 0, RIGHT), Port(2050, 900, DOWN_INTO), 0.0)), 50)
    crossed = DrawnLine("short", ((700, 500), (1300, 500)), Box(700, 450, 600, 100), ())
    zed = DrawnLine("zed", ((0, 0), (1000, 0), (1000, 950), (2000, 950)),
                    Box(1400, 900, 200, 100), (), ((TAIL_NODE,), (head,)), lambda: ends)
    rerouted, kept = kept_clear([zed, crossed], [TAIL_NODE, head], _fits)
    assert kept == crossed
    # a connector again, glued to the head's top: it follows its nodes in an editor
    assert rerouted.glued == 1 and rerouted.path == ((0, 0), (2050, 0), (2050, 900))
    assert rerouted.label is not None and not path_crosses(rerouted.path, crossed.label)
    assert distance_to(rerouted.path, _centre(rerouted.label))[0] == 0


def test_where_no_elbow_is_clear_a_connector_may_run_straight_on_a_slant() -> None:
    head = Box(2000, 950, 200, 100)
    ends = ConnectorEnds(((Port(0, 0, RIGHT), Port(2000, 1000, LEFT), 0.0),), 50)
    crossed = DrawnLine("short", ((700, 820), (1300, 820)), Box(700, 745, 600, 150), ())
    zed = DrawnLine("zed", ((0, 0), (1000, 0), (1000, 1000), (2000, 1000)), None, (),
                    ((TAIL_NODE,), (head,)), lambda: ends)
    straight, _ = kept_clear([zed, crossed], [TAIL_NODE, head], _fits)
    assert straight.glued == 0 and straight.path == ((0, 0), (2000, 1000))


def test_a_connector_may_run_through_a_label_that_then_moves_along_its_own_line() -> None:
    # a freeform along another line, through its label wherever the label goes on it: its only
    # connector, a Z, runs through where the label is, and the label moves off the Z
    head = Box(2500, 950, 200, 100)
    ends = ConnectorEnds(((Port(0, 0, RIGHT), Port(2500, 1000, LEFT), 0.0),), 50)
    crossed = DrawnLine("short", ((700, 500), (1300, 500)), Box(700, 450, 600, 100), ())
    along = DrawnLine("along", ((0, 0), (700, 500), (1300, 500), (2500, 1000)), None, (),
                      ((TAIL_NODE,), (head,)), lambda: ends)
    zed, moved = kept_clear([along, crossed], [TAIL_NODE, head], _fits)
    assert zed.glued == 0 and zed.path == ((0, 0), (1250, 0), (1250, 1000), (2500, 1000))
    assert moved.path == crossed.path and moved.label is not None
    assert not path_crosses(zed.path, moved.label)
    assert distance_to(moved.path, _centre(moved.label))[0] == 0
