"""Bullets slides, revealed point by point on click if asked, and recap slides, shown at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from studydeck.layout.fit import split_bullets
from studydeck.layout.planned import PlannedSlide
from studydeck.schema.models import BulletList, SlideBase
from studydeck.slides import drawing
from studydeck.slides.continuation import continued
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult


class BulletsSlide(SlideBase, BulletList):
    type: Literal["bullets"]
    reveal: bool | None = None


class RecapSlide(SlideBase, BulletList):
    type: Literal["recap"]


def plan_bullets(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the slide, continued on more slides when its bullets need more room."""
    slide = first.slide
    assert isinstance(slide, BulletsSlide | RecapSlide)
    pages = split_bullets(slide.bullets, planning.body, planning.sizes.body, planning.sizes.floor)
    copies = [slide.model_copy(update={"bullets": page}) for page in pages or []]
    return continued(planning, first, copies, "a bullet")


def write_bullets(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the bullets; give a click per top-level bullet when they reveal (a recap never)."""
    content = planned.slide
    assert isinstance(content, BulletsSlide | RecapSlide)
    paragraphs = drawing.bullet_paragraphs(content.lines, ctx.style.body_floor)
    shape = drawing.add_text_box(page, planned.body, drawing.body_block(ctx.style, paragraphs),
                                 ctx.style)
    if isinstance(content, RecapSlide):
        return drawing.SlideResult()  # a recap sums up: it shows at once
    if not drawing.reveals(ctx, content.reveal):
        return drawing.SlideResult()
    return drawing.SlideResult(clicks=drawing.reveal_by_item(shape.shape_id, paragraphs))


BULLETS = register(SlideType(name="bullets", model=BulletsSlide, write=write_bullets, order=1,
                             plan=plan_bullets))
RECAP = register(SlideType(name="recap", model=RecapSlide, write=write_bullets, order=6,
                           plan=plan_bullets))
