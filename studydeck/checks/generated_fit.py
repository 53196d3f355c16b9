"""Whether the slides studydeck makes itself fit: the title slide, the agenda, each section slide.

Their text comes from deck.yaml and the chapters' titles and objectives; a problem points there.
"""

from __future__ import annotations

from collections.abc import Iterator

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Sizes, hero_fits, objectives_fit, title_slide_fits
from studydeck.layout.fit import frame_size
from studydeck.layout.text import Paragraph
from studydeck.project.loading import Project
from studydeck.slides import Chapter
from studydeck.source.yaml_reader import SourceFile
from studydeck.words import Words


def generated_slide_problems(project: Project, chapters: list[Chapter], words: Words,
                             sizes: Sizes) -> Iterator[Problem]:
    """Give the problems of the title, agenda and section slides."""
    deck_file = project.paths.deck_file
    if not hero_fits(project.deck.title, g.TITLE_SLIDE_TITLE, sizes):
        yield Problem(deck_file, 1, 1, f"the deck title does not fit even at "
                                       f"{sizes.hero[1]:g} pt", "shorten 'title'")
    byline = " · ".join(part for part in (project.deck.author, project.deck.date or "") if part)
    if not title_slide_fits(project.deck.subtitle, byline):
        yield Problem(deck_file, 1, 1, "the subtitle, author or date does not fit on the title "
                                       "slide", "shorten 'subtitle' (two lines) or 'author'")
    footer = project.deck.theme.footer
    if footer and frame_size([Paragraph(footer)], g.FOOTER, 12, 10) is None:
        yield Problem(deck_file, 1, 1, "the footer does not fit at the foot of the slide even "
                                       "at 10 pt", "shorten 'theme.footer' to one short line")
    listed = [item.chapter for item in project.chapters]  # a chapter's deck lists them all too
    agenda = [Paragraph(f"{c.title}   {c.minutes:g}{words.minutes}", bold=True,
                        indent=g.AGENDA_HANG, space_before=0.3) for c in listed]
    if frame_size(agenda, g.BODY, sizes.body, sizes.floor) is None:
        yield Problem(deck_file, 1, 1, f"the agenda of {len(listed)} chapters does not fit "
                                       f"even at {sizes.floor:g} pt",
                      "use fewer chapters or shorter chapter titles")
    sources = {item.chapter.id: item.source for item in project.chapters}
    for chapter in chapters:
        source = sources.get(chapter.id)
        path = source.path if source else deck_file

        def at(key: str, source: SourceFile | None = source) -> tuple[int, int]:
            return source.position((key,)) if source else (1, 1)

        if not hero_fits(chapter.title, g.SECTION_TITLE, sizes):
            yield Problem(path, *at("title"), f"chapter title '{chapter.title}' does not fit "
                                              f"even at {sizes.hero[1]:g} pt",
                          "shorten the chapter's title")
        if chapter.objectives and not objectives_fit(words.objectives, chapter.objectives,
                                                     sizes):
            yield Problem(path, *at("objectives"), "the objectives do not fit on the section "
                                                   f"slide even at {sizes.floor:g} pt",
                          "shorten them, or move some onto a bullets slide")
