"""The slide types, each registered by its own module: how it is checked, planned and written."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from studydeck.errors import Problem
from studydeck.layout.check import Overflow, Sizes
from studydeck.layout.geometry import Box
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.titles import body_area
from studydeck.schema.models import DiagramFile, SlideBase
from studydeck.schema.slide_types import SlideModel, add_slide_model
from studydeck.source.yaml_reader import SourceFile
from studydeck.words import Words

if TYPE_CHECKING:  # the writing side is loaded when a slide is first written
    from studydeck.pptx.context import SlideWriter

M = TypeVar("M", bound=SlideBase)


@dataclass(frozen=True)
class SlidePlanning:
    """What planning a chapter slide may use: the deck's words and sizes, the project's diagrams
    and files, and where the slide is in its chapter's YAML."""

    words: Words
    sizes: Sizes
    source: SourceFile | None
    index: int
    diagrams: Mapping[str, DiagramFile]
    project_file: Callable[[str], Path]
    tall_title: bool = False  # the slide's title (or its continuation's) needs three lines

    @property
    def body(self) -> Box:
        """Give the area the slide's body is planned in: below its title, however tall."""
        return body_area(self.tall_title)

    def problem(self, location: tuple[str | int, ...], message: str, hint: str,
                severity: str = "error") -> Problem:
        """Give a problem at `location` inside the slide's YAML."""
        if self.source is None:
            return Problem(Path("?"), 1, 1, message, hint, severity)
        line, column = self.source.position(("slides", self.index, *location))
        return Problem(self.source.path, line, column, message, hint, severity)

    def overflow(self, overflow: Overflow, title: str) -> Problem:
        """Give the warning of a frame of the slide titled `title` that cannot fit (it is
        written at its floor and runs over its box: a layout problem never stops a build)."""
        # "cannot" reads right after "the caption" and "the left column's bullets" alike
        return self.problem(overflow.location, f"slide {self.index + 1} ('{title}'): "
                                               f"{overflow.what} cannot fit, even at "
                                               f"{overflow.floor or self.sizes.floor:g} pt",
                            overflow.hint, "warning")


Planned = tuple[list[PlannedSlide], list[Problem]]


def as_written(planning: SlidePlanning, slide: SlideBase) -> tuple[SlideBase, list[Problem]]:
    """Give the slide as its YAML has it (what most types plan)."""
    return slide, []


def own_title(slide: SlideBase, words: Words) -> str:
    """Give the slide's own title."""
    return slide.title


def nothing_wrong(planning: SlidePlanning, slide: SlideBase, title: str) -> Iterator[Problem]:
    """Give no problems: the type has nothing to check but its title."""
    return iter(())


def one_slide(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the slide alone: the type never continues."""
    return [first], []


@dataclass(frozen=True)
class SlideType(Generic[M]):
    """A chapter slide type: its name (`type:` in YAML) and model, and what it does at each step.

    `arrange` gives the slide as it is planned (and warnings when that differs from the YAML);
    `shown_title` the title its slides show; `problems` what cannot fit (besides the title);
    `plan` its slides (continued, or one per step) from the first one, and their problems;
    `write` fills a new slide's body. The notes come from `templates/notes/<name>.md.j2`.
    """

    name: str
    model: type[M]
    write: SlideWriter
    order: int  # where the type comes in lists a user reads: in the order types were added
    item_names: Mapping[str, str] = field(default_factory=dict)  # "choices" → "choice"
    nested_item_names: Mapping[str, str] = field(default_factory=dict)  # "rows" → "cells"
    arrange: Callable[[SlidePlanning, M], tuple[SlideBase, list[Problem]]] = as_written
    shown_title: Callable[[M, Words], str] = own_title
    problems: Callable[[SlidePlanning, M, str], Iterator[Problem]] = nothing_wrong
    plan: Callable[[SlidePlanning, PlannedSlide], Planned] = one_slide


@dataclass(frozen=True)
class GeneratedSlide:
    """A slide studydeck makes itself (the title slide, the agenda, a section's first slide)."""

    name: str
    write: SlideWriter


@dataclass
class _Registry:
    """The registered types, by name and by model, and the generated slides by name."""

    chapter_types: dict[str, SlideType[Any]] = field(default_factory=dict)
    by_model: dict[type[SlideBase], SlideType[Any]] = field(default_factory=dict)
    generated: dict[str, GeneratedSlide] = field(default_factory=dict)


_REGISTERED = _Registry()


def register(slide_type: SlideType[M]) -> SlideType[M]:
    """Add a chapter slide type (its module does, when imported); give it back."""
    _REGISTERED.chapter_types[slide_type.name] = slide_type
    _REGISTERED.by_model[slide_type.model] = slide_type
    add_slide_model(SlideModel(slide_type.name, slide_type.model, slide_type.order,
                               slide_type.item_names, slide_type.nested_item_names))
    return slide_type


def register_generated(generated: GeneratedSlide) -> GeneratedSlide:
    """Add a slide studydeck makes itself; give it back."""
    _REGISTERED.generated[generated.name] = generated
    return generated


def chapter_slide_types() -> list[SlideType[Any]]:
    """Give the chapter slide types in the order a user reads them."""
    return sorted(_REGISTERED.chapter_types.values(), key=lambda kind: kind.order)


def slide_type_of(slide: SlideBase) -> SlideType[Any]:
    """Give the type of a chapter slide."""
    return _REGISTERED.by_model[type(slide)]


def writer_of(kind: str) -> SlideWriter:
    """Give the writer of a planned slide's kind: a chapter slide type or a slide made here."""
    known = _REGISTERED.chapter_types.get(kind) or _REGISTERED.generated[kind]
    return known.write


def notes_template(kind: str) -> str:
    """Give the name of the notes template of a slide kind (in templates/notes/)."""
    return f"{kind}.md.j2"
