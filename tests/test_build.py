"""A built deck read back: slide order, notes, fonts, geometry, chapter exports and the cache."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from conftest import (
    MINI,
    BuiltDeck,
    build,
    run_cli,
    slide_notes,
    slide_title,
    usage_error_text,
)
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.slide import Slide

MINI_TITLES = [
    "작은 테스트 덱", "목차",
    "첫째 챕터", "글머리표", "흐름", "퀴즈",
    "둘째 챕터", "비교", "둘로 나누기", "단계별 슬라이드",
    "단계별 슬라이드 (1/3)", "단계별 슬라이드 (2/3)", "단계별 슬라이드 (3/3)", "정리",
]
ALPHA_TITLES = ["첫째 챕터", "글머리표", "흐름", "퀴즈"]
BETA_TITLES = MINI_TITLES[6:]
SAMPLE_IDS = ["dns", "load-balancer", "database", "cache-cdn", "stateless", "geo-routing",
              "message-queue", "observability"]
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
ANSWER_MARK = "✔ 정답"


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def titles(deck: Path) -> list[str]:
    return [slide_title(slide) for slide in Presentation(str(deck)).slides]


def slide_by_title(built: BuiltDeck, title: str) -> Slide:
    found: list[Slide] = [s for s in built.open().slides if slide_title(s) == title]
    assert len(found) == 1, title
    return found[0]


def shape_text(shape: BaseShape) -> str:
    """Give the text a shape shows ('' for pictures, tables and empty shapes)."""
    return cast(Shape, shape).text_frame.text if shape.has_text_frame else ""


def box(shape: BaseShape) -> tuple[int, int, int, int]:
    """Give (left, top, right, bottom) in EMU."""
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def pictures(slide: Slide) -> list[BaseShape]:
    """Give the slide's pictures, a diagram drawn as shapes (`render: native`) counting as one."""
    return [s for s in slide.shapes
            if s.shape_type == MSO_SHAPE_TYPE.PICTURE or s.name.startswith("diagram: ")]


@pytest.fixture(params=["mini", "sample"])
def any_deck(request: pytest.FixtureRequest) -> BuiltDeck:
    built: BuiltDeck = request.getfixturevalue(request.param)
    return built


# --- the mini deck: order and notes ---------------------------------------------------------


def test_slides_come_in_deck_order_with_one_slide_per_walkthrough_step(mini: BuiltDeck) -> None:
    assert titles(mini.deck) == MINI_TITLES
    assert "wrote output/deck.pptx: 14 slides" in mini.result.stdout


def test_every_slide_has_speaker_notes(any_deck: BuiltDeck) -> None:
    empty = [n for n, s in enumerate(any_deck.open().slides, 1) if not slide_notes(s).strip()]
    assert empty == []


def test_quiz_notes_carry_the_answer(mini: BuiltDeck) -> None:
    notes = slide_notes(slide_by_title(mini, "퀴즈"))
    assert "정답: 2. 둘" in notes
    assert "둘이 맞다." in notes


def test_walkthrough_notes_list_the_step_captions(mini: BuiltDeck) -> None:
    captions = [step["caption"] for step in read_yaml(MINI / "diagrams" / "flow.yaml")["steps"]]
    for title in ("흐름", "단계별 슬라이드"):
        notes = slide_notes(slide_by_title(mini, title))
        assert [line for line in notes.splitlines() if line] == [
            f"{n}. {caption}" for n, caption in enumerate(captions, 1)
        ]
    for n, caption in enumerate(captions, 1):
        assert caption in slide_notes(slide_by_title(mini, f"단계별 슬라이드 ({n}/3)"))


def test_bullets_notes_are_the_chapters_own_words(mini: BuiltDeck) -> None:
    written = read_yaml(MINI / "chapters" / "alpha.yaml")["slides"][0]["notes"]
    assert slide_notes(slide_by_title(mini, "글머리표")) == written


def test_section_notes_list_the_objectives_one_per_line(mini: BuiltDeck) -> None:
    lines = slide_notes(slide_by_title(mini, "첫째 챕터")).splitlines()
    assert lines[0] == "첫째 챕터: 10분 동안 다룹니다."
    assert lines[1:] == ["이 챕터를 마치면 다음을 할 수 있어야 합니다.", "- 이름 풀이를 설명한다"]


# --- fonts and geometry, on both decks -------------------------------------------------------


def test_every_run_is_korean_with_east_asian_and_latin_typefaces(any_deck: BuiltDeck) -> None:
    runs = 0
    for number, slide in enumerate(any_deck.open().slides, 1):
        for run in slide._element.iter(qn("a:r")):
            runs += 1
            properties = run.find(qn("a:rPr"))
            where = f"slide {number}: {run.findtext(qn('a:t'))!r}"
            assert properties is not None, where
            assert properties.get("lang") == "ko-KR", where
            faces = tuple(face.get("typeface") if face is not None else None
                          for face in (properties.find(qn("a:latin")), properties.find(qn("a:ea"))))
            # body text in the deck's typeface; inline `code` and code slides in the code ones
            assert faces in (("Malgun Gothic", "Malgun Gothic"), ("Consolas", "D2Coding")), where
    assert runs > 50


def test_slides_are_16_9_and_every_shape_lies_on_the_slide(any_deck: BuiltDeck) -> None:
    prs = any_deck.open()
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            left, top, right, bottom = box(shape)
            assert left >= 0 and top >= 0, (number, shape.name)
            assert right <= 12_192_000 and bottom <= 6_858_000, (number, shape.name)


def test_no_picture_covers_text(any_deck: BuiltDeck) -> None:
    checked = 0
    for number, slide in enumerate(any_deck.open().slides, 1):
        texts = [s for s in slide.shapes if shape_text(s).strip()]
        for picture in pictures(slide):
            for text in texts:
                checked += 1
                assert not overlap(box(picture), box(text)), (number, text.name, shape_text(text))
    assert checked > 0


def test_the_back_link_is_on_every_slide_after_the_agenda(mini: BuiltDeck) -> None:
    for number, slide in enumerate(mini.open().slides, 1):
        links = [s for s in slide.shapes if s.name == "Back to agenda"]
        assert len(links) == (0 if number <= 2 else 1), number


def test_walkthrough_pictures_are_stacked(mini: BuiltDeck) -> None:
    stacked = pictures(slide_by_title(mini, "흐름"))
    assert len(stacked) == 4  # the diagram and one picture per step
    assert len({box(picture) for picture in stacked}) == 1


# --- single-chapter export -----------------------------------------------------------------


def test_one_chapter_is_exported_alone(mini_copy: Path) -> None:
    result = build(mini_copy, "--chapter", "beta")
    assert "wrote output/chapters/beta.pptx: 10 slides" in result.stdout
    exported = mini_copy / "output" / "chapters" / "beta.pptx"
    assert titles(exported) == ["작은 테스트 덱", "목차", *BETA_TITLES]
    prs = Presentation(str(exported))
    agenda, section = prs.slides[1], prs.slides[2]
    shown = agenda.shapes[1].text_frame.paragraphs
    assert ["".join(r.text for r in p.runs[2:-2]) for p in shown] == ["첫째 챕터", "둘째 챕터"]
    linked = {run.text for p in shown for run in p.runs
              if run._r.find(f"{qn('a:rPr')}/{qn('a:hlinkClick')}") is not None}
    assert linked == {"둘째", "챕터"}  # only the chapter in the file links
    fills = [etree.tostring(p.runs[2]._r.find(f"{qn('a:rPr')}/{qn('a:solidFill')}"))
             for p in shown]
    assert fills[0] != fills[1]  # the other, muted
    assert not (mini_copy / "output" / "deck.pptx").exists()
    whole = Presentation(str(build_whole(mini_copy)))
    label = next(s for s in section.shapes if s.has_text_frame and "챕터 2" in s.text_frame.text)
    assert label.text_frame.text in [s.text_frame.text for slide in whole.slides  # its time slot
                                     for s in slide.shapes if s.has_text_frame]


def build_whole(project: Path) -> Path:
    """Build the whole deck of `project`; give its path."""
    build(project)
    return project / "output" / "deck.pptx"


def test_repeated_chapter_option_writes_one_file_each(mini_copy: Path) -> None:
    result = build(mini_copy, "--chapter", "alpha", "--chapter", "beta")
    chapters = mini_copy / "output" / "chapters"
    assert sorted(p.name for p in chapters.iterdir()) == ["alpha.pptx", "beta.pptx"]
    assert titles(chapters / "alpha.pptx") == ["작은 테스트 덱", "목차", *ALPHA_TITLES]
    assert titles(chapters / "beta.pptx") == ["작은 테스트 덱", "목차", *BETA_TITLES]
    assert "wrote output/chapters/alpha.pptx: 6 slides" in result.stdout


def test_a_chapter_export_checks_what_it_shows_not_the_other_chapters_slides(
        mini_copy: Path) -> None:
    """A missing picture and an unknown code language in `alpha` stop a whole build, not an
    export of `beta`; the same in `beta` stops it. Characters no font has warn only where shown."""
    alpha = mini_copy / "chapters" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8") + (
        "  - type: image\n    title: 없는 그림\n    image: images/nowhere.png\n"
        "  - type: code\n    title: 코드\n    language: pythn\n    code: print(1)\n"
        "  - type: bullets\n    title: 이모지 🦜\n    bullets: [하나]\n"
        "  - type: diagram\n    title: 망가진 그림\n    diagram: broken\n"), encoding="utf-8")
    (mini_copy / "diagrams" / "broken.yaml").write_text(
        "nodes:\n  a: {icon: aws.compute.EC3, label: 하나}\n", encoding="utf-8")
    whole = run_cli("build", "--project", mini_copy)
    assert whole.exit_code == 1
    assert "image 'images/nowhere.png' does not exist" in whole.stderr
    assert "unknown language 'pythn'" in whole.stderr
    assert "🦜" in whole.stderr  # none of the fonts has it
    assert "broken.yaml:2:" in whole.stderr and "error: " in whole.stderr
    exported = build(mini_copy, "--chapter", "beta")
    assert "wrote output/chapters/beta.pptx: 10 slides" in exported.stdout
    assert "🦜" not in exported.stderr
    assert "no slide of the chapters built shows this diagram" in exported.stderr
    beta = mini_copy / "chapters" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8") + (
        "  - type: image\n    title: 없는 그림\n    image: images/gone.png\n"),
        encoding="utf-8")
    failed = run_cli("build", "--project", mini_copy, "--chapter", "beta")
    assert failed.exit_code == 1
    assert "image 'images/gone.png' does not exist" in failed.stderr
    assert "nowhere.png" not in failed.stderr


def test_an_unknown_chapter_id_is_a_usage_error_listing_the_ids(mini_copy: Path) -> None:
    result = run_cli("build", "--project", mini_copy, "--chapter", "bta")
    assert ("Invalid value for '--chapter': no chapter has the id 'bta'; did you mean 'beta'? "
            "(the chapter ids are: alpha, beta)") in usage_error_text(result)
    assert "deck.yaml" not in result.stderr
    assert not (mini_copy / "output").exists()


def test_export_of_an_unknown_chapter_is_a_usage_error(mini_copy: Path) -> None:
    result = run_cli("export", "pdf", "--project", mini_copy, "--chapter", "nope")
    assert ("Invalid value for '--chapter': no chapter has the id 'nope' "
            "(the chapter ids are: alpha, beta)") in usage_error_text(result)
    assert not (mini_copy / "output").exists()


# --- the sample deck -----------------------------------------------------------------------


def sections(built: BuiltDeck) -> list[tuple[str, list[Slide]]]:
    """Give the deck's sections (name, slides) as PowerPoint shows them."""
    prs = built.open()
    by_id = {slide.slide_id: slide for slide in prs.slides}
    found = prs.part._element.find(f".//{{{P14}}}sectionLst")
    assert found is not None
    return [
        (section.get("name"), [by_id[int(s.get("id"))] for s in section.iter(f"{{{P14}}}sldId")])
        for section in found.iter(f"{{{P14}}}section")
    ]


def sentences(text: str) -> int:
    """Count sentence ends: . ? ! after a letter, at the end or before a space."""
    return len(re.findall(r"(?<=[^\d\s])[.?!](?=\s|$)", text))


def test_sample_has_its_eight_chapters_in_order(sample: BuiltDeck) -> None:
    deck = read_yaml(sample.project / "deck.yaml")
    chapters = [read_yaml(sample.project / "chapters" / name) for name in deck["chapters"]]
    assert [chapter["id"] for chapter in chapters] == SAMPLE_IDS
    found = sections(sample)
    assert [name for name, _ in found] == [deck["title"]] + [c["title"] for c in chapters]
    for chapter, (_, slides) in zip(chapters, found[1:], strict=True):
        assert slide_title(slides[0]) == chapter["title"]
        assert any(pictures(slide) for slide in slides), chapter["id"]
        quizzes = [s for s in slides if any(shape_text(x) == ANSWER_MARK for x in s.shapes)]
        assert quizzes, chapter["id"]


def test_sample_content_notes_say_at_least_two_sentences(sample: BuiltDeck) -> None:
    content = [slide for _, slides in sections(sample)[1:] for slide in slides[1:]]
    assert len(content) >= 70
    short = [slide_title(slide) for slide in content if sentences(slide_notes(slide)) < 2]
    assert short == []


# --- the diagram cache ---------------------------------------------------------------------


def test_a_second_build_draws_no_diagram(mini_copy: Path) -> None:
    assert "1 diagram drawn" in build(mini_copy).stdout
    picture = mini_copy / "output" / "diagrams" / "flow.png"
    drawn_at = picture.stat().st_mtime_ns
    assert "0 diagrams drawn" in build(mini_copy).stdout
    assert picture.stat().st_mtime_ns == drawn_at


def test_diagrams_force_draws_again(mini_copy: Path) -> None:
    first = run_cli("diagrams", "--project", mini_copy)
    assert first.exit_code == 0, first.output
    assert "drawn output/diagrams/flow.png" in first.stdout
    again = run_cli("diagrams", "--project", mini_copy)
    assert "unchanged output/diagrams/flow.png" in again.stdout
    picture = mini_copy / "output" / "diagrams" / "flow.png"
    drawn_at = picture.stat().st_mtime_ns
    forced = run_cli("diagrams", "--project", mini_copy, "--force")
    assert forced.exit_code == 0, forced.output
    assert "drawn output/diagrams/flow.png" in forced.stdout
    assert picture.stat().st_mtime_ns > drawn_at


def test_diagrams_with_an_unknown_name_is_a_usage_error_listing_them(mini_copy: Path) -> None:
    result = run_cli("diagrams", "flw", "--project", mini_copy)
    assert ("Invalid value for 'NAMES': no diagram is named 'flw'; did you mean 'flow'? "
            "(the diagrams are: flow)") in usage_error_text(result)
    assert "diagrams/flw.yaml" not in result.stderr
    assert not (mini_copy / "output").exists()


def test_the_deck_is_written_with_ordinary_file_permissions(mini: BuiltDeck) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert mini.deck.stat().st_mode & 0o777 == 0o666 & ~umask
