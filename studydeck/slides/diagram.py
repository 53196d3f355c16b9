"""Diagram slides: a diagram file drawn as a picture or as shapes, and its steps walked through
click by click beside their captions, or one slide a step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Overflow, Sizes, deck_sizes
from studydeck.layout.fit import frame_size
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import Paragraph
from studydeck.schema.models import SLUG, Deck, DiagramFile, SlideBase, Step, Text
from studydeck.slides import drawing
from studydeck.slides.picture import SideBullets, caption_overflows, captioned_area, side_bullets
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.diagrams.native import NativeDiagram
    from studydeck.pptx.context import Page, SlideContext, SlideResult
    from studydeck.slides import Chapter


class DiagramSlide(SlideBase, SideBullets):
    type: Literal["diagram"]
    diagram: Annotated[str, Field(pattern=SLUG)]
    caption: Text = ""
    walkthrough: bool | Literal["slides"] = False


BAND_LINES = 3  # a step caption in the band under a diagram takes at most this many lines
BAND_LINE_HEIGHT = 1.25
BAND_PADDING = g.inches(0.12)
BAND_GAP = g.inches(0.1)


def step_label(number: int, caption: str) -> str:
    """Give a step's caption numbered ("2. …")."""
    return f"{number}. {caption}"


def step_captions(captions: Sequence[str]) -> list[Paragraph]:
    """Give a walkthrough's numbered step captions as measured paragraphs."""
    return [Paragraph(step_label(n, text), space_before=0.4 if n > 1 else 0.0)
            for n, text in enumerate(captions, start=1)]


def step_areas(area: g.Box, captions: Sequence[str], sizes: Sizes) -> tuple[g.Box, g.Box, bool]:
    """Give a walkthrough's diagram area, where its step captions go, and whether that is a
    band under the diagram: the column beside it when every caption fits there at the floor,
    else a band across the slide that shows the current step's caption alone."""
    diagram, column = g.step_split(area)
    if frame_size(step_captions(captions), column, sizes.body, sizes.floor) is not None:
        return diagram, column, False
    diagram, band = _band_split(area, captions, sizes)
    return diagram, band, True


def _band_split(area: g.Box, captions: Sequence[str], sizes: Sizes) -> tuple[g.Box, g.Box]:
    """Give the diagram's area and the band under it, as high as the longest step caption
    needs at the body size (up to BAND_LINES lines, where it may shrink to the floor)."""
    for lines in range(1, BAND_LINES + 1):
        height = round(lines * sizes.body * BAND_LINE_HEIGHT * g.EMU_PER_POINT) + BAND_PADDING
        diagram, band = area.split_rows(area.height - height - BAND_GAP, BAND_GAP)
        if all(frame_size([Paragraph(step_label(n, text))], band, sizes.body, sizes.body)
               is not None for n, text in enumerate(captions, start=1)):
            break
    return diagram, band


def _step_texts(planning: SlidePlanning, slide: DiagramSlide) -> list[str]:
    if slide.diagram not in planning.diagrams:
        return []
    return [step.caption for step in planning.diagrams[slide.diagram].spec.steps]


def diagram_problems(planning: SlidePlanning, slide: DiagramSlide,
                     title: str) -> Iterator[Problem]:
    """Give the problems of the caption, the side bullets and the step captions (the titles,
    the step slides' "… (3/3)" too, are checked by the outline)."""
    steps = _step_texts(planning, slide)
    for overflow in (*caption_overflows(slide, planning.sizes, planning.body),
                     *_walkthrough_overflows(slide, planning.sizes, steps)):
        yield planning.overflow(overflow, title)


def _walkthrough_overflows(slide: DiagramSlide, sizes: Sizes,
                           steps: Sequence[str]) -> Iterator[Overflow]:
    if not (slide.walkthrough and steps):
        return
    area, _ = g.caption_split(bool(slide.caption))
    _, column, _ = step_areas(area, steps, sizes)
    for number, text in enumerate(steps, start=1):
        if frame_size([Paragraph(step_label(number, text))], column, sizes.body,
                      sizes.floor) is None:
            yield Overflow(("walkthrough",), f"the caption of step {number}")


def diagram_named(raw: object) -> str | None:
    """Give the name of the diagram a slide's YAML names (even a slide that is not valid)."""
    name = raw.get("diagram") if isinstance(raw, dict) else None
    return name if isinstance(name, str) else None


def render_mode(deck: Deck, diagram: DiagramFile) -> str:
    """Give how `diagram` is drawn: its own `render`, else the deck's."""
    return diagram.spec.render or deck.render


def diagram_area(slide: DiagramSlide, steps: Sequence[str], sizes: Sizes) -> g.Box:
    """Give the part of the slide a diagram fills: beside or above its walkthrough's step
    captions, else beside the slide's bullets when it has some."""
    area, _ = g.caption_split(bool(slide.caption))
    if slide.walkthrough and steps:
        return step_areas(area, steps, sizes)[0]
    return g.picture_beside_bullets(area)[0] if slide.bullets else area


def native_areas(deck: Deck, chapters: Iterable[Chapter], diagrams: dict[str, DiagramFile],
                 mode: str = "native") -> list[tuple[DiagramFile, g.Box]]:
    """Give each diagram the chapters draw as shapes (or, `mode` "picture", as pictures), with
    the smallest area it fills."""
    font = deck.theme.font
    sizes = deck_sizes(font.size, font.title_size, font.min_size)
    areas: dict[str, g.Box] = {}
    for slide in (slide for chapter in chapters for slide in chapter.slides):
        if not isinstance(slide, DiagramSlide):
            continue
        diagram = diagrams[slide.diagram]
        if render_mode(deck, diagram) != mode:
            continue
        area = diagram_area(slide, [step.caption for step in diagram.spec.steps], sizes)
        known = areas.get(slide.diagram, area)
        areas[slide.diagram] = g.Box(0, 0, min(known.width, area.width),
                                     min(known.height, area.height))
    return [(diagrams[name], area) for name, area in areas.items()]


def plan_diagram(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the slide with its diagram, then one slide a step when it walks through them so."""
    slide = first.slide
    assert isinstance(slide, DiagramSlide)
    diagram = planning.diagrams[slide.diagram]
    planned = replace(first, diagram=diagram)
    if slide.walkthrough != "slides":
        return [planned], []
    return [planned] + [replace(planned, step=index)
                        for index in range(len(diagram.spec.steps))], []


def write_diagram(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the diagram (or one step of it) with its caption; give its walkthrough's clicks."""
    content = planned.slide
    assert isinstance(content, DiagramSlide) and planned.diagram is not None
    images = ctx.images[planned.diagram.name]
    area = captioned_area(ctx, page, content.caption, planned.body)
    steps = planned.diagram.spec.steps
    native = ctx.natives.get(planned.diagram.name)
    if planned.step is None and content.walkthrough is not True:
        area, result = side_bullets(ctx, page, area, content)
        if native is not None:
            drawing.add_native_diagram(page, native, area, ctx.style)
        else:
            drawing.add_picture_fitted(page, images.base, area)
        return result
    diagram_box, caption_box, band = step_areas(area, [s.caption for s in steps], _sizes(ctx))
    if planned.step is not None:
        if native is not None:
            _native_highlights(ctx, page, diagram_box, native, [planned.step], steps)
        else:
            drawing.add_picture_fitted(page, images.steps[planned.step], diagram_box)
        _step_caption(ctx, page, caption_box, planned.step, steps[planned.step].caption)
        return drawing.SlideResult()
    if native is not None:
        shown = _native_highlights(ctx, page, diagram_box, native, range(len(steps)), steps)
    else:
        drawing.add_picture_fitted(page, images.base, diagram_box)
        shown = [drawing.add_picture_fitted(page, path, diagram_box) for path in images.steps]
    captions = [s.caption for s in steps]
    if band:
        return _clicks_with_band(ctx, page, caption_box, captions, shown,
                                 replace=native is not None)
    box = _numbered_captions(ctx, page, caption_box, captions)
    return drawing.SlideResult(clicks=[
        drawing.Click((drawing.Appear(picture), drawing.Appear(box, (n, n)),
                       *([drawing.Disappear(shown[n - 1])] if n and native is not None else [])))
        for n, picture in enumerate(shown)
    ])


def _sizes(ctx: SlideContext) -> Sizes:
    style = ctx.style
    return Sizes(style.body_size, style.title_size, style.body_floor)


def _step_caption(ctx: SlideContext, page: Page, area: g.Box, step: int, caption: str, *,
                  in_band: bool = False) -> int:
    """Write the caption of one step, numbered; give its box's id. In the band the captions
    lie on each other, each covering the one before (a viewer without the clicks shows the
    last step's caption alone, not all of them run together)."""
    paragraph = drawing.TextParagraph(runs=(
        drawing.TextRun(f"{step + 1}. ", bold=True, color=ctx.style.colors.accent),
        *drawing.rich_runs(caption)))
    block = drawing.body_block(ctx.style, [paragraph])
    if in_band:
        return drawing.add_covering_text(page, area, block, ctx.style, f"step {step + 1}: caption")
    return int(drawing.add_text_box(page, area, block, ctx.style).shape_id)


def _clicks_with_band(ctx: SlideContext, page: Page, band: g.Box, captions: list[str],
                      shown: list[int], *, replace: bool) -> SlideResult:
    """Give a walkthrough's clicks when its captions take turns in the band under the diagram:
    each click shows its step and its caption, and hides the last step's caption (and, for
    highlights drawn over the diagram, the last highlight)."""
    boxes = [_step_caption(ctx, page, band, n, text, in_band=True)
             for n, text in enumerate(captions)]
    clicks = []
    for n, (picture, box) in enumerate(zip(shown, boxes, strict=True)):
        hidden = [boxes[n - 1], *([shown[n - 1]] if replace else [])] if n else []
        clicks.append(drawing.Click((drawing.Appear(picture), drawing.Appear(box),
                                     *(drawing.Disappear(shape) for shape in hidden))))
    return drawing.SlideResult(clicks=clicks)


def _numbered_captions(ctx: SlideContext, page: Page, area: g.Box, captions: list[str]) -> int:
    """Add the numbered captions of a walkthrough's steps, one paragraph each; give the box id."""
    paragraphs = [
        drawing.TextParagraph(runs=(drawing.TextRun(f"{n}. ", bold=True,
                                                    color=ctx.style.colors.accent),
                                    *drawing.rich_runs(text)),
                              space_before=0.4 if n > 1 else 0.0)
        for n, text in enumerate(captions, start=1)
    ]
    box = drawing.add_text_box(page, area, drawing.body_block(ctx.style, paragraphs), ctx.style)
    return int(box.shape_id)


def _native_highlights(ctx: SlideContext, page: Page, area: g.Box, native: NativeDiagram,
                       chosen: Iterable[int], steps: list[Step]) -> list[int]:
    """Draw the diagram as shapes with a group of highlights per chosen step over it (each
    step's edges, labels and nodes); give the groups' ids."""
    drawn = drawing.add_native_diagram(page, native, area, ctx.style)
    return [drawing.add_step_highlight(page, native, drawn, steps[n].edges, steps[n].nodes,
                                       n + 1, ctx.style) for n in chosen]


DIAGRAM = register(SlideType(name="diagram", model=DiagramSlide, write=write_diagram, order=2,
                             problems=diagram_problems,
                             plan=plan_diagram))
