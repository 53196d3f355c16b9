"""The sample deck is a 90-minute session: eight chapters, each complete, within the plan."""

from __future__ import annotations

import pytest
from conftest import REPO

from studydeck.outline import plan_outline, select_chapters
from studydeck.project.loading import Project, load_project
from studydeck.session_plan import parse_start, run_sheet
from studydeck.slides.bullets import BulletsSlide, RecapSlide
from studydeck.slides.code import CodeSlide
from studydeck.slides.diagram import DiagramSlide
from studydeck.slides.quiz import QuizSlide
from studydeck.source.folder import find_project

CHAPTERS = ["dns", "load-balancer", "database", "cache-cdn", "stateless", "geo-routing",
            "message-queue", "observability"]


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(find_project(REPO))


def test_the_eight_chapters_come_in_order(project: Project) -> None:
    assert project.chapter_ids() == CHAPTERS


@pytest.mark.parametrize("chapter_id", CHAPTERS)
def test_each_chapter_is_complete(project: Project, chapter_id: str) -> None:
    (chapter,) = [c.chapter for c in project.chapters if c.chapter.id == chapter_id]
    kinds = [type(slide) for slide in chapter.slides]
    assert 6 <= len(chapter.slides) <= 13  # twelve, and room for one code slide
    assert chapter.objectives
    assert DiagramSlide in kinds and QuizSlide in kinds and RecapSlide in kinds
    assert isinstance(chapter.slides[-1], QuizSlide | RecapSlide | BulletsSlide)


def test_walkthroughs_tell_the_four_flows_step_by_step(project: Project) -> None:
    walkthroughs = {
        slide.diagram: len(project.diagrams[slide.diagram].spec.steps)
        for item in project.chapters for slide in item.chapter.slides
        if isinstance(slide, DiagramSlide) and slide.walkthrough
    }
    assert walkthroughs["dns-resolution"] == 8
    assert {"rds-autoscale", "sqs-scaling", "geo-routing"} <= walkthroughs.keys()


def test_the_dns_walkthrough_numbers_every_hop_once_one_per_step(project: Project) -> None:
    spec = project.diagrams["dns-resolution"].spec
    numbers = [edge.label.split()[0] for edge in spec.edges]
    assert numbers == [chr(0x2460 + n) for n in range(len(spec.edges))]  # ① ② … in order
    assert [step.edges for step in spec.steps] == [[key] for key in spec.edge_keys()]
    assert ("r53", "resolver") in {(edge.source, edge.target) for edge in spec.edges}


def test_no_slide_has_more_than_seven_bullets(project: Project) -> None:
    for item in project.chapters:
        for slide in item.chapter.slides:
            if isinstance(slide, BulletsSlide | RecapSlide):
                assert len(slide.lines) <= 7, slide.title


def test_no_diagram_has_more_than_twelve_nodes(project: Project) -> None:
    for name, diagram in project.diagrams.items():
        assert len(diagram.spec.nodes) <= 12, name


def test_every_code_slide_fits_on_one_slide(project: Project) -> None:
    planned = [item for item in plan_outline(project, select_chapters(project, None)).slides
               if isinstance(item.slide, CodeSlide)]
    assert len(planned) >= 6
    assert [item.title for item in planned if item.continues] == []  # no "(계속)" slide


def test_the_plan_fits_ninety_minutes(project: Project) -> None:
    sheet = run_sheet(project, parse_start("19:00"))
    assert sheet.session_minutes == 90
    assert sheet.total_minutes <= 90 and not sheet.warnings
