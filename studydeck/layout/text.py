"""Text measurement with the real font metrics: how many lines a paragraph takes in a box.

Each run is measured with every face a viewer may draw it with (`studydeck.layout.fonts`: the named
typeface, its stand-in, Noto Sans CJK KR, DejaVu Sans), Latin and Korean text each with its own
typeface, and the widest is taken: text fitted so fits in PowerPoint and in LibreOffice, with or
without studydeck's font mapping.

Lines break the way LibreOffice breaks them for a Korean or English deck (checked against its
output): at spaces (Korean wraps by words, not syllables), after a hyphen inside a word, after a
slash only inside a paragraph's first word, and between characters when a word does not fit on
a line of its own. Runs of mixed styles are measured by studydeck.layout.runs, which builds on
this; how high paragraphs stand in a frame is studydeck.layout.heights'.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import ImageFont, features

from studydeck.layout import fonts, scripts
from studydeck.layout.fonts import BOLD, PLAIN, Face, RunStyle, Typefaces
from studydeck.layout.scripts import autospace_em, script_segments

# Lines are 1.2 em apart: LibreOffice's single spacing, and written as an exact line spacing,
# so PowerPoint (whose single spacing follows each font's own metrics) spaces them the same.
FONT_LINE_HEIGHT = 1.2
MEASURE_SIZE = 100  # measure at 100 px and scale: Pillow rounds small sizes
# A character no face of the deck has is drawn by the viewer from some other font (an emoji
# font), or as an empty box: as wide as a colour emoji, at most.
UNCOVERED_EM = 1.3
# A word may break after a hyphen that a letter follows; a paragraph's first word (a URL that
# opens the paragraph) also after a slash. LibreOffice breaks a later URL between characters.
BREAK_AFTER = re.compile(r"(?<=-)(?=[^\W\d_])")
BREAK_AFTER_FIRST = re.compile(r"(?<=[/\-])(?=[^\W\d_])")

_TYPEFACES: ContextVar[Typefaces | None] = ContextVar("typefaces", default=None)
DEFAULT_TYPEFACES = Typefaces()  # the default Korean deck's, for text measured outside a build


@contextmanager
def measuring_with(typefaces: Typefaces) -> Iterator[None]:
    """Measure text with the deck's typefaces (and their substitutes) inside the block."""
    token = _TYPEFACES.set(typefaces)
    try:
        yield
    finally:
        _TYPEFACES.reset(token)


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph set in one style."""

    text: str
    style: RunStyle = PLAIN


@dataclass(frozen=True)
class StyledRun:
    """A run of text as measuring sees it: its weight and whether it is monospace."""

    text: str
    bold: bool = False
    mono: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph to measure: its text (inline Markdown), its size relative to the body size."""

    text: str
    scale: float = 1.0
    indent: int = 0  # EMU taken by the bullet and level indent
    space_before: float = 0.0  # in lines of this paragraph's size
    bold: bool = False
    runs: tuple[StyledRun, ...] = ()  # the runs as written, when they are not `text`'s Markdown
    min_size: float = 0.0  # the scale never takes the paragraph below this size (points)


@functools.cache
def _pil_font(file: str, index: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(file, MEASURE_SIZE, index=index)
    except OSError:
        return ImageFont.load_default(MEASURE_SIZE)


def _face_width(face: Face, text: str) -> float:
    return float(_pil_font(face.file, face.index).getlength(text)) / MEASURE_SIZE


@functools.cache
def _key_prefix(typefaces: Typefaces, style: RunStyle) -> str:
    """Give what a cached width of a run in `style` depends on besides its text: the faces."""
    faces = (*fonts.latin_faces(typefaces, style), *fonts.east_asian_faces(typefaces, style))
    return f"{fonts.faces_key(faces)}{style.code}"


# Widths in ems by "faces+style|text": those measured or looked up in this build, and those an
# earlier build measured (remember_widths). Shaping a line costs ~0.1 ms per face, and a deck
# measures thousands of them, most of which a rebuild measures again unchanged.
_WIDTHS: dict[str, float] = {}
_WIDTH_KEYS: list[str] = []  # _WIDTHS' keys in order: measured_since slices it, not the dict
_REMEMBERED: dict[str, float] = {}
# Line counts of paragraphs measured in this build, by (typefaces, what, width): fitting a frame
# tries the same paragraph at the same size again and again (each candidate page of bullets
# holds the paragraphs of the one before). Per build, so that each build looks up (and keeps)
# the widths it uses.
_LINE_COUNTS: dict[tuple[object, ...], int] = {}
_PER_BUILD: list[Callable[[], None]] = [_LINE_COUNTS.clear]  # what a new build clears
# Line counts by a key that names the paragraph, its width and faces (kept_line_count): those
# this build used, and those an earlier build counted. A rebuild lays out the same paragraphs at
# the same widths again; looking their counts up skips breaking them into lines word by word.
_LINES: dict[str, int] = {}
_REMEMBERED_LINES: dict[str, int] = {}


def current_typefaces() -> Typefaces:
    """Give the typefaces text is measured with here (the deck's, inside `measuring_with`)."""
    return _TYPEFACES.get() or DEFAULT_TYPEFACES


def clear_each_build(clear: Callable[[], None]) -> None:
    """Have `clear` called as each build starts: for a cache of what depends on the deck's
    fonts, and that must look widths up again (each build keeps the widths it uses)."""
    _PER_BUILD.append(clear)


def counted_lines(paragraph: tuple[object, ...], count: Callable[[], int]) -> int:
    """Give the paragraph's line count (it and its width as a key), counted once a build."""
    key = (current_typefaces(), *paragraph)
    lines = _LINE_COUNTS.get(key)
    if lines is None:
        lines = _LINE_COUNTS[key] = count()
    return lines


def kept_line_count(key: str, count: Callable[[], int]) -> int:
    """Give the line count this or an earlier build kept under `key`, else count()'s (kept)."""
    lines = _LINES.get(key)
    if lines is None:
        lines = _REMEMBERED_LINES.pop(key, None)
        if lines is None:
            lines = count()
        _LINES[key] = lines
    return lines


def remember_line_counts(counts: dict[str, int]) -> None:
    """Start a build: reuse `counts` (kept by kept_line_count in an earlier build) when asked."""
    _REMEMBERED_LINES.clear()
    _REMEMBERED_LINES.update(counts)
    _LINES.clear()


def used_line_counts() -> dict[str, int]:
    """Give the line counts this build used, to hand to the next build's remember_line_counts."""
    return dict(_LINES)


def line_count_mark() -> int:
    """Give how many line counts this build has used so far: a mark for `line_counts_since`."""
    return len(_LINES)


def line_counts_since(mark: int) -> dict[str, int]:
    """Give the line counts first used after `mark` (what line_count_mark() gave then)."""
    return dict(itertools.islice(_LINES.items(), mark, None))


def count_lines_as_used(counts: dict[str, int]) -> None:
    """Count `counts` as used by this build: a plan kept from an earlier build counted them."""
    for key, lines in counts.items():
        _LINES.setdefault(key, lines)


def text_width_em(text: str, bold: bool = False, style: RunStyle | None = None) -> float:
    """Give the advance width of `text` in ems, in the widest face a viewer may set it in."""
    return _run_width_em(text, style or (BOLD if bold else PLAIN)) + autospace_em(text)


def runs_width_em(runs: tuple[Run, ...]) -> float:
    """Give the advance width of styled runs side by side, in ems."""
    return (sum(_run_width_em(run.text, run.style) for run in runs)
            + autospace_em("".join(run.text for run in runs)))


def _run_width_em(text: str, style: RunStyle) -> float:
    """Give the widest advance width of `text` in `style` (no autospacing), cached."""
    typefaces = current_typefaces()
    key = f"{_key_prefix(typefaces, style)}|{text}"
    width = _WIDTHS.get(key)
    if width is None:
        width = _REMEMBERED.pop(key, None)
        if width is None:
            # a line break the author wrote is as wide as a space (raqm cannot shape it)
            width = sum(_segment_width(segment, asian, typefaces, style)
                        for segment, asian in script_segments(text.replace("\n", " ")))
        _WIDTHS[key] = width
        _WIDTH_KEYS.append(key)
    return width


def _segment_width(segment: str, asian: bool, typefaces: Typefaces, style: RunStyle) -> float:
    """Give the width of text of one script in the widest of the faces it may be set in."""
    faces = (fonts.east_asian_faces if asian else fonts.latin_faces)(typefaces, style)
    if not faces:
        return _uncovered_width(segment)
    return max(_width_with_fallback(face, segment, typefaces, style) for face in faces)


def _width_with_fallback(face: Face, text: str, typefaces: Typefaces, style: RunStyle) -> float:
    """Give the width of `text` in `face`; characters it lacks as a fallback face sets them."""
    if all(face.covers(character) for character in text if not character.isspace()):
        return _face_width(face, text)
    width = 0.0
    for covered, piece in _split_by(text, lambda c: c.isspace() or face.covers(c)):
        width += (_face_width(face, piece) if covered
                  else sum(_fallback_width(c, typefaces, style) for c in piece))
    return width


def _fallback_width(character: str, typefaces: Typefaces, style: RunStyle) -> float:
    """Give the widest width of a character in the deck's other faces that have it."""
    faces = (*fonts.latin_faces(typefaces, style), *fonts.east_asian_faces(typefaces, style))
    widths = [_face_width(face, character) for face in faces if face.covers(character)]
    return max(widths) if widths else UNCOVERED_EM


def _uncovered_width(text: str) -> float:
    return sum(0.3 if character.isspace() else UNCOVERED_EM for character in text)


def _split_by(text: str, test: Callable[[str], bool]) -> Iterator[tuple[bool, str]]:
    """Give the stretches of `text` for which `test` is true, and those for which it is false."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or test(text[index]) != test(text[start]):
            yield test(text[start]), text[start:index]
            start = index


def measurer_id() -> str:
    """Give what a measured width depends on besides its faces: Pillow, its layout, the rules.

    The rules are the source of this module, of studydeck.layout.scripts (script ranges,
    autospacing) and of studydeck.layout.fonts (substitutes): any edit to them makes earlier widths
    stale. The faces (files, sizes, times) are part of each width's key.
    """
    engine = "raqm" if features.check_feature("raqm") else "basic"
    source = b"".join(Path(module).read_bytes()
                      for module in (__file__, scripts.__file__, fonts.__file__))
    rules = hashlib.sha256(source).hexdigest()[:16]
    return "|".join([PIL.__version__, engine, f"rules {rules}"])


def measured_count() -> int:
    """Give how many widths this build has used so far: a mark for `measured_since`."""
    return len(_WIDTHS)


def measured_since(mark: int) -> dict[str, float]:
    """Give the widths first used after `mark` (what measured_count() gave then)."""
    return {key: _WIDTHS[key] for key in _WIDTH_KEYS[mark:]}


def measured_widths() -> dict[str, float]:
    """Give the widths this build has used, to hand to the next build's remember_widths."""
    return dict(_WIDTHS)


def count_as_used(widths: dict[str, float]) -> None:
    """Count `widths` as used by this build: slides reused from an earlier build measured them."""
    for key, width in widths.items():
        if key not in _WIDTHS:
            _WIDTHS[key] = width
            _WIDTH_KEYS.append(key)


def faces_in_use() -> str:
    """Give the faces text is measured with now (files, sizes, times), plain and bold."""
    return _faces_of(current_typefaces())


@functools.cache
def _faces_of(typefaces: Typefaces) -> str:
    return "|".join(_key_prefix(typefaces, style) for style in (PLAIN, BOLD))


def remember_more(widths: dict[str, float]) -> None:
    """Reuse `widths` too (measured for this build by a helper process) when asked for them."""
    for key, width in widths.items():
        if key not in _WIDTHS:
            _REMEMBERED[key] = width


def remembered_count() -> int:
    """Give how many widths an earlier build measured that this one has not asked for yet."""
    return len(_REMEMBERED)


def remember_widths(widths: dict[str, float]) -> None:
    """Start a build: reuse `widths` measured with the same measurer_id() when asked again."""
    _REMEMBERED.update(_WIDTHS)
    _REMEMBERED.update(widths)
    _WIDTHS.clear()
    _WIDTH_KEYS.clear()
    for clear in _PER_BUILD:
        clear()


def wrap(text: str, width_em: float, bold: bool = False) -> list[str]:
    """Give the lines `text` wraps to in a line `width_em` ems wide."""
    return wrap_runs((Run(text, BOLD if bold else PLAIN),), width_em)


def wrap_runs(runs: tuple[Run, ...], width_em: float) -> list[str]:
    """Give the lines styled runs wrap to in a line `width_em` ems wide."""
    text = "".join(run.text for run in runs)
    if "\n" in text:  # a line break the author wrote: each part wraps on its own
        return [line for part in _split_lines(runs) for line in wrap_runs(part, width_em)]
    return _LineBreaker(text, _width_of(runs), width_em).lines()


def _split_lines(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """Give styled runs cut at each line break the author wrote."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        first, *others = run.text.split("\n")
        lines[-1].append(Run(first, run.style))
        lines += [[Run(other, run.style)] for other in others]
    return [tuple(line) for line in lines]


def _width_of(runs: tuple[Run, ...]) -> Callable[[int, int], float]:
    """Give a function of (start, end): the width of that stretch of the runs' joined text."""
    bounds: list[tuple[int, int, RunStyle]] = []
    offset = 0
    for run in runs:
        bounds.append((offset, offset + len(run.text), run.style))
        offset += len(run.text)
    text = "".join(run.text for run in runs)

    def width(start: int, end: int) -> float:
        pieces = tuple(Run(text[max(start, low):min(end, high)], style)
                       for low, high, style in bounds if low < end and start < high)
        return runs_width_em(pieces)

    return width


class _LineBreaker:
    """Breaks one paragraph's text into lines, measuring stretches of it by offsets."""

    def __init__(self, text: str, width: Callable[[int, int], float], width_em: float) -> None:
        self.text, self.width, self.width_em = text, width, width_em
        self.found: list[str] = []
        self.start = 0  # where the current line starts
        self.end = 0  # … and where it ends so far

    def lines(self) -> list[str]:
        offset = 0
        for index, word in enumerate(self.text.split(" ")):
            breaks = BREAK_AFTER_FIRST if index == 0 else BREAK_AFTER
            pieces = breaks.split(word) if word else [""]
            for number, piece in enumerate(pieces):
                space = 1 if index and number == 0 else 0
                following = 1 if piece.endswith("/") and number + 1 < len(pieces) else 0
                self._add(offset + space, offset + space + len(piece), following)
                offset += space + len(piece)
        return [*self.found, self.text[self.start:self.end]]

    def _add(self, start: int, end: int, following: int) -> None:
        """Put the piece text[start:end] on the current line, or start a new line with it."""
        if self.end == self.start:  # an empty line takes the piece without the space before it
            self.start = start
        elif not self._fits(end, following):
            self.found.append(self.text[self.start:self.end])
            self.start = start
        self.end = end
        if self.width(self.start, self.end) > self.width_em:
            self._break_characters()

    def _fits(self, end: int, following: int) -> bool:
        """Tell whether the current line fits with the piece ending at `end` added to it."""
        if following:  # LibreOffice breaks after a slash only if the next character fits too
            return self.width(self.start, end + following) <= self.width_em
        kept = len(self.text[self.start:end].rstrip(" "))
        return self.width(self.start, self.start + kept) <= self.width_em

    def _break_characters(self) -> None:
        """Break a word too wide for a line between characters; the rest stays the current line."""
        start = self.start
        for index in range(self.start + 1, self.end):
            if self.width(start, index + 1) > self.width_em:
                self.found.append(self.text[start:index])
                start = index
        self.start = start


def line_count(text: str, width_em: float, bold: bool = False) -> int:
    """Give the number of lines `text` wraps to in `width_em` ems."""
    return len(wrap(text, width_em, bold))


def scaled_size(size_pt: float, scale: float, min_size: float = 0.0) -> float:
    """Give a paragraph's size: `scale` times the frame's, but not below `min_size`."""
    return round(min(size_pt, max(size_pt * scale, min_size)), 1)
