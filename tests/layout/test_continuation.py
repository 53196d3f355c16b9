"""A slide too full for its box continues on more slides; what cannot continue is an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from conftest import build, run_cli, slide_notes, slide_title
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from test_interactive import NS, _jump_target, click_targets, xp

HEADS = [f"{n}번째 요점: 로드 밸런서와 오토 스케일링 그룹이 트래픽 급증을 나누어 받는다"
         for n in range(1, 13)]
SUBS = ["헬스 체크 주기와 임곗값을 함께 조정한다", "연결 드레이닝 시간을 정한다"]
LONG_ROW = ["캐시 무효화 전략과 TTL 설정이 일관성에 미치는 영향을 길게 적은 칸"] * 3


def twelve_bullets() -> list[Any]:
    """Twelve top-level bullets, every other one with two sub-bullets."""
    bullets: list[Any] = []
    for number, head in enumerate(HEADS, start=1):
        bullets.append({head: SUBS} if number % 2 == 0 else head)
    return bullets


def add_chapter(project: Path, slides: list[dict[str, Any]], language: str = "ko") -> Path:
    """Add chapters/gamma.yaml holding `slides` to the project; give the file."""
    chapter = {"id": "gamma", "title": "셋째 챕터", "minutes": 5, "slides": slides}
    path = project / "chapters" / "gamma.yaml"
    path.write_text(yaml.safe_dump(chapter, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    deck = project / "deck.yaml"
    text = deck.read_text(encoding="utf-8").replace("  - chapters/beta.yaml",
                                                    "  - chapters/beta.yaml\n  - gamma.yaml")
    deck.write_text(text.replace("language: ko", f"language: {language}"), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def titled(prs: PresentationObject, prefix: str) -> list[int]:
    return [index for index, slide in enumerate(prs.slides)
            if slide_title(slide).startswith(prefix)]


def bullet_texts(prs: PresentationObject, index: int) -> list[str]:
    body = prs.slides[index].shapes[1]
    return [paragraph.text for paragraph in body.text_frame.paragraphs]


def test_twelve_bullets_continue_on_a_slide_titled_continued(mini_copy: Path) -> None:
    path = add_chapter(mini_copy, [{"type": "bullets", "title": "긴 목록", "reveal": True,
                                    "bullets": twelve_bullets(), "notes": "직접 쓴 노트"}])
    result = build(mini_copy)
    line = line_of(path, "- type: bullets")
    assert (f"chapters/gamma.yaml:{line}:3: warning: slide '긴 목록' does not fit; it continues "
            "on 1 more slide") in result.stderr
    assert "hint: the continuation is titled '긴 목록 (계속)'" in result.stderr
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    first, second = titled(prs, "긴 목록")
    assert second == first + 1
    assert slide_title(prs.slides[second]) == "긴 목록 (계속)"
    shown = bullet_texts(prs, first) + bullet_texts(prs, second)
    expected = [line for n, head in enumerate(HEADS, 1) for line in [head, *SUBS * (n % 2 == 0)]]
    assert shown == expected  # nothing lost, nothing repeated, in order
    assert bullet_texts(prs, second)[0] in HEADS  # the break falls between top-level bullets
    assert prs.slides[second].shapes[1].text_frame.paragraphs[0].level == 0


def test_a_continuation_slide_reveals_links_and_explains_itself(mini_copy: Path) -> None:
    add_chapter(mini_copy, [{"type": "bullets", "title": "긴 목록", "reveal": True,
                             "bullets": twelve_bullets(), "notes": "직접 쓴 노트"}])
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    first, second = titled(prs, "긴 목록")
    for index in (first, second):
        slide = prs.slides[index]
        heads = [p for p in slide.shapes[1].text_frame.paragraphs if p.level == 0]
        assert len(click_targets(slide)) == len(heads)  # one click per top-level bullet
        back = [run for run in xp(slide._element, ".//a:r[a:rPr/a:hlinkClick]")
                if run.findtext(f"{{{NS['a']}}}t") == "◀ 목차"]
        assert [_jump_target(prs, slide, run) for run in back] == [1]
    assert slide_notes(prs.slides[first]) == "직접 쓴 노트"
    notes = slide_notes(prs.slides[second])
    assert notes.startswith("앞 슬라이드 '긴 목록'에서 이어집니다.")
    assert bullet_texts(prs, second)[0] in notes and "직접 쓴 노트" not in notes
    sections = xp(prs.part._element, ".//p14:sectionLst/p14:section")
    assert [s.get("name") for s in sections][-1] == "셋째 챕터"
    assert len(xp(sections[-1], ".//p14:sldId")) == 3  # section, the slide, its continuation
    agenda = prs.slides[1]
    linked = xp(agenda._element, ".//a:r[a:rPr/a:hlinkClick]")
    targets = {run.findtext(f"{{{NS['a']}}}t"): _jump_target(prs, agenda, run) for run in linked}
    assert targets["셋째"] == targets["챕터"] == first - 1  # each word links on its own


def test_an_english_deck_continues_with_cont(mini_copy: Path) -> None:
    add_chapter(mini_copy, [{"type": "recap", "title": "Summary",
                             "bullets": [f"Point {n}: the load balancer spreads the requests "
                                         "over every healthy server in the group"
                                         for n in range(1, 19)]}], language="en")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "warning: slide 'Summary' does not fit; it continues on 2 more slides" in result.stderr
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    assert [slide_title(prs.slides[i]) for i in titled(prs, "Summary")] == [
        "Summary", "Summary (cont.)", "Summary (cont.)"]


def test_a_long_table_continues_with_its_header_on_every_slide(mini_copy: Path) -> None:
    rows = [[f"{n}행: {cell}" for cell in LONG_ROW] for n in range(1, 15)]
    add_chapter(mini_copy, [{"type": "table", "title": "긴 표", "columns": ["가", "나", "다"],
                             "rows": rows}])
    result = build(mini_copy)
    assert "warning: slide '긴 표' does not fit; it continues on" in result.stderr
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    pages = titled(prs, "긴 표")
    assert len(pages) >= 2
    assert [slide_title(prs.slides[i]) for i in pages[1:]] == ["긴 표 (계속)"] * (len(pages) - 1)
    shown: list[str] = []
    for index in pages:
        table = next(s for s in prs.slides[index].shapes if s.has_table).table
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells[0] == ["가", "나", "다"]
        shown += [row[0] for row in cells[1:]]
    assert shown == [row[0] for row in rows]


def test_text_that_cannot_fit_or_continue_is_a_warning_with_its_place(mini_copy: Path) -> None:
    huge = "아주 긴 한 문장 " * 200
    path = add_chapter(mini_copy, [
        {"type": "bullets", "title": "한 덩어리", "bullets": ["짧다", huge]},
        {"type": "diagram", "title": "그림", "diagram": "flow", "caption": huge[:300]},
        {"type": "bullets", "title": "제목 " * 80, "bullets": ["짧다"]},
        {"type": "quiz", "question": huge[:1500], "choices": ["하나", "둘"], "answer": 1},
    ])
    for command in ("validate", "build"):
        result = run_cli(command, "--project", mini_copy)
        assert result.exit_code == 0, result.output  # layout never fails a build
        err = result.stderr
        bullets = line_of(path, "- type: bullets")
        assert (f"chapters/gamma.yaml:{bullets}:3: warning: slide '한 덩어리': a bullet does not "
                "fit on a slide even at 20 pt; it is written at that size") in err
        caption = line_of(path, "caption:")
        assert (f"chapters/gamma.yaml:{caption}:12: warning: slide 2 ('그림'): the caption "
                "cannot fit, even at 14 pt") in err
        assert "hint: shorten the caption to one line" in err
        assert "slide 3: the title '제목 제목" in err
        assert "is longer than 3 lines at 28 pt; it is written at 20 pt" in err
        # a quiz cannot continue: closer together, then down to 16 pt, before it runs over
        assert "the question, choices and explanation cannot fit, even at 16 pt" in err
        assert ": error: " not in err and "Traceback" not in result.output
    assert (mini_copy / "output" / "deck.pptx").exists()


def test_a_subtitle_too_long_for_the_title_slide_is_a_warning(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    text = deck.read_text(encoding="utf-8").replace("subtitle: 테스트용",
                                                    "subtitle: " + "아주 긴 부제목 " * 60)
    deck.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0
    assert "deck.yaml:3:11: warning: the subtitle, author or date does not fit" in result.stderr
    strict = run_cli("validate", "--strict", "--project", mini_copy)
    assert strict.exit_code == 1 and "--strict" in strict.stderr


def test_the_theme_may_raise_the_body_floor_but_not_lower_it_below_sixteen(
        mini_copy: Path) -> None:
    add_chapter(mini_copy, [{"type": "bullets", "title": "많은 요점",
                             "bullets": [f"{n}번째 요점: 로드 밸런서가 요청을 서버에 나눈다"
                                         for n in range(1, 13)]}])
    deck = mini_copy / "deck.yaml"
    written = deck.read_text(encoding="utf-8")
    deck.write_text(written + "theme:\n  font:\n    min_size: 12\n", encoding="utf-8")
    refused = run_cli("validate", "--project", mini_copy)
    assert refused.exit_code == 1 and "min_size" in refused.stderr
    deck.write_text(written + "theme:\n  font:\n    min_size: 24\n", encoding="utf-8")
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    pages = titled(prs, "많은 요점")
    sizes = {run.font.size.pt for index in pages for shape in prs.slides[index].shapes
             if shape.has_text_frame and shape != prs.slides[index].shapes.title
             and shape.name != "Back to agenda"
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert len(pages) >= 2 and sizes == {24.0}
