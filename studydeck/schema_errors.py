"""Pydantic validation errors, turned into problems at the right line of the user's file."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from studydeck import model
from studydeck.errors import Problem
from studydeck.load import Location, SourceFile

M = TypeVar("M", bound=BaseModel)


def _field_names(cls: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in cls.model_fields.items():
        names.add(info.alias or name)
    return names


KNOWN_KEYS = sorted(
    set().union(
        *(
            _field_names(cls)
            for cls in vars(model).values()
            if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel
        )
    )
)


def validate_file(source: SourceFile, cls: type[M]) -> tuple[M | None, list[Problem]]:
    """Give the validated model of a loaded file, or the problems that stand in the way."""
    if source.data is None:
        return None, [Problem(source.path, 1, 1, "the file is empty")]
    try:
        return cls.model_validate(source.data), []
    except ValidationError as err:
        return None, [_problem(source, error) for error in err.errors(include_url=False)]


def _problem(source: SourceFile, error: ErrorDetails) -> Problem:
    location = _data_location(source.data, error["loc"])
    where = _dotted(location)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(location[-1])
        line, column = source.position((*location, "__key__"))
        return Problem(source.path, line, column, f"unknown key '{key}'", suggest(key, KNOWN_KEYS))
    line, column = source.position(location)
    if kind == "missing":
        missing = str(error["loc"][-1])
        parent = _dotted(location[:-1] if location[-1:] == (missing,) else location)
        place = f" in {parent}" if parent else ""
        return Problem(source.path, line, column, f"missing key '{missing}'{place}")
    if kind == "union_tag_invalid":
        tag = str(error["ctx"]["tag"]) if "ctx" in error else "?"
        return Problem(
            source.path,
            *source.position((*location, "type")),
            f"unknown slide type '{tag}'",
            suggest(tag, list(model.SLIDE_TYPES)) or f"use one of: {', '.join(model.SLIDE_TYPES)}",
        )
    message = error["msg"].removeprefix("Value error, ")
    return Problem(source.path, line, column, f"{where}: {message}" if where else message)


def _data_location(data: Any, loc: tuple[int | str, ...]) -> Location:
    """Follow pydantic's `loc` through the data, skipping the union tags pydantic adds."""
    location: list[str | int] = []
    current = data
    tag_skipped: object = None
    for part in loc:
        if (isinstance(current, dict) and current is not tag_skipped
                and part in model.SLIDE_TYPES and current.get("type") == part):
            tag_skipped = current  # the slide-type tag of the union, not a key (a `bullets`
            continue               # slide's tag is followed by its `bullets` key)
        if isinstance(current, dict) and str(part) in current:
            current = current[str(part)]
            location.append(str(part))
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            location.append(part)
        elif isinstance(current, dict) and not _is_type_name(str(part)):
            location.append(str(part))  # a key that is absent (missing) or unknown
            break
    return tuple(location)


def _is_type_name(part: str) -> bool:
    """Tell whether a `loc` part names a union member's type (`str`, `list[str]`), not a key."""
    return part in ("str", "int", "bool", "float", "constrained-str") or "[" in part


def _dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def suggest(word: str, vocabulary: list[str]) -> str:
    """Give a 'did you mean' hint for a misspelt name, or an empty string."""
    matches = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
