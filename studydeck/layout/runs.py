"""Measuring text of mixed styles: a paragraph's inline Markdown, each run with its own font.

Bold runs are measured with the bold face, monospace runs (inline `code`, code slides) with the
monospace faces LibreOffice renders them with; italic is a slanted regular face (the CJK fonts
have no italic), as wide as regular. Plain paragraphs keep the faster single-style measure.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from PIL import ImageFont

from studydeck.layout import fontconfig
from studydeck.layout.scripts import autospace_em, is_asian
from studydeck.layout.text import (
    BREAK_AFTER,
    BREAK_AFTER_FIRST,
    MEASURE_SIZE,
    StyledRun,
    clear_each_build,
    counted_lines,
    faces_in_use,
    kept_line_count,
    line_count,
    text_width_em,
)
from studydeck.richtext import spans

# What LibreOffice renders the code typefaces with (studydeck/fonts.conf maps them).
MONO_LATIN_RENDER = "DejaVu Sans Mono"
MONO_ASIAN_RENDER = "Noto Sans Mono CJK KR"
MONO_ASIAN_MIN_EM = 1.0
_CHUNK_END = re.compile(rf" +|{BREAK_AFTER.pattern}")


@functools.lru_cache(maxsize=65536)
def markdown_runs(markdown: str, bold: bool = False) -> tuple[StyledRun, ...]:
    """Give the runs a paragraph of inline Markdown is written as; `bold` makes all bold."""
    return tuple(StyledRun(span.text, bold or span.bold, span.code) for span in spans(markdown))


def runs_line_count(runs: tuple[StyledRun, ...], width_em: float) -> int:
    """Give the lines a paragraph of runs wraps to in `width_em` ems."""
    return counted_lines((runs, width_em), lambda: _kept_or_counted(runs, width_em))


def _kept_or_counted(runs: tuple[StyledRun, ...], width_em: float) -> int:
    if any(run.mono for run in runs):  # set in the code faces, which faces_in_use leaves out
        return _count_lines(runs, width_em)
    key = "\x1e".join([faces_in_use(), repr(width_em),
                        *(f"{'b' if run.bold else ''}\x1f{run.text}" for run in runs)])
    return kept_line_count(key, lambda: _count_lines(runs, width_em))


def line_rules_id() -> str:
    """Give what a kept line count depends on besides its key and the measurer (measurer_id):
    the rules of this module."""
    return f"lines {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}"


def _count_lines(runs: tuple[StyledRun, ...], width_em: float) -> int:
    text = "".join(run.text for run in runs)
    styles = {(run.bold, run.mono) for run in runs}
    if len(styles) <= 1 and not any(mono for _, mono in styles):
        bold = bool(runs) and runs[0].bold
        if "\n" not in text and text_width_em(text, bold) <= width_em:
            return 1  # most bullets and captions: one measure instead of one per word
        return line_count(text, width_em, bold)
    return styled_line_count(runs, width_em)


@functools.cache
def _mono_font(asian: bool, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    family = MONO_ASIAN_RENDER if asian else MONO_LATIN_RENDER
    weight = ":bold" if bold else ""
    found = fontconfig.match(f"{family}{weight}", "%{file}|%{index}")
    try:
        file, index = (found or "").split("|")
        if Path(file).exists():
            return ImageFont.truetype(file, MEASURE_SIZE, index=int(index or 0))
    except (OSError, ValueError):
        pass
    return ImageFont.load_default(MEASURE_SIZE)


@functools.lru_cache(maxsize=65536)
def mono_width_em(text: str, bold: bool = False) -> float:
    """Give the width of `text` in ems of the monospace faces (Latin and Asian), with autospace."""
    glyphs = sum(_mono_glyph_em(character, bold) for character in text)
    return glyphs + autospace_em(text)


@functools.lru_cache(maxsize=8192)
def _mono_glyph_em(character: str, bold: bool) -> float:
    asian = is_asian(character)
    width = float(_mono_font(asian, bold).getlength(character)) / MEASURE_SIZE
    # Noto Sans Mono CJK sets Hangul 0.92 em wide; D2Coding in PowerPoint takes a full em
    return max(width, MONO_ASIAN_MIN_EM) if asian else width


def run_width_em(run: StyledRun) -> float:
    """Give the width of one run in ems, with the font its style names."""
    return mono_width_em(run.text, run.bold) if run.mono else text_width_em(run.text, run.bold)


@functools.lru_cache(maxsize=65536)
def styled_width_em(runs: tuple[StyledRun, ...]) -> float:
    """Give the width of runs set side by side, with the autospace where they meet."""
    glyphs = sum(run_width_em(run) - _autospace(run.text) for run in runs)
    return glyphs + _autospace("".join(run.text for run in runs))


@functools.lru_cache(maxsize=65536)
def _autospace(text: str) -> float:
    return autospace_em(text)


clear_each_build(styled_width_em.cache_clear)  # its widths depend on the deck's fonts


def styled_line_count(runs: tuple[StyledRun, ...], width_em: float) -> int:
    """Give the lines runs of mixed styles wrap to: at spaces, after hyphens, else anywhere."""
    if styled_width_em(runs) <= width_em:  # most lines of code, agenda entries, captions
        return 1
    text = "".join(run.text for run in runs)
    styles = [(run.bold, run.mono) for run in runs for _ in run.text]

    def fits(start: int, end: int) -> bool:
        while end > start and text[end - 1] == " ":
            end -= 1
        return styled_width_em(_slice(text, styles, start, end)) <= width_em

    lines, start, end = 1, 0, 0
    for chunk_end in _chunk_ends(text):
        if chunk_end <= end:
            continue
        if end > start and not fits(start, chunk_end):
            lines, start = lines + 1, end
        end = chunk_end
        while not fits(start, end):  # a word too wide for a line of its own breaks anywhere
            cut = start + 1
            while cut < end and fits(start, cut + 1):
                cut += 1
            lines, start = lines + 1, cut
    return lines


def _chunk_ends(text: str) -> list[int]:
    """Give where a line may end: after spaces, after a hyphen, after a slash in the first word."""
    first_word = text.find(" ") if " " in text else len(text)
    ends = {m.end() for m in _CHUNK_END.finditer(text)}
    ends |= {m.end() for m in BREAK_AFTER_FIRST.finditer(text) if m.end() < first_word}
    return sorted(end for end in ends | {len(text)} if end > 0)


def _slice(text: str, styles: list[tuple[bool, bool]], start: int,
           end: int) -> tuple[StyledRun, ...]:
    runs: list[StyledRun] = []
    for index in range(start, end):
        bold, mono = styles[index]
        if runs and (runs[-1].bold, runs[-1].mono) == (bold, mono):
            runs[-1] = StyledRun(runs[-1].text + text[index], bold, mono)
        else:
            runs.append(StyledRun(text[index], bold, mono))
    return tuple(runs)
