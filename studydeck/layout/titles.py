"""Where a title goes and at what size: wrapped between words over a few lines, never refused.

A content slide's title takes its layout's title area (two lines at the title floor); one that
needs more gets a taller area of three lines at the floor, and the body below it shrinks; on a
template's band the title keeps to its area (grown to the band) and shrinks there instead, and
one between a template's rules that does not fit there at FIXED_TITLE_FLOOR takes the top of the
body (three lines at the floor) and leaves the rules their place. The
title slide's and a section slide's big title wrap over up to four lines at the hero floor. Only
past that does a title shrink below its floor, down to a hard minimum; a title that is still too
long is written at the hard minimum and runs over its area. The boxes are read from
studydeck.layout.geometry when asked for, so a template's areas (geometry.using_areas) count.
"""

from __future__ import annotations

from dataclasses import dataclass

from studydeck.layout import geometry as g
from studydeck.layout.fit import TITLE_FLOOR
from studydeck.layout.geometry import EMU_PER_POINT, FRAME_INSET, Box
from studydeck.layout.heights import fit_size, text_height
from studydeck.layout.text import FONT_LINE_HEIGHT, Paragraph

TITLE_LINES = 3  # a content slide's title: three lines at TITLE_FLOOR before it shrinks
TITLE_HARD_MIN = 20  # … and then it shrinks to this, at most (docs/format.md, "Text sizes")
HERO_FLOOR = 32  # the title slide's and a section slide's big title: four lines at this size
HERO_LINES = 4
HERO_HARD_MIN = 24
# a title whose area cannot grow (a template's band, a rule under it) is written down to this
# size there before it counts as shrunk (Sunset's title area holds one line at 23 pt) …
FIXED_TITLE_FLOOR = 20
# … and shrinks on to this (on a band; a template's title slide) before it runs over its area
FIXED_TITLE_HARD_MIN = 10
# a card under a template's title slide text (pptx/template_title_slide.py) keeps it this far in
CARD_PAD = g.inches(0.2)


@dataclass(frozen=True)
class TitleFit:
    """A title's area and size; `below_floor` when it shrank under its floor to fit, `overflows`
    when it does not fit even at the hard minimum (it is written at that size all the same)."""

    box: Box
    size: float
    below_floor: bool = False
    overflows: bool = False


def _title(text: str) -> list[Paragraph]:
    return [Paragraph(text, bold=True)]


def _text_room(width: int) -> int:
    return width - 2 * FRAME_INSET


def needed_height(text: str, width: int, size: float) -> int:
    """Give the height of a box `width` wide that holds the title at `size`, insets included."""
    return text_height(_title(text), size, _text_room(width)) + 2 * FRAME_INSET


def lines_height(lines: int, size: float) -> int:
    """Give the height of a box that holds `lines` lines at `size`, insets included."""
    return round(lines * size * FONT_LINE_HEIGHT * EMU_PER_POINT) + 2 * FRAME_INSET


def _largest_size(text: str, box: Box, largest: float, smallest: float) -> float | None:
    return fit_size(_title(text), _text_room(box.width), box.height - 2 * FRAME_INSET,
                    largest, smallest)


def _fit_in(text: str, box: Box, largest: float, floor: float, hard_min: float) -> TitleFit:
    size = _largest_size(text, box, largest, floor)
    if size is not None:
        return TitleFit(box, size)
    size = _largest_size(text, box, floor - 1, hard_min)
    if size is not None:
        return TitleFit(box, size, below_floor=True)
    return TitleFit(box, hard_min, below_floor=True, overflows=True)


def _on_the_slide(text: str, box: Box, size: float) -> Box:
    """Give the box of a content slide's title (set in the middle of its box) at `size`: where
    its text would run off the page, as tall as its text and moved onto the slide (it runs over
    its area, never off the page)."""
    height = min(g.SLIDE_HEIGHT, needed_height(text, box.width, size))
    top = box.top + (box.height - height) // 2
    if top >= 0 and top + height <= g.SLIDE_HEIGHT:
        return box
    top = min(max(0, top), g.SLIDE_HEIGHT - height)
    return Box(box.left, top, box.width, height)


# --- a content slide's title ----------------------------------------------------------------


def title_can_grow() -> bool:
    """Tell whether a long title may take a taller area: not when it sits on a template's band,
    which it would run off, or over a shape of the template's below it."""
    return g.AREAS.title_grows


def title_tops_body() -> bool:
    """Tell whether a title too long for its area, which cannot grow (a rule of the template's
    under it, not a band), takes the top of the body instead."""
    return not title_can_grow() and g.AREAS.title_tops_body


def title_floor(tall: bool) -> float:
    """Give the size a content slide's title is written down to before it counts as shrunk:
    the floor, or FIXED_TITLE_FLOOR in its own area when that cannot grow."""
    return TITLE_FLOOR if title_can_grow() or tall else FIXED_TITLE_FLOOR


def title_lines(tall: bool) -> int:
    """Give how many lines a content slide's title may take at its floor before it shrinks:
    three, or what its area holds when it cannot grow (at least one)."""
    if title_can_grow() or tall:
        return TITLE_LINES
    line = lines_height(1, FIXED_TITLE_FLOOR) - 2 * FRAME_INSET
    return max(1, (g.TITLE.height - 2 * FRAME_INSET) // line)


def tall_title_area() -> Box:
    """Give the title area of a slide whose title needs three lines at the floor: the title's
    own grown down, or the top of the body (its own on a band: it cannot grow)."""
    title, tall = g.TITLE, lines_height(TITLE_LINES, TITLE_FLOOR)
    if title_can_grow():
        return Box(title.left, title.top, title.width, max(title.height, tall))
    if title_tops_body():
        body = g.BODY
        return Box(body.left, body.top, body.width, min(tall, body.height // 2))
    return title


def needs_tall_title(titles: list[str], largest: float) -> bool:
    """Tell whether any of a slide's titles (its own, its continuation's) needs the tall area
    (never on a band: the title shrinks inside it)."""
    if not title_can_grow() and not title_tops_body():
        return False
    floor = title_floor(tall=False)
    return any(_largest_size(text, g.TITLE, max(largest, floor), floor) is None
               for text in titles)


def title_area(tall: bool) -> Box:
    """Give a content slide's title area: the layout's own, or the tall one."""
    return tall_title_area() if tall else g.TITLE


def body_area(tall: bool) -> Box:
    """Give a content slide's body area: the layout's own, or what is left below a tall title."""
    body = g.BODY
    if not tall:
        return body
    top = max(body.top, tall_title_area().bottom + max(0, body.top - g.TITLE.bottom))
    return Box(body.left, top, body.width, body.bottom - top)


def content_title(text: str, largest: float, tall: bool) -> TitleFit:
    """Give a content slide's title in its area, at the largest size that fits."""
    hard_min = TITLE_HARD_MIN if title_can_grow() or tall else FIXED_TITLE_HARD_MIN
    floor = title_floor(tall)
    fit = _fit_in(text, title_area(tall), max(largest, floor), floor, hard_min)
    if not fit.overflows:
        return fit
    return TitleFit(_on_the_slide(text, fit.box, fit.size), fit.size, True, True)


# --- the title slide's and a section slide's big title ---------------------------------------


def hero_sizes(title_size: float) -> tuple[float, float]:
    """Give the largest size of the big title for the deck's title size, and its floor."""
    return max(title_size + 8, HERO_FLOOR), HERO_FLOOR


def hero_title(text: str, kind: str, title_size: float) -> TitleFit:
    """Give the big title of the title slide (`kind` "title", grown upwards) or of a section
    slide (grown downwards, the objectives move down): four lines at the floor, at most."""
    base = g.TITLE_SLIDE_TITLE if kind == "title" else g.SECTION_TITLE
    tallest = max(base.height, lines_height(HERO_LINES, HERO_FLOOR))
    hard_min = HERO_HARD_MIN
    if kind == "title" and g.AREAS is not g.DEFAULT_AREAS:
        tallest = base.height  # a template's title slide gives the room it has clear of its shapes
        hard_min = FIXED_TITLE_HARD_MIN  # … and its title shrinks there (Focus's is 3.2 in wide)
    largest, floor = hero_sizes(title_size)
    fit = _fit_in(text, _grown(base, kind, tallest), largest, floor, hard_min)
    height = min(tallest, max(base.height, needed_height(text, base.width, fit.size)))
    return TitleFit(_grown(base, kind, height), fit.size, fit.below_floor, fit.overflows)


def hero_lines(box: Box) -> int:
    """Give how many lines of a big title its box holds at the hero floor: HERO_LINES at most
    (a template's title slide may give one line, on a bar), one at least."""
    line = lines_height(1, HERO_FLOOR) - 2 * FRAME_INSET
    return max(1, min(HERO_LINES, (box.height - 2 * FRAME_INSET) // line))


def _grown(base: Box, kind: str, height: int) -> Box:
    top = base.bottom - height if kind == "title" else base.top
    return Box(base.left, top, base.width, height)


def objectives_area(section_title: Box) -> Box:
    """Give a section slide's objectives area: below its title, however tall that grew."""
    base = g.SECTION_OBJECTIVES
    gap = max(0, base.top - g.SECTION_TITLE.bottom)
    top = max(base.top, section_title.bottom + gap)
    return Box(base.left, top, base.width, max(0, base.bottom - top))


# --- how long a title may be ------------------------------------------------------------------


def characters_that_fit(text: str, box: Box, size: float) -> int:
    """Give how many characters of `text` (cut between words) fit in `box` at `size`."""
    words = text.split(" ")
    low, high = 0, len(words)
    while low < high:  # the most words that fit
        middle = (low + high + 1) // 2
        if _largest_size(" ".join(words[:middle]), box, size, size) is not None:
            low = middle
        else:
            high = middle - 1
    return len(" ".join(words[:low]))
