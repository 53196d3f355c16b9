"""Timeline slides: dated or numbered steps along a line, revealed one per click if asked, and
continued on more slides when they do not fit on one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import CAPTION_SIZE, Overflow, Sizes
from studydeck.layout.colors import mix
from studydeck.layout.fit import CAPTION_FLOOR, frame_size
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import Paragraph
from studydeck.schema.models import Cell, SlideBase, Strict, Text, scalar_to_text
from studydeck.slides import drawing
from studydeck.slides.continuation import continued_over
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult

MOST_STEPS = 7  # on one slide; more continue on the next
FEWEST_COLUMNS = 3  # a step must fit one of three columns: slides then show two steps or more
TOP_ROOM = g.inches(0.5)  # above the times: the line sits nearer the middle of the slide
WHEN_HEIGHT = g.inches(0.85)  # two lines of the time above the line
BADGE = g.inches(0.55)  # the numbered mark of a step on the line
LINE_WIDTH = g.inches(0.06)
COLUMN_GAP = g.inches(0.2)
DETAIL_SPACE = 0.25  # lines between a step's label and its detail


class TimelineStep(Strict):
    """One step: when it happens (optional), what happens, and a detail (optional)."""

    when: Text = Field(default="", description='when it happens ("0 s", "2019", "Day 1"), '
                                               "shown above the step's number")
    label: Text = Field(description="what happens, in a few words")
    detail: Text = Field(default="", description="a line more, shown below the label")

    @field_validator("when", "label", "detail", mode="before", json_schema_input_type=Cell)
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return scalar_to_text(value)


class TimelineSlide(SlideBase):
    type: Literal["timeline"]
    steps: list[TimelineStep] = Field(
        json_schema_extra={"minItems": 2},
        description=f"at least 2 steps in order; up to {MOST_STEPS} fit on a slide, more "
                    "continue on the next")
    start: int = Field(default=1, ge=0, le=1000, description="the first step's number")
    reveal: bool | None = Field(default=None, description="one step appears per click "
                                                          "(the deck's `reveal` when missing)")

    @field_validator("steps")
    @classmethod
    def _at_least_two(cls, steps: list[TimelineStep]) -> list[TimelineStep]:
        if len(steps) < 2:
            raise ValueError("a timeline needs at least 2 steps")
        return steps


@dataclass(frozen=True)
class StepBoxes:
    """Where one step goes: its time above the line, its numbered mark, its text below."""

    when: g.Box
    badge: g.Box
    text: g.Box


def line_pieces(count: int, body: g.Box) -> list[g.Box]:
    """Give the line the steps stand on, across the body, in pieces between their marks (so
    that no two shapes overlap)."""
    middle = body.top + TOP_ROOM + WHEN_HEIGHT + g.GAP + BADGE // 2
    ends = [body.left, *(x for boxes in step_boxes(count, body)
                         for x in (boxes.badge.left, boxes.badge.right)), body.right]
    return [g.Box(left, middle - LINE_WIDTH // 2, right - left, LINE_WIDTH)
            for left, right in zip(ends[::2], ends[1::2], strict=True)]


def step_boxes(count: int, body: g.Box) -> list[StepBoxes]:
    """Give the boxes of `count` steps side by side in equal columns across the body."""
    width = (body.width - COLUMN_GAP * (count - 1)) // count
    badge_top = body.top + TOP_ROOM + WHEN_HEIGHT + g.GAP
    text_top = badge_top + BADGE + g.GAP
    boxes = []
    for index in range(count):
        left = body.left + index * (width + COLUMN_GAP)
        boxes.append(StepBoxes(
            when=g.Box(left, body.top + TOP_ROOM, width, WHEN_HEIGHT),
            badge=g.Box(left + (width - BADGE) // 2, badge_top, BADGE, BADGE),
            text=g.Box(left, text_top, width, body.bottom - text_top)))
    return boxes


def step_paragraphs(step: TimelineStep) -> list[Paragraph]:
    """Give a step's label and detail as the writer writes them below the line."""
    detail = [Paragraph(step.detail, space_before=DETAIL_SPACE)] if step.detail else []
    return [Paragraph(step.label, bold=True), *detail]


def text_size(steps: Sequence[TimelineStep], largest: float, smallest: float,
              body: g.Box) -> float | None:
    """Give the one size every step's label and detail fit at, side by side, or None."""
    return _common([_text_fits(step, boxes, largest, smallest)
                    for step, boxes in zip(steps, step_boxes(len(steps), body), strict=True)])


def when_size(steps: Sequence[TimelineStep], body: g.Box) -> float | None:
    """Give the one size every step's time fits at above the line, or None."""
    return _common([_when_fits(step, boxes)
                    for step, boxes in zip(steps, step_boxes(len(steps), body), strict=True)])


def _text_fits(step: TimelineStep, boxes: StepBoxes, largest: float,
               smallest: float) -> float | None:
    return frame_size(step_paragraphs(step), boxes.text, largest, smallest)


def _when_fits(step: TimelineStep, boxes: StepBoxes) -> float | None:
    if not step.when:
        return CAPTION_SIZE
    return frame_size([Paragraph(step.when, bold=True)], boxes.when, CAPTION_SIZE, CAPTION_FLOOR)


def _common(sizes: list[float | None]) -> float | None:
    """Give the smallest of the sizes the steps fit at, or None when one does not fit."""
    fitting = [size for size in sizes if size is not None]
    return min(fitting) if len(fitting) == len(sizes) else None


def _fits(steps: Sequence[TimelineStep], sizes: Sizes, body: g.Box) -> bool:
    return (len(steps) <= MOST_STEPS
            and text_size(steps, sizes.body, sizes.floor, body) is not None
            and when_size(steps, body) is not None)


def timeline_pages(steps: Sequence[TimelineStep], sizes: Sizes,
                   body: g.Box) -> list[list[TimelineStep]]:
    """Give the steps of each slide: as few slides as fit, the steps shared out evenly.

    Empty when some step does not fit one of FEWEST_COLUMNS columns (step_problems says which).
    """
    for count in range(-(-len(steps) // MOST_STEPS), -(-len(steps) // FEWEST_COLUMNS) + 1):
        pages = _shared_out(steps, count)
        if all(_fits(page, sizes, body) for page in pages):
            return pages
    return []


def _shared_out(steps: Sequence[TimelineStep], count: int) -> list[list[TimelineStep]]:
    """Give the steps cut into `count` runs of (almost) equal length, the longer ones first."""
    size, longer = divmod(len(steps), count)
    pages, start = [], 0
    for index in range(count):
        end = start + size + (index < longer)
        pages.append(list(steps[start:end]))
        start = end
    return pages


def step_problems(planning: SlidePlanning, slide: TimelineSlide, title: str) -> Iterator[Problem]:
    """Give the problem of each step whose time or text does not fit one of three columns."""
    narrow = step_boxes(FEWEST_COLUMNS, planning.body)[0]
    for index, step in enumerate(slide.steps):
        number = slide.start + index
        if _when_fits(step, narrow) is None:
            yield planning.overflow(Overflow(("steps", index, "when"), f"the time of step {number}",
                                             "shorten it to a few words", CAPTION_FLOOR), title)
        if _text_fits(step, narrow, planning.sizes.body, planning.sizes.floor) is None:
            yield planning.overflow(Overflow(("steps", index, "label"),
                                             f"the label and detail of step {number}",
                                             "keep a step to a few words; say more in the notes"),
                                    title)


def plan_timeline(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the slide, continued on more slides when its steps do not fit on one."""
    slide = first.slide
    assert isinstance(slide, TimelineSlide)
    pages = timeline_pages(slide.steps, planning.sizes, planning.body)
    if len(pages) <= 1:
        return [first], []  # one slide, or steps that cannot fit (step_problems says which)
    copies, start = [], slide.start
    for page in pages:
        copies.append(slide.model_copy(update={"steps": page, "start": start}))
        start += len(page)
    return continued_over(planning, first, copies)


def write_timeline(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the line and each step on it; give a click per step when they reveal."""
    content = planned.slide
    assert isinstance(content, TimelineSlide)
    style = ctx.style
    body = planned.body
    # steps that cannot fit even at the floor were warned of: they are written at the floor
    size = text_size(content.steps, style.body_size, style.body_floor, body) or style.body_floor
    when = when_size(content.steps, body) or CAPTION_FLOOR
    for piece in line_pieces(len(content.steps), body):
        drawing.add_rectangle(page, piece, mix(style.colors.primary, style.colors.background, 0.6),
                              "Timeline")
    clicks = []
    for number, step, boxes in zip(range(content.start, content.start + len(content.steps)),
                                   content.steps, step_boxes(len(content.steps), body),
                                   strict=True):
        shown = [_badge(ctx, page, boxes.badge, number)]
        if step.when:
            shown.append(drawing.add_text_box(page, boxes.when, drawing.TextBlock(
                [drawing.plain(step.when, bold=True, color=style.colors.primary,
                               align=drawing.ALIGN_CENTER)],
                when, when, drawing.ANCHOR_BOTTOM), style).shape_id)
        shown.append(drawing.add_text_box(page, boxes.text, drawing.TextBlock(
            _step_text(ctx, step), size, size), style).shape_id)
        clicks.append(drawing.Click(tuple(drawing.Appear(shape) for shape in shown)))
    return drawing.SlideResult(clicks=clicks if drawing.reveals(ctx, content.reveal) else [])


def _badge(ctx: SlideContext, page: Page, box: g.Box, number: int) -> int:
    """Add a step's numbered mark on the line; give its id."""
    style = ctx.style
    label = drawing.plain(str(number), bold=True, color=style.colors.background, tint=False,
                          align=drawing.ALIGN_CENTER)
    return drawing.add_panel(page, box, style.colors.accent, style, drawing.TextBlock(
        [label], CAPTION_SIZE, CAPTION_FLOOR, drawing.ANCHOR_MIDDLE), name=f"Step {number}")


def _step_text(ctx: SlideContext, step: TimelineStep) -> list[drawing.TextParagraph]:
    """Give a step's label and detail below the line, as step_paragraphs measures them."""
    label = drawing.plain(step.label, bold=True, align=drawing.ALIGN_CENTER)
    if not step.detail:
        return [label]
    return [label, drawing.plain(step.detail, color=ctx.style.colors.muted,
                                 space_before=DETAIL_SPACE, align=drawing.ALIGN_CENTER)]


TIMELINE = register(SlideType(name="timeline", model=TimelineSlide, write=write_timeline,
                              order=9, problems=step_problems, plan=plan_timeline))
