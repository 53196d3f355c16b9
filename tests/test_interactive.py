"""The deck teaches: reveals, walkthroughs, quizzes, links, sections and the session plan."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import BuiltDeck, slide_title, soffice_convert
from lxml import etree
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p14": "http://schemas.microsoft.com/office/powerpoint/2010/main",
}


def xp(element: etree._Element, path: str) -> list:  # type: ignore[type-arg]
    """XPath with the namespaces above (python-pptx's own xpath knows no p14)."""
    return etree._Element.xpath(element, path, namespaces=NS)  # type: ignore[no-any-return]


PIC = "{http://schemas.openxmlformats.org/presentationml/2006/main}pic"

# mini: 1 title, 2 agenda, 3 section alpha, 4 bullets, 5 walkthrough, 6 quiz, 7 section beta,
# 8 table, 9 two-column, 10-13 diagram + three step slides, 14 recap
BULLETS, WALKTHROUGH, QUIZ = 3, 4, 5


def click_targets(slide: Slide) -> list[list[tuple[int, int | None]]]:
    """Give the targets of each click group (a p:par holding one clickEffect and its withs)."""
    seq = xp(slide._element, ".//p:cTn[@nodeType='mainSeq']/p:childTnLst")
    if not seq:
        return []
    clicks = []
    for click in xp(seq[0], "./p:par"):
        targets = []
        for sp in xp(click, ".//p:spTgt"):
            paragraph = xp(sp, "./p:txEl/p:pRg/@st")
            targets.append((int(sp.get("spid")), int(paragraph[0]) if paragraph else None))
        clicks.append(targets)
    return clicks


def shape_by_id(slide: Slide, shape_id: int):  # type: ignore[no-untyped-def]
    return next(shape for shape in slide.shapes if shape.shape_id == shape_id)


def test_bullets_appear_one_item_per_click_with_their_sub_bullets(mini: BuiltDeck) -> None:
    slide = mini.open().slides[BULLETS]
    clicks = click_targets(slide)
    assert [[paragraph for _, paragraph in click] for click in clicks] == [[0, 1], [2], [3, 4, 5]]
    box = shape_by_id(slide, clicks[0][0][0])
    assert box.text_frame.paragraphs[0].text == "첫째 항목"
    builds = xp(slide._element, ".//p:bldP")
    assert [(int(b.get("spid")), b.get("build")) for b in builds] == [(box.shape_id, "p")]


def test_click_effect_ids_are_unique_on_every_slide(sample: BuiltDeck) -> None:
    for slide in sample.open().slides:
        ids = xp(slide._element, ".//p:cTn/@id")
        assert len(ids) == len(set(ids)), slide_title(slide)


def test_deck_wide_reveal_applies_to_bullet_slides_but_not_recaps(sample: BuiltDeck) -> None:
    prs = sample.open()
    animated = {slide_title(s) for s in prs.slides if click_targets(s)}
    assert "모든 요청은 이름에서 시작한다" in animated
    assert "정리: DNS" not in animated


def test_walkthrough_shows_each_step_picture_with_its_caption(mini: BuiltDeck) -> None:
    slide = mini.open().slides[WALKTHROUGH]
    pictures = [shape for shape in slide.shapes if shape._element.tag == PIC]
    assert len(pictures) == 4  # the base and three steps, stacked
    assert len({(p.left, p.top, p.width, p.height) for p in pictures}) == 1
    clicks = click_targets(slide)
    assert len(clicks) == 3
    step_pictures = [picture.shape_id for picture in pictures[1:]]
    for number, click in enumerate(clicks):
        (picture_id, whole), (caption_id, paragraph) = click
        assert picture_id == step_pictures[number] and whole is None
        assert paragraph == number
        caption = shape_by_id(slide, caption_id).text_frame.paragraphs[number].text
        assert caption.startswith(f"{number + 1}. ")
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.index("이름을 IP로 바꾼다") < notes.index("그 IP로 요청한다")


def test_walkthrough_as_slides_gives_one_slide_per_step_with_distinct_pictures(
    mini: BuiltDeck,
) -> None:
    slides = list(mini.open().slides)[9:13]
    steps = [f"단계별 슬라이드 ({n}/3)" for n in (1, 2, 3)]
    assert [slide_title(s) for s in slides] == ["단계별 슬라이드", *steps]
    digests = []
    for slide in slides:
        (picture,) = [shape for shape in slide.shapes if shape._element.tag == PIC]
        digests.append(hashlib.sha256(picture.image.blob).hexdigest())
        assert not click_targets(slide)
    assert len(set(digests)) == 4


def test_quiz_marks_the_answer_and_explains_on_click(mini: BuiltDeck) -> None:
    slide = mini.open().slides[QUIZ]
    (click,) = click_targets(slide)
    shown = [shape_by_id(slide, shape_id) for shape_id, _ in click]
    assert [shape.text_frame.text for shape in shown] == ["✔ 정답", "해설  둘이 맞다."]
    choice = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == "2.  둘")
    assert shown[0].top == choice.top and shown[0].left > choice.left + choice.width
    assert "정답: 2. 둘" in slide.notes_slide.notes_text_frame.text


def _jump_target(prs: PresentationObject, slide: Slide, run_element: etree._Element) -> int:
    (link,) = xp(run_element, "./a:rPr/a:hlinkClick")
    assert link.get("action") == "ppaction://hlinksldjump"
    part = slide.part.related_part(link.get(f"{{{NS['r']}}}id"))
    return [s.part for s in prs.slides].index(part)


def test_agenda_entries_jump_to_their_sections(mini: BuiltDeck) -> None:
    prs = mini.open()
    agenda = prs.slides[1]
    linked = xp(agenda._element, ".//a:r[a:rPr/a:hlinkClick]")
    words: dict[int, list[str]] = {}
    for run in linked:  # each word of a title links on its own (LibreOffice wraps between them)
        words.setdefault(_jump_target(prs, agenda, run), []).append(run.findtext(f"{{{NS['a']}}}t"))
    assert {target: " ".join(found) for target, found in words.items()} == {
        2: "첫째 챕터", 6: "둘째 챕터"}
    assert "10분" in agenda.shapes[1].text_frame.text


def test_every_other_slide_links_back_to_the_agenda(mini: BuiltDeck) -> None:
    prs = mini.open()
    for index, slide in enumerate(prs.slides):
        links = xp(slide._element, ".//a:r[a:rPr/a:hlinkClick]")
        back = [run for run in links if run.findtext(f"{{{NS['a']}}}t") == "◀ 목차"]
        if index < 2:
            assert not back
        else:
            assert [_jump_target(prs, slide, run) for run in back] == [1], index


def test_section_slide_shows_objectives_and_planned_time(mini: BuiltDeck) -> None:
    section = mini.open().slides[2]
    texts = [shape.text_frame.text for shape in section.shapes if shape.has_text_frame]
    assert "챕터 1  ·  10분  ·  19:00–19:10" in texts
    assert any("학습 목표" in text and "이름 풀이를 설명한다" in text for text in texts)


def test_powerpoint_sections_hold_every_slide_once_in_order(mini: BuiltDeck) -> None:
    prs = mini.open()
    root = prs.part._element
    sections = xp(root, ".//p14:sectionLst/p14:section")
    assert [s.get("name") for s in sections] == ["작은 테스트 덱", "첫째 챕터", "둘째 챕터"]
    listed = [int(i) for i in xp(root, ".//p14:sectionLst//p14:sldId/@id")]
    in_deck = [int(i) for i in xp(root, "./p:sldIdLst/p:sldId/@id")]
    assert listed == in_deck
    counts = [len(xp(s, ".//p14:sldId")) for s in sections]
    assert counts == [2, 4, 8]


@pytest.mark.slow  # LibreOffice
def test_animations_and_links_survive_a_libreoffice_round_trip(
    mini: BuiltDeck, tmp_path: Path
) -> None:
    converted = soffice_convert(mini.deck, "pptx", tmp_path)
    prs = Presentation(str(converted))
    original = mini.open()
    for index in (BULLETS, WALKTHROUGH, QUIZ):
        before, after = click_targets(original.slides[index]), click_targets(prs.slides[index])
        assert [len(c) for c in after] == [len(c) for c in before], index
        paragraphs = [[p for _, p in click] for click in after]
        assert paragraphs == [[p for _, p in click] for click in before], index
    agenda = prs.slides[1]
    linked = xp(agenda._element, ".//a:r[a:rPr/a:hlinkClick]")
    assert sorted({_jump_target(prs, agenda, run) for run in linked}) == [2, 6]


def test_the_projects_own_notes_template_overrides_studydecks(sample: BuiltDeck) -> None:
    prs = sample.open()
    (slide,) = [s for s in prs.slides if slide_title(s) == "이름 해석의 여덟 단계"]
    notes = slide.notes_slide.notes_text_frame.text
    assert "클릭할 때마다 한 단계씩 나타납니다." in notes  # templates/notes/diagram.md.j2
    assert notes.index("클릭 1: ") < notes.index("클릭 8: ")
