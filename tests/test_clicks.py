"""Click states: the pure model, and `export pdf|png --clicks` pages as LibreOffice renders them."""

from __future__ import annotations

import zipfile
from functools import partial
from pathlib import Path

import pdfplumber
import pytest
from conftest import (
    FIXTURES,
    MINI,
    assert_valid_ooxml,
    build,
    copy_project,
    copy_sample,
    run_cli,
)
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.slide import Slide
from test_export import pdf_pages

from studydeck.clicks import ClickGroup, SlideClicks, StateChoice, Target, chosen_states
from studydeck.pptx.states import hidden_paragraph, write_states_deck

P = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
# mini: 4 bullets revealed item by item (3 clicks), 5 walkthrough (3 steps), 6 quiz (1 click)
BULLETS, WALKTHROUGH, QUIZ = 4, 5, 6


def test_state_zero_hides_what_appears_later_and_shows_what_leaves_later() -> None:
    box, caption, old = Target(3), Target(4, 0), Target(5)
    clicks = SlideClicks((ClickGroup(appear=(box,)), ClickGroup(appear=(caption,),
                                                                 disappear=(old,))))
    assert clicks.hidden_after(0) == {box, caption}
    assert clicks.hidden_after(1) == {caption}
    assert clicks.hidden_after(2) == {old}
    with pytest.raises(ValueError):
        clicks.hidden_after(3)


def test_handout_state_stops_before_an_answer() -> None:
    quiz = SlideClicks((ClickGroup(appear=(Target(7),), reveals_answer=True),))
    reveal = SlideClicks((ClickGroup(appear=(Target(2, 0),)), ClickGroup(appear=(Target(2, 1),))))
    assert chosen_states(quiz, StateChoice.handout) == [0]
    assert chosen_states(reveal, StateChoice.handout) == [2]
    assert chosen_states(reveal, StateChoice.every_click) == [0, 1, 2]
    assert chosen_states(SlideClicks(), StateChoice.every_click) == [0]


def clicks_in_timing_xml(deck: Path) -> list[int]:
    """Count each slide's clicks straight from its p:timing: main-sequence groups on click."""
    counts = []
    with zipfile.ZipFile(deck) as package:
        presentation = etree.fromstring(package.read("ppt/presentation.xml"))
        rels = etree.fromstring(package.read("ppt/_rels/presentation.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        for entry in presentation.iterfind(".//p:sldIdLst/p:sldId", P):
            rid = entry.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                            "relationships}id")
            slide = etree.fromstring(package.read(f"ppt/{targets[rid]}"))
            counts.append(len(slide.xpath(
                ".//p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par/p:cTn"
                "[p:stCondLst/p:cond/@delay='indefinite']", namespaces=P)))
    return counts


def page_texts(pdf: Path) -> list[str]:
    """Give each page's text without spaces: LibreOffice's PDF spaces Hangul and marks freely."""
    with pdfplumber.open(pdf) as document:
        return ["".join((page.extract_text() or "").split()) for page in document.pages]


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def mini_clicks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project after `export pdf --clicks` and a plain `export pdf`."""
    project = copy_project(MINI, tmp_path_factory.mktemp("clicks") / "mini")
    for args in (("pdf", "--clicks"), ("pdf",)):
        result = run_cli("export", *args, "--project", project)
        assert result.exit_code == 0, result.output
    return project


def pages_of_slide(project: Path, number: int) -> list[str]:
    """Give the text of each page `export pdf --clicks` wrote for slide `number`, in order."""
    output = project / "output"
    counts = clicks_in_timing_xml(output / "deck.pptx")
    first = sum(count + 1 for count in counts[:number - 1])
    return page_texts(output / "deck-clicks.pdf")[first:first + counts[number - 1] + 1]


@pytest.mark.slow  # LibreOffice
def test_sample_deck_has_one_page_per_click_state(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "sample")
    result = run_cli("export", "pdf", "--clicks", "--project", project)
    assert result.exit_code == 0, result.output
    counts = clicks_in_timing_xml(project / "output" / "deck.pptx")
    assert sum(counts) > 50  # the sample deck reveals, walks through and quizzes a lot
    assert pdf_pages(project / "output" / "deck-clicks.pdf") == len(counts) + sum(counts)
    assert "deck-clicks.pdf" in result.stdout


@pytest.mark.slow  # LibreOffice
def test_quiz_answer_shows_only_after_the_click(mini_clicks: Path) -> None:
    before, after = pages_of_slide(mini_clicks, QUIZ)
    assert "정답은몇번인가?" in before and "정답은몇번인가?" in after
    assert "✔" not in before and "둘이맞다" not in before
    assert "✔" in after and "둘이맞다" in after


@pytest.mark.slow  # LibreOffice
def test_walkthrough_shows_one_more_step_caption_per_click(mini_clicks: Path) -> None:
    captions = ["이름을IP로바꾼다", "그IP로요청한다", "웹서버가응답한다"]
    pages = pages_of_slide(mini_clicks, WALKTHROUGH)
    assert len(pages) == 4
    for state, text in enumerate(pages):
        shown = [caption in text for caption in captions]
        assert shown == [n < state for n in range(3)], f"state {state}: {text!r}"


@pytest.mark.slow  # LibreOffice
def test_every_state_keeps_its_slides_number(mini_clicks: Path) -> None:
    output = mini_clicks / "output"
    counts = clicks_in_timing_xml(output / "deck.pptx")
    with pdfplumber.open(output / "deck-clicks.pdf") as document:
        numbers = [[word["text"] for word in page.extract_words()
                    if word["top"] > page.height * 0.9 and word["x0"] < page.width * 0.2]
                   for page in document.pages]
    expected = [[str(slide)] if slide > 1 else [] for slide, count in enumerate(counts, start=1)
                for _ in range(count + 1)]  # the title slide shows no number
    assert numbers == expected


@pytest.mark.slow  # LibreOffice
def test_reveal_shows_one_more_bullet_per_click(mini_clicks: Path) -> None:
    pages = pages_of_slide(mini_clicks, BULLETS)
    assert len(pages) == 4
    assert "첫째" not in pages[0] and "하위항목" not in pages[0]
    assert "첫째항목" in pages[1] and "하위항목" in pages[1] and "둘째" not in pages[1]
    assert "셋째항목" in pages[3] and "하위b" in pages[3]


@pytest.mark.slow  # LibreOffice
def test_plain_pdf_shows_final_states_but_no_quiz_answer(mini_clicks: Path) -> None:
    texts = page_texts(mini_clicks / "output" / "deck.pdf")
    assert len(texts) == 14
    assert "셋째항목" in texts[BULLETS - 1]
    assert "웹서버가응답한다" in texts[WALKTHROUGH - 1]
    assert "정답은몇번인가?" in texts[QUIZ - 1]
    assert "✔" not in texts[QUIZ - 1] and "둘이맞다" not in texts[QUIZ - 1]


@pytest.mark.slow  # LibreOffice
def test_handout_keeps_the_answer_in_the_notes_only(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    result = run_cli("export", "handout", "--project", project)
    assert result.exit_code == 0, result.output
    handout = (project / "output" / "handout" / "handout.md").read_text(encoding="utf-8")
    quiz = handout.split("## 6. ")[1].split("## 7. ")[0]
    body, _, notes = quiz.partition("\n>")
    assert "✔" not in body and "둘이 맞다" not in body
    assert "정답: 2. 둘" in notes
    notes_pages = page_texts(project / "output" / "handout" / "handout.pdf")
    assert "✔" not in notes_pages[QUIZ - 1] and squash("정답: 2. 둘") in notes_pages[QUIZ - 1]


@pytest.mark.slow  # LibreOffice
def test_png_clicks_names_each_state(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    result = run_cli("export", "png", "--clicks", "--dpi", "24", "--project", project)
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (project / "output" / "png").iterdir())
    counts = clicks_in_timing_xml(project / "output" / "deck.pptx")
    assert len(names) == len(counts) + sum(counts)
    assert [name for name in names if name.startswith(f"slide-{QUIZ:03d}")] == [
        f"slide-{QUIZ:03d}-0.png", f"slide-{QUIZ:03d}-1.png"]


@pytest.mark.slow  # builds the stress decks
@pytest.mark.parametrize("fixture", ["stress-en", "stress-ko"])
def test_states_deck_of_a_strangers_deck_is_valid_and_complete(fixture: str,
                                                               tmp_path: Path) -> None:
    """Long titles, many bullets, emoji: every click state is a valid slide without animation."""
    project = copy_project(FIXTURES / fixture, tmp_path / fixture)
    build(project)
    deck = project / "output" / "deck.pptx"
    counts = clicks_in_timing_xml(deck)
    assert sum(counts) > 0
    states = tmp_path / "states.pptx"
    pages = write_states_deck(deck, states, partial(chosen_states,
                                                    choice=StateChoice.every_click))
    assert [(page.slide, page.state) for page in pages] == [
        (number, state) for number, count in enumerate(counts, start=1)
        for state in range(count + 1)]
    assert_valid_ooxml(states)
    written = Presentation(str(states))
    assert len(written.slides) == len(pages)
    assert not any(slide._element.findall(qn("p:timing")) for slide in written.slides)
    # the state before the last click has fewer shapes or paragraphs than the last one
    for index, page in enumerate(pages[1:], start=1):
        if page.state > 0:
            before, after = written.slides[index - 1], written.slides[index]
            assert _paragraphs(before) < _paragraphs(after), (page, fixture)


def _paragraphs(slide: Slide) -> int:
    """Give the paragraphs a state shows (hidden ones keep their place, unseen) and its shapes."""
    shown = [p for p in slide._element.xpath(".//a:p[a:r]") if not hidden_paragraph(p)]
    return len(shown) + len(slide.shapes)
