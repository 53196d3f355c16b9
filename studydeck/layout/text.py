"""Text measurement with the real font metrics: how many lines a paragraph takes in a box."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from studydeck.layout.geometry import EMU_PER_POINT

# LibreOffice renders the deck's Korean text with Noto Sans CJK KR (face 1 of the .ttc).
RENDER_FONT = "Noto Sans CJK KR"
# LibreOffice spaces single lines by the font's ascent + descent: 1.448 em for Noto Sans CJK,
# more than PowerPoint's 1.2 em, so measuring with it is safe for both.
FONT_LINE_HEIGHT = 1.448
MEASURE_SIZE = 100  # measure at 100 px and scale: Pillow rounds small sizes


@dataclass(frozen=True)
class Paragraph:
    """A paragraph to measure: its text, its size relative to the body size, its indent."""

    text: str
    scale: float = 1.0
    indent: int = 0  # EMU taken by the bullet and level indent
    space_before: float = 0.0  # in lines of this paragraph's size


@functools.cache
def _font_file() -> tuple[str, int]:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", f"{RENDER_FONT}:lang=ko"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout
        file, index = found.split("|")
        if Path(file).exists():
            return file, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return "DejaVuSans.ttf", 0


@functools.cache
def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    file, index = _font_file()
    try:
        return ImageFont.truetype(file, MEASURE_SIZE, index=index)
    except OSError:
        return ImageFont.load_default(MEASURE_SIZE)


@functools.lru_cache(maxsize=65_536)
def text_width_em(text: str) -> float:
    """Give the advance width of `text` in ems of the render font."""
    return float(_font().getlength(text)) / MEASURE_SIZE


def line_count(text: str, width_em: float) -> int:
    """Give the number of lines `text` wraps to in `width_em` ems, breaking at spaces."""
    lines = 1
    current = 0.0
    space = text_width_em(" ")
    for word in text.split(" "):
        word_width = text_width_em(word)
        needed = word_width if current == 0 else current + space + word_width
        if needed <= width_em or current == 0:
            current = needed
            # a single word wider than the line breaks between its characters
            while current > width_em and width_em > 0:
                lines += 1
                current -= width_em
        else:
            lines += 1
            current = word_width
            while current > width_em and width_em > 0:
                lines += 1
                current -= width_em
    return lines


def text_height(paragraphs: list[Paragraph], size_pt: float, width: int) -> int:
    """Give the height in EMU the paragraphs take at `size_pt` in a frame `width` EMU wide."""
    total = 0.0
    for paragraph in paragraphs:
        size = size_pt * paragraph.scale
        width_em = (width - paragraph.indent) / (size * EMU_PER_POINT)
        lines = line_count(paragraph.text, width_em)
        total += lines * size * FONT_LINE_HEIGHT + paragraph.space_before * size
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
