"""A native diagram stays inside the area it is fitted to (studydeck/pptx/diagram_geometry.py):
label boxes are widened for the deck's font, and one at the layout's edge is shifted inward
rather than sticking out past the area (issue 29: past a template's body)."""

from __future__ import annotations

import json

import pytest
from pptx import Presentation
from pptx.util import Emu

import studydeck.pptx.diagram as diagram_module
from studydeck.diagrams.icons import icon_image
from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.native import NativeDiagram
from studydeck.diagrams.render import layout_json
from studydeck.layout import geometry as g
from studydeck.pptx.diagram import add_native_diagram
from studydeck.pptx.diagram_geometry import diagram_geometry, slack_box
from studydeck.pptx.style import deck_style
from studydeck.schema.models import Deck, DiagramSpec


def _native(direction: str) -> NativeDiagram:
    spec = DiagramSpec.model_validate({
        "direction": direction,
        "nodes": {
            "client": {"icon": "aws.compute.EC2", "label": "A client with a long name"},
            "server": {"icon": "aws.compute.EC2", "label": "웹 서버 (오른쪽 끝의 긴 이름)"},
            "db": {"icon": "aws.database.RDS", "label": "DB 🗄️"},
        },
        "edges": [
            {"from": "client", "to": "server", "label": "asks over HTTPS", "id": "ask"},
            {"from": "server", "to": "db", "label": "queries", "id": "query"},
        ],
    })
    layout = parse_layout(json.loads(layout_json(spec)), spec.edges)
    icons = {node_id: icon_image(node.icon)
             for node_id, node in spec.nodes.items()}
    return NativeDiagram(f"edge-{direction}", layout, icons, 40.0)


@pytest.mark.parametrize(("direction", "area"), [
    ("LR", g.Box(700_000, 1_500_000, 5_000_000, 4_500_000)),  # fitted to the area's width
    ("TB", g.Box(700_000, 1_500_000, 2_000_000, 5_000_000)),
    ("TB", g.Box(700_000, 1_500_000, 5_000_000, 4_500_000)),  # to its height
])
def test_a_label_at_the_layouts_edge_keeps_the_group_inside_the_area(
    direction: str, area: g.Box, monkeypatch: pytest.MonkeyPatch,
) -> None:
    native = _native(direction)
    geometry = diagram_geometry(native, area)
    placement = geometry.placement
    # a label at the layout's edge, widened about its middle (or set a little past the
    # layout's box by Graphviz), would stick out of the area: it is shifted inward, its size
    # kept, and a label that fits where Graphviz set it stays there
    widened = {node_id: slack_box(placement.box(node.label.box))
               for node_id, node in native.layout.nodes.items() if node.label is not None}
    assert not all(box.inside(area) for box in widened.values())
    for node_id, box in widened.items():
        label = geometry.parts[node_id][-1].box
        assert (label.width, label.height) == (box.width, box.height)
        assert label == box or not box.inside(area)
    labels = [part.box for parts in geometry.parts.values() for part in parts
              if part.kind == "label"] + list(geometry.edge_labels.values())
    assert all(box.inside(area) for box in labels), labels

    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_diagram(slide, native, area, deck_style(Deck(title="t", chapters=["a.yaml"])))
    group = next(shape for shape in slide.shapes if shape.name.startswith("diagram:"))
    drawn = g.Box(group.left, group.top, group.width, group.height)
    assert drawn.inside(area), (drawn, area, Emu(area.left - drawn.left).inches,
                                Emu(drawn.right - area.right).inches)
