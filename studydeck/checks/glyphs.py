"""Characters none of the deck's fonts can draw (emoji, rare symbols), found before writing."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from studydeck.errors import Problem
from studydeck.layout import fonts
from studydeck.layout.fontconfig import emoji_font
from studydeck.schema.models import Deck
from studydeck.source.yaml_reader import Location, SourceFile


def coverage_problems(deck: Deck, sources: list[SourceFile]) -> list[Problem]:
    """Give a warning per character (and file) that no font of the deck has, at its first place."""
    typefaces = fonts.deck_typefaces(deck)
    places = [(source, *place) for source in sources for place in _first_places(source, typefaces)]
    if not places:
        return []
    faces = ", ".join(dict.fromkeys(face.family for face in fonts.all_faces(typefaces)))
    happens = what_happens(emoji_font())
    return [Problem(source.path, line, column + _column_offset(text, offset),
                    f"{_name(character)} is in none of the deck's fonts ({faces}): {happens}",
                    "write it out in words, or leave it if every viewer has an emoji font; "
                    "`studydeck doctor` says whether this machine has one", "warning")
            for source, (line, column), text, offset, character in places]


def _first_places(source: SourceFile, typefaces: fonts.Typefaces
                  ) -> Iterator[tuple[tuple[int, int], str, int, str]]:
    """Give where each character no face has first stands in the file: position, text, offset.

    fonts.uncovered looks each distinct character up once a process: a string is checked by a
    set difference.
    """
    seen: set[str] = set()
    for location, text in _strings(source.data, ()):
        for offset, character in fonts.uncovered(text, typefaces):
            if character not in seen:
                seen.add(character)
                yield source.position(location), text, offset, character


def _strings(data: Any, location: Location) -> Iterator[tuple[Location, str]]:
    """Give every string in the YAML data with where it stands."""
    if isinstance(data, str):
        yield location, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*location, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*location, index))


def _column_offset(text: str, offset: int) -> int:
    """Give how far right of the value's start the character stands, on a one-line value."""
    return 0 if "\n" in text[:offset] else offset


def _name(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"'{character}' (U+{ord(character):04X}{' ' + name if name else ''})"


def what_happens(emoji: str) -> str:
    """Say how viewers draw a character the deck's fonts lack (`emoji`: the emoji font here)."""
    here = (f"LibreOffice on this machine draws it with {emoji}" if emoji
            else "LibreOffice on this machine has no emoji font and shows an empty box")
    return (f"{here}; PowerPoint on Windows draws emoji with Segoe UI Emoji; a viewer without "
            "such a font shows an empty box")
