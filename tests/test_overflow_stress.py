"""The stress decks and the sample deck as LibreOffice renders them: all text inside its shapes."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import BuiltDeck, soffice_convert
from pptx.slide import Slide
from test_geometry import placed, stress  # noqa: F401  (the stress decks, built once)

from studydeck.layout import geometry as g
from studydeck.layout.text import FONT_LINE_HEIGHT

TOLERANCE_PT = 2.0


def text_boxes(slide: Slide) -> list[g.Box]:
    """Give the boxes of the shapes that hold text, in points."""
    return [
        g.Box(*(round(v / g.EMU_PER_POINT) for v in (box.left, box.top, box.width, box.height)))
        for box in (placed(shape).box for shape in slide.shapes
                    if shape.has_text_frame or shape.has_table)
    ]


def stray_text(pdf: Path, slides: list[Slide]) -> list[str]:
    """Give each rendered line of text that is not inside a shape meant to hold it."""
    stray: list[str] = []
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(slides)
        for number, (page, slide) in enumerate(zip(document.pages, slides, strict=True), 1):
            boxes = text_boxes(slide)
            for char in page.chars:
                if not char["text"].strip():
                    continue
                x = (char["x0"] + char["x1"]) / 2
                bottom = char["top"] + char["size"] * FONT_LINE_HEIGHT
                if not any(box.left <= x <= box.right and box.top - TOLERANCE_PT <= char["top"]
                           and bottom <= box.bottom + TOLERANCE_PT for box in boxes):
                    stray.append(f"slide {number}: '{char['text']}' at {x:.0f},{bottom:.0f}")
    return stray


@pytest.mark.parametrize("font_mapping", [True, False], ids=["fonts.conf", "plain"])
def test_the_stress_decks_render_with_all_text_inside_its_shapes(
    stress: BuiltDeck,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
    font_mapping: bool,
) -> None:
    pdf = soffice_convert(stress.deck, "pdf", tmp_path, font_mapping=font_mapping)
    assert stray_text(pdf, list(stress.open().slides)) == []


@pytest.mark.parametrize("font_mapping", [True, False], ids=["fonts.conf", "plain"])
def test_the_sample_deck_renders_with_all_text_inside_its_shapes(
    sample: BuiltDeck, tmp_path: Path, font_mapping: bool,
) -> None:
    pdf = soffice_convert(sample.deck, "pdf", tmp_path, font_mapping=font_mapping)
    assert stray_text(pdf, list(sample.open().slides)) == []
