"""How high paragraphs of inline Markdown stand in a frame, and the largest size they fit at.

Above both ways of measuring: a paragraph of one style (studydeck.layout.text) and one of mixed
runs (studydeck.layout.runs).
"""

from __future__ import annotations

from studydeck.layout.geometry import EMU_PER_POINT
from studydeck.layout.runs import markdown_runs, runs_line_count
from studydeck.layout.text import FONT_LINE_HEIGHT, Paragraph, scaled_size


def paragraph_height(paragraph: Paragraph, size_pt: float, width: int) -> float:
    """Give the height in points one paragraph takes at `size_pt` in a frame `width` EMU wide."""
    size = scaled_size(size_pt, paragraph.scale, paragraph.min_size)
    width_em = (width - paragraph.indent) / (size * EMU_PER_POINT)
    runs = paragraph.runs or markdown_runs(paragraph.text, paragraph.bold)
    lines = runs_line_count(runs, width_em)
    return lines * size * FONT_LINE_HEIGHT + paragraph.space_before * size


def text_height(paragraphs: list[Paragraph], size_pt: float, width: int) -> int:
    """Give the height in EMU the paragraphs take at `size_pt` in a frame `width` EMU wide."""
    total = sum(paragraph_height(p, size_pt, width) for p in paragraphs)
    return round(total * EMU_PER_POINT)


def fit_size(
    paragraphs: list[Paragraph], width: int, height: int, largest: float, smallest: float
) -> float | None:
    """Give the largest size (in whole points) at which the text fits, or None below `smallest`."""
    size = largest
    while size >= smallest:
        if text_height(paragraphs, size, width) <= height:
            return size
        size -= 1
    return None
