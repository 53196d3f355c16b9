"""Where a marked slide's texts stand in the YAML: every text value of its part of a file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studydeck.pull.yaml_places import KEY, Location
from studydeck.richtext import plain_text

RAW_KEYS = frozenset({"code"})  # shown as written, not as inline Markdown
NOT_SHOWN = frozenset({"notes", "type", "diagram", "image", "answer", "reveal", "walkthrough", "id",
                       "language", "highlight", "minutes", "theme", "template", "icon", "from",
                       "to", "style", "direction", "render", "color", "shape"})
NAME_LISTS = frozenset({"nodes", "ranks"})  # a diagram's lists of node names


@dataclass(frozen=True)
class Candidate:
    """A text value of the YAML: where it is, as written, and as a slide shows it."""

    location: Location
    value: str
    shown: str
    raw: bool
    path: Path


@dataclass
class SlideSource:
    """The YAML a marked slide was written from: its file, and its part of that file."""

    path: Path
    prefix: Location
    candidates: list[Candidate] = field(default_factory=list)
    used: set[Location] = field(default_factory=set)
    notes: Candidate | None = None  # the slide's own `notes:`

    def own_notes(self) -> list[Candidate]:
        return [self.notes] if self.notes else []

    @classmethod
    def of(cls, path: Path, data: Any, prefix: Location,
           keys: frozenset[str] | None = None) -> SlideSource:
        """Give the source of the values under `prefix` (only `keys` of it, when given)."""
        part = data
        for step in prefix:
            part = part[step]
        source = cls(path, prefix)
        notes = part.get("notes") if isinstance(part, dict) and keys is None else None
        if isinstance(notes, str):
            source.notes = Candidate((*prefix, "notes"), notes, notes.rstrip("\n"), True, path)
        source.add(path, part, prefix, keys)
        return source

    def add(self, path: Path, part: Any, prefix: Location = (),
            keys: frozenset[str] | None = None) -> None:
        """Add the text values of `part` (the values of `keys` only, when given) in `path`."""
        items = part.items() if isinstance(part, dict) else ()
        for key, value in items:
            if keys is None or key in keys:
                self.candidates.extend(_candidates(value, (*prefix, str(key)), str(key), path))

    def match(self, shown: str) -> tuple[Candidate, int | None, str, str] | None:
        """Give the value a slide text shows (with the line of it, and the words written
        around it), preferring values not matched yet: None when no value shows in it."""
        ranked = sorted(self._matches(shown), key=lambda m: (m[0], m[1].location in self.used))
        if not ranked:
            return None
        _, candidate, line, before, after = ranked[0]
        self.used.add(candidate.location)
        return candidate, line, before, after

    def peek(self, shown: str) -> Candidate | None:
        """Give the value a slide text shows, without counting it as matched."""
        ranked = sorted(self._matches(shown), key=lambda m: (m[0], m[1].location in self.used))
        return ranked[0][1] if ranked else None

    def shows_whole(self, shown: str) -> bool:
        """Tell whether some value reads exactly as `shown`."""
        return any(candidate.shown == shown for candidate in self.candidates)

    def _matches(self, shown: str) -> Iterator[tuple[int, Candidate, int | None, str, str]]:
        for candidate in self.candidates:
            if candidate.shown == shown:
                yield 0, candidate, None, "", ""
            elif "\n" in candidate.shown and shown in candidate.shown.split("\n"):
                yield 1, candidate, candidate.shown.split("\n").index(shown), "", ""
            elif candidate.shown and candidate.shown in shown and not candidate.raw:
                at = shown.index(candidate.shown)
                yield (2 + 1000 - len(candidate.shown), candidate, None, shown[:at],
                       shown[at + len(candidate.shown):])


def _candidates(value: Any, location: Location, key: str, path: Path) -> Iterator[Candidate]:
    if key in NOT_SHOWN or (key in NAME_LISTS and isinstance(value, list)):
        return
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            if key == "bullets":  # `- A bullet: [its sub-bullets]`: the key is the bullet
                yield Candidate((*location, str(inner_key), KEY), str(inner_key),
                                plain_text(str(inner_key)), False, path)
            yield from _candidates(inner, (*location, str(inner_key)), str(inner_key), path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _candidates(item, (*location, index), key, path)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        raw = key in RAW_KEYS
        shown = text.rstrip("\n") if raw else plain_text(text)
        yield Candidate(location, text, shown, raw, path)


ITEM_NAMES = {"bullets": "bullet", "choices": "choice", "rows": "cell", "columns": "column",
              "steps": "step", "items": "item", "objectives": "objective", "lines": "line"}


def what_it_is(location: Location) -> str:
    """Give what the value is, in the deck's words: `bullet`, `title`, `cell`, `code line`."""
    if location[-1] == KEY:  # `- A bullet: [its sub-bullets]`
        return "bullet" if sum(isinstance(step, int) for step in location) <= 2 else \
            "sub-bullet"
    named = [step for step in location if isinstance(step, str)]
    last = named[-1] if named else "value"
    if last == "code":
        return "code line"
    if last == "explain":
        return "explanation"
    if last == "label" and "steps" in named:
        return "step"
    for group in ("nodes", "edges", "groups"):
        if last == "label" and group in named:
            return f"{group[:-1]} label"
    if "bullets" in named and last not in ("heading", "title"):
        under = location[location.index("bullets") + 1:]
        return "sub-bullet" if len(under) > 1 else "bullet"
    return ITEM_NAMES.get(last, last)
