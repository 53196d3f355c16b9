"""The deck's slides in order: generated slides, chapter slides, continuations and steps.

Whether a slide's text fits is decided here, before anything is rendered or written: a bullet
list or table too long for one slide continues on more slides, and a frame that cannot fit at
all is reported with the place in the YAML that holds its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from studydeck.checks.generated_fit import generated_slide_problems
from studydeck.errors import DeckError, Problem
from studydeck.layout.check import deck_sizes, title_fits
from studydeck.layout.fit import TITLE_FLOOR
from studydeck.layout.planned import PlannedSlide, Position
from studydeck.project.loading import Project
from studydeck.schema.models import SlideBase
from studydeck.slides import Chapter
from studydeck.slides.registry import SlidePlanning, SlideType, slide_type_of
from studydeck.words import words_for

__all__ = ["Outline", "PlannedSlide", "Position", "checked_outline", "plan_outline",
           "plan_slides", "select_chapters"]


@dataclass(frozen=True)
class Outline:
    """The planned slides, and what does not fit (errors) or continues (warnings)."""

    slides: list[PlannedSlide]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def select_chapters(project: Project, chapter_ids: list[str] | None) -> list[Chapter]:
    """Give the chapters to build: all, or those named, in deck order."""
    chapters = [item.chapter for item in project.chapters]
    if not chapter_ids:
        return chapters
    return [chapter for chapter in chapters if chapter.id in chapter_ids]


def plan_slides(project: Project, chapters: list[Chapter]) -> list[PlannedSlide]:
    """Give every slide of the deck in order, with positions filled in."""
    return plan_outline(project, chapters).slides


def plan_outline(project: Project, chapters: list[Chapter]) -> Outline:
    """Give every slide of the deck in order, and every problem of fit found on the way."""
    deck = project.deck
    words = words_for(deck.language)
    font = deck.theme.font
    sizes = deck_sizes(font.size, font.title_size, font.min_size)
    sources = {item.chapter.id: item.source for item in project.chapters}
    problems = list(generated_slide_problems(project, chapters, words, sizes))
    slides = [
        PlannedSlide(kind="title", title=deck.title),
        PlannedSlide(kind="agenda", title=""),
    ]

    def plan_chapter(chapter: Chapter) -> None:
        slides.append(PlannedSlide(kind="section", title=chapter.title, chapter=chapter))
        for index, slide in enumerate(chapter.slides):
            planning = SlidePlanning(words, sizes, sources.get(chapter.id), index,
                                     project.diagrams, project.paths.project_file)
            kind = slide_type_of(slide)
            slide, moved = kind.arrange(planning, slide)
            problems.extend(moved)
            problems.extend(_check_slide(planning, kind, slide))
            first = PlannedSlide(kind=kind.name, title=slide.title, chapter=chapter, slide=slide)
            planned, found = kind.plan(planning, first)
            slides.extend(planned)
            problems.extend(found)

    for chapter in chapters:
        plan_chapter(chapter)
    return Outline(_number(slides), problems)


def _check_slide(planning: SlidePlanning, kind: SlideType[SlideBase],
                 slide: SlideBase) -> Iterator[Problem]:
    """Give the problems of a slide's title, then of the rest, as its type checks them."""
    title = kind.shown_title(slide, planning.words)
    if not title_fits(title, planning.sizes):
        yield planning.problem(("title",), f"the title '{title}' does not fit even at "
                                           f"{TITLE_FLOOR} pt", "shorten the title")
    yield from kind.problems(planning, slide, title)


def _number(slides: list[PlannedSlide]) -> list[PlannedSlide]:
    chapter_totals: dict[str, int] = {}
    for slide in slides:
        if slide.chapter is not None:
            chapter_totals[slide.chapter.id] = chapter_totals.get(slide.chapter.id, 0) + 1
    numbered: list[PlannedSlide] = []
    seen: dict[str, int] = {}
    for number, slide in enumerate(slides, start=1):
        chapter_id = slide.chapter.id if slide.chapter else ""
        seen[chapter_id] = seen.get(chapter_id, 0) + 1
        position = Position(
            number=number,
            total=len(slides),
            in_chapter=seen[chapter_id] if slide.chapter else 0,
            chapter_total=chapter_totals.get(chapter_id, 0),
        )
        numbered.append(replace(slide, position=position))
    return numbered


def checked_outline(project: Project, chapters: list[Chapter]) -> tuple[list[PlannedSlide],
                                                                        list[Problem]]:
    """Give the planned slides and the warnings; raises DeckError when some text cannot fit."""
    outline = plan_outline(project, chapters)
    if outline.errors:
        raise DeckError(outline.problems)
    return outline.slides, outline.warnings
