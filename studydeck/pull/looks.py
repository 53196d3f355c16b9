"""Colours, text sizes and pictures changed in the deck: listed, as they cannot go back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from studydeck.pptx.edited import Look, Runs, SlideSeen
from studydeck.pull.compare import MOVED

KEPT = "(kept only in the .pptx)"


def changed_looks(unchanged: Sequence[tuple[int, int]], edited: Sequence[SlideSeen],
                  current: Sequence[SlideSeen], slide_width: int) -> list[str]:
    """Give a line per shape of the edited slides (whose YAML is as built) with a colour or a
    text size of its own, and per picture moved or resized."""
    found: list[str] = []
    for edited_index, current_index in unchanged:
        mine, now = edited[edited_index], current[current_index]
        number = edited_index + 1
        for key, paragraphs in mine.looks.items():
            found += [f"slide {number}: {what} changed in '{key}' {KEPT}"
                      for what in _changes(paragraphs, now.looks.get(key))]
        for name, box in mine.pictures.items():
            was = now.pictures.get(name)
            if was is not None and any(abs(a - b) > MOVED * slide_width
                                       for a, b in zip(box, was, strict=True)):
                found.append(f"slide {number}: moved or resized picture '{name}' {KEPT}")
    return found


def _changes(paragraphs: list[Runs], built: list[Runs] | None) -> Iterator[str]:
    """Give which looks differ where the shape's paragraphs read as built (compared letter by
    letter: an editor may split or join runs)."""
    if built is None:
        return
    differ = [pair for mine, now in zip(paragraphs, built, strict=False) if mine != now
              for pair in zip(_letters(mine), _letters(now), strict=False)
              if _text(mine) == _text(now) and pair[0] != pair[1]]
    if any(colour != was for (colour, _), (was, _) in differ):
        yield "colour"
    if any(size != was for (_, size), (_, was) in differ):
        yield "text size"


def _text(runs: Runs) -> str:
    return "".join(text for text, _ in runs)


def _letters(runs: Runs) -> list[Look]:
    return [look for text, look in runs for _ in text]
