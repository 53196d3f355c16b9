"""Which script a character is set in (Asian or not), and the space LibreOffice adds between them.

Korean, Chinese and Japanese text is set in the deck's East Asian typeface and the rest in its
Latin one; spaces and symbols (arrows, marks …) have no script of their own and take the one
before them. Where the script changes, LibreOffice adds a little space (autospacing).
"""

from __future__ import annotations

import bisect
import re

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
IDEOGRAPHIC_SPACE = 0x3000  # inside the CJK range, but a space like any other
SYMBOLS = ("\u2000", "\u2bff")  # punctuation, arrows, marks …: no script of their own
FIRST_ASIAN = chr(ASIAN_RANGES[0][0])

_BOUNDS = tuple(bound for start, end in ASIAN_RANGES for bound in (start, end))


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{chr(start)}-{chr(end)}" for start, end in ranges)


def _split_at(ranges: tuple[tuple[int, int], ...], code: int) -> tuple[tuple[int, int], ...]:
    """Give the ranges without the one character `code`."""
    kept: list[tuple[int, int]] = []
    for start, end in ranges:
        if start <= code <= end:
            kept += [(low, high) for low, high in ((start, code - 1), (code + 1, end))
                     if low <= high]
        else:
            kept.append((start, end))
    return tuple(kept)


# Each class over the large CJK ranges costs milliseconds to compile (Python's re fills a table
# of 65,536 entries in a loop): one pattern, two such classes, for a stretch of either script.
_WEAK = f"\\s{SYMBOLS[0]}-{SYMBOLS[1]}"
_ASIAN_LETTERS = _class(_split_at(ASIAN_RANGES, IDEOGRAPHIC_SPACE))
_STRETCHES = re.compile(f"([{_WEAK}]+)|([{_ASIAN_LETTERS}]+)|[^{_WEAK}{_ASIAN_LETTERS}]+")
_SPACE = re.compile(r"\s")


def is_asian(character: str) -> bool:
    """Tell whether a character is set in the East Asian typeface (Hangul, CJK, full-width)."""
    code = ord(character)
    position = bisect.bisect_right(_BOUNDS, code)
    # inside a range: after an odd number of bounds, or right on a range's end
    return position % 2 == 1 or (position > 0 and _BOUNDS[position - 1] == code)


def is_symbol(character: str) -> bool:
    """Tell whether LibreOffice gives the character no script of its own (arrows, marks …)."""
    return SYMBOLS[0] <= character <= SYMBOLS[1]


def autospace_em(text: str) -> float:
    """Give the space LibreOffice adds where `text` changes between Asian and other script.

    Spaces and symbols take the script before them; a space after Asian text is set wider.
    """
    if not text or max(text) < FIRST_ASIAN:
        return 0.0  # no Asian text: the common case, and a line is measured many times
    extra = 0.0
    previous: bool | None = None
    spaced = False
    for match in _STRETCHES.finditer(text):
        weak, asian = match.group(1, 2)
        if weak:
            spaced = spaced or _SPACE.search(weak) is not None
            continue
        if previous is not None and bool(asian) != previous:
            extra += AUTOSPACE_EM + (ASIAN_SPACE_EXTRA_EM if previous and spaced else 0.0)
        previous, spaced = bool(asian), False
    return extra


def script_segments(text: str) -> list[tuple[str, bool]]:
    """Give `text` cut where it changes between Asian and other script: (piece, is Asian).

    Spaces and symbols take the script before them (the first strong character's at the start),
    as LibreOffice sets them in that script's font.
    """
    segments: list[tuple[str, bool]] = []
    current = ""
    script: bool | None = None
    for character in text:
        weak = character.isspace() or is_symbol(character)
        asian = script if weak else is_asian(character)
        if script is None and not weak:
            script = asian
        elif asian is not None and script is not None and asian != script:
            segments.append((current, script))
            current, script = "", asian
        current += character
    if current:
        segments.append((current, bool(script)))
    return segments
