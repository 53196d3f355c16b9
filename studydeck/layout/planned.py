"""A slide as planning gives it to the writer: its kind, what it shows, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studydeck.schema.models import ChapterBase, DiagramFile, SlideBase


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
    chapter: ChapterBase | None = None
    slide: SlideBase | None = None
    diagram: DiagramFile | None = None
    image: Path | None = None
    step: int | None = None
    position: Position = Position(0, 0, 0, 0)
    notes: str = ""
    continues: str = ""  # on a continuation slide: the first line of its notes

    @property
    def is_content(self) -> bool:
        """Tell whether this is a chapter's own slide (not title, agenda or section)."""
        return self.slide is not None
