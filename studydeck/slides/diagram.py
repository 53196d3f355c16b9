"""Diagram slides: a diagram file drawn as a picture or as shapes, and its steps walked through
click by click beside their captions, or one slide a step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Overflow, Sizes, title_fits
from studydeck.layout.fit import TITLE_FLOOR, frame_size
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import Paragraph
from studydeck.schema.models import SLUG, Deck, DiagramFile, SlideBase, Step, Text
from studydeck.slides import drawing
from studydeck.slides.picture import SideBullets, caption_overflows, captioned_area, side_bullets
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.diagrams.cache import DiagramImages
    from studydeck.diagrams.native import NativeDiagram
    from studydeck.pptx.context import Page, SlideContext, SlideResult
    from studydeck.slides import Chapter


class DiagramSlide(SlideBase, SideBullets):
    type: Literal["diagram"]
    diagram: Annotated[str, Field(pattern=SLUG)]
    caption: Text = ""
    walkthrough: bool | Literal["slides"] = False


def step_label(number: int, caption: str) -> str:
    """Give a step's caption numbered ("2. …")."""
    return f"{number}. {caption}"


def step_captions(captions: Sequence[str]) -> list[Paragraph]:
    """Give a walkthrough's numbered step captions as measured paragraphs."""
    return [Paragraph(step_label(n, text), space_before=0.4 if n > 1 else 0.0)
            for n, text in enumerate(captions, start=1)]


def steps_fit_beside(captions: Sequence[str], has_caption: bool, sizes: Sizes) -> bool:
    """Tell whether every step caption fits in the column beside a walkthrough's diagram."""
    area, _ = g.caption_split(has_caption)
    _, column = g.step_split(area)
    return frame_size(step_captions(captions), column, sizes.body, sizes.floor) is not None


def _step_texts(planning: SlidePlanning, slide: DiagramSlide) -> list[str]:
    if slide.diagram not in planning.diagrams:
        return []
    return [step.caption for step in planning.diagrams[slide.diagram].spec.steps]


def steps_on_slides(planning: SlidePlanning,
                    slide: DiagramSlide) -> tuple[DiagramSlide, list[Problem]]:
    """Give a walkthrough whose step captions do not fit beside its diagram one slide a step."""
    steps = _step_texts(planning, slide)
    if not (slide.walkthrough is True and steps):
        return slide, []
    if steps_fit_beside(steps, bool(slide.caption), planning.sizes):
        return slide, []
    warning = planning.problem(("walkthrough",), f"slide '{slide.title}': the {len(steps)} step "
                                                 "captions do not fit beside the diagram at "
                                                 f"{planning.sizes.floor:g} pt; each step gets a "
                                                 "slide of its own",
                               "write `walkthrough: slides` to say so, or shorten the captions",
                               "warning")
    return slide.model_copy(update={"walkthrough": "slides"}), [warning]


def diagram_problems(planning: SlidePlanning, slide: DiagramSlide,
                     title: str) -> Iterator[Problem]:
    """Give the problems of a step slide's title ("… (3/3)"), the caption, the side bullets
    and the step captions; the slide's own title was checked before."""
    steps = _step_texts(planning, slide)
    numbered = f"{title} ({len(steps)}/{len(steps)})"
    if (slide.walkthrough == "slides" and title_fits(title, planning.sizes)
            and not title_fits(numbered, planning.sizes)):
        yield planning.problem(("title",), f"the title '{numbered}' does not fit even at "
                                           f"{TITLE_FLOOR} pt", "shorten the title")
    for overflow in (*caption_overflows(slide, planning.sizes),
                     *_walkthrough_overflows(slide, planning.sizes, steps)):
        yield planning.overflow(overflow, title)


def _walkthrough_overflows(slide: DiagramSlide, sizes: Sizes,
                           steps: Sequence[str]) -> Iterator[Overflow]:
    if not (slide.walkthrough and steps):
        return
    area, _ = g.caption_split(bool(slide.caption))
    _, column = g.step_split(area)
    if slide.walkthrough is True and not steps_fit_beside(steps, bool(slide.caption), sizes):
        yield Overflow(("walkthrough",), "the step captions beside the diagram")
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


def diagram_area(slide: DiagramSlide, *, with_steps: bool) -> g.Box:
    """Give the part of the slide a diagram fills: beside the step captions `with_steps`, else
    beside the slide's bullets when it has some."""
    area, _ = g.caption_split(bool(slide.caption))
    if with_steps:
        return g.step_split(area)[0]
    return g.picture_beside_bullets(area)[0] if slide.bullets else area


def native_areas(deck: Deck, chapters: Iterable[Chapter], diagrams: dict[str, DiagramFile],
                 ) -> list[tuple[DiagramFile, g.Box]]:
    """Give each diagram the chapters draw as shapes, with the smallest area it fills."""
    areas: dict[str, g.Box] = {}
    for slide in (slide for chapter in chapters for slide in chapter.slides):
        if not isinstance(slide, DiagramSlide):
            continue
        diagram = diagrams[slide.diagram]
        if render_mode(deck, diagram) != "native":
            continue
        area = diagram_area(slide, with_steps=bool(slide.walkthrough))
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
    area = captioned_area(ctx, page, content.caption)
    steps = planned.diagram.spec.steps
    native = ctx.natives.get(planned.diagram.name)
    if planned.step is None and content.walkthrough is not True:
        area, result = side_bullets(ctx, page, area, content)
        if native is not None:
            drawing.add_native_diagram(page, native, area, ctx.style)
        else:
            drawing.add_picture_fitted(page, images.base, area)
        return result
    if native is not None:
        return _native_steps(ctx, page, area, native, planned.step, steps)
    if planned.step is not None:
        return _single_step(ctx, page, area, images, planned.step, steps[planned.step].caption)
    return _walkthrough(ctx, page, area, images, [step.caption for step in steps])


def _single_step(ctx: SlideContext, page: Page, area: g.Box, images: DiagramImages,
                 step: int, caption: str) -> SlideResult:
    picture_area, caption_area = g.step_split(area)
    drawing.add_picture_fitted(page, images.steps[step], picture_area)
    _step_caption(ctx, page, caption_area, step, caption)
    return drawing.SlideResult()


def _step_caption(ctx: SlideContext, page: Page, area: g.Box, step: int, caption: str) -> None:
    """Write the caption of the one step a step slide shows, numbered."""
    label = drawing.plain(step_label(step + 1, caption), color=ctx.style.colors.text)
    drawing.add_text_box(page, area, drawing.body_block(ctx.style, [label]), ctx.style)


def _walkthrough(ctx: SlideContext, page: Page, area: g.Box, images: DiagramImages,
                 captions: list[str]) -> SlideResult:
    picture_area, caption_area = g.step_split(area)
    drawing.add_picture_fitted(page, images.base, picture_area)
    step_pictures = [drawing.add_picture_fitted(page, path, picture_area)
                     for path in images.steps]
    box = _numbered_captions(ctx, page, caption_area, captions)
    return drawing.SlideResult(clicks=[
        drawing.Click((drawing.Appear(picture), drawing.Appear(box, (n, n))))
        for n, picture in enumerate(step_pictures)
    ])


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


def _native_steps(ctx: SlideContext, page: Page, area: g.Box, native: NativeDiagram,
                  step: int | None, steps: list[Step]) -> SlideResult:
    """Draw a walkthrough as shapes: on one step's slide, or click by click.

    Each step is a group of highlights over the diagram that appears on its click as the
    previous step's disappears, with the step's caption.
    """
    diagram_area, caption_area = g.step_split(area)
    drawn = drawing.add_native_diagram(page, native, diagram_area, ctx.style)
    chosen = range(len(steps)) if step is None else [step]
    highlights = [drawing.add_step_highlight(page, native, drawn, steps[n].edges,
                                             steps[n].nodes, n + 1, ctx.style) for n in chosen]
    if step is not None:
        _step_caption(ctx, page, caption_area, step, steps[step].caption)
        return drawing.SlideResult()
    captions = _numbered_captions(ctx, page, caption_area, [s.caption for s in steps])
    return drawing.SlideResult(clicks=[
        drawing.Click((drawing.Appear(shown), drawing.Appear(captions, (n, n)),
                       *([drawing.Disappear(highlights[n - 1])] if n else [])))
        for n, shown in enumerate(highlights)
    ])


DIAGRAM = register(SlideType(name="diagram", model=DiagramSlide, write=write_diagram, order=2,
                             arrange=steps_on_slides, problems=diagram_problems,
                             plan=plan_diagram))
