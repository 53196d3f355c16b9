"""What the checks across files can use of a chapter, even one that failed validation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from studydeck.schema.vocabulary import place_phrases
from studydeck.slides import AnySlide, Chapter, Slide
from studydeck.slides.diagram import diagram_named
from studydeck.source.yaml_reader import SourceFile

_SLIDE = TypeAdapter[AnySlide](Slide)


@dataclass(frozen=True)
class ChapterParts:
    """A chapter file's id and its valid slides (with their places), and the chapter if valid."""

    path: Path
    source: SourceFile
    chapter: Chapter | None
    chapter_id: str | None
    slides: list[tuple[int, AnySlide]]

    def slide_name(self, index: int) -> str:
        """Give how a message names the slide at `index`: "slide 7 ('Caching')"."""
        return place_phrases(self.source.data, ("slides", index))[-1]


def chapter_parts(path: Path, source: SourceFile, chapter: Chapter | None) -> ChapterParts:
    """Give the parts of a chapter; a chapter that failed validation keeps what is valid."""
    if chapter is not None:
        return ChapterParts(path, source, chapter, chapter.id, list(enumerate(chapter.slides)))
    data = source.data if isinstance(source.data, dict) else {}
    chapter_id = data.get("id")
    raw_slides = data.get("slides")
    slides = [(index, slide) for index, raw in enumerate(raw_slides)
              if (slide := _valid_slide(raw)) is not None] if isinstance(raw_slides, list) else []
    return ChapterParts(path, source, None, chapter_id if isinstance(chapter_id, str) else None,
                        slides)


def _valid_slide(raw: Any) -> AnySlide | None:
    try:
        return _SLIDE.validate_python(raw)
    except ValidationError:
        return None


def diagrams_shown(parts: list[ChapterParts]) -> set[str]:
    """Give the names of the diagrams any slide names, valid or not."""
    names: set[str] = set()
    for part in parts:
        raw_slides = part.source.data.get("slides") if isinstance(part.source.data, dict) else []
        for raw in raw_slides if isinstance(raw_slides, list) else []:
            name = diagram_named(raw)
            if name is not None:
                names.add(name)
    return names
