"""What diagram and image slides share: a picture, a caption below it, bullets beside it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from pydantic import Field

from studydeck.layout import geometry as g
from studydeck.layout.check import CAPTION_SIZE, Overflow, Sizes
from studydeck.layout.fit import CAPTION_FLOOR, bullet_measures, frame_size
from studydeck.layout.text import Paragraph
from studydeck.schema.models import Bullet, BulletLine, Strict, flatten_bullets
from studydeck.slides import drawing

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult


class SideBullets(Strict):
    """Bullets beside a picture: optional, on the smaller side, revealed on click if asked."""

    bullets: list[Bullet] = Field(default_factory=list,
                                  description="points shown beside the picture")
    reveal: bool | None = None

    @property
    def lines(self) -> list[BulletLine]:
        return flatten_bullets(self.bullets)


class PictureSlide(Protocol):
    """A slide showing a picture (a diagram or an image) with a caption and side bullets."""

    @property
    def caption(self) -> str: ...
    @property
    def bullets(self) -> list[Bullet]: ...
    @property
    def lines(self) -> list[BulletLine]: ...


def caption_overflows(slide: PictureSlide, sizes: Sizes,
                      body: g.Box | None = None) -> Iterator[Overflow]:
    """Give the caption and the bullets beside the picture, when they cannot fit."""
    area, caption_box = g.caption_split(bool(slide.caption), body)
    if caption_box is not None and frame_size([Paragraph(slide.caption)], caption_box,
                                              CAPTION_SIZE, CAPTION_FLOOR) is None:
        yield Overflow(("caption",), "the caption", "shorten the caption to one line; "
                       "say more in the notes", CAPTION_FLOOR)
    if slide.bullets and frame_size(bullet_measures(slide.lines, sizes.floor),
                                    g.picture_beside_bullets(area)[1], sizes.body,
                                    sizes.floor) is None:
        yield Overflow(("bullets",), "the bullets beside the picture",
                       "keep a few short points beside a picture; move the rest to a bullets "
                       "slide or the notes")


def captioned_area(ctx: SlideContext, page: Page, caption: str,
                   body: g.Box | None = None) -> g.Box:
    """Give the body area left for a picture, with the caption (if any) written below it."""
    area, caption_box = g.caption_split(bool(caption), body)
    if caption_box is None:
        return area
    drawing.add_text_box(page, caption_box, drawing.TextBlock(
        [drawing.plain(caption, color=ctx.style.colors.muted, align=drawing.ALIGN_CENTER)],
        CAPTION_SIZE, CAPTION_FLOOR), ctx.style)
    return area


def side_bullets(ctx: SlideContext, page: Page, area: g.Box,
                 content: SideBullets) -> tuple[g.Box, SlideResult]:
    """Write the slide's bullets (if any) beside the picture; give the picture's area."""
    if not content.bullets:
        return area, drawing.SlideResult()
    picture_area, bullets_box = g.picture_beside_bullets(area)
    paragraphs = drawing.bullet_paragraphs(content.lines, ctx.style.body_floor)
    shape = drawing.add_text_box(page, bullets_box, drawing.TextBlock(
        paragraphs, ctx.style.body_size, ctx.style.body_floor, drawing.ANCHOR_MIDDLE), ctx.style)
    if not drawing.reveals(ctx, content.reveal):
        return picture_area, drawing.SlideResult()
    return picture_area, drawing.SlideResult(
        clicks=drawing.reveal_by_item(shape.shape_id, paragraphs))
