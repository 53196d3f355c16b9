"""Image slides: a picture from the project, with its caption, alt text and side bullets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from studydeck.errors import Problem
from studydeck.layout.planned import PlannedSlide
from studydeck.richtext import plain_text
from studydeck.schema.models import SlideBase, Text
from studydeck.slides import drawing
from studydeck.slides.picture import SideBullets, caption_overflows, captioned_area, side_bullets
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult


class ImageSlide(SlideBase, SideBullets):
    type: Literal["image"]
    image: Annotated[str, Field(min_length=1, max_length=500,
                                description="a PNG, JPEG or GIF file, relative to the project")]
    caption: Text = ""
    alt: Text = Field(default="", description="what the picture shows, for screen readers")


def image_problems(planning: SlidePlanning, slide: ImageSlide, title: str) -> Iterator[Problem]:
    """Give the problems of a caption or side bullets that cannot fit."""
    for overflow in caption_overflows(slide, planning.sizes, planning.body):
        yield planning.overflow(overflow, title)


def plan_image(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the slide with the picture file it shows."""
    assert isinstance(first.slide, ImageSlide)
    return [replace(first, image=planning.project_file(first.slide.image))], []


def write_image(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the picture fitted to its area, its caption and side bullets; give their clicks."""
    content = planned.slide
    assert isinstance(content, ImageSlide) and planned.image is not None
    area = captioned_area(ctx, page, content.caption, planned.body)
    area, result = side_bullets(ctx, page, area, content)
    drawing.add_picture_fitted(page, planned.image, area,
                               plain_text(content.alt or content.caption or content.title))
    return result


IMAGE = register(SlideType(name="image", model=ImageSlide, write=write_image, order=3,
                           problems=image_problems, plan=plan_image))
