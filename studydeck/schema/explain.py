"""Pydantic validation errors, turned into one plain sentence per mistake at its line."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from studydeck.errors import Problem
from studydeck.schema import models as model
from studydeck.schema.sentences import Mistake, split_cell_hint, split_cell_row, value_sentence
from studydeck.schema.slide_types import slide_type_names
from studydeck.schema.vocabulary import (
    PATTERN_WORDS,
    annotation_at,
    closest,
    description_at,
    expected_words,
    field_names,
    model_name,
    place_phrases,
    quoted,
    slide_types_with,
    suggest,
)
from studydeck.source.yaml_reader import Location, SourceFile

__all__ = ["schema_problems", "suggest", "validate_file"]

M = TypeVar("M", bound=BaseModel)
KEY = "[key]"  # pydantic's `loc` part for a mapping's key (a node id)


def validate_file(source: SourceFile, cls: type[M]) -> tuple[M | None, list[Problem]]:
    """Give the validated model of a loaded file, or the problems that stand in the way."""
    if source.data is None:
        needed = [name for name in field_names(cls) if cls.model_fields[name].is_required()]
        return None, [Problem(source.path, 1, 1, "the file is empty",
                              f"it needs the keys: {', '.join(needed)}" if needed else "")]
    try:
        return cls.model_validate(source.data), []
    except ValidationError as err:
        return None, schema_problems(source, cls, err.errors(include_url=False))


def schema_problems(source: SourceFile, cls: type[BaseModel],
                    errors: list[ErrorDetails]) -> list[Problem]:
    """Give one problem per mistake: a union's failed members and a misspelt key count once."""
    mistakes: dict[Location, list[ErrorDetails]] = {}
    missing: dict[Location, list[str]] = {}
    unknown: dict[Location, list[str]] = {}
    for error in errors:
        location, union = _data_location(source.data, error["loc"])
        if error["type"] == "missing" and not union:
            missing.setdefault(location[:-1], []).append(str(location[-1]))
        elif error["type"] == "extra_forbidden" and not union:
            unknown.setdefault(location[:-1], []).append(str(location[-1]))
        else:
            mistakes.setdefault(location, []).append(error)
    explain = _Explainer(source, cls)
    problems = [problem for parent, keys in unknown.items()
                for run in _comma_runs(source.data, parent, keys)
                for problem in explain.unknown_keys(parent, run, missing.get(parent, []),
                                                    len(keys))]
    problems += [explain.missing_key(parent, key) for parent, keys in missing.items()
                 for key in keys if (parent, key) not in explain.paired]
    problems += [explain.value(location, group) for location, group in mistakes.items()
                 if not _explained_inside(location, group, mistakes)]
    return problems


class _Explainer:
    """Writes the sentence and hint of each mistake found in one file."""

    def __init__(self, source: SourceFile, cls: type[BaseModel]) -> None:
        self.source = source
        self.cls = cls
        self.paired: set[tuple[Location, str]] = set()  # missing keys explained by a typo

    def _problem(self, location: Location, message: str, hint: str = "") -> Problem:
        return Problem(self.source.path, *self.source.position(location), message, hint)

    def _where(self, location: Location) -> str:
        phrases = place_phrases(self.source.data, location)
        return f"{', '.join(phrases)}: " if phrases else ""

    def unknown_key(self, parent: Location, key: str, missing_here: list[str],
                    unknown_count: int) -> Problem:
        owner = annotation_at(self.cls, self.source.data, parent)
        allowed = field_names(owner) if _is_model(owner) else []
        written = self._value(parent)
        present = set(written) if isinstance(written, dict) else set()
        # one unknown and one missing key in a mapping: most likely one key, misspelt
        renamed = missing_here[0] if len(missing_here) == 1 and unknown_count == 1 else ""
        match = closest(key, missing_here) or renamed or closest(
            key, [name for name in allowed if name not in present])
        where = self._where(parent)
        at = (*parent, key, "__key__")
        if match:
            self.paired.add((parent, match))
            return self._problem(at, f"{where}unknown key '{key}'", f"did you mean '{match}'?")
        kinds = slide_types_with(key) if _is_slide(owner) else []
        if _is_model(owner) and kinds:
            name = model_name(owner)
            return self._problem(at, f"{where}{name} has no key '{key}'",
                                 f"'{key}' belongs on {_joined(kinds, 'and')} slides; "
                                 f"{name} has: {', '.join(allowed)}")
        hint = f"{model_name(owner)} has: {', '.join(allowed)}" if allowed else ""
        return self._problem(at, f"{where}unknown key '{key}'", hint)

    def unknown_keys(self, parent: Location, run: list[str], missing_here: list[str],
                     unknown_count: int) -> list[Problem]:
        """Give the problem of a text its commas cut into keys, else one per unknown key."""
        cut = self.cut_by_comma(parent, run)
        return [cut] if cut else [self.unknown_key(parent, key, missing_here, unknown_count)
                                  for key in run]

    def cut_by_comma(self, parent: Location, keys: list[str]) -> Problem | None:
        """Give the one problem of a text value cut by its commas in a flow mapping
        (`{caption: a, b, c}`: YAML reads ` b` and ` c` as keys), or None."""
        written = self._value(parent)
        if not isinstance(written, dict) or written.get(keys[0], "") is not None:
            return None
        names = list(written)
        before = names[names.index(keys[0]) - 1] if names.index(keys[0]) else None
        line, _ = self.source.position((*parent, keys[0], "__key__"))
        lines = self.source.text.splitlines()
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if before is None or not isinstance(written[before], str) or "{" not in text:
            return None
        start = text.find(f"{before}:")
        end = text.find(keys[-1], start) + len(keys[-1]) if start >= 0 else -1
        if start < 0 or end < len(keys[-1]):
            return None
        value_start = start + len(before) + 1 + (len(text[start + len(before) + 1:])
                                                  - len(text[start + len(before) + 1:].lstrip()))
        value = text[value_start:end].replace('"', '\\"')
        fixed = f'{text[:value_start]}"{value}"{text[end:]}'.strip()
        return self._problem((*parent, keys[0], "__key__"),
                             f"{self._where(parent)}the {quoted(before)} text was cut at a "
                             f"comma: YAML read {quoted(keys[0])} as a key of its own",
                             f"inside {{…}} a comma ends a value; put the {before} in quotes: "
                             f"{fixed}")

    def missing_key(self, parent: Location, key: str) -> Problem:
        annotation = annotation_at(self.cls, self.source.data, (*parent, key))
        described = description_at(self.cls, self.source.data, (*parent, key))
        hint = f"add '{key}:' with {described or expected_words(annotation)}" if annotation else ""
        return self._problem(parent, f"{self._where(parent)}missing key '{key}'", hint)

    def value(self, location: Location, errors: list[ErrorDetails]) -> Problem:
        first = errors[0]
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            return self._slide_type(location, first)
        if location[-1:] == (KEY,):
            shape, hint = PATTERN_WORDS.get(str(first.get("ctx", {}).get("pattern")),
                                            ("another name", ""))
            return self._problem((*location[:-1], "__key__"), f"{self._where(location[:-2])}"
                                 f"the name {quoted(location[-2])} should be {shape}", hint)
        value = self._value(location)
        union = len(errors) > 1 or _in_union(first)
        annotation = annotation_at(self.cls, self.source.data, location, whole_union=union)
        words = value_sentence(Mistake(first, value, annotation, self._raw(location), union))
        phrases = place_phrases(self.source.data, location)
        described = description_at(self.cls, self.source.data, location)
        if described and not words.hint and not words.standalone:
            words = replace(words, hint=f"{location[-1]}: {described}")
        if words.standalone and not words.hint:
            words = replace(words, hint=self._split_cell_hint(location, words.text))
        if words.standalone:  # a sentence of the model's own, which names the key itself
            if len(phrases) > 1 and isinstance(location[-1], str):
                phrases = phrases[:-1]
            where = f"{', '.join(phrases)}: " if phrases else ""
            return self._problem(location, f"{where}{words.text}", words.hint)
        subject = phrases[-1] if phrases else "the file"
        context = f"{', '.join(phrases[:-1])}: " if len(phrases) > 1 else ""
        return self._problem(location, f"{context}{subject} {words.text}", words.hint)

    def _split_cell_hint(self, location: Location, message: str) -> str:
        """Give the hint for a table row a comma split (`[a, b, c, d]` for three columns)."""
        found = split_cell_row(message)
        if found is None:
            return ""
        row, cells, columns = found
        line, _ = self.source.position((*location, row - 1))
        lines = self.source.text.splitlines()
        return split_cell_hint(lines[line - 1], cells, columns) if 0 < line <= len(lines) else ""

    def _slide_type(self, location: Location, error: ErrorDetails) -> Problem:
        kinds = slide_type_names()
        where = self._where(location)
        if error["type"] == "union_tag_not_found":
            return self._problem(location, f"{where}missing key 'type'",
                                 f"say which kind of slide it is: {', '.join(kinds)}")
        tag = str(error.get("ctx", {}).get("tag", "?"))
        match = closest(tag, kinds)
        return self._problem((*location, "type"), f"{where}unknown slide type '{tag}'",
                             f"did you mean '{match}'?" if match else
                             f"use one of: {', '.join(kinds)}")

    def _value(self, location: Location) -> Any:
        current = self.source.data
        for part in location:
            if isinstance(current, dict):
                current = current.get(part)
            elif isinstance(current, list) and isinstance(part, int) and part < len(current):
                current = current[part]
            else:
                return None
        return current

    def _raw(self, location: Location) -> str:
        return self.source.raw_text(location)


def _comma_runs(data: Any, parent: Location, keys: list[str]) -> list[list[str]]:
    """Give the unknown keys of one mapping, those without a value that follow one another
    (the pieces of a text its commas cut, in a flow mapping) as one run, the others alone."""
    mapping: Any = data
    for part in parent:
        mapping = mapping.get(part) if isinstance(mapping, dict) else (
            mapping[part] if isinstance(mapping, list) and isinstance(part, int)
            and part < len(mapping) else None)
    if not isinstance(mapping, dict):
        return [[key] for key in keys]
    order = list(mapping)
    runs: list[list[str]] = []
    for key in sorted(keys, key=lambda k: order.index(k) if k in order else len(order)):
        follows = (runs and mapping.get(key, "") is None and mapping.get(runs[-1][-1], "") is None
                   and key in order and runs[-1][-1] in order
                   and order.index(key) == order.index(runs[-1][-1]) + 1)
        if follows:
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


def _data_location(data: Any, loc: tuple[int | str, ...]) -> tuple[Location, bool]:
    """Follow pydantic's `loc` through the data; tell whether it ended at a union's member.

    The slide-type tags pydantic adds are skipped. A union member's name (`str`, `list[str]`)
    ends the location there, so every member's complaint lands on the same value, unless the
    value is of that member's kind and the complaint is about something inside it.
    """
    location: list[str | int] = []
    current = data
    tag_skipped: object = None
    kinds = slide_type_names()
    for index, part in enumerate(loc):
        if (isinstance(current, dict) and current is not tag_skipped
                and part in kinds and current.get("type") == part):
            tag_skipped = current  # the slide-type tag of the union, not a key (a `bullets`
            continue               # slide's tag is followed by its `bullets` key)
        if isinstance(current, dict) and str(part) in current:
            current = current[str(part)]
            location.append(str(part))
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            location.append(part)
        elif part == KEY:
            location.append(KEY)
            break
        elif _is_type_name(str(part)):
            if not _inside_member(str(part), current, len(loc) - index - 1):
                return tuple(location), True
        elif isinstance(current, dict):
            location.append(str(part))  # a key that is absent (missing) or unknown
            break
    return tuple(location), False


def _inside_member(member: str, value: Any, depth_left: int) -> bool:
    """Tell whether a union member's complaint is about a part of a value of its kind."""
    if member.startswith("list[") and isinstance(value, list):
        return depth_left >= 1
    # `Tip: text` is not a sub-bullet list gone wrong but text YAML read as a mapping
    return member.startswith("dict[") and isinstance(value, dict) and depth_left >= 2


def _explained_inside(location: Location, group: list[ErrorDetails],
                      mistakes: dict[Location, list[ErrorDetails]]) -> bool:
    """Tell whether a union's refusal is explained by a mistake inside the value."""
    return len(location) > 0 and all(_in_union(e) for e in group) and any(
        other[: len(location)] == location and len(other) > len(location) for other in mistakes)


def _in_union(error: ErrorDetails) -> bool:
    return any(_is_type_name(str(part)) for part in error["loc"])


def _is_type_name(part: str) -> bool:
    """Tell whether a `loc` part names a union member's type (`str`, `list[str]`), not a key."""
    return part in ("str", "int", "bool", "float", "constrained-str") or "[" in part


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_slide(annotation: Any) -> bool:
    return _is_model(annotation) and issubclass(annotation, model.SlideBase)


def _joined(words: list[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
