"""The stress decks and the sample deck as LibreOffice renders them: all text inside its shapes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from conftest import BuiltDeck, soffice_convert
from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape
from pptx.slide import Slide
from pptx.util import Pt
from test_geometry import placed, stress  # noqa: F401  (the stress decks, built once)

from studydeck.layout import geometry as g
from studydeck.layout.text import FONT_LINE_HEIGHT

pytestmark = pytest.mark.slow  # LibreOffice

TOLERANCE_PT = 2.0
BULLET_MARKS = "•–"
OVERLAP_PT = 1.0  # glyph boxes (top to top + size) of lines 1.2 em apart never meet


def text_boxes(slide: Slide) -> list[tuple[g.Box, str]]:
    """Give the boxes of the shapes that hold text, in points, with the text each holds.

    Shapes in groups count too (native diagrams).
    """
    return [
        (g.Box(*(round(v / g.EMU_PER_POINT) for v in (box.left, box.top, box.width, box.height))),
         text)
        for box, text in ((placed(shape).box, shape_text(shape))
                          for shape in _shapes(slide.shapes)
                          if shape.has_text_frame or shape.has_table)
    ]


def _shapes(shapes: Iterable[BaseShape]) -> Iterator[BaseShape]:
    """Give the shapes and, inside each group, its shapes (group coordinates are slide ones)."""
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shapes(shape.shapes)
        else:
            yield shape


def shape_text(shape: BaseShape) -> str:
    """Give the characters a shape may draw: its text and its bullet marks."""
    if shape.has_table:
        return "".join(cell.text for row in shape.table.rows for cell in row.cells)
    return str(shape.text_frame.text) + BULLET_MARKS


def stray_text(pdf: Path, slides: list[Slide]) -> list[str]:
    """Give each rendered character that is not inside a shape that holds it."""
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
                           and bottom <= box.bottom + TOLERANCE_PT and char["text"] in text
                           for box, text in boxes):
                    stray.append(f"slide {number}: '{char['text']}' at {x:.0f},{bottom:.0f}")
    return stray


@dataclass
class Line:
    """Characters drawn at one height: where the line is, and its text."""

    top: float
    bottom: float
    left: float
    right: float
    text: str


def rendered_lines(page: pdfplumber.page.Page) -> list[Line]:
    """Give the page's lines of text: characters of about the same top, side by side."""
    lines: list[Line] = []
    for char in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"])):
        if not char["text"].strip():
            continue
        glyph_bottom = char["top"] + char["size"]
        line = next((line for line in lines if abs(line.top - char["top"]) < 1.5
                     and char["x0"] - line.right < char["size"] * 2), None)
        if line is None:
            lines.append(Line(char["top"], glyph_bottom, char["x0"], char["x1"], char["text"]))
        else:
            line.bottom = max(line.bottom, glyph_bottom)
            line.right = max(line.right, char["x1"])
            line.text += char["text"]
    return lines


def colliding_lines(pdf: Path) -> list[str]:
    """Give each pair of rendered lines of text drawn over each other."""
    found: list[str] = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            lines = rendered_lines(page)
            for index, a in enumerate(lines):
                for b in lines[index + 1:]:
                    across = min(a.right, b.right) - max(a.left, b.left)
                    down = min(a.bottom, b.bottom) - max(a.top, b.top)
                    if across > 1 and down > OVERLAP_PT:
                        found.append(f"slide {number}: '{a.text[:20]}' over '{b.text[:20]}'")
    return found


@pytest.mark.parametrize("font_mapping", [True, False], ids=["fonts.conf", "plain"])
def test_the_stress_decks_render_with_all_text_inside_its_shapes(
    stress: BuiltDeck,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
    font_mapping: bool,
) -> None:
    pdf = soffice_convert(stress.deck, "pdf", tmp_path, font_mapping=font_mapping)
    assert stray_text(pdf, list(stress.open().slides)) == []
    assert colliding_lines(pdf) == []


@pytest.mark.parametrize("font_mapping", [True, False], ids=["fonts.conf", "plain"])
def test_the_sample_deck_renders_with_all_text_inside_its_shapes(
    sample: BuiltDeck, sample_pdf: Path, tmp_path: Path, font_mapping: bool,
) -> None:
    pdf = sample_pdf if font_mapping else soffice_convert(sample.deck, "pdf", tmp_path,
                                                          font_mapping=False)
    assert stray_text(pdf, list(sample.open().slides)) == []
    assert colliding_lines(pdf) == []


def test_the_checks_find_text_outside_its_shape_and_lines_drawn_over_each_other(
    tmp_path: Path,
) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for top, text in ((72, "first line of text"), (84, "moved line of text")):
        box = slide.shapes.add_textbox(Pt(72), Pt(top), Pt(300), Pt(48))
        box.text_frame.text = text
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    prs.save(str(tmp_path / "bad.pptx"))
    pdf = soffice_convert(tmp_path / "bad.pptx", "pdf", tmp_path)
    assert colliding_lines(pdf)
    slide.shapes[1].text_frame.paragraphs[0].runs[0].text = "line of text"  # "moved" is stray
    assert [stray[9:12] for stray in stray_text(pdf, [slide])] == ["'m'", "'v'", "'d'"]
