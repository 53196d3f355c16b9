"""Whether text fits at its smallest size: the deck's sizes, the generated slides' frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studydeck.layout import geometry as g
from studydeck.layout.fit import BODY_FLOOR, CAPTION_FLOOR, TITLE_FLOOR, bullet_measures, frame_size
from studydeck.layout.text import Paragraph
from studydeck.schema.models import BulletLine

Location = tuple[str | int, ...]
CAPTION_SIZE = 20
SUBTITLE_SIZES = (28, 20)  # the title slide's subtitle: largest and smallest
BYLINE_SIZES = (20, CAPTION_FLOOR)  # … and its author and date
# on a template's title slide the subtitle may share its place with the byline (Portfolio's is
# two lines high at the page's foot) or be narrow (Focus's is 2.15 in): it shrinks to this there
TEMPLATE_SUBTITLE_FLOOR = CAPTION_FLOOR


@dataclass(frozen=True)
class Overflow:
    """A frame whose text does not fit even at its floor: where it comes from, and what it is."""

    location: Location  # inside the slide's (or chapter's) YAML
    what: str
    hint: str = "shorten the text, or split it over more slides in the chapter file"
    floor: float = 0.0  # the size it does not fit at (0: the deck's body floor)


@dataclass(frozen=True)
class Sizes:
    """The deck's text sizes frames start from, and the size body text shrinks to."""

    body: float
    title: float
    floor: float = BODY_FLOOR


def deck_sizes(size: float, title_size: float, min_size: float) -> Sizes:
    """Give the sizes a deck's theme asks for, raised to the floors where they are below them."""
    return Sizes(body=max(size, min_size), title=max(title_size, TITLE_FLOOR), floor=min_size)


def subtitle_sizes() -> tuple[float, float]:
    """Give the title slide's subtitle's largest and smallest sizes (smaller on a template)."""
    if g.AREAS is g.DEFAULT_AREAS:
        return SUBTITLE_SIZES
    return SUBTITLE_SIZES[0], TEMPLATE_SUBTITLE_FLOOR


def title_slide_fits(subtitle: str, byline: str) -> bool:
    """Tell whether the title slide's subtitle and byline fit their boxes."""
    return (frame_size([Paragraph(subtitle)], g.TITLE_SLIDE_SUBTITLE, *subtitle_sizes()) is not None
            and frame_size([Paragraph(byline)], g.TITLE_SLIDE_BYLINE, *BYLINE_SIZES) is not None)


def objectives_fit(heading: str, objectives: Sequence[str], box: g.Box, sizes: Sizes) -> bool:
    """Tell whether a section slide's objectives fit in `box`, below its title."""
    paragraphs = [Paragraph(heading, bold=True),
                  *bullet_measures([BulletLine(text=text) for text in objectives], sizes.floor)]
    return frame_size(paragraphs, box, sizes.body, sizes.floor) is not None
