"""Whether text fits at its smallest size: the deck's sizes, titles, generated slides' frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studydeck.layout import geometry as g
from studydeck.layout.fit import (
    BODY_FLOOR,
    CAPTION_FLOOR,
    TITLE_FLOOR,
    bullet_measures,
    frame_size,
)
from studydeck.layout.text import Paragraph
from studydeck.schema.models import BulletLine

Location = tuple[str | int, ...]
CAPTION_SIZE = 20
SUBTITLE_SIZES = (28, 20)  # the title slide's subtitle: largest and smallest
BYLINE_SIZES = (20, CAPTION_FLOOR)  # … and its author and date


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

    @property
    def hero(self) -> tuple[float, float]:
        """Give the largest and smallest size of the title and section slides' big title."""
        smallest = max(self.title - 4, TITLE_FLOOR)
        return max(self.title + 8, smallest), smallest


def deck_sizes(size: float, title_size: float, min_size: float) -> Sizes:
    """Give the sizes a deck's theme asks for, raised to the floors where they are below them."""
    return Sizes(body=max(size, min_size), title=max(title_size, TITLE_FLOOR), floor=min_size)


def title_fits(text: str, sizes: Sizes) -> bool:
    """Tell whether a content slide's title fits its box at the title floor."""
    return frame_size([Paragraph(text, bold=True)], g.TITLE, sizes.title, TITLE_FLOOR) is not None


def hero_fits(text: str, box: g.Box, sizes: Sizes) -> bool:
    """Tell whether the big title of the title slide or a section slide fits `box`."""
    return frame_size([Paragraph(text, bold=True)], box, *sizes.hero) is not None


def title_slide_fits(subtitle: str, byline: str) -> bool:
    """Tell whether the title slide's subtitle and byline fit their boxes."""
    return (frame_size([Paragraph(subtitle)], g.TITLE_SLIDE_SUBTITLE, *SUBTITLE_SIZES) is not None
            and frame_size([Paragraph(byline)], g.TITLE_SLIDE_BYLINE, *BYLINE_SIZES) is not None)


def objectives_fit(heading: str, objectives: Sequence[str], sizes: Sizes) -> bool:
    """Tell whether a section slide's objectives fit below its title."""
    paragraphs = [Paragraph(heading, bold=True),
                  *bullet_measures([BulletLine(text=text) for text in objectives], sizes.floor)]
    return frame_size(paragraphs, g.SECTION_OBJECTIVES, sizes.body, sizes.floor) is not None
