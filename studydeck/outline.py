"""The deck's slides in order: generated slides, chapter slides, continuations and steps.

Whether a slide's text fits is decided here, before anything is rendered or written: a bullet
list or table too long for one slide continues on more slides, a long title takes three lines
(the body shrinks), and a frame that cannot fit at all is written at its floor and warned of
with the place in the YAML that holds its text: layout never stops a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studydeck.checks.generated_fit import (
    agenda_pages,
    deck_slide_problems,
    section_slide_problems,
)
from studydeck.errors import DeckError, Problem
from studydeck.layout import geometry, text
from studydeck.layout.check import Sizes, deck_sizes
from studydeck.layout.planned import PlannedSlide, Position
from studydeck.layout.runs import line_rules_id
from studydeck.layout.titles import (
    characters_that_fit,
    content_title,
    needs_tall_title,
    title_floor,
    title_lines,
)
from studydeck.project.loading import Project
from studydeck.schema.models import SlideBase
from studydeck.slides import Chapter
from studydeck.slides.code import at_one_size
from studydeck.slides.continuation import continued_title
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, slide_type_of
from studydeck.source import kept_outlines
from studydeck.source.fingerprint import digest
from studydeck.source.yaml_reader import parser_identity
from studydeck.words import Words, words_for

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
    agenda = agenda_pages(project, words, sizes)
    problems = list(deck_slide_problems(project, words, sizes, agenda))
    slides = [
        PlannedSlide(kind="title", title=deck.title),
        *(PlannedSlide(kind="agenda", title=continued_title(words.agenda, words) if index else "",
                       part=part) for index, part in enumerate(agenda)),
    ]

    shared = _shared_key(project, words, sizes) if kept_outlines.in_use() else None
    planning_problems: list[Problem] = []  # after every section slide's (as they were found)
    for chapter in chapters:
        slides.append(PlannedSlide(kind="section", title=chapter.title, chapter=chapter))
        planning = SlidePlanning(words, sizes, sources.get(chapter.id), 0, project.diagrams,
                                 project.paths.project_file)
        planned, section, found = _chapter_plan(planning, chapter, shared,
                                                project.paths.deck_file)
        slides.extend(planned)
        problems.extend(section)
        planning_problems.extend(found)
    return Outline(_number(at_one_size(slides)), [*problems, *planning_problems])


def _shared_key(project: Project, words: Words, sizes: Sizes) -> str:
    """Give what every chapter's plan depends on besides the chapter: studydeck's code and the
    parser's, how text is measured and broken, the deck's fonts, sizes, words and page areas,
    the project's folder and diagrams. (The deck's code size, agenda and numbers are settled
    after the chapters are planned, so an entry holds none of them.)"""
    return digest(parser_identity(), text.measurer_id(), line_rules_id(), text.faces_in_use(),
                  text.current_typefaces(), geometry.AREAS, words, sizes, project.paths.root,
                  project.diagrams)


ChapterPlan = tuple[list[PlannedSlide], list[Problem], list[Problem]]


def _chapter_plan(planning: SlidePlanning, chapter: Chapter, shared: str | None,
                  deck_file: Path) -> ChapterPlan:
    """Give the chapter's planned slides, its section slide's problems and its slides': kept
    from an earlier build when nothing they depend on changed since (`shared` and the chapter's
    file), else planned now."""
    source = planning.source
    key = digest(shared, chapter, source.path, source.text) if shared and source else None
    if key is not None:
        kept = _restored(kept_outlines.recall(key), chapter, planning)
        if kept is not None:
            return kept
    widths, lines = text.measured_count(), text.line_count_mark()
    section = list(section_slide_problems(chapter, source, planning.words, planning.sizes,
                                          deck_file))
    planned: list[PlannedSlide] = []
    problems: list[Problem] = []
    for index, slide in enumerate(chapter.slides):
        found = _plan_slide(replace(planning, index=index), slide, chapter)
        planned.extend(found[0])
        problems.extend(found[1])
    if key is not None:
        kept_outlines.keep(key, (_as_kept(planned, chapter), section, problems,
                                 text.measured_since(widths), text.line_counts_since(lines)))
    return planned, section, problems


def _as_kept(planned: list[PlannedSlide], chapter: Chapter) -> list[tuple[PlannedSlide,
                                                                            str | None, bool]]:
    """Give the planned slides without what the next build has at hand: the chapter, the
    diagram (by name) and the slide when it is the chapter's own (flagged)."""
    kept = []
    for item in planned:
        own = item.source_index is not None and item.slide is chapter.slides[item.source_index]
        kept.append((replace(item, chapter=None, diagram=None, slide=None if own else item.slide),
                     item.diagram.name if item.diagram else None, own))
    return kept


def _restored(entry: Any, chapter: Chapter, planning: SlidePlanning) -> ChapterPlan | None:
    """Give the planned slides and problems a kept entry holds, with this build's chapter and
    diagrams in them (counting the text measured for them as used); None if it holds none."""
    try:
        kept, section, problems, widths, lines = entry
        planned = [replace(item, chapter=chapter,
                           slide=chapter.slides[item.source_index] if own else item.slide,
                           diagram=planning.diagrams[diagram] if diagram else None)
                   for item, diagram, own in kept]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    text.count_as_used(widths)
    text.count_lines_as_used(lines)
    return planned, section, problems


def _plan_slide(planning: SlidePlanning, slide: SlideBase, chapter: Chapter) -> Planned:
    """Give a chapter slide's planned slides and problems: its body below a title of two lines,
    or of three when one of the titles its slides show (continuations, steps) needs them."""
    kind = slide_type_of(slide)
    slide, moved = kind.arrange(planning, slide)
    title = kind.shown_title(slide, planning.words)
    tall = needs_tall_title([title], planning.sizes.title)
    planned, found = _planned_at(replace(planning, tall_title=tall), kind, slide, chapter)
    if not tall and needs_tall_title(_titles(title, planned), planning.sizes.title):
        planned, found = _planned_at(replace(planning, tall_title=True), kind, slide, chapter)
    return planned, [*moved, *title_warnings(planning, _titles(title, planned)), *found]


def _planned_at(planning: SlidePlanning, kind: SlideType[SlideBase], slide: SlideBase,
                chapter: Chapter) -> Planned:
    title = kind.shown_title(slide, planning.words)
    found = list(kind.problems(planning, slide, title))
    first = PlannedSlide(kind=kind.name, title=slide.title, chapter=chapter, slide=slide,
                         tall_title=planning.tall_title, source_index=planning.index)
    planned, more = kind.plan(planning, first)
    return planned, [*found, *more]


def _titles(title: str, planned: list[PlannedSlide]) -> list[str]:
    """Give the titles a slide's pages show, each once (its own first)."""
    return list(dict.fromkeys([title, *(item.shown_title for item in planned if item.title)]))


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def title_warnings(planning: SlidePlanning, titles: list[str]) -> list[Problem]:
    """Give one warning when the slide's titles (its own, its continuations') shrink below the
    title floor, for the one that shrinks most: what was done, and how long it may be."""
    tall = needs_tall_title(titles, planning.sizes.title)
    fits = {text: content_title(text, planning.sizes.title, tall) for text in titles}
    text, fit = min(fits.items(), key=lambda item: item[1].size)
    if not fit.below_floor:
        return []
    floor = title_floor(tall)
    done = (f"it does not fit even at {fit.size:g} pt, the smallest a title is written at, and "
            "runs over its area" if fit.overflows else f"it is written at {fit.size:g} pt")
    room = characters_that_fit(text, fit.box, floor)
    return [planning.problem(("title",), f"slide {planning.index + 1}: the title '{text}' is "
                                         f"longer than {_lines(title_lines(tall))} at "
                                         f"{floor:g} pt; {done}",
                             f"at {floor:g} pt a title holds about {room} of its "
                             f"{len(text)} characters: shorten it to keep {floor:g} pt",
                             "warning")]


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
