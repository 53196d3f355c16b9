"""Timeline slides: steps on a line, one per click, continued when too many, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MINI, build, copy_project, run_cli, slide_notes, slide_title
from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from test_geometry import problems

from studydeck.layout import geometry as g
from studydeck.pptx.states import read_clicks

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FAILOVER = """\
  - type: timeline
    title: Multi-AZ 장애 조치
    reveal: {reveal}
    steps:
      - when: "0초"
        label: 기본 DB 장애
        detail: 인스턴스나 AZ가 멈춘다
      - label: RDS가 감지
        detail: 상태 확인이 실패한다
      - label: 대기 DB 승격
      - label: DNS 전환
        detail: 엔드포인트가 대기 DB를 가리킨다
      - when: "60~120초"
        label: 다시 연결
"""
LABELS = ["기본 DB 장애", "RDS가 감지", "대기 DB 승격", "DNS 전환", "다시 연결"]
HISTORY = """\
  - type: timeline
    title: A short history of the cloud
    steps:
      - {when: "2006", label: "Object storage and virtual servers rented by the hour"}
      - {when: "2008", label: "Block storage and Availability Zones for failover"}
      - {when: "2009", label: "Managed relational databases with automated backups"}
      - {when: "2010", label: "A DNS service named after its port number"}
      - {when: "2012", label: "Key-value tables that scale without capacity planning"}
      - {when: "2014", label: "Functions that run without servers, billed per request"}
      - {when: "2016", label: "Load balancers that route requests by path and host name"}
"""


def _add_chapter(project: Path, slides: str, *, language: str = "ko",
                 deck_reveal: bool = False) -> Path:
    path = project / "chapters" / "timeline.yaml"
    path.write_text(f"id: timeline\ntitle: Timeline\nminutes: 5\nslides:\n{slides}",
                    encoding="utf-8")
    deck = project / "deck.yaml"
    text = deck.read_text(encoding="utf-8").replace("language: ko", f"language: {language}")
    if deck_reveal:
        text = text.replace("chapters:\n", "reveal: true\nchapters:\n")
    deck.write_text(text + "  - timeline.yaml\n", encoding="utf-8")
    return path


def _slides(project: Path, title: str) -> list[Slide]:
    prs = Presentation(str(project / "output" / "deck.pptx"))
    return [s for s in prs.slides if slide_title(s).startswith(title)]


def _named(slide: Slide, prefix: str) -> list[BaseShape]:
    return [shape for shape in slide.shapes if shape.name.startswith(prefix)]


def _text(shape: BaseShape) -> str:
    return shape.text_frame.text if shape.has_text_frame else ""


def _size(shape: BaseShape) -> float:
    """Give the smallest text size in the shape, in points."""
    return min(int(r.get("sz")) / 100 for r in shape._element.iter(f"{A}rPr") if r.get("sz"))


def _step_texts(slide: Slide) -> list[BaseShape]:
    """Give the text boxes below the line: each step's label and detail."""
    line = _named(slide, "Timeline")[0]
    return [shape for shape in slide.shapes if shape.has_text_frame and shape.top > line.top
            and shape.width < g.BODY.width and not shape.name.startswith("Step ")
            and shape.top < g.BODY.bottom]


def test_the_steps_stand_on_a_line_numbered_with_their_times_and_texts(mini_copy: Path) -> None:
    _add_chapter(mini_copy, FAILOVER.format(reveal="false"))
    build(mini_copy)
    (slide,) = _slides(mini_copy, "Multi-AZ")
    line = _named(slide, "Timeline")  # in pieces between the steps' marks
    badges = _named(slide, "Step ")
    assert [_text(badge) for badge in badges] == ["1", "2", "3", "4", "5"]
    assert [badge.left for badge in badges] == sorted(badge.left for badge in badges)
    assert [piece.left + piece.width for piece in line[:-1]] == [b.left for b in badges]
    assert [piece.left for piece in line[1:]] == [b.left + b.width for b in badges]
    assert (line[0].left, line[-1].left + line[-1].width) == (g.BODY.left, g.BODY.right)
    for badge in badges:
        assert abs(badge.top + badge.height // 2 - (line[0].top + line[0].height // 2)) <= 1
    texts = [_text(shape) for shape in slide.shapes]
    assert "0초" in texts and "60~120초" in texts
    assert "기본 DB 장애\n인스턴스나 AZ가 멈춘다" in texts
    assert all(any(t.startswith(label) for t in texts) for label in LABELS)
    assert list(problems(Presentation(str(mini_copy / "output" / "deck.pptx")))) == []
    labels = _step_texts(slide)
    assert [_text(shape).split("\n")[0] for shape in labels] == LABELS
    assert {_size(shape) for shape in labels} == {24}  # one size for every step, the body's
    assert {_size(shape) for shape in slide.shapes if _text(shape) in ("0초", "60~120초")} == {20}


def test_each_click_shows_one_step_its_mark_and_texts_together(mini_copy: Path) -> None:
    _add_chapter(mini_copy, FAILOVER.format(reveal="true"))
    build(mini_copy)
    (slide,) = _slides(mini_copy, "Multi-AZ")
    clicks = read_clicks(slide)
    assert clicks.count == 5  # one group of appearing shapes per step
    ids = {shape.shape_id: shape for shape in slide.shapes}
    for number, group in enumerate(clicks.groups, start=1):
        shown = [ids[target.shape_id] for target in group.appear]
        assert not group.disappear
        assert [s.name for s in shown if s.name.startswith("Step ")] == [f"Step {number}"]
        assert any(_text(s).startswith(LABELS[number - 1]) for s in shown)
    assert {t.shape_id for t in clicks.hidden_after(0)} >= {b.shape_id
                                                             for b in _named(slide, "Step ")}
    assert clicks.hidden_after(5) == frozenset()


def test_without_reveal_the_steps_show_at_once_unless_the_deck_reveals(tmp_path: Path) -> None:
    for deck_reveal, clicks in ((False, 0), (True, 5)):
        project = copy_project(MINI, tmp_path / f"reveal-{deck_reveal}")
        _add_chapter(project, FAILOVER.format(reveal="null"), deck_reveal=deck_reveal)
        build(project)
        (slide,) = _slides(project, "Multi-AZ")
        assert read_clicks(slide).count == clicks


def test_more_than_seven_steps_continue_on_a_second_slide(mini_copy: Path) -> None:
    steps = "".join(f"      - label: 단계 {n}\n" for n in range(1, 10))
    _add_chapter(mini_copy, f"  - type: timeline\n    title: 아홉 단계\n    steps:\n{steps}")
    result = build(mini_copy)
    assert "continues on 1 more slide" in result.output
    first, second = _slides(mini_copy, "아홉 단계")
    assert slide_title(second) == "아홉 단계 (계속)"
    assert [_text(b) for b in _named(first, "Step ")] == ["1", "2", "3", "4", "5"]
    assert [_text(b) for b in _named(second, "Step ")] == ["6", "7", "8", "9"]
    assert "단계 9" in [_text(shape) for shape in second.shapes]
    assert slide_notes(second).startswith("앞 슬라이드 '아홉 단계'에서 이어집니다.")
    assert "- 6단계: 단계 6" in slide_notes(second)


def test_the_notes_go_through_each_step_in_korean(mini_copy: Path) -> None:
    _add_chapter(mini_copy, FAILOVER.format(reveal="true"))
    build(mini_copy)
    (slide,) = _slides(mini_copy, "Multi-AZ")
    notes = slide_notes(slide)
    assert notes.splitlines()[:3] == [
        "Multi-AZ 장애 조치.", "(클릭할 때마다 다음 단계가 나타납니다)",
        "- 1단계 (0초): 기본 DB 장애 — 인스턴스나 AZ가 멈춘다"]
    assert "- 5단계 (60~120초): 다시 연결" in notes
    assert "- 3단계: 대기 DB 승격" in notes


def test_seven_long_english_labels_shrink_wrap_and_keep_every_step(mini_copy: Path) -> None:
    _add_chapter(mini_copy, HISTORY, language="en")
    build(mini_copy)
    assert list(problems(Presentation(str(mini_copy / "output" / "deck.pptx")))) == []
    slides = _slides(mini_copy, "A short history of the cloud")
    numbers = [_text(b) for slide in slides for b in _named(slide, "Step ")]
    assert numbers == [str(n) for n in range(1, 8)]
    texts = " ".join(_text(shape) for slide in slides for shape in slide.shapes)
    for year in range(2006, 2017, 2):
        assert str(year) in texts
    assert "Load balancers that route requests by path and host name" in texts
    labels = [shape for slide in slides for shape in _step_texts(slide)]
    assert len(labels) == 7
    assert min(_size(shape) for shape in labels) >= 20  # the deck's smallest body size
    assert len({_size(shape) for shape in _step_texts(slides[0])}) == 1
    notes = slide_notes(slides[0])
    assert notes.splitlines()[0] == "A short history of the cloud."
    assert "- Step 1 (2006): Object storage and virtual servers rented by the hour" in notes
    assert "click" not in notes  # shown at once


def test_one_step_is_not_a_timeline(mini_copy: Path) -> None:
    path = _add_chapter(mini_copy, "  - type: timeline\n    title: Alone\n    steps:\n"
                                   "      - label: only one\n")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 1
    assert f"{path.relative_to(mini_copy)}:8:7: error: slide 1 ('Alone'): a timeline needs " \
           "at least 2 steps" in result.output


def test_a_step_that_cannot_fit_is_a_warning_at_its_yaml_line(mini_copy: Path) -> None:
    word = " ".join(["a label that says far too much for one step of a timeline"] * 8)
    path = _add_chapter(mini_copy, "  - type: timeline\n    title: Too long\n    steps:\n"
                                   "      - label: short\n"
                                   f"      - label: {word}\n"
                                   "      - when: fine\n        label: third\n")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0  # written at the floor, with the warning
    assert re.search(rf"{re.escape(str(path.relative_to(mini_copy)))}:9:\d+: warning: slide 1 "
                     r"\('Too long'\): the label and detail of step 2 cannot fit, even at 20 pt",
                     result.output), result.output
