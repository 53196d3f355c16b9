"""Which font files may render a run of text, found through fontconfig, and what they cover.

A deck names its typefaces (Malgun Gothic, Calibri …), but the viewer draws with what it has:
PowerPoint on Windows with the named font, LibreOffice with studydeck's fonts.conf with Noto Sans
CJK KR, a plain LibreOffice with fontconfig's substitute (DejaVu Sans for an unknown name,
Carlito for Calibri, Liberation Sans for Arial). Text is fitted against the widest of them.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.layout import fontconfig
from studydeck.schema.models import Deck

# Office's default Latin typeface: an English deck's readers have it (Carlito stands in for it).
ENGLISH_LATIN = "Calibri"
KOREAN_FALLBACK = "Noto Sans CJK KR"  # what studydeck's fonts.conf renders Malgun Gothic with
LATIN_FALLBACK = "DejaVu Sans"  # what a plain LibreOffice on Linux uses for an unknown name
MONOSPACE_FALLBACK = "DejaVu Sans Mono"
# Metric-compatible stand-ins, for where fontconfig's own aliases are not installed.
STAND_INS = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "courier new": "Liberation Mono",
    "consolas": "DejaVu Sans Mono",
    "malgun gothic": KOREAN_FALLBACK,
    "맑은 고딕": KOREAN_FALLBACK,
}


@dataclass(frozen=True)
class RunStyle:
    """How a run of text is set: weight, slant, and whether it is code."""

    bold: bool = False
    italic: bool = False
    monospace: bool = False

    @property
    def code(self) -> str:
        """Give a short name of the style for cache keys: '', 'b', 'bi', 'm' …"""
        return "".join(flag for flag, on in (("b", self.bold), ("i", self.italic),
                                             ("m", self.monospace)) if on)


PLAIN = RunStyle()
BOLD = RunStyle(bold=True)


@dataclass(frozen=True)
class Typefaces:
    """The typefaces a deck names: for Latin text, East Asian text and code."""

    latin: str = "Malgun Gothic"
    east_asian: str = "Malgun Gothic"
    monospace: str = "Consolas"
    # False: measure with the named faces only (what one known viewer draws), not the widest
    substitutes: bool = True


@dataclass(frozen=True)
class Face:
    """One font file face: its family, file, index in the file, and the characters it has."""

    family: str
    file: str
    index: int
    charset: tuple[int, ...]  # starts and ends of covered ranges, flattened: s0, e0, s1, e1 …

    # characters looked up so far: text is checked character by character, face by face
    _covered: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def covers(self, character: str) -> bool:
        covered = self._covered.get(character)
        if covered is None:
            position = bisect.bisect_right(self.charset, ord(character))
            # inside a range: after an odd number of bounds, or right on a range's end
            covered = position % 2 == 1 or (position > 0
                                            and self.charset[position - 1] == ord(character))
            self._covered[character] = covered
        return covered

    @property
    def identity(self) -> str:
        """Give the file, face, size and modification time: a changed file is another face."""
        try:
            found = Path(self.file).stat()
        except OSError:
            return f"{self.file}#{self.index}"
        return f"{self.file}#{self.index}:{found.st_size}:{found.st_mtime_ns}"


@functools.cache
def find_face(family: str, style: RunStyle = PLAIN, lang: str = "") -> Face | None:
    """Give the face fontconfig renders `family` in `style` with (maybe a substitute)."""
    pattern = family.replace("-", r"\-").replace(":", r"\:")
    pattern += (":bold" if style.bold else "") + (":italic" if style.italic else "")
    pattern += f":lang={lang}" if lang else ""
    found = fontconfig.match(pattern, "%{family[0]}|%{file}|%{index}|%{charset}")
    try:
        name, file, index, charset = (found or "").split("|")
    except ValueError:
        return None
    if not Path(file).is_file():
        return None
    return Face(name, file, int(index or 0), _parse_charset(charset))


@functools.lru_cache(maxsize=64)  # a family's plain and bold faces list the same characters
def _parse_charset(charset: str) -> tuple[int, ...]:
    """Give fontconfig's charset ('20-7e a0 …', hexadecimal) as flattened range bounds."""
    bounds: list[int] = []
    for part in charset.split():
        start, _, end = part.partition("-")
        bounds += [int(start, 16), int(end or start, 16)]
    return tuple(bounds)


def is_installed(family: str) -> bool:
    """Tell whether `family` itself (not a substitute) is installed."""
    face = find_face(family)
    return face is not None and face.family.casefold() == family.casefold()


@functools.cache
def latin_faces(typefaces: Typefaces, style: RunStyle) -> tuple[Face, ...]:
    """Give the faces a viewer may draw the deck's Latin (or code) text with."""
    named = typefaces.monospace if style.monospace else typefaces.latin
    if not typefaces.substitutes:
        return _faces([named], style, "")
    fallbacks = (MONOSPACE_FALLBACK,) if style.monospace else (KOREAN_FALLBACK, LATIN_FALLBACK)
    return _faces([named, STAND_INS.get(named.casefold(), ""), *fallbacks], style, "")


@functools.cache
def east_asian_faces(typefaces: Typefaces, style: RunStyle) -> tuple[Face, ...]:
    """Give the faces a viewer may draw the deck's Korean (East Asian) text with."""
    named = typefaces.east_asian
    if not typefaces.substitutes:
        return _faces([named], style, "ko")
    return _faces([named, STAND_INS.get(named.casefold(), ""), KOREAN_FALLBACK], style, "ko")


def _faces(families: list[str], style: RunStyle, lang: str) -> tuple[Face, ...]:
    found: dict[tuple[str, int], Face] = {}
    for family in families:
        face = find_face(family, style, lang) if family else None
        if face is not None:
            found.setdefault((face.file, face.index), face)
    return tuple(found.values())


def faces_key(faces: tuple[Face, ...]) -> str:
    """Give a short key that changes when any of the faces (or its file) changes."""
    joined = "|".join(face.identity for face in faces)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


@functools.cache
def all_faces(typefaces: Typefaces) -> tuple[Face, ...]:
    """Give every face the deck's text may be drawn with, plain and bold."""
    found: dict[tuple[str, int], Face] = {}
    for style in (PLAIN, BOLD):
        for face in (*latin_faces(typefaces, style), *east_asian_faces(typefaces, style)):
            found.setdefault((face.file, face.index), face)
    return tuple(found.values())


def uncovered(text: str, typefaces: Typefaces) -> list[tuple[int, str]]:
    """Give the characters of `text` (offset, character) that none of the deck's faces has."""
    covered = _covered_characters(typefaces)
    unknown = set(text) - covered
    if not unknown:  # nearly always: each character is looked up once a process
        return []
    faces = all_faces(typefaces)
    for character in unknown:
        if (character.isspace() or ord(character) < 0x20
                or any(face.covers(character) for face in faces)):
            covered.add(character)
    missing = unknown - covered
    return [(offset, character) for offset, character in enumerate(text) if character in missing]


@functools.cache
def _covered_characters(typefaces: Typefaces) -> set[str]:
    """Give the characters found so far that some face of the deck has (grows as text is
    checked)."""
    return set()


def deck_typefaces(deck: Deck) -> Typefaces:
    """Give the typefaces the deck names: an English deck's Latin text defaults to Calibri."""
    font = deck.theme.font
    english = deck.language == "en" and "latin" not in font.model_fields_set
    return Typefaces(latin=ENGLISH_LATIN if english else font.latin, east_asian=font.east_asian)

