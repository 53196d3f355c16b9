"""Text measurement with the real font metrics: how many lines a paragraph takes in a box.

Lines break the way LibreOffice breaks them for a Korean or English deck (checked against its
output): at spaces (Korean wraps by words, not syllables), after a hyphen inside a word, after a
slash only inside a paragraph's first word, and between characters when a word does not fit on
a line of its own.
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import PIL
from PIL import ImageFont

from studydeck.layout.geometry import EMU_PER_POINT

if TYPE_CHECKING:
    from studydeck.layout.runs import StyledRun

# LibreOffice renders the deck's Korean text with Noto Sans CJK KR (face 1 of the .ttc).
RENDER_FONT = "Noto Sans CJK KR"
# Lines are 1.2 em apart: LibreOffice's single spacing, and written as an exact line spacing,
# so PowerPoint (whose single spacing follows each font's own metrics) spaces them the same.
FONT_LINE_HEIGHT = 1.2
MEASURE_SIZE = 100  # measure at 100 px and scale: Pillow rounds small sizes
# LibreOffice puts this much space between Asian and other text ("가A" is wider than "가"
# and "A"); PowerPoint puts as much or less, so measuring with it is safe for both.
AUTOSPACE_EM = 0.24
ASIAN_SPACE_EXTRA_EM = 0.055
ASIAN_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x9FFF),  # CJK radicals, punctuation, kana, compatibility Jamo, ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
)
# A word may break after a hyphen that a letter follows; a paragraph's first word (a URL that
# opens the paragraph) also after a slash. LibreOffice breaks a later URL between characters.
BREAK_AFTER = re.compile(r"(?<=-)(?=[^\W\d_])")
BREAK_AFTER_FIRST = re.compile(r"(?<=[/\-])(?=[^\W\d_])")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph to measure: its text (inline Markdown), its size relative to the body size."""

    text: str
    scale: float = 1.0
    indent: int = 0  # EMU taken by the bullet and level indent
    space_before: float = 0.0  # in lines of this paragraph's size
    bold: bool = False
    runs: tuple[StyledRun, ...] = ()  # the runs as written, when they are not `text`'s Markdown


@functools.cache
def _font_file(bold: bool) -> tuple[str, int]:
    weight = ":bold" if bold else ""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", f"{RENDER_FONT}{weight}:lang=ko"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout
        file, index = found.split("|")
        if Path(file).exists():
            return file, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return "DejaVuSans.ttf", 0


@functools.cache
def _font(bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    file, index = _font_file(bold)
    try:
        return ImageFont.truetype(file, MEASURE_SIZE, index=index)
    except OSError:
        return ImageFont.load_default(MEASURE_SIZE)


# Widths in ems by "0|text" ("1|text" for bold): those measured or looked up in this build, and
# those an earlier build measured (remember_widths). Shaping a line costs ~0.1 ms, and a deck
# measures thousands of them, most of which a rebuild measures again unchanged.
_WIDTHS: dict[str, float] = {}
_REMEMBERED: dict[str, float] = {}


def text_width_em(text: str, bold: bool = False) -> float:
    """Give the advance width of `text` in ems of the render font, as LibreOffice sets it."""
    key = f"{int(bold)}|{text}"
    width = _WIDTHS.get(key)
    if width is None:
        width = _REMEMBERED.pop(key, None)
        if width is None:
            width = (float(_font(bold).getlength(text)) / MEASURE_SIZE
                     + autospace_em(text))
        _WIDTHS[key] = width
    return width


def measurer_id() -> str:
    """Give what a measured width depends on: the font files, Pillow, its text layout, the rules.

    The rules are this module's source (autospacing, script ranges, sizes): any edit to it
    makes earlier widths stale, so a changed rule is never answered from the cache.
    """
    faces = [_face_identity(file, index) for file, index in (_font_file(False), _font_file(True))]
    engine = getattr(_font(False), "layout_engine", "none")
    rules = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return "|".join([*faces, PIL.__version__, str(engine), f"rules {rules}"])


def _face_identity(file: str, index: int) -> str:
    """Give the font file's path, face, size and modification time: a changed file is another."""
    try:
        found = Path(file).stat()
    except OSError:
        return f"{file}#{index}"
    return f"{file}#{index}:{found.st_size}:{found.st_mtime_ns}"


def autospace_em(text: str) -> float:
    """Give the space LibreOffice adds where `text` changes between Asian and other script.

    Spaces and symbols take the script before them; a space after Asian text is set wider.
    """
    extra = 0.0
    previous: bool | None = None
    spaced = False
    for character in text:
        if character.isspace() or _is_symbol(character):
            spaced = spaced or character.isspace()
            continue
        asian = _is_asian(character)
        if previous is not None and asian != previous:
            extra += AUTOSPACE_EM + (ASIAN_SPACE_EXTRA_EM if previous and spaced else 0.0)
        previous, spaced = asian, False
    return extra


def _is_asian(character: str) -> bool:
    return any(start <= ord(character) <= end for start, end in ASIAN_RANGES)


def _is_symbol(character: str) -> bool:
    """Tell whether LibreOffice gives the character no script of its own (arrows, marks …)."""
    return 0x2000 <= ord(character) <= 0x2BFF and not _is_asian(character)


def measured_widths() -> dict[str, float]:
    """Give the widths this build has used, to hand to the next build's remember_widths."""
    return dict(_WIDTHS)


def remember_widths(widths: dict[str, float]) -> None:
    """Start a build: reuse `widths` measured with the same measurer_id() when asked again."""
    _REMEMBERED.update(_WIDTHS)
    _REMEMBERED.update(widths)
    _WIDTHS.clear()


def wrap(text: str, width_em: float, bold: bool = False) -> list[str]:
    """Give the lines `text` wraps to in a line `width_em` ems wide."""
    if "\n" in text:  # a line break the author wrote (a YAML block); Pillow cannot shape it
        return [line for part in text.split("\n") for line in wrap(part, width_em, bold)]
    lines: list[str] = []
    current = ""
    for index, word in enumerate(text.split(" ")):
        pieces = (BREAK_AFTER_FIRST if index == 0 else BREAK_AFTER).split(word) if word else [""]
        for number, piece in enumerate(pieces):
            joined = current + (" " if current and number == 0 else "") + piece
            # LibreOffice breaks after a slash only if the next character fits too
            following = "".join(pieces[number + 1:number + 2])[:1] if piece.endswith("/") else ""
            if not current or text_width_em(joined.rstrip(" ") + following, bold) <= width_em:
                current = joined
            else:
                lines.append(current)
                current = piece
            if text_width_em(current, bold) > width_em:
                done, current = _break_characters(current, width_em, bold)
                lines.extend(done)
    return [*lines, current]


def _break_characters(text: str, width_em: float, bold: bool) -> tuple[list[str], str]:
    """Give the full lines a too-wide word breaks into, and what is left on the last line."""
    lines: list[str] = []
    current = ""
    for character in text:
        if current and text_width_em(current + character, bold) > width_em:
            lines.append(current)
            current = character
        else:
            current += character
    return lines, current


def line_count(text: str, width_em: float, bold: bool = False) -> int:
    """Give the number of lines `text` wraps to in `width_em` ems."""
    return len(wrap(text, width_em, bold))


def paragraph_height(paragraph: Paragraph, size_pt: float, width: int) -> float:
    """Give the height in points one paragraph takes at `size_pt` in a frame `width` EMU wide."""
    size = size_pt * paragraph.scale
    width_em = (width - paragraph.indent) / (size * EMU_PER_POINT)
    from studydeck.layout.runs import markdown_runs, runs_line_count  # runs builds on this

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
