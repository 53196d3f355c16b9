"""Long titles wrap instead of failing the build (issue 24): a content slide's title over three
lines at 28 pt and the body below it shrinks; a section's or the deck's over four at 32 pt; past
that they shrink to a hard minimum, with one warning. Checked on the written deck's shapes."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, build, copy_project, slide_title
from pptx import Presentation
from test_geometry import problems, runs_below_floor

from studydeck.layout import geometry as g
from studydeck.layout.titles import (
    FIXED_TITLE_FLOOR,
    HERO_FLOOR,
    TITLE_HARD_MIN,
    body_area,
    content_title,
    hero_title,
    needs_tall_title,
    objectives_area,
    tall_title_area,
)

ENGLISH_130 = ("Everything a backend developer should check before deploying a service to a "
               "production Kubernetes cluster for the very first time")
KOREAN_80 = ("처리율 제한 장치(Rate Limiter)를 어디에, 어떻게 둘 것인가 — "
             "클라이언트, 서버, 미들웨어 API 게이트웨이의 장단점 비교와 선택")


def test_a_title_that_needs_three_lines_gets_a_taller_area_and_the_body_shrinks() -> None:
    assert content_title("Short", 36, tall=False).size == 36
    assert content_title(ENGLISH_130, 36, tall=False).below_floor  # two lines are too few
    fit = content_title(ENGLISH_130, 36, tall=True)
    assert fit.size >= 28 and not fit.below_floor
    assert fit.box == tall_title_area() and fit.box.height > g.TITLE.height
    body = body_area(tall=True)
    assert body.top >= fit.box.bottom and body.bottom == g.BODY.bottom
    assert body_area(tall=False) == g.BODY


def test_past_three_lines_a_title_shrinks_to_the_hard_minimum_at_most() -> None:
    fit = content_title(" ".join(["words"] * 35), 36, tall=True)
    assert TITLE_HARD_MIN <= fit.size < 28 and fit.below_floor and not fit.overflows
    huge = content_title(" ".join(["words"] * 400), 36, tall=True)
    assert huge.size == TITLE_HARD_MIN and huge.overflows


def test_a_long_section_title_grows_down_and_moves_the_objectives() -> None:
    fit = hero_title(KOREAN_80, "section", 36)
    assert fit.size >= HERO_FLOOR and not fit.below_floor
    assert fit.box.top == g.SECTION_TITLE.top and fit.box.height > g.SECTION_TITLE.height
    assert objectives_area(fit.box).top > fit.box.bottom
    deck = hero_title(KOREAN_80 + " " + KOREAN_80[:40], "title", 36)
    assert deck.box.bottom == g.TITLE_SLIDE_TITLE.bottom and deck.box.top >= 0


# Sunset's title area: between two pairs of rules, one line at 23 pt, nowhere to grow
BETWEEN_RULES = g.PageAreas(title=g.Box(g.inches(3.4), g.inches(0.55), g.inches(4.76),
                                        g.inches(0.55)),
                            body=g.Box(g.inches(0.9), g.inches(1.6), g.inches(11.5),
                                       g.inches(5.3)),
                            title_grows=False, title_tops_body=True)


def test_a_title_too_long_for_its_place_between_rules_takes_the_top_of_the_body() -> None:
    with g.using_areas(BETWEEN_RULES):
        korean = "모든 요청은 이름에서 시작한다"  # the template's own size: no shrinking to tell
        assert not needs_tall_title([korean], 36)
        fit = content_title(korean, 36, tall=False)
        assert fit.box == g.TITLE and fit.size >= FIXED_TITLE_FLOOR and not fit.below_floor
        english = "A request from the browser to the database"  # was written at 13 pt there
        assert needs_tall_title([english], 36)
        fit = content_title(english, 36, tall=True)
        assert fit.size >= 28 and not fit.below_floor
        assert fit.box.top == g.BODY.top and fit.box.width == g.BODY.width
        body = body_area(tall=True)
        assert body.top >= fit.box.bottom and body.bottom == g.BODY.bottom
        assert body.height > g.BODY.height // 2


def test_a_title_on_a_band_stays_on_it_and_shrinks_there() -> None:
    on_band = g.PageAreas(**{**BETWEEN_RULES.__dict__, "title_tops_body": False})
    with g.using_areas(on_band):
        english = "A request from the browser to the database"
        assert not needs_tall_title([english], 36)
        fit = content_title(english, 36, tall=False)
        assert fit.box == g.TITLE and fit.size < FIXED_TITLE_FLOOR and fit.below_floor


def test_the_long_titles_deck_is_written_with_nothing_overlapping_or_spilling(
        tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "long-titles", tmp_path / "long")
    result = build(project)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(project / "output" / "deck.pptx"))
    assert list(problems(prs)) == []
    below = list(runs_below_floor(prs))
    # only the 238-character title, which the build warned of, is below its floor
    assert below and all("What the on-call" in line for line in below), below
    titles = [slide_title(slide) for slide in prs.slides]
    assert any(title.startswith("Everything a backend developer") for title in titles)
