"""A slide whose text needs more room continues on more slides, titled "… (cont.)"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from studydeck.errors import Problem
from studydeck.layout.planned import PlannedSlide
from studydeck.schema.models import SlideBase
from studydeck.slides.registry import Planned, SlidePlanning
from studydeck.words import Words

SHORTEN = "shorten the text, or split it over more slides in the chapter file"


def continued(planning: SlidePlanning, first: PlannedSlide, copies: Sequence[SlideBase],
              what: str) -> Planned:
    """Give the slide continued over `copies` (one per slide); when there are none, as `what`
    (one item of it) does not fit on a slide at all, the slide as it is and a warning that its
    text runs over the slide's foot."""
    if not copies:
        return [first], [planning.problem((), f"slide '{first.title}': {what} does not fit on a "
                                              f"slide even at {planning.sizes.floor:g} pt; it "
                                              "is written at that size and runs over the "
                                              "slide's foot", SHORTEN, "warning")]
    return continued_over(planning, first, copies)


def continued_over(planning: SlidePlanning, first: PlannedSlide,
                   copies: Sequence[SlideBase]) -> Planned:
    """Give the slide continued over `copies` (one per slide), and the warning that it does."""
    return (continuations(planning, first, copies),
            continued_warning(planning, first, len(copies)))


def continuations(planning: SlidePlanning, first: PlannedSlide,
                  copies: Sequence[SlideBase]) -> list[PlannedSlide]:
    """Give the slide showing the first copy, then a "(cont.)" slide for each other copy."""
    title = continued_title(first.title, planning.words)
    note = planning.words.continues_from.format(title=first.title)
    slides = [replace(first, slide=copies[0])]
    for copy in copies[1:]:
        shown = copy.model_copy(update={"title": title, "notes": ""})
        slides.append(replace(first, title=title, slide=shown, continues=note))
    return slides


def continued_title(title: str, words: Words) -> str:
    """Give the title of a slide that continues the slide titled `title`."""
    return f"{title} {words.continued}"


def continued_warning(planning: SlidePlanning, first: PlannedSlide,
                      pages: int) -> list[Problem]:
    """Give the warning that the slide continues on more slides (none for one page); a title
    too long is the outline's one warning, for the slide and its continuations alike."""
    if pages == 1:
        return []
    more = pages - 1
    title = continued_title(first.title, planning.words)
    return [planning.problem((), f"slide '{first.title}' does not fit; it continues on {more} "
                                 f"more slide{'s' if more > 1 else ''}",
                             f"the continuation is titled '{title}'; shorten the slide or "
                             "split it yourself to choose where it breaks", "warning")]
