"""Measured text: where lines break, what fits, and how bullets, tables and quizzes are split."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from studydeck.layout import fonts
from studydeck.layout import geometry as g
from studydeck.layout.fit import (
    BODY_FLOOR,
    bullet_measures,
    column_shares,
    frame_size,
    quiz_layout,
    split_bullets,
    split_table,
    table_layout,
)
from studydeck.layout.fonts import Typefaces
from studydeck.layout.text import Paragraph, measuring_with, text_width_em, wrap
from studydeck.schema.models import flatten_bullets
from studydeck.slides.table import TableSlide

KO = "한국어 문장은 띄어쓰기 단위로 줄이 바뀌고 음절 단위로는 바뀌지 않는다 " * 3


def test_korean_wraps_between_words_not_syllables() -> None:
    words = KO.split()
    for width in (6.0, 9.5, 13.0, 21.0):
        lines = wrap(KO.strip(), width)
        assert len(lines) > 1
        assert [word for line in lines for word in line.split()] == words
        assert all(text_width_em(line) <= width for line in lines)


def test_a_word_wider_than_the_line_breaks_between_characters() -> None:
    word = "로드밸런서와오토스케일링그룹과데이터베이스"
    lines = wrap(f"짧다 {word}", 6.0)
    assert lines[0] == "짧다"  # the long word starts on a line of its own
    assert "".join(lines[1:]) == word
    assert all(text_width_em(line) <= 6.0 for line in lines)


def test_hyphens_break_anywhere_slashes_only_in_the_first_word() -> None:
    assert wrap("see load-balancer-target-group", 7.0) == ["see load-", "balancer-",
                                                           "target-group"]
    first = wrap("https://a.com/elastic/latest/application", 9.0)
    assert all(line.endswith("/") for line in first[:-1])
    later = wrap("see https://a.com/elastic/latest/application", 9.0)
    assert later[0] == "see" and not later[1].endswith("/")


def test_asian_and_latin_text_side_by_side_take_extra_room() -> None:
    apart = text_width_em("가") + text_width_em("A")
    assert text_width_em("가A") > apart + 0.2
    assert text_width_em("가가") == 2 * text_width_em("가")


def test_frame_size_is_the_largest_size_that_fits() -> None:
    paragraphs = [Paragraph(KO)]
    box = g.Box(0, 0, g.inches(6), g.inches(2))
    size = frame_size(paragraphs, box, 40, 10)
    assert size is not None and 10 <= size < 40
    assert frame_size(paragraphs, box, size + 1, size + 1) is None
    assert frame_size(paragraphs, box, 40, size + 1) is None


def _bullets(count: int, subs: int = 2) -> list[Any]:
    return [{f"{n}번째 요점: 로드 밸런서와 오토 스케일링 그룹이 트래픽을 나누어 받는다":
             [f"하위 {n}.{k}: 헬스 체크 주기와 임곗값" for k in range(subs)]}
            for n in range(1, count + 1)]


def test_bullets_that_fit_stay_on_one_slide() -> None:
    assert split_bullets(_bullets(3), g.BODY, 24, BODY_FLOOR) == [_bullets(3)]


def test_bullets_split_between_top_level_items_into_few_balanced_slides() -> None:
    pages = split_bullets(_bullets(12), g.BODY, 24, BODY_FLOOR)
    assert pages is not None and len(pages) == 3
    assert [item for page in pages for item in page] == _bullets(12)
    sizes = [frame_size(bullet_measures(flatten_bullets(page)), g.BODY, 24, BODY_FLOOR)
             for page in pages]
    assert all(size is not None for size in sizes)


def test_a_bullet_too_long_for_any_slide_cannot_be_split() -> None:
    assert split_bullets(["짧다", "아주 긴 문장 " * 600], g.BODY, 24, BODY_FLOOR) is None


def test_one_bullet_with_too_many_sub_bullets_breaks_between_its_lines() -> None:
    item = _bullets(1, subs=30)
    pages = split_bullets(item, g.BODY, 24, BODY_FLOOR)
    assert pages is not None and len(pages) >= 2
    lines = [line for page in pages for line in flatten_bullets(page)]
    assert lines == flatten_bullets(item)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 3)), min_size=1, max_size=16))
def test_split_bullets_keeps_every_line_in_order_and_each_slide_fits(
    shape: list[tuple[int, int]],
) -> None:
    bullets: list[Any] = []
    for length, subs in shape:
        head = " ".join(["트래픽"] * length)
        bullets.append({head: ["하위 항목"] * subs} if subs else head)
    pages = split_bullets(bullets, g.BODY, 24, BODY_FLOOR)
    assert pages is not None
    assert [line for page in pages for line in flatten_bullets(page)] == flatten_bullets(bullets)
    for page in pages:
        assert frame_size(bullet_measures(flatten_bullets(page)), g.BODY, BODY_FLOOR,
                          BODY_FLOOR) is not None


def test_long_tables_split_by_rows_and_a_row_too_tall_is_refused() -> None:
    rows = [[f"{n}행: 캐시 무효화 전략과 TTL 설정이 일관성에 미치는 영향"] * 3 for n in range(20)]
    pages = split_table(["가", "나", "다"], rows, g.BODY, 22, BODY_FLOOR)
    assert pages is not None and len(pages) >= 2
    assert [row for page in pages for row in page] == rows
    assert split_table(["가"], [["긴 칸 " * 900]], g.BODY, 22, BODY_FLOOR) is None


def test_a_quiz_stacks_its_boxes_inside_the_body_without_overlap() -> None:
    question = Paragraph("문제: " + "긴 질문 " * 20, bold=True)
    choices = [Paragraph(f"{n}.  " + "긴 보기 " * 8) for n in range(1, 5)]
    layout = quiz_layout(question, choices, Paragraph("해설  짧다", bold=True), g.BODY, 24,
                         BODY_FLOOR)
    assert layout is not None and layout.explain is not None
    boxes = [layout.question, *layout.choices, layout.explain]
    assert all(box.inside(g.BODY) for box in boxes)
    assert all(a.bottom <= b.top for a, b in zip(boxes, boxes[1:], strict=False))
    assert quiz_layout(Paragraph("긴 질문 " * 500), choices, None, g.BODY, 24, BODY_FLOOR) is None


def test_table_columns_are_as_wide_as_their_content_needs() -> None:
    long = "자주 찾는 키에 대해 데이터베이스가 마지막으로 준 답을 TTL 동안 돌려준다 " * 2
    rows = [["캐시", long, "수 초"],
            ["복제본", "기본 인스턴스가 커밋한 모든 것을 조금 늦게", "1초 미만"]]
    shares = column_shares(["저장소", "알고 있는 것", "지연"], rows, g.BODY, 22)
    assert shares[1] > 2 * shares[0] and shares[1] > 2 * shares[2]
    layout = table_layout(["저장소", "알고 있는 것", "지연"], rows, g.BODY, 22, BODY_FLOOR, shares)
    assert layout is not None and sum(layout.column_widths) == g.BODY.width
    inner = layout.column_widths[0] - 2 * g.CELL_INSET_X
    assert len(wrap("복제본", inner / (layout.size * g.EMU_PER_POINT))) == 1  # no word broken


def test_table_widths_written_by_the_author_are_kept() -> None:
    layout = table_layout(["a", "b"], [["x", "y"]], g.BODY, 22, BODY_FLOOR, [1, 3])
    assert layout is not None
    inner = [width - 2 * g.CELL_INSET_X for width in layout.column_widths]
    assert inner[1] == pytest.approx(3 * inner[0], abs=2)
    with pytest.raises(ValidationError, match="2 widths for 3 columns"):
        TableSlide(type="table", title="t", columns=["a", "b", "c"], rows=[["1", "2", "3"]],
                   widths=[1, 2])


def test_a_run_is_measured_with_the_widest_face_a_viewer_may_draw_it_with() -> None:
    text = "Health checks, connection draining and cross-zone load balancing"

    def width(typefaces: Typefaces, bold: bool = False) -> float:
        with measuring_with(typefaces):
            return text_width_em(text, bold)

    noto = width(Typefaces("Noto Sans CJK KR", "Noto Sans CJK KR", substitutes=False))
    dejavu = width(Typefaces("DejaVu Sans", "Noto Sans CJK KR", substitutes=False))
    assert dejavu > noto * 1.03  # DejaVu Sans sets Latin text wider than Noto Sans CJK KR
    assert width(Typefaces()) == pytest.approx(dejavu)  # Malgun Gothic: Noto here, DejaVu there
    assert width(Typefaces(latin="Calibri")) == pytest.approx(dejavu)  # Carlito is narrower
    assert width(Typefaces(), bold=True) > width(Typefaces())
    calibri = fonts.find_face("Calibri")
    assert calibri is not None and calibri.family == "Carlito"  # its metric-compatible stand-in


def test_korean_text_is_measured_with_the_east_asian_face() -> None:
    with measuring_with(Typefaces(latin="DejaVu Sans", substitutes=False)):
        korean = text_width_em("로드 밸런서")
    assert korean == pytest.approx(text_width_em("로드 밸런서"), rel=0.01)  # not DejaVu's boxes


def test_bullets_of_a_size_split_evenly_no_last_slide_holds_one_left_over() -> None:
    """Filled in order, a continued slide's last page had held the one bullet left over (12
    bullets on 11 + 1): the pages hold as many as each other, within one."""
    for count in range(2, 40):
        pages = split_bullets(_bullets(count), g.BODY, 24, BODY_FLOOR)
        assert pages is not None
        held = [len(page) for page in pages]
        assert max(held) - min(held) <= 1, (count, held)
