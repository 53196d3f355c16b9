"""Paragraphs added to a list of bullets in the deck, as new items of the YAML list they join."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.pptx.source_marks import RunText, ShapeText, digest
from studydeck.pull.markdown import RunLook, as_markdown
from studydeck.pull.sources import SlideSource, what_it_is
from studydeck.pull.yaml_places import Location


@dataclass(frozen=True)
class NewItem:
    """A new item for a YAML list: where it goes (before `location[-1]`), its text, and where
    it stands once written (after any other new items that go to the same place)."""

    path: Path
    location: Location
    text: str
    what: str
    shown_at: Location


@dataclass
class AddedBullets:
    """How a shape with added paragraphs goes back: the paragraphs also edited in place (built
    paragraph index, its runs now) and the new items."""

    edited: list[tuple[int, tuple[RunText, ...]]] = field(default_factory=list)
    items: list[NewItem] = field(default_factory=list)


def added_bullets(shape: ShapeText, current: ShapeText | None, built: tuple[str, ...],
                  yaml: SlideSource, code_typefaces: frozenset[str]) -> AddedBullets | None:
    """Give the new bullets the paragraphs added to `shape` are, next to the bullets they
    follow (or, at the top, precede); None when they are not all that (a paragraph removed,
    the YAML changed since the build, a paragraph added after a bullet's sub-bullets' parent)."""
    if current is None or tuple(digest(text) for text in current.texts) != built:
        return None
    edited = [digest(text) for text in shape.texts]
    found = AddedBullets()
    matcher = difflib.SequenceMatcher(a=list(built), b=edited, autojunk=False)
    for tag, low, high, new_low, new_high in matcher.get_opcodes():
        if tag == "replace" and high - low == new_high - new_low:
            found.edited += [(low + k, shape.paragraphs[new_low + k]) for k in range(high - low)]
        elif tag == "insert":
            added = [runs for runs in shape.paragraphs[new_low:new_high]
                     if "".join(run.text for run in runs).strip()]
            place = _place(current, low, yaml)
            if place is None and added:
                return None
            if place is not None:
                found.items += _items(*place, added, code_typefaces)
        elif tag != "equal":
            return None
    return found


def _place(current: ShapeText, before: int, yaml: SlideSource) -> tuple[Path, Location] | None:
    """Give where items added before paragraph `before` go in the YAML: after the bullet
    shown just above, else before the first; None when that is no bullet of a list."""
    after = before > 0
    anchor = current.texts[before - 1 if after else before] if current.texts else ""
    candidate = yaml.peek(anchor)
    if candidate is None or candidate.shown != anchor:
        return None
    location = candidate.location
    if "bullets" not in location or not isinstance(location[-1], int):
        return None  # a parent bullet's key: a paragraph after it is its sub-bullets' place
    return candidate.path, (*location[:-1], location[-1] + 1 if after else location[-1])


def _items(path: Path, place: Location, added: list[tuple[RunText, ...]],
           code_typefaces: frozenset[str]) -> list[NewItem]:
    look = RunLook(code_typefaces=code_typefaces)
    index = place[-1]
    assert isinstance(index, int)
    return [NewItem(path, place, as_markdown(runs, look), what_it_is(place),
                    (*place[:-1], index + offset))
            for offset, runs in enumerate(added)]
