"""Whether the slides studydeck makes itself fit: the title slide, the agenda, each section slide.

Their text comes from deck.yaml and the chapters' titles and objectives; a warning points there.
Nothing here stops a build: what is too long shrinks below its floor, to a hard minimum.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Sizes, objectives_fit, title_slide_fits
from studydeck.layout.fit import BODY_HARD_MIN, balanced_pages, frame_size
from studydeck.layout.text import Paragraph
from studydeck.layout.titles import (
    HERO_FLOOR,
    characters_that_fit,
    hero_lines,
    hero_title,
    objectives_area,
)
from studydeck.project.loading import Project
from studydeck.slides import Chapter
from studydeck.source.yaml_reader import SourceFile
from studydeck.words import Words


def generated_slide_problems(project: Project, chapters: list[Chapter], words: Words,
                             sizes: Sizes) -> Iterator[Problem]:
    """Give the warnings of the title, agenda and section slides."""
    yield from deck_slide_problems(project, words, sizes)
    sources = {item.chapter.id: item.source for item in project.chapters}
    for chapter in chapters:
        yield from section_slide_problems(chapter, sources.get(chapter.id), words, sizes,
                                          project.paths.deck_file)


def _at(source: SourceFile | None, key: str) -> tuple[int, int]:
    return source.position((key,)) if source else (1, 1)


def deck_slide_problems(project: Project, words: Words, sizes: Sizes,
                        agenda: list[tuple[int, int]] | None = None) -> Iterator[Problem]:
    """Give the warnings of the title slide and the agenda (its pages, if known: agenda_pages)."""
    deck_file = project.paths.deck_file
    yield from _hero_warnings(project.deck.title, "title", sizes, deck_file,
                              _at(project.deck_source, "title"), "the deck title")
    byline = " · ".join(part for part in (project.deck.author, project.deck.date or "") if part)
    if not title_slide_fits(project.deck.subtitle, byline):
        yield Problem(deck_file, *_at(project.deck_source, "subtitle"),
                      "the subtitle, author or date does not fit on the title slide; it runs "
                      "over its box", "shorten 'subtitle' (two lines) or 'author'", "warning")
    footer = project.deck.theme.footer
    if footer and frame_size([Paragraph(footer)], g.FOOTER, 12, 10) is None:
        yield Problem(deck_file, 1, 1, "the footer does not fit at the foot of the slide even "
                                       "at 10 pt", "shorten 'theme.footer' to one short line",
                      "warning")
    pages = agenda if agenda is not None else agenda_pages(project, words, sizes)
    yield from _agenda_warnings(project, pages, sizes, _at(project.deck_source, "chapters"))


def section_slide_problems(chapter: Chapter, source: SourceFile | None, words: Words,
                           sizes: Sizes, deck_file: Path) -> Iterator[Problem]:
    """Give the warnings of a chapter's section slide (its title, its objectives)."""
    path = source.path if source else deck_file
    yield from _hero_warnings(chapter.title, "section", sizes, path, _at(source, "title"),
                              "the chapter title")
    box = objectives_area(hero_title(chapter.title, "section", sizes.title).box)
    if chapter.objectives and not objectives_fit(words.objectives, chapter.objectives, box,
                                                 sizes):
        yield Problem(path, *_at(source, "objectives"),
                      f"the objectives do not fit on the section slide at {sizes.floor:g} "
                      f"pt; they are written smaller (down to {BODY_HARD_MIN} pt)",
                      "shorten them, or move some onto a bullets slide", "warning")


def _hero_warnings(text: str, kind: str, sizes: Sizes, path: Path, place: tuple[int, int],
                   what: str) -> Iterator[Problem]:
    """Give one warning when the title slide's or a section slide's title shrinks below the
    floor: what was done, and how long it may be."""
    fit = hero_title(text, kind, sizes.title)
    if not fit.below_floor:
        return
    done = (f"it does not fit even at {fit.size:g} pt and runs over its area" if fit.overflows
            else f"it is written at {fit.size:g} pt")
    room = characters_that_fit(text, fit.box, HERO_FLOOR)
    lines = hero_lines(fit.box)  # on a template's bar, one
    yield Problem(path, *place, f"{what} '{text}' is longer than {lines} "
                                f"line{'s' if lines > 1 else ''} at {HERO_FLOOR} pt; {done}",
                  f"at {HERO_FLOOR} pt it holds about {room} of its {len(text)} characters: "
                  f"shorten it to keep {HERO_FLOOR} pt", "warning")


def agenda_pages(project: Project, words: Words, sizes: Sizes) -> list[tuple[int, int]]:
    """Give the chapters each agenda slide lists (first, end): one slide when they fit at the
    body floor, else as few as fit, spread so that their text is as large as it can be."""
    listed = [item.chapter for item in project.chapters]  # a chapter's deck lists them all too
    entries = [[Paragraph(f"{c.title}   {c.minutes:g}{words.minutes}", bold=True,
                          indent=g.AGENDA_HANG, space_before=0.3)] for c in listed]

    def fits_at(size: float) -> Callable[[list[Paragraph]], bool]:
        return lambda page: frame_size(page, g.BODY, size, size) is not None

    if not entries or fits_at(sizes.floor)([p for entry in entries for p in entry]):
        return [(0, len(entries))]
    pages = balanced_pages(entries, sizes.body, sizes.floor, fits_at)
    ends = list(itertools.accumulate(len(page) for page in pages))
    return list(zip([0, *ends[:-1]], ends, strict=True))


def _agenda_warnings(project: Project, pages: list[tuple[int, int]], sizes: Sizes,
                     place: tuple[int, int]) -> Iterator[Problem]:
    if len(pages) > 1:
        more = len(pages) - 1
        yield Problem(project.paths.deck_file, *place,
                      f"the agenda of {len(project.chapters)} chapters does not fit on one slide "
                      f"at {sizes.floor:g} pt; it continues on {more} more "
                      f"slide{'s' if more > 1 else ''}",
                      "use fewer chapters or shorter chapter titles", "warning")
