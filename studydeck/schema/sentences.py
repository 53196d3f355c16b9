"""One sentence and one hint per kind of wrong value: what was expected, what was found."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic_core import ErrorDetails

from studydeck.schema.vocabulary import (
    PATTERN_WORDS,
    expected_words,
    found_words,
    quoted,
    suggest,
)

TYPE_ERRORS = {
    "string_type", "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
    "bool_type", "bool_parsing", "list_type", "dict_type", "model_type",
    "model_attributes_type", "literal_error",
}
BOUNDS = {"greater_than": ("gt", "more than"), "greater_than_equal": ("ge", "at least"),
          "less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}
YAML_BOOLEANS = ("yes", "no", "on", "off", "y", "n", "true", "false")


@dataclass(frozen=True)
class Mistake:
    """One wrong value: pydantic's error, the value, the field's annotation, the YAML text."""

    error: ErrorDetails
    value: Any
    annotation: Any
    raw: str = ""
    union: bool = False  # every member of a union refused it


@dataclass(frozen=True)
class Sentence:
    """What follows the subject ("should be text, not …"), and the hint."""

    text: str
    hint: str = ""
    standalone: bool = False  # the text is a whole sentence, written after the place


def value_sentence(mistake: Mistake) -> Sentence:
    """Give the plain sentence for one wrong value."""
    kind = mistake.error["type"]
    ctx: dict[str, Any] = dict(mistake.error.get("ctx") or {})
    if mistake.union or kind in TYPE_ERRORS:
        return _wrong_kind(mistake)
    if kind == "string_pattern_mismatch":
        words, hint = PATTERN_WORDS.get(str(ctx.get("pattern")), ("another form of text", ""))
        return Sentence(f"should be {words}, not {found_words(mistake.value, mistake.raw)}", hint)
    if kind in ("too_short", "too_long"):
        return _length(kind, ctx)
    if kind in ("string_too_short", "string_too_long"):
        return _text_length(kind, ctx, mistake.value)
    if kind in BOUNDS:
        key, words = BOUNDS[kind]
        return Sentence(f"should be {words} {ctx.get(key):g}, not {mistake.raw or mistake.value}")
    message = str(mistake.error["msg"]).removeprefix("Value error, ")
    return Sentence(message, standalone=True)


ROW_CELLS = re.compile(r"row (\d+) has (\d+) cells but there are (\d+) columns")


def split_cell_row(message: str) -> tuple[int, int, int] | None:
    """Give (row, cells, columns) of a table row with more cells than columns, else None."""
    found = ROW_CELLS.fullmatch(message)
    row, cells, columns = (int(part) for part in found.groups()) if found else (0, 0, 0)
    return (row, cells, columns) if cells > columns else None


def split_cell_hint(line: str, cells: int, columns: int) -> str:
    """Give the hint for a `[a, b]` table row that a comma inside a cell split: the row with
    its last cells quoted together, as the author most likely meant."""
    written = re.match(r"^\s*(-\s*)?\[(.*)\]\s*(#.*)?$", line)
    if written is None:
        return ""
    parts = [part.strip() for part in written.group(2).split(",")]
    if len(parts) != cells:
        return ""
    kept = columns - 1
    merged = ", ".join(parts[kept:]).replace('"', '\\"')
    row = ", ".join([*parts[:kept], f'"{merged}"'])
    return (f"in a [a, b] row each comma starts a new cell, so a comma inside a cell splits it; "
            f"put that cell in quotes, e.g. {written.group(1) or ''}[{row}]")


def _wrong_kind(mistake: Mistake) -> Sentence:
    expected = expected_words(mistake.annotation) if mistake.annotation is not None else ""
    if not expected or expected == "a value of another kind":
        expected = str(mistake.error.get("ctx", {}).get("expected", "")) or "something else"
    text = f"should be {expected}, not {found_words(mistake.value, mistake.raw)}"
    hint = (_trap_hint(mistake) or _choice_hint(mistake) or _list_hint(mistake)
            or _number_hint(mistake))
    return Sentence(text, hint)


def _trap_hint(mistake: Mistake) -> str:
    """Give the hint for YAML reading text as something else: `yes`, `2024`, `Tip: …`."""
    value, raw = mistake.value, mistake.raw.strip()
    if value is None:
        return "the value is empty: write it after the colon, or delete the key"
    if not _wants_text(mistake.annotation):
        return ""
    if isinstance(value, bool):
        shown = raw or str(value).lower()
        return (f"YAML reads an unquoted {shown} as {str(value).lower()}; "
                f"put the text in quotes: \"{shown}\"")
    if isinstance(value, int | float):
        return f"YAML reads {raw or value} as a number; put it in quotes: \"{raw or value}\""
    if isinstance(value, dict) and raw.startswith("{"):
        return "a '{' at the start of a value begins a YAML mapping; put the text in quotes"
    if isinstance(value, list) and raw.startswith("["):
        return "a '[' at the start of a value begins a YAML list; put the text in quotes"
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        if not isinstance(inner, list | dict):
            text = f"{key}: {'' if inner is None else inner}".rstrip()
            return (f"the ': ' after {quoted(key)} makes it a key and a value; "
                    f"put the whole text in quotes: \"{text}\"")
    return ""


def _choice_hint(mistake: Mistake) -> str:
    choices = _literal_choices(mistake.annotation)
    if isinstance(mistake.value, str) and choices:
        return suggest(mistake.value, choices)
    return ""


def _number_hint(mistake: Mistake) -> str:
    """Give the number alone, when a number was written with words around it (`5분`)."""
    number = re.search(r"\d+(?:\.\d+)?", mistake.value) if isinstance(mistake.value, str) else None
    if number and mistake.annotation in (int, float):
        return f"write the number alone, e.g. {number.group()}"
    return ""


def _list_hint(mistake: Mistake) -> str:
    """Give how a list is written, when one thing stands where a list should."""
    wants_list = get_origin(mistake.annotation) is list
    if wants_list and isinstance(mistake.value, str | int | float | bool):
        return "write a list one item per line, each starting with '- ', or as [first, second]"
    return ""


def _literal_choices(annotation: Any) -> list[str]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return [c for member in get_args(annotation) for c in _literal_choices(member)]
    if origin is Literal:
        return [str(choice) for choice in get_args(annotation)]
    return []


def _wants_text(annotation: Any) -> bool:
    """Tell whether text is one of the things the field accepts."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if annotation is str:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_wants_text(member) for member in get_args(annotation))
    return False


def _length(kind: str, ctx: dict[str, Any]) -> Sentence:
    actual = int(ctx.get("actual_length") or 0)
    if kind == "too_short":
        least = int(ctx.get("min_length") or 1)
        if actual == 0:
            return Sentence("is empty", f"add at least {_items(least)}")
        return Sentence(f"has {_items(actual)}; it needs at least {least}",
                     f"add {_items(least - actual, 'more ')}")
    most = int(ctx.get("max_length") or 0)
    return Sentence(f"has {_items(actual)}; at most {most} are allowed",
                 f"remove {_items(actual - most)}, or split it over two slides")


def _text_length(kind: str, ctx: dict[str, Any], value: Any) -> Sentence:
    length = len(value) if isinstance(value, str) else 0
    if kind == "string_too_short":
        least = ctx.get("min_length")
        return Sentence(f"is too short ({length} characters, at least {least} are needed)")
    return Sentence(f"is {length} characters long; at most {ctx.get('max_length')} are allowed",
                 "shorten it, or move the rest to the notes")


def _items(count: int, adjective: str = "") -> str:
    return f"{count} {adjective}item{'s' if count != 1 else ''}"
