"""Slide types: a chapter's slides in; their problems, planned slides and written pages out."""

# Each module here is one slide type (its model, how it is checked, planned and continued, and
# how it is written) and registers itself when imported; what this package gives is derived
# from them: the union of slide models, the chapter model, the writer of each kind of slide.

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import TYPE_CHECKING, Annotated, TypeAlias, Union

from pydantic import Field

from studydeck import load_when_used
from studydeck.schema.models import ChapterBase, SlideBase
from studydeck.slides.registry import chapter_slide_types, writer_of

if TYPE_CHECKING:
    from studydeck.layout.planned import PlannedSlide
    from studydeck.pptx.context import Page, SlideContext, SlideResult


def _import_slide_types() -> None:
    """Import every module of this package: each slide type's module registers it."""
    for module in pkgutil.iter_modules(__path__):
        if f"{__name__}.{module.name}" not in sys.modules:
            importlib.import_module(f"{__name__}.{module.name}")


# The slide types write with slides.drawing, which loads python-pptx: loaded when first used, it
# keeps `validate` (which plans every slide but writes none) from loading python-pptx.
load_when_used(f"{__name__}.drawing")
_import_slide_types()

if TYPE_CHECKING:
    AnySlide: TypeAlias = SlideBase
else:
    AnySlide = Union[tuple(kind.model for kind in chapter_slide_types())]  # noqa: UP007
Slide = Annotated[AnySlide, Field(discriminator="type")]


class Chapter(ChapterBase):
    slides: list[Slide] = Field(min_length=1)


def write_slide(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Fill the page's body with the planned slide, as its kind writes it; give its clicks."""
    return writer_of(planned.kind)(ctx, page, planned)
