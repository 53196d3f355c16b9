"""Where a code slide's lines go: the size at which the longest line fits, and the pages.

Code never wraps: the size is the largest (from the body size, at most CODE_LARGEST) at which
the longest line fits the panel's width, never below CODE_FLOOR; a line too long even then is
the author's to shorten. Lines that do not fit the height even at CODE_FLOOR continue on more
slides, cut between top-level statements.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from studydeck.layout.fit import balanced_pages
from studydeck.layout.geometry import EMU_PER_POINT, FRAME_INSET, Box, caption_split, inches
from studydeck.layout.runs import mono_width_em
from studydeck.layout.statements import statement_units

CODE_FLOOR = 16
CODE_LARGEST = 24
# lines of code stand closer than lines of prose (1.2), as in a code editor
CODE_LINE_HEIGHT = 1.1
CAPTION_BESIDE = inches(2.8)  # a caption's column beside code that fits one slide only so
PANEL_PAD = inches(0.12)  # between the panel's edge and its text frames
GUTTER_GAP = inches(0.1)  # between the line numbers and the code


@dataclass(frozen=True)
class CodeLayout:
    """A code slide's text size, its panel, the line-number gutter (if any) and the code frame."""

    size: float
    panel: Box
    gutter: Box | None
    code: Box

    @property
    def line_height(self) -> int:
        return round(self.size * CODE_LINE_HEIGHT * EMU_PER_POINT)

    def line_box(self, first: int, last: int) -> Box:
        """Give the band across the panel behind lines first..last (0-based, inclusive)."""
        top = self.code.top + FRAME_INSET + first * self.line_height
        return Box(self.panel.left, top, self.panel.width, (last - first + 1) * self.line_height)


@dataclass(frozen=True)
class CodeAreas:
    """Where a code slide's panel and its caption (if any) go: the caption below the code, or
    beside it (a column on the right) where the code fits one slide only that way."""

    code: Box
    caption: Box | None = None
    beside: bool = False


def code_areas(lines: list[str], body: Box, has_caption: bool,
               last_number: int | None) -> CodeAreas:
    """Give the code's and the caption's areas: the caption below, unless the lines would not
    fit one slide at CODE_FLOOR under it and do beside it (not too wide for the narrower panel).
    """
    if not has_caption:
        return CodeAreas(body)
    below = CodeAreas(*caption_split(True, body))
    if len(lines) <= _lines_per_page(CODE_FLOOR, below.code, last_number):
        return below
    gap = 3 * GUTTER_GAP
    code, caption = body.split_columns((body.width - CAPTION_BESIDE - gap) / (body.width - gap),
                                       gap)
    if (len(lines) <= _lines_per_page(CODE_FLOOR, code, last_number)
            and too_wide_line(lines, code, last_number) is None):
        return CodeAreas(code, caption, beside=True)
    return below


def code_layout(lines: list[str], area: Box, last_number: int | None,
                largest: float, size: float | None = None) -> CodeLayout:
    """Give the layout of `lines` at `size` (default: the largest at which they fit `area`).

    `last_number` is the largest line number shown, None without line numbers.
    """
    chosen = size if size is not None else _fitting_size(lines, area, last_number, largest)
    return _layout_at(chosen or CODE_FLOOR, len(lines), area, last_number)


def too_wide_line(lines: list[str], area: Box, last_number: int | None) -> int | None:
    """Give the index of the first line too wide for the panel even at CODE_FLOOR, or None."""
    layout = _layout_at(CODE_FLOOR, 1, area, last_number)
    for index, line in enumerate(lines):
        if not _fits_width(line, layout):
            return index
    return None


def code_pages(lines: list[str], area: Box, last_number: int | None,
               largest: float) -> tuple[float, list[int]]:
    """Give the size and how many lines each slide shows: one slide at any size down to
    CODE_FLOOR when the lines fit there, else as few slides as at CODE_FLOOR, cut between
    top-level statements (studydeck.layout.statements) and at the largest size that keeps them
    that few. Assumes every line fits the width at the floor (too_wide_line is None).
    """
    widest = _widest_size(lines, area, last_number, largest)

    def fits_at(size: float) -> Callable[[list[str]], bool]:
        room = _lines_per_page(size, area, last_number)
        return lambda page: len(page) <= room

    units = statement_units(lines, _lines_per_page(CODE_FLOOR, area, last_number))
    pages = balanced_pages(units, widest, CODE_FLOOR, fits_at)
    size = next((float(size) for size in range(int(widest), CODE_FLOOR - 1, -1)
                 if all(fits_at(size)(page) for page in pages)), float(CODE_FLOOR))
    return size, [len(page) for page in pages]


def shared_code_size(sizes: list[float]) -> float | None:
    """Give the one size a deck's code slides are written at: the smallest any of them needs,
    so that they all read alike (None for a deck without code)."""
    return min(sizes) if sizes else None


def _fitting_size(lines: list[str], area: Box, last_number: int | None,
                  largest: float) -> float:
    size = _widest_size(lines, area, last_number, largest)
    while size > CODE_FLOOR and _lines_per_page(size, area, last_number) < len(lines):
        size -= 1
    return size


def _widest_size(lines: list[str], area: Box, last_number: int | None, largest: float) -> float:
    size = float(min(largest, CODE_LARGEST))
    longest = max(lines, key=lambda line: mono_width_em(line.rstrip()))
    while size > CODE_FLOOR and not _fits_width(longest, _layout_at(size, 1, area, last_number)):
        size -= 1
    return size


def _fits_width(line: str, layout: CodeLayout) -> bool:
    width = mono_width_em(line.rstrip()) * layout.size * EMU_PER_POINT
    return width <= layout.code.width - 2 * FRAME_INSET


def _lines_per_page(size: float, area: Box, last_number: int | None) -> int:
    line_height = size * CODE_LINE_HEIGHT * EMU_PER_POINT
    room = area.height - 2 * PANEL_PAD - 2 * FRAME_INSET
    return max(1, int(room // line_height))


def _layout_at(size: float, line_count: int, area: Box, last_number: int | None) -> CodeLayout:
    """Give the panel (as tall as its lines, at the top of `area`) and its frames at `size`."""
    text_height = round(line_count * size * CODE_LINE_HEIGHT * EMU_PER_POINT) + 2 * FRAME_INSET
    panel = Box(area.left, area.top, area.width, min(area.height, text_height + 2 * PANEL_PAD))
    inner = Box(panel.left + PANEL_PAD, panel.top + PANEL_PAD, panel.width - 2 * PANEL_PAD,
                panel.height - 2 * PANEL_PAD)
    if last_number is None:
        return CodeLayout(size, panel, None, inner)
    # the widest number, and a little room so that rounding never wraps it
    digits = (mono_width_em(str(last_number)) + 0.2) * size * EMU_PER_POINT
    gutter = Box(inner.left, inner.top, math.ceil(digits) + 2 * FRAME_INSET, inner.height)
    code = Box(gutter.right + GUTTER_GAP, inner.top, inner.right - gutter.right - GUTTER_GAP,
               inner.height)
    return CodeLayout(size, panel, gutter, code)
