"""What a reader sees of the written runs: contrast against what is behind them, line breaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, BuiltDeck, copy_project, run_cli
from lxml import etree
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from test_geometry import stress  # noqa: F401  (the stress and stranger decks, built once)

from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, readable

SLIDE_BACKGROUND = "FFFFFF"  # every deck tested here keeps the default background


def _fill(element: etree._Element | None) -> str | None:
    found = element.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}") if element is not None else None
    return found.get("val") if found is not None else None


def run_contrasts(prs: PresentationObject) -> Iterator[tuple[str, float]]:
    """Give each run's text and its contrast against its shape's or cell's fill, or the slide."""
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
