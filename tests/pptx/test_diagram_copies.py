"""A diagram shown again as it was last drawn is copied (studydeck/pptx/diagram.py): the copy is
the XML and the relationships drawing it afresh writes, and only a true repeat is copied."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation

import studydeck.pptx.diagram as diagram_module
from studydeck.diagrams.icons import icon_image
from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.native import NativeDiagram
from studydeck.diagrams.render import layout_json
from studydeck.layout import geometry as g
from studydeck.pptx.diagram import add_native_diagram
from studydeck.pptx.style import deck_style
from studydeck.schema.models import Deck, DiagramSpec

AREA = g.Box(500_000, 1_500_000, 8_000_000, 4_000_000)


@pytest.fixture(scope="module")
def native() -> NativeDiagram:
    spec = DiagramSpec.model_validate({
        "direction": "LR",
        "nodes": {
            "client": {"icon": "aws.compute.EC2", "label": "클라이언트"},
            "resolver": {"icon": "aws.network.Route53", "label": "Resolver"},
            "root": {"icon": "aws.compute.EC2", "label": "root & <co>"},
        },
        "groups": [{"label": "VPC", "nodes": ["client", "resolver"]}],
        "edges": [
            {"from": "client", "to": "resolver", "label": "ask", "id": "ask"},
            {"from": "resolver", "to": "root", "style": "dashed", "id": "to-root"},
        ],
    })
    layout = parse_layout(json.loads(layout_json(spec)), spec.edges)
    icons = {node_id: icon_image(node.icon) for node_id, node in spec.nodes.items()}
    return NativeDiagram("dns", layout, icons, 14.0)


def _slides(count: int) -> list[Any]:
    prs = Presentation()
    return [prs.slides.add_slide(prs.slide_layouts[5]) for _ in range(count)]


def _written(slide: Any) -> tuple[bytes, list[tuple[str, str, str]]]:
    rels = sorted((rId, rel.reltype, str(rel.target_part.partname))
                  for rId, rel in slide.part.rels.items())
    return bytes(etree.tostring(slide._element)), rels


def test_a_repeated_diagram_is_copied_as_drawing_it_afresh_would_write_it(
    native: NativeDiagram, monkeypatch: pytest.MonkeyPatch,
) -> None:
    style = deck_style(Deck(title="t", chapters=["a.yaml"]))
    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    first, again = _slides(2)
    add_native_diagram(first, native, AREA, style)
    copied = add_native_diagram(again, native, AREA, style)
    assert len(diagram_module._DRAWINGS) == 1  # the second slide was a copy

    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    _, fresh_slide = _slides(2)
    fresh = add_native_diagram(fresh_slide, native, AREA, style)
    assert _written(again) == _written(fresh_slide)
    assert copied == fresh
    assert len(again.part.rels) > 2  # its own links to the icons (and its layout)


def test_a_diagram_on_a_slide_with_other_ids_or_area_is_drawn_again(
    native: NativeDiagram, monkeypatch: pytest.MonkeyPatch,
) -> None:
    style = deck_style(Deck(title="t", chapters=["a.yaml"]))
    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    first, busier, elsewhere = _slides(3)
    add_native_diagram(first, native, AREA, style)
    busier.shapes.add_textbox(0, 0, 100, 100)
    drawn = add_native_diagram(busier, native, AREA, style)
    add_native_diagram(elsewhere, native, g.Box(0, 0, 6_000_000, 3_000_000), style)
    assert len(diagram_module._DRAWINGS) == 3
    ids = [int(e.get("id")) for e in busier._element.iter() if e.tag.endswith("}cNvPr")]
    assert len(ids) == len(set(ids))
    assert drawn.group_id == max(ids[:3]) + 1  # after the title and the text box
