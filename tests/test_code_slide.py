"""Code slides: highlighted native runs, exact indentation, stepped highlights, fit and errors."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import run_cli, slide_notes, slide_title, soffice_convert
from lxml import etree
from pptx import Presentation
from pptx.slide import Slide
from pygments.token import Comment, Keyword, Number, String

from studydeck.highlight import (
    BAND_COLOR,
    CODE_BACKGROUND,
    DEFAULT_COLOR,
    LINE_NUMBER_COLOR,
    TOKEN_COLORS,
    contrast_ratio,
    highlighted_lines,
    step_numbers,
    token_color,
)

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
SOURCE = '''\
import boto3

sqs = boto3.client("sqs")
def consume(queue_url: str) -> None:
    # 메시지를 받아 처리한 뒤 지운다
    resp = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20)
    for msg in resp.get("Messages", []):
        handle(msg["Body"])
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=msg["ReceiptHandle"])
'''
CHAPTER = """\
id: code
title: 코드 챕터
minutes: 5
slides:
  - type: code
    title: SQS 소비자
    language: {language}
    caption: 받고, 처리하고, 지운다
    steps: {steps}
    code: |
{code}
"""


def _chapter(project: Path, code: str = SOURCE, language: str = "python",
             steps: str = '["1-3", "5", "7,9", "all"]') -> Path:
    indented = "\n".join(f"      {line}" if line else "" for line in code.splitlines())
    path = project / "chapters" / "code.yaml"
    path.write_text(CHAPTER.format(code=indented, language=language, steps=steps),
                    encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - code.yaml\n", encoding="utf-8")
    return path


def _shape(slide: Slide, name: str) -> etree._Element:
    return next(s for s in slide.shapes if s.name == name)._element


def _lines(shape: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{A}t")) for p in shape.iter(f"{A}p")]


def test_highlighting_keeps_every_character_and_colours_token_types_apart() -> None:
    lines = highlighted_lines(SOURCE, "python")
    assert ["".join(span.text for span in line) for line in lines] == SOURCE.rstrip().split("\n")
    colors = {token_color(t) for t in (Keyword, String, Comment, Number)}
    assert len(colors) == 4
    assert "".join(s.text for s in highlighted_lines("\tx = 1", "python")[0]) == "    x = 1"


def test_every_code_colour_is_readable_on_the_panel_and_the_band() -> None:
    for color in [*TOKEN_COLORS.values(), DEFAULT_COLOR, LINE_NUMBER_COLOR]:
        for background in (CODE_BACKGROUND, BAND_COLOR):
            assert contrast_ratio(color, background) >= 4.5, (color, background)


def test_steps_name_lines() -> None:
    assert step_numbers("3-5", 1, 9) == [3, 4, 5]
    assert step_numbers("7, 9", 1, 9) == [7, 9]
    assert step_numbers("all", 10, 12) == [10, 11, 12]
    with pytest.raises(ValueError, match="outside"):
        step_numbers("8-10", 1, 9)


def test_code_slide_writes_coloured_runs_with_exact_indentation_and_steps(
        mini_copy: Path) -> None:
    _chapter(mini_copy)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    slide = next(s for s in prs.slides if slide_title(s) == "SQS 소비자")
    code = _shape(slide, "Code")
    assert _lines(code) == SOURCE.rstrip().split("\n")
    assert any((t.text or "").startswith("        sqs") for t in code.iter(f"{A}t"))
    runs = list(code.iter(f"{A}r"))
    assert {r.find(f"{A}rPr/{A}latin").get("typeface") for r in runs} == {"Consolas"}
    assert {r.find(f"{A}rPr/{A}ea").get("typeface") for r in runs} == {"D2Coding"}
    color_of = {r.findtext(f"{A}t"): r.find(f".//{A}srgbClr").get("val") for r in runs}
    assert len({color_of["import"], color_of['"sqs"'], color_of["20"]}) == 3
    assert _lines(_shape(slide, "Line numbers")) == [str(n) for n in range(1, 10)]
    wrap = code.find(f".//{A}bodyPr").get("wrap")
    assert wrap == "none"

    clicks = slide._element.findall(f".//{P}par/{P}cTn/{P}stCondLst/{P}cond[@delay='indefinite']")
    assert len(clicks) == 4  # one click group per step
    bands = {s.shape_id: s for s in slide.shapes if s.name == "Step 1 lines"}
    first_click = clicks[0].getparent().getparent()
    shown = {int(t.get("spid")) for t in first_click.iter(f"{P}spTgt")}
    assert set(bands) <= shown
    band = next(iter(bands.values()))
    line_height = (band.height) / 3
    code_frame = next(s for s in slide.shapes if s.name == "Code")
    assert band.top == pytest.approx(code_frame.top + 0.08 * 914400, abs=2)
    size = int(runs[0].find(f"{A}rPr").get("sz")) / 100
    assert 16 <= size <= 24
    spacing = int(code.find(f".//{A}lnSpc/{A}spcPts").get("val")) / 100  # as written
    assert spacing == pytest.approx(size * 1.1, abs=0.01)  # code lines a little closer than prose
    assert line_height == pytest.approx(spacing * 12700, abs=3)  # bands cover their lines
    second = clicks[1].getparent().getparent()
    exits = [c for c in second.iter(f"{P}cTn") if c.get("presetClass") == "exit"]
    assert {int(c.find(f".//{P}spTgt").get("spid")) for c in exits} >= set(bands)
    assert "클릭 1: 1–3행" in slide_notes(slide)
    assert "클릭 3: 7, 9행" in slide_notes(slide)


def test_unknown_language_and_bad_step_are_errors_at_their_line(mini_copy: Path) -> None:
    _chapter(mini_copy, language="pyhton")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 1
    assert re.search(r"code\.yaml:7:\d+: .*unknown language 'pyhton'", result.output)
    assert "did you mean 'python'" in result.output


def test_a_line_too_long_is_a_warning_at_its_yaml_line(mini_copy: Path) -> None:
    long_line = "x = " + " + ".join(f"value_{n}" for n in range(20))
    _chapter(mini_copy, code=f"a = 1\n{long_line}\n", steps="[]")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output  # written at the floor: a layout problem
    assert re.search(r"code\.yaml:12:\d+: warning: .*code line 2 is too long",
                     result.output), result.output
    assert "never wraps" in result.output


def test_a_tall_block_continues_with_its_line_numbers(mini_copy: Path) -> None:
    code = "\n".join(f"print({n})" for n in range(1, 41))
    _chapter(mini_copy, code=code, steps='["2", "39-40"]')
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    slides = [s for s in prs.slides if slide_title(s).startswith("SQS 소비자")]
    assert len(slides) >= 2
    numbers = [n for s in slides for n in _lines(_shape(s, "Line numbers"))]
    assert numbers == [str(n) for n in range(1, 41)]
    shown = [line for s in slides for line in _lines(_shape(s, "Code"))]
    assert shown == code.split("\n")
    assert "클릭 1: 2행" in slide_notes(slides[0])
    assert "클릭 1: 39–40행" in slide_notes(slides[-1])
    for page in (slides[0], slides[-1]):
        starts = page._element.findall(f".//{P}cond[@delay='indefinite']")
        assert len(starts) == 1


@pytest.mark.slow  # LibreOffice
def test_code_lines_render_on_one_line_inside_the_slide(mini_copy: Path, tmp_path: Path) -> None:
    _chapter(mini_copy)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    number = next(i for i, s in enumerate(prs.slides) if slide_title(s) == "SQS 소비자")
    pdf = soffice_convert(mini_copy / "output" / "deck.pptx", "pdf", tmp_path)
    with pdfplumber.open(pdf) as document:
        page = document.pages[number]
        words = page.extract_words(keep_blank_chars=True, y_tolerance=2)
        rows: dict[int, list[dict[str, object]]] = {}
        for word in words:
            rows.setdefault(round(float(word["top"])), []).append(word)  # type: ignore[arg-type]
        texts = {re.sub(r"\s+", "", "".join(str(w["text"]) for w in sorted(
            row, key=lambda w: float(w["x0"])))): row for row in rows.values()}  # type: ignore[arg-type]
        for line in SOURCE.rstrip().split("\n"):
            if not line.strip():
                continue
            squeezed = re.sub(r"\s+", "", line)
            found = [t for t in texts if squeezed in t]
            assert found, f"{line!r} is not on one rendered line: {list(texts)}"
            for word in texts[found[0]]:
                assert float(word["x0"]) >= 0 and float(word["x1"]) <= float(page.width)


@pytest.mark.slow  # LibreOffice
def test_stepped_highlights_survive_a_libreoffice_round_trip(mini_copy: Path,
                                                              tmp_path: Path) -> None:
    _chapter(mini_copy)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    saved = soffice_convert(mini_copy / "output" / "deck.pptx", "pptx", tmp_path / "round")
    prs = Presentation(str(saved))
    slide = next(s for s in prs.slides if slide_title(s) == "SQS 소비자")
    ids = {s.shape_id: s.name for s in slide.shapes}
    clicks = [cond.getparent().getparent() for cond in
              slide._element.iter(f"{P}cond") if cond.get("delay") == "indefinite"]
    assert len(clicks) == 4

    def targets(click: etree._Element, kind: str) -> set[int]:
        return {int(t.get("spid")) for effect in click.iter(f"{P}cTn")
                if effect.get("presetClass") == kind for t in effect.iter(f"{P}spTgt")}

    assert targets(clicks[0], "exit") == set()
    for before, after in zip(clicks, clicks[1:], strict=False):
        assert targets(after, "exit") & targets(before, "entr")  # the last highlight goes
    assert all(targets(click, "entr") for click in clicks)
    assert {ids[i] for i in targets(clicks[0], "entr")} == {"Step 1 lines", "Dimmed lines"}


def test_an_english_deck_without_line_numbers(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("language: ko", "language: en"),
                    encoding="utf-8")
    path = _chapter(mini_copy, code="SELECT id, name\nFROM users\nWHERE id = 42;\n",
                    language="SQL", steps='["1", "2-3"]')
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    language: SQL\n", "    language: SQL\n    line_numbers: false\n    start: 10\n"
    ).replace('["1", "2-3"]', '["10", "11-12"]'), encoding="utf-8")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    slide = next(s for s in prs.slides if slide_title(s) == "SQS 소비자")
    assert not [s for s in slide.shapes if s.name == "Line numbers"]
    assert _lines(_shape(slide, "Code")) == ["SELECT id, name", "FROM users", "WHERE id = 42;"]
    notes = slide_notes(slide)
    assert "Click 1: line 10" in notes and "Click 2: lines 11–12" in notes
