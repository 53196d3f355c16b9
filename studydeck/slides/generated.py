"""The slides studydeck makes itself: the title slide, the agenda and each chapter's section."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from studydeck.layout import geometry as g
from studydeck.layout.check import BYLINE_SIZES, subtitle_sizes
from studydeck.layout.fit import BODY_HARD_MIN, CAPTION_FLOOR
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.titles import hero_title, objectives_area
from studydeck.schema.models import BulletLine
from studydeck.slides import drawing
from studydeck.slides.registry import GeneratedSlide, register_generated

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult

TITLE_BAND = g.Box(0, g.inches(5.2), g.SLIDE_WIDTH, g.inches(0.08))  # between title and byline


def write_title(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the title slide's band, byline and subtitle (the title is written for every slide)."""
    style, deck = ctx.style, ctx.deck
    if g.AREAS is g.DEFAULT_AREAS:  # a template's title slide has its own design
        drawing.add_band(page, TITLE_BAND, style.colors.accent)
    byline = " · ".join(part for part in (deck.author, deck.date or "") if part)
    byline_block = drawing.TextBlock([drawing.plain(byline, color=style.colors.muted)],
                                     *BYLINE_SIZES, background=(
                                         g.AREAS.background_of("title_slide_byline") or None))
    written = {"title_slide_title": page.shapes.title,
               "title_slide_byline": drawing.add_text_box(page, g.TITLE_SLIDE_BYLINE,
                                                          byline_block, style)}
    if deck.subtitle:  # into the layout's subtitle placeholder (idx 1) where it has one
        subtitle = drawing.plain(deck.subtitle, color=style.colors.muted,
                                 align=drawing.ALIGN_LEFT)
        written["title_slide_subtitle"] = drawing.fill_placeholder(
            page, 1, g.TITLE_SLIDE_SUBTITLE,
            drawing.TextBlock([subtitle], *subtitle_sizes(), background=(
                g.AREAS.background_of("title_slide_subtitle") or None)), style)
    if g.AREAS.backed:  # no text colour reads on the template's drawing there: a card under them
        drawing.add_card(page, [shape for name in g.AREAS.backed
                                if (shape := written.get(name)) is not None],
                         g.AREAS.background_of(g.AREAS.backed[0]))
    return drawing.SlideResult()


def write_agenda(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """List every chapter of the deck; in a chapter's own deck, the others are muted, unlinked."""
    style = ctx.style
    here = {chapter.id for chapter in ctx.chapters}
    every = ctx.deck_chapters or ctx.chapters
    first, end = planned.part or (0, len(every))  # a long agenda continues on more slides
    listed = every[first:end]
    paragraphs = [
        drawing.TextParagraph(
            runs=(*(replace(run, text=word)
                    for run in drawing.rich_runs(chapter.title, color=title_color)
                    for word in linked_words(run.text)),
                  drawing.TextRun("   ", color=title_color),
                  drawing.TextRun(f"{chapter.minutes:g}{style.words.minutes}",
                                  color=style.colors.muted)),
            space_before=0.3 if number > first + 1 else 0.0,
            label=drawing.TextRun(f"{number:02d}", bold=True, color=style.colors.accent),
            hang=g.AGENDA_HANG,
        )
        for number, chapter in enumerate(listed, start=first + 1)
        for title_color in [style.colors.primary if chapter.id in here else style.colors.muted]
    ]
    # the agenda cannot continue: too many chapters shrink below the floor (with a warning)
    block = drawing.TextBlock(paragraphs, style.body_size, min(style.body_floor, BODY_HARD_MIN))
    box = drawing.add_text_box(page, g.BODY, block, style)
    links = [
        (run, chapter.id)
        for paragraph, chapter in zip(box.text_frame.paragraphs, listed, strict=True)
        if chapter.id in here
        for run in paragraph.runs[2:-2] if run.text.strip()  # the title's words
    ]
    return drawing.SlideResult(chapter_links=links)


def linked_words(title: str) -> list[str]:
    """Give a title cut into words and the spaces between them, each a run of its own.

    LibreOffice draws a linked run as one unbreakable field (in the colour of what follows it):
    a title linked as a whole would not wrap between its words, and its lines would be drawn
    over each other.
    """
    return [part for part in re.split(r"( +)", title) if part]


def write_section(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write a chapter's number, minutes and time, and its objectives."""
    style = ctx.style
    chapter = planned.chapter
    assert chapter is not None
    number = [c.id for c in ctx.deck_chapters or ctx.chapters].index(chapter.id) + 1
    label = f"{style.words.chapter} {number}  ·  {chapter.minutes:g}{style.words.minutes}"
    if chapter.id in ctx.schedule:
        label += f"  ·  {ctx.schedule[chapter.id]}"
    drawing.add_text_box(page, g.SECTION_LABEL, drawing.TextBlock(
        [drawing.plain(label, bold=True, color=style.colors.accent)], 20, CAPTION_FLOOR,
        background=g.AREAS.background_of("section_label") or None), style)
    if chapter.objectives:
        paragraphs = [drawing.plain(style.words.objectives, bold=True,
                                    color=style.colors.primary)]
        paragraphs += drawing.bullet_paragraphs(
            [BulletLine(text=text) for text in chapter.objectives], style.body_floor)
        title = hero_title(chapter.title, "section", style.title_size)
        block = drawing.TextBlock(paragraphs, style.body_size,
                                  min(style.body_floor, BODY_HARD_MIN))
        drawing.add_text_box(page, objectives_area(title.box), block, style)
    return drawing.SlideResult()


TITLE = register_generated(GeneratedSlide("title", write_title))
AGENDA = register_generated(GeneratedSlide("agenda", write_agenda))
SECTION = register_generated(GeneratedSlide("section", write_section))
