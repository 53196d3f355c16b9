"""Two-column slides: two headed columns of bullets side by side."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Overflow
from studydeck.layout.fit import bullet_measures, frame_size
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import Paragraph
from studydeck.schema.models import BulletList, SlideBase, Text
from studydeck.slides import drawing
from studydeck.slides.registry import SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult


class Column(BulletList):
    heading: Text


class TwoColumnSlide(SlideBase):
    type: Literal["two-column"]
    left: Column
    right: Column


def column_problems(planning: SlidePlanning, slide: TwoColumnSlide,
                    title: str) -> Iterator[Problem]:
    """Give the problems of a heading or a column's bullets that cannot fit."""
    sizes = planning.sizes
    for (heading, body), side in zip(g.two_column_boxes(planning.body), ("left", "right"),
                                     strict=True):
        column = getattr(slide, side)
        if frame_size([Paragraph(column.heading, bold=True)], heading, sizes.body,
                      sizes.floor) is None:
            yield planning.overflow(Overflow((side, "heading"), f"the {side} column's heading",
                                             "shorten the heading: it has one line, two at a "
                                             "small size"), title)
        if frame_size(bullet_measures(column.lines, sizes.floor), body, sizes.body,
                      sizes.floor) is None:
            yield planning.overflow(Overflow((side, "bullets"), f"the {side} column's bullets"),
                                    title)


def write_two_column(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write each column's heading panel and bullets."""
    content = planned.slide
    assert isinstance(content, TwoColumnSlide)
    style = ctx.style
    for (heading, body), column in zip(g.two_column_boxes(planned.body),
                                       (content.left, content.right),
                                       strict=True):
        drawing.add_panel(page, heading, style.colors.primary, style, drawing.TextBlock(
            [drawing.plain(column.heading, bold=True, color=style.colors.background, tint=False)],
            style.body_size, style.body_floor, drawing.ANCHOR_MIDDLE))
        bullets = drawing.bullet_paragraphs(column.lines, style.body_floor)
        drawing.add_text_box(page, body, drawing.body_block(style, bullets), style)
    return drawing.SlideResult()


TWO_COLUMN = register(SlideType(name="two-column", model=TwoColumnSlide, write=write_two_column,
                                order=5, problems=column_problems))
