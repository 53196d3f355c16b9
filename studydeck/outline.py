"""The deck's slides in order: generated slides, chapter slides and walkthrough steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from studydeck.model import AnySlide, Chapter, DiagramFile, DiagramSlide, ImageSlide, SlideBase
from studydeck.validate import Project

GENERATED_KINDS = ("title", "agenda", "section")


@dataclass(frozen=True)
class Position:
    """Where a slide stands: in the deck, and within its chapter (both counting from 1)."""

    number: int
    total: int
    in_chapter: int
    chapter_total: int


@dataclass(frozen=True)
class PlannedSlide:
    """One slide to write: its kind, what it shows, and where it stands."""

    kind: str
    title: str
    chapter: Chapter | None = None
    slide: SlideBase | None = None
    diagram: DiagramFile | None = None
    image: Path | None = None
    step: int | None = None
    position: Position = Position(0, 0, 0, 0)
    notes: str = ""

    @property
    def is_content(self) -> bool:
        """Tell whether this is a chapter's own slide (not title, agenda or section)."""
        return self.kind not in GENERATED_KINDS


def select_chapters(project: Project, chapter_ids: list[str] | None) -> list[Chapter]:
    """Give the chapters to build: all, or those named, in deck order."""
    chapters = [item.chapter for item in project.chapters]
    if not chapter_ids:
        return chapters
    return [chapter for chapter in chapters if chapter.id in chapter_ids]


def plan_slides(project: Project, chapters: list[Chapter]) -> list[PlannedSlide]:
    """Give every slide of the deck in order, with positions filled in."""
    slides = [
        PlannedSlide(kind="title", title=project.deck.title),
        PlannedSlide(kind="agenda", title=""),
    ]
    for chapter in chapters:
        slides.append(PlannedSlide(kind="section", title=chapter.title, chapter=chapter))
        for slide in chapter.slides:
            slides.extend(_chapter_slide(project, chapter, slide))
    return _number(slides)


def _chapter_slide(project: Project, chapter: Chapter, slide: AnySlide) -> list[PlannedSlide]:
    planned = PlannedSlide(kind=slide.type, title=slide.title, chapter=chapter, slide=slide)
    if isinstance(slide, ImageSlide):
        return [replace(planned, image=project.paths.project_file(slide.image))]
    if not isinstance(slide, DiagramSlide):
        return [planned]
    diagram = project.diagrams[slide.diagram]
    planned = replace(planned, diagram=diagram)
    if slide.walkthrough != "slides":
        return [planned]
    return [planned] + [replace(planned, step=index) for index in range(len(diagram.spec.steps))]


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
