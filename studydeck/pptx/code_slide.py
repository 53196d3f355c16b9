"""Code slides: highlighted lines as native coloured runs, line numbers, stepped highlights."""

from __future__ import annotations

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu

from studydeck.highlight import (
    BAND_COLOR,
    CODE_BACKGROUND,
    LINE_NUMBER_COLOR,
    CodeSpan,
    highlighted_lines,
    line_ranges,
)
from studydeck.layout import geometry as g
from studydeck.layout.check import CAPTION_SIZE
from studydeck.layout.code_lines import CodeLayout, code_layout
from studydeck.layout.fit import BODY_FLOOR
from studydeck.outline import PlannedSlide
from studydeck.pptx.animation import Appear, Click, Disappear
from studydeck.pptx.slides import SlideContext, SlideResult, _fill
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, TextParagraph, TextRun, add_text_box, fill_frame, plain
from studydeck.schema.models import CodeSlide

DIM_OPACITY = 40_000  # the veil over lines a step does not highlight (the export shows them all)


def build_code(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, CodeSlide)
    style = ctx.style
    area, caption_box = g.caption_split(bool(content.caption))
    lines = content.lines
    last = content.start + len(lines) - 1 if content.line_numbers else None
    layout = code_layout(lines, area, last, style.body_size)
    _rectangle(slide, layout.panel, CODE_BACKGROUND, "Code panel")
    steps = [_indexes(numbers, content.start) for numbers in content.step_lines]
    bands = [[_rectangle(slide, layout.line_box(a, b), BAND_COLOR, f"Step {n} lines")
              for a, b in line_ranges(step)] for n, step in enumerate(steps, start=1)]
    _code_frame(slide, layout, highlighted_lines(content.code, content.language), style)
    if layout.gutter is not None:
        _line_numbers(slide, layout, layout.gutter, content.start, len(lines), style)
    veils = [(_rectangle(slide, layout.line_box(a, b), CODE_BACKGROUND, "Dimmed lines",
                         DIM_OPACITY), dimmed)
             for a, b, dimmed in _veiled_runs(steps, len(lines))]
    if caption_box is not None:
        below = g.Box(area.left, layout.panel.bottom + g.GAP, area.width, caption_box.height)
        add_text_box(slide, below, TextBlock(
            [plain(content.caption, color=style.colors.muted, align=PP_ALIGN.CENTER)],
            CAPTION_SIZE, BODY_FLOOR), style)
    return SlideResult(clicks=[_step_click(n, bands, veils) for n in range(len(steps))])


def _step_click(n: int, bands: list[list[int]], veils: list[tuple[int, tuple[bool, ...]]]
                ) -> Click:
    """Give click n: its bands and veils appear, the previous step's ones it does not keep go."""
    was = [False] * len(veils) if n == 0 else [dimmed[n - 1] for _, dimmed in veils]
    now = [dimmed[n] for _, dimmed in veils]
    return Click((
        *(Appear(shape) for shape in bands[n]),
        *(Appear(shape) for (shape, _), before, after in zip(veils, was, now, strict=True)
          if after and not before),
        *(Disappear(shape) for shape in (bands[n - 1] if n else [])),
        *(Disappear(shape) for (shape, _), before, after in zip(veils, was, now, strict=True)
          if before and not after),
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


def _indexes(numbers: list[int], start: int) -> list[int]:
    return [number - start for number in numbers]


def _code_frame(slide: Slide, layout: CodeLayout, lines: list[list[CodeSpan]],
                style: DeckStyle) -> None:
    """Add the code as one paragraph per line, one coloured monospace run per token."""
    paragraphs = [
        TextParagraph(runs=tuple(TextRun(span.text, color=span.color, mono=True)
                                 for span in line))
        for line in lines
    ]
    _frame(slide, layout.code, paragraphs, layout.size, style, "Code")


def _line_numbers(slide: Slide, layout: CodeLayout, box: g.Box, start: int, count: int,
                  style: DeckStyle) -> None:
    paragraphs = [
        TextParagraph(runs=(TextRun(str(number), color=LINE_NUMBER_COLOR, mono=True),),
                      align=PP_ALIGN.RIGHT)
        for number in range(start, start + count)
    ]
    _frame(slide, box, paragraphs, layout.size, style, "Line numbers")


def _frame(slide: Slide, box: g.Box, paragraphs: list[TextParagraph], size: float,
           style: DeckStyle, name: str) -> None:
    """Add a text box that never wraps, its lines at `size` (checked to fit by the layout)."""
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                     Emu(box.height))
    shape.name = name
    fill_frame(shape.text_frame, TextBlock(paragraphs, size, size, MSO_ANCHOR.TOP), style, size)
    shape.text_frame.word_wrap = False


def _rectangle(slide: Slide, box: g.Box, color: str, name: str, opacity: int = 0) -> int:
    """Add a filled rectangle without outline; `opacity` (in 1/1000 %) makes it see-through."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(box.height))
    shape.name = name
    _fill(shape, color)
    style = shape._element.find(qn("p:style"))
    if style is not None:  # its effect reference gives LibreOffice's rectangles a shadow
        shape._element.remove(style)
    if opacity:
        color_element = shape._element.spPr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
        etree.SubElement(color_element, qn("a:alpha"), val=str(opacity))
    return int(shape.shape_id)
