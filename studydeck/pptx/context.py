"""What a slide type's writer is given (the deck, its style, its pictures) and gives back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pptx.slide import Slide as Page  # a slide of the presentation (a "slide" is the YAML's)
from pptx.text.text import _Run

from studydeck.diagrams.cache import DiagramImages
from studydeck.diagrams.native import NativeDiagram
from studydeck.layout.planned import PlannedSlide
from studydeck.pptx.animation import Click
from studydeck.pptx.style import DeckStyle
from studydeck.schema.models import ChapterBase, Deck

__all__ = ["Page", "SlideContext", "SlideResult", "SlideWriter", "agenda_made_from"]


@dataclass
class SlideContext:
    """What every slide builder may use: the deck, its style and the rendered diagrams."""

    deck: Deck
    chapters: Sequence[ChapterBase]
    style: DeckStyle
    images: dict[str, DiagramImages]
    default_reveal: bool
    schedule: dict[str, str] = field(default_factory=dict)  # chapter id → "19:00–19:10"
    natives: dict[str, NativeDiagram] = field(default_factory=dict)  # drawn as shapes
    deck_chapters: Sequence[ChapterBase] = field(default_factory=list)  # the whole deck's


@dataclass
class SlideResult:
    """What a builder gives back: click groups, and runs that link to a chapter's section."""

    clicks: list[Click] = field(default_factory=list)
    chapter_links: list[tuple[_Run, str]] = field(default_factory=list)


# Fills a new page's body with the planned slide: each slide type has one (see slides/).
SlideWriter = Callable[[SlideContext, Page, PlannedSlide], SlideResult]


def agenda_made_from(ctx: SlideContext) -> list[object]:
    """Give what the agenda shows of the deck's chapters (besides the deck, its style and the
    chapters in the file, which every kept slide's key has): kept agendas are keyed by it."""
    return [(chapter.id, chapter.title, chapter.minutes)
            for chapter in ctx.deck_chapters or ctx.chapters]
