"""Slide types: a chapter's slides in; their problems, planned slides and written pages out."""

# Each module here is one slide type (its model, how it is checked, planned and continued, and
# how it is written) and registers itself when imported; what this package gives is derived
# from them: the union of slide models, the chapter model, the writer of each kind of slide.

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from typing import TYPE_CHECKING, Annotated, TypeAlias, Union

from pydantic import Field

from studydeck.schema.models import ChapterBase, SlideBase
from studydeck.slides.registry import chapter_slide_types, writer_of

if TYPE_CHECKING:
    from studydeck.layout.planned import PlannedSlide
    from studydeck.pptx.context import Page, SlideContext, SlideResult


def _load_when_used(name: str) -> None:
    """Make `from studydeck.slides import <name>` give the module unexecuted: it runs when one
    of its names is first used.

    The slide types write with slides.drawing, which loads python-pptx: loaded so, it keeps
    `validate` (which plans every slide but writes none) from loading python-pptx.
    """
    spec = importlib.util.find_spec(f"{__name__}.{name}")
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    globals()[name] = module  # found here, the import system never looks into it


def _import_slide_types() -> None:
    """Import every module of this package: each slide type's module registers it."""
    for module in pkgutil.iter_modules(__path__):
        if f"{__name__}.{module.name}" not in sys.modules:
            importlib.import_module(f"{__name__}.{module.name}")


_load_when_used("drawing")
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
