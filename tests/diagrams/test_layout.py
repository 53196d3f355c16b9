"""Graphviz's JSON layout read as positions, and edge labels placed on straight lines (pure)."""

from __future__ import annotations

import json
import random
from typing import Any

from studydeck.diagrams.labels import SAMPLES, flattened, label_on_path, segment_crosses
from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.render import layout_json
from studydeck.layout.geometry import Box
from studydeck.schema.models import DiagramSpec


def spec(**changes: Any) -> DiagramSpec:
    data: dict[str, Any] = {
        "direction": "LR",
        "nodes": {
            "client": {"icon": "aws.compute.EC2", "label": "클라이언트"},
            "resolver": {"icon": "aws.network.Route53", "label": "Resolver\n(VPC+2)"},
            "root": {"icon": "aws.general.TraditionalServer", "label": "root"},
        },
        "groups": [{"label": "VPC", "nodes": ["client", "resolver"]}],
        "edges": [
            {"from": "client", "to": "resolver", "label": "ask", "id": "ask"},
            {"from": "resolver", "to": "root", "label": "질의", "id": "to-root"},
            {"from": "root", "to": "resolver", "label": "answer", "style": "dashed",
             "id": "from-root"},
            {"from": "resolver", "to": "client", "id": "answer"},
        ],
    }
    data.update(changes)
    return DiagramSpec.model_validate(data)


def test_edges_are_named_by_their_ends_whatever_order_graphviz_lists_them_in() -> None:
    diagram = spec()
    layout = parse_layout(json.loads(layout_json(diagram)), diagram.edges)
    assert [e.key for e in layout.edges] == ["ask", "to-root", "from-root", "answer"]
    assert [(e.source, e.target) for e in layout.edges] == [
        (e.source, e.target) for e in diagram.edges]
    labels = {e.key: e.label.lines if e.label else None for e in layout.edges}
    assert labels == {"ask": ("ask",), "to-root": ("질의",), "from-root": ("answer",),
                      "answer": None}
    assert [e.dashed for e in layout.edges] == [False, False, True, False]


def test_positions_read_from_the_top_left_and_clusters_hold_their_nodes() -> None:
    layout = parse_layout(json.loads(layout_json(spec(direction="TB"))), spec().edges)
    assert layout.nodes["client"].box.top < layout.nodes["root"].box.top or (
        layout.nodes["resolver"].box.top < layout.nodes["root"].box.top)
    (vpc,) = layout.clusters
    for node_id in ("client", "resolver"):
        box = layout.nodes[node_id].box
        assert vpc.box.left <= box.left and box.right <= vpc.box.right
        assert vpc.box.top <= box.top and box.bottom <= vpc.box.bottom
    assert vpc.label is not None and vpc.label.lines == ("VPC",)
    resolver = layout.nodes["resolver"]
    assert resolver.label is not None and resolver.label.lines == ("Resolver", "(VPC+2)")
    assert resolver.icon is not None and resolver.icon.bottom <= resolver.label.box.top


def test_larger_text_is_laid_out_larger() -> None:
    diagram = spec()
    small = parse_layout(json.loads(layout_json(diagram)), diagram.edges)
    large = parse_layout(json.loads(layout_json(diagram, text_scale=1.5)), diagram.edges, 1.5)
    assert large.smallest_text() == small.smallest_text() * 1.5
    assert large.width > small.width


def test_a_label_moves_onto_its_line_when_the_place_is_free() -> None:
    label = Box(40, 0, 20, 10)
    moved = label_on_path(label, ((0, 50), (100, 50)), [], [])
    assert moved == Box(40, 45, 20, 10)
    assert segment_crosses(((0, 50), (100, 50)), moved)


def test_a_label_moves_along_its_line_past_what_is_in_the_way() -> None:
    label = Box(40, 0, 20, 10)
    line = ((0, 50), (100, 50))
    moved = label_on_path(label, line, [Box(45, 44, 5, 5)], [])
    assert moved.top == 45 and not moved.intersects(Box(45, 44, 5, 5))
    crossing = ((50, 0), (50, 100))
    moved = label_on_path(label, line, [], [crossing])
    assert moved.top == 45 and not segment_crosses(crossing, moved)


def test_a_label_on_a_curve_sits_on_the_curve() -> None:
    curve = flattened(((0, 0), (0, 100), (100, 100), (100, 0)))  # a U, 75 deep at its middle
    moved = label_on_path(Box(40, 200, 20, 10), curve, [], [])
    assert moved == Box(40, 70, 20, 10)


def _crosses_at_some_sample(segment: tuple[tuple[int, int], tuple[int, int]], box: Box) -> bool:
    (ax, ay), (bx, by) = segment
    return any(
        box.left < ax + (bx - ax) * t / SAMPLES < box.right
        and box.top < ay + (by - ay) * t / SAMPLES < box.bottom
        for t in range(0, SAMPLES + 1)
    )


def test_a_segment_crosses_a_box_exactly_when_one_of_its_samples_lies_inside() -> None:
    chance = random.Random(18)
    boxes = [Box(chance.randrange(0, 9_000_000), chance.randrange(0, 5_000_000),
                 chance.randrange(1, 2_000_000), chance.randrange(1, 2_000_000))
             for _ in range(60)]
    ends = [(chance.randrange(0, 12_000_000), chance.randrange(0, 7_000_000))
            for _ in range(120)]
    ends += [(box.left, box.top) for box in boxes] + [(box.right, box.bottom) for box in boxes]
    segments = [(a, b) for a, b in zip(ends, ends[1:], strict=False)]
    segments += [((a[0], a[1]), (a[0], b[1])) for a, b in zip(ends, ends[3:], strict=False)]
    segments += [((a[0], a[1]), (b[0], a[1])) for a, b in zip(ends, ends[5:], strict=False)]
    crossings = [(segment, box) for segment in segments for box in boxes
                 if _crosses_at_some_sample(segment, box)]
    assert len(crossings) > 100  # the cases include many crossings, not only misses
    for segment in segments:
        for box in boxes:
            assert segment_crosses(segment, box) == _crosses_at_some_sample(segment, box)
