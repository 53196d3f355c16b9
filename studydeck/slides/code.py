"""Code slides: highlighted lines as native coloured runs, line numbers, stepped highlights;
lines that do not fit continue on more slides, numbered on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from studydeck.errors import Problem
from studydeck.highlight import (
    BAND_COLOR,
    CODE_BACKGROUND,
    LINE_NUMBER_COLOR,
    CodeSpan,
    highlighted_lines,
    line_ranges,
    page_steps,
    ranges_text,
    source_lines,
    step_numbers,
)
from studydeck.layout import geometry as g
from studydeck.layout.check import CAPTION_SIZE
from studydeck.layout.code_lines import (
    CODE_FLOOR,
    CODE_LINE_HEIGHT,
    CodeAreas,
    CodeLayout,
    code_areas,
    code_layout,
    code_pages,
    shared_code_size,
    too_wide_line,
)
from studydeck.layout.fit import BODY_FLOOR
from studydeck.layout.planned import PlannedSlide
from studydeck.schema.models import SlideBase, Text, scalar_to_text
from studydeck.slides import drawing
from studydeck.slides.continuation import continued_over
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult
    from studydeck.pptx.style import DeckStyle

DIM_OPACITY = 40_000  # the veil over lines a step does not highlight (the export shows them all)


class CodeSlide(SlideBase):
    type: Literal["code"]
    code: Annotated[str, Field(min_length=1, max_length=20000,
                               description="the source, best as a block scalar (`code: |`)")]
    language: Annotated[str, Field(min_length=1, max_length=60,
                                   description="a Pygments lexer name: python, sql, bash, text …")]
    caption: Text = ""
    line_numbers: bool = True
    start: int = Field(default=1, ge=0, le=1_000_000, description="the first line's number")
    steps: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, description='lines each click highlights: "1", "3-5", "7,9", "all"')

    @field_validator("steps", mode="before", json_schema_input_type=list[str | int])
    @classmethod
    def _steps_as_text(cls, value: Any) -> Any:
        return [scalar_to_text(v) for v in value] if isinstance(value, list) else value

    @field_validator("steps")
    @classmethod
    def _steps_name_lines(cls, steps: list[str], info: ValidationInfo) -> list[str]:
        code, start = info.data.get("code"), info.data.get("start")
        if code is not None and start is not None:
            last = start + len(source_lines(code)) - 1
            for step in steps:
                step_numbers(step, start, last)
        return steps

    @property
    def lines(self) -> list[str]:
        """Give the code's lines as shown (tabs expanded)."""
        return source_lines(self.code)

    @property
    def step_lines(self) -> list[list[int]]:
        """Give the line numbers each click highlights, as the slide numbers them."""
        last = self.start + len(self.lines) - 1
        return [step_numbers(step, self.start, last) for step in self.steps]

    @property
    def step_ranges(self) -> list[str]:
        """Give each click's lines written as ranges (`3–5, 7`), for the notes."""
        return [ranges_text(numbers) for numbers in self.step_lines]


def _areas(slide: CodeSlide, body: g.Box) -> CodeAreas:
    """Give where the slide's code and caption go in `body`."""
    return code_areas(slide.lines, body, bool(slide.caption), _last_number(slide))


def _last_number(slide: CodeSlide) -> int | None:
    """Give the number of the slide's last line when it shows line numbers."""
    return slide.start + len(slide.lines) - 1 if slide.line_numbers else None


def code_problems(planning: SlidePlanning, slide: CodeSlide, title: str) -> Iterator[Problem]:
    """Give the warning of a line too long for the slide, at that line of the YAML (it is
    written at the floor and runs past the panel's edge)."""
    area = _areas(slide, planning.body).code
    index = too_wide_line(slide.lines, area, _last_number(slide))
    if index is None:
        return
    problem = planning.problem(("code",), f"slide '{slide.title}': code line "
                               f"{slide.start + index} is too long to fit even at {CODE_FLOOR} "
                               "pt; it runs past the panel's edge", "break the line (or shorten "
                               "names); code never wraps on a slide", "warning")
    yield replace(problem, line=problem.line + index + _block_scalar_offset(planning,
                                                                            problem.line))


def _block_scalar_offset(planning: SlidePlanning, line: int) -> int:
    """Give 1 when the YAML value at `line` is a block scalar (`|`): its text starts below."""
    if planning.source is None:
        return 0
    try:
        text = planning.source.path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return 0
    value = text.split(":", 1)[1].strip() if ":" in text else text.strip()
    return 1 if value[:1] in ("|", ">") else 0


def plan_code(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give a code slide and the slides its lines continue on, numbered on from `start`."""
    slide = first.slide
    assert isinstance(slide, CodeSlide)
    lines = slide.lines
    area = _areas(slide, planning.body).code
    if too_wide_line(lines, area, _last_number(slide)) is not None:
        return [replace(first, text_size=CODE_FLOOR)], []  # reported by code_problems
    size, pages = code_pages(lines, area, _last_number(slide), planning.sizes.body)
    first = replace(first, text_size=size)
    if len(pages) == 1:
        return [first], []
    copies: list[SlideBase] = []
    offset = 0
    for count in pages:
        start = slide.start + offset
        steps = page_steps(slide.step_lines, start, start + count - 1)
        copies.append(slide.model_copy(update={"code": "\n".join(lines[offset:offset + count]),
                                               "start": start, "steps": steps}))
        offset += count
    return continued_over(planning, first, copies)


def at_one_size(planned: list[PlannedSlide]) -> list[PlannedSlide]:
    """Give the deck's slides with its code slides all at one size: the smallest any of them
    was planned at, so that code reads alike from slide to slide (a smaller size always fits)."""
    size = shared_code_size([item.text_size for item in planned
                             if item.kind == CODE.name and item.text_size is not None])
    return [replace(item, text_size=size) if item.kind == CODE.name else item
            for item in planned]


def write_code(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the code panel, lines, numbers and caption; give a click per step."""
    content = planned.slide
    assert isinstance(content, CodeSlide)
    style = ctx.style
    areas = _areas(content, planned.body)
    lines = content.lines
    layout = code_layout(lines, areas.code, _last_number(content), style.body_size,
                         planned.text_size)
    drawing.add_rectangle(page, layout.panel, CODE_BACKGROUND, "Code panel")
    steps = [[number - content.start for number in numbers] for numbers in content.step_lines]
    bands = [[drawing.add_rectangle(page, layout.line_box(a, b), BAND_COLOR, f"Step {n} lines")
              for a, b in line_ranges(step)] for n, step in enumerate(steps, start=1)]
    _code_frame(page, layout, highlighted_lines(content.code, content.language), style)
    if layout.gutter is not None:
        _line_numbers(page, layout, layout.gutter, content.start, len(lines), style)
    veils = [(drawing.add_rectangle(page, layout.line_box(a, b), CODE_BACKGROUND, "Dimmed lines",
                                    DIM_OPACITY), dimmed)
             for a, b, dimmed in _veiled_runs(steps, len(lines))]
    if areas.caption is not None:
        _caption(page, content.caption, areas, layout.panel, style)
    return drawing.SlideResult(clicks=[_step_click(n, bands, veils) for n in range(len(steps))])


def _caption(page: Page, caption: str, areas: CodeAreas, panel: g.Box,
             style: DeckStyle) -> None:
    """Add the caption centred under the panel, or beside it: left-aligned, level with the
    panel's middle."""
    assert areas.caption is not None
    if areas.beside:
        box = g.Box(areas.caption.left, panel.top, areas.caption.width, panel.height)
        align, anchor = drawing.ALIGN_LEFT, drawing.ANCHOR_MIDDLE
    else:
        box = g.Box(areas.code.left, panel.bottom + g.GAP, areas.code.width,
                    areas.caption.height)
        align, anchor = drawing.ALIGN_CENTER, drawing.ANCHOR_TOP
    drawing.add_text_box(page, box, drawing.TextBlock(
        [drawing.plain(caption, color=style.colors.muted, align=align)],
        CAPTION_SIZE, BODY_FLOOR, anchor), style)


def _step_click(n: int, bands: list[list[int]], veils: list[tuple[int, tuple[bool, ...]]]
                ) -> drawing.Click:
    """Give click n: its bands and veils appear, the previous step's ones it does not keep go."""
    was = [False] * len(veils) if n == 0 else [dimmed[n - 1] for _, dimmed in veils]
    now = [dimmed[n] for _, dimmed in veils]
    return drawing.Click((
        *(drawing.Appear(shape) for shape in bands[n]),
        *(drawing.Appear(shape) for (shape, _), before, after in zip(veils, was, now, strict=True)
          if after and not before),
        *(drawing.Disappear(shape) for shape in (bands[n - 1] if n else [])),
        *(drawing.Disappear(shape) for (shape, _), before, after
          in zip(veils, was, now, strict=True) if before and not after),
    ))


def _veiled_runs(steps: list[list[int]], count: int) -> list[tuple[int, int, tuple[bool, ...]]]:
    """Give runs of lines (first, last, dimmed in each step) that some step dims.

    One veil per run, shown in the steps that dim it: veils never stack, so the slide as
    edited or exported to PDF shows each line under at most one.
    """
    dimmed = [tuple(index not in step for step in steps) for index in range(count)]
    runs: list[tuple[int, int, tuple[bool, ...]]] = []
    for index, states in enumerate(dimmed):
        if not any(states):
            continue
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == states:
            runs[-1] = (runs[-1][0], index, states)
        else:
            runs.append((index, index, states))
    return runs


def _code_frame(page: Page, layout: CodeLayout, lines: list[list[CodeSpan]],
                style: DeckStyle) -> None:
    """Add the code as one paragraph per line, one coloured monospace run per token."""
    paragraphs = [
        drawing.TextParagraph(runs=tuple(drawing.TextRun(span.text, color=span.color, mono=True)
                                         for span in line))
        for line in lines
    ]
    drawing.add_unwrapped_text(page, layout.code, _lines_block(paragraphs, layout.size), style,
                               "Code")


def _line_numbers(page: Page, layout: CodeLayout, box: g.Box, start: int, count: int,
                  style: DeckStyle) -> None:
    paragraphs = [
        drawing.TextParagraph(runs=(drawing.TextRun(str(number), color=LINE_NUMBER_COLOR,
                                                    mono=True),),
                              align=drawing.ALIGN_RIGHT)
        for number in range(start, start + count)
    ]
    drawing.add_unwrapped_text(page, box, _lines_block(paragraphs, layout.size), style,
                               "Line numbers")


def _lines_block(paragraphs: list[drawing.TextParagraph], size: float) -> drawing.TextBlock:
    # the lines are read on the panel, not the slide: their colours are made readable there
    return drawing.TextBlock(paragraphs, size, size, drawing.ANCHOR_TOP,
                             background=CODE_BACKGROUND, line_height=CODE_LINE_HEIGHT)


CODE = register(SlideType(name="code", model=CodeSlide, write=write_code, order=8,
                          problems=code_problems, plan=plan_code))
