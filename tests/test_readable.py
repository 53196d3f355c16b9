"""What a reader sees of the written runs: contrast against what is behind them, line breaks."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, BuiltDeck, copy_project, run_cli, soffice_convert
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from test_geometry import stress  # noqa: F401  (the stress and stranger decks, built once)

from studydeck.checks.contrast import rendered_contrast
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, readable

SLIDE_BACKGROUND = "FFFFFF"  # every deck tested here keeps the default background


SCHEME_SLOTS = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}  # the masters' clrMap
_THEME: dict[str, str] = {}  # the deck's theme colours by slot, while its runs are read


def _fill(element: etree._Element | None) -> str | None:
    """Give the colour of the element's `a:solidFill`: its own, or the theme's it refers to."""
    fill = element.find(qn("a:solidFill")) if element is not None else None
    if fill is None or not len(fill):
        return None
    color = fill[0]
    if color.tag == qn("a:schemeClr"):
        return _THEME.get(SCHEME_SLOTS.get(color.get("val"), color.get("val")))
    return color.get("val")


def _theme_colors(prs: PresentationObject) -> dict[str, str]:
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    return {slot.tag.rpartition("}")[2]: slot[0].get("val") or slot[0].get("lastClr")
            for slot in scheme}


def run_contrasts(prs: PresentationObject) -> Iterator[tuple[str, float]]:
    """Give each run's text and its contrast against its shape's or cell's fill, or the slide."""
    _THEME.clear()
    _THEME.update(_theme_colors(prs))
    for slide in prs.slides:
        for shape in slide.shapes:
            behind = _fill(shape._element.find(qn("p:spPr"))) or SLIDE_BACKGROUND
            cells = ([(cell._tc, _fill(cell._tc.find(qn("a:tcPr"))) or behind)
                      for row in shape.table.rows for cell in row.cells] if shape.has_table
                     else [(shape._element, behind)])
            for element, background in cells:
                for run in element.iter(qn("a:r")):
                    color = _fill(run.find(qn("a:rPr")))
                    text = run.findtext(qn("a:t")) or ""
                    if text.strip():
                        assert color is not None, f"'{text}' has no colour of its own"
                        yield text, contrast_ratio(color, background)


@pytest.mark.slow  # builds the four stress and stranger decks
def test_every_run_reads_at_least_four_and_a_half_to_one(sample: BuiltDeck,
                                                          stress: BuiltDeck) -> None:  # noqa: F811
    for deck in (sample, stress):
        ratios = list(run_contrasts(deck.open()))
        assert ratios
        faint = [(text[:20], round(ratio, 2)) for text, ratio in ratios if ratio < MINIMUM_RATIO]
        assert faint == []


def test_a_faint_colour_is_darkened_for_text_and_the_build_says_so_once(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "stranger-en", tmp_path / "deck")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    warning = ("deck.yaml:13:13: warning: text in the accent colour F5A623 would have 2.0:1 "
               "contrast on FFFFFF; it is darkened to 9F6C17 for text (4.5:1), fills keep it")
    assert result.stderr.count(warning) == 1
    assert readable("F5A623", "FFFFFF") == "9F6C17"
    assert readable("FFFFFF", "F5A623") != "FFFFFF"  # white on a light fill turns dark
    assert readable("1F4E79", "FFFFFF") == "1F4E79"  # a colour that reads is kept


def test_lines_of_one_block_scalar_are_breaks_inside_one_paragraph(
        stress: BuiltDeck) -> None:  # noqa: F811
    prs = stress.open()
    texts = [t.text or "" for slide in prs.slides for t in slide._element.iter(qn("a:t"))]
    assert not [text for text in texts if "\n" in text]
    breaks = [p for slide in prs.slides for p in slide._element.iter(qn("a:p"))
              if p.find(qn("a:br")) is not None]
    if stress.project.name.startswith("stranger"):
        (paragraph,) = breaks
        lines = [r.findtext(qn("a:t")) for r in paragraph.iter(qn("a:r"))]
        assert len(lines) == 2 and lines[1] and not lines[1].endswith("\n")
        assert paragraph.getnext() is None or paragraph.getnext().find(qn("a:r")) is not None


def test_a_character_no_font_of_the_deck_has_is_a_warning_at_its_place(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "stranger-ko", tmp_path / "deck")
    result = run_cli("validate", "--project", project)
    assert result.exit_code == 0, result.output
    line = next(number for number, text in enumerate(
        (project / "chapters" / "traffic.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if "🚀" in text)
    column = (project / "chapters" / "traffic.yaml").read_text(
        encoding="utf-8").splitlines()[line - 1].index("🚀") + 1
    warnings = [text for text in result.stderr.splitlines() if "U+1F680" in text]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"chapters/traffic.yaml:{line}:{column}: warning: '🚀' "
                                  "(U+1F680 ROCKET) is in none of the deck's fonts")
    assert "empty box" in warnings[0]
    assert "U+" not in run_cli("validate", "--project", FIXTURES / "stress-ko").stderr


# --- contrast on rendered pages, as an independent checker measures it -------------------------

DPI = 150


def rendered_pages(deck: Path, folder: Path) -> list[Image.Image]:
    """Give the deck's slides as LibreOffice renders them, one picture a slide."""
    pdf = soffice_convert(deck, "pdf", folder)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / "page")],
                   check=True, timeout=120, capture_output=True)
    return [Image.open(page) for page in sorted(folder.glob("page-*.png"))]


def text_boxes(prs: PresentationObject) -> Iterator[tuple[int, str, tuple[int, int, int, int]]]:
    """Give (slide index, text, pixel box) of each text frame and table cell with text."""
    def pixels(left: int, top: int, width: int, height: int) -> tuple[int, int, int, int]:
        scale = DPI / 914_400
        return (round(left * scale) + 1, round(top * scale) + 1,
                round((left + width) * scale) - 1, round((top + height) * scale) - 1)

    for index, slide in enumerate(prs.slides):
        for shape in slide.shapes:
            if shape.has_table:
                top = shape.top
                for row in shape.table.rows:
                    left = shape.left
                    for column, cell in zip(shape.table.columns, row.cells, strict=True):
                        if cell.text.strip():
                            yield index, cell.text, pixels(left, top, column.width, row.height)
                        left += column.width
                    top += row.height
            elif shape.has_text_frame and shape.text_frame.text.strip():
                yield index, shape.text_frame.text, pixels(shape.left, shape.top, shape.width,
                                                           shape.height)


def faint_rendered_texts(deck: Path, folder: Path) -> list[tuple[int, str, float]]:
    pages = rendered_pages(deck, folder)
    faint = []
    for index, text, box in text_boxes(Presentation(str(deck))):
        ratio = rendered_contrast(pages[index], box)
        if ratio is not None and ratio < MINIMUM_RATIO:
            faint.append((index + 1, text[:30], round(ratio, 2)))
    return faint


@pytest.mark.slow  # LibreOffice renders the decks
def test_rendered_text_reads_at_least_four_and_a_half_to_one(mini: BuiltDeck,
                                                              tmp_path: Path) -> None:
    assert faint_rendered_texts(mini.deck, tmp_path / "mini") == []
