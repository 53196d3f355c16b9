"""A slide as planning gives it to the writer: its kind, what it shows, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studydeck.layout.geometry import Box
from studydeck.layout.titles import body_area, title_area
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
    tall_title: bool = False  # its title (or its continuation's) needs three lines
    text_size: float | None = None  # the size planning chose for its body (a deck's code slides)
    part: tuple[int, int] | None = None  # an agenda page: the chapters it lists (first, end)
    source_index: int | None = None  # its slide's place in its chapter's `slides:` (from 0)

    @property
    def shown_title(self) -> str:
        """Give the title as the slide shows it: a walkthrough's step slide numbered "(2/3)"."""
        if self.step is None:
            return self.title
        steps = len(self.diagram.spec.steps) if self.diagram else 0
        return f"{self.title} ({self.step + 1}/{steps})"

    @property
    def title_area(self) -> Box:
        """Give the area of a content slide's title: the layout's, or a taller one."""
        return title_area(self.tall_title)

    @property
    def body(self) -> Box:
        """Give the area of a content slide's body: below its title, however tall."""
        return body_area(self.tall_title)

    @property
    def is_content(self) -> bool:
        """Tell whether this is a chapter's own slide (not title, agenda or section)."""
        return self.slide is not None
