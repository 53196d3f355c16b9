"""The schema in the deck's own words: where a value is, what it should be, what was found."""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from studydeck.schema import models as model
from studydeck.schema.slide_types import (
    slide_classes,
    slide_item_names,
    slide_nested_item_names,
)
from studydeck.source.yaml_reader import Location

# A list key and what one of its items is called ("bullet 3", "node 2"); each slide type adds
# the names of its own lists ("row 2").
ITEM_NAMES = {
    "slides": "slide", "bullets": "bullet", "objectives": "objective", "edges": "edge",
    "steps": "step", "groups": "group", "ranks": "rank", "chapters": "chapter", "nodes": "node",
    "sub-bullets": "sub-bullet", "item": "item",
}
# What an item of a list inside a list is called ("rank 2, node 3"); slide types add theirs.
NESTED_ITEM_NAMES = {"bullets": "sub-bullets", "ranks": "nodes"}
PATTERN_WORDS = {
    model.HEX_COLOR: ("a colour", "a colour is six hex digits like 1F6FEB"),
    model.SLUG: ("a name of lower-case letters, digits, '-' and '_'",
                 "start with a letter or digit; no spaces or capitals, e.g. 'request-flow'"),
    r"^\d{1,2}:\d{2}$": ("a time of day", "write the time as HH:MM in quotes, e.g. \"19:00\""),
}
SHOWN_TEXT = 40  # characters of the user's text quoted in a message


def quoted(value: object) -> str:
    """Give the user's text in quotes, shortened to one readable line."""
    text = str(value).replace("\n", " ")
    return f"'{text[:SHOWN_TEXT]}…'" if len(text) > SHOWN_TEXT else f"'{text}'"


def place_phrases(data: Any, location: Location) -> list[str]:
    """Give the parts of a place as a reader names them: "slide 7 ('Caching')", "bullet 3"."""
    phrases: list[str] = []
    keys: list[str] = []
    current = data
    for index, part in enumerate(location):
        parent = location[index - 1] if index else None
        if isinstance(part, int):
            if keys and keys[-1] == parent:
                keys.pop()
            if keys:
                phrases.append(f"'{'.'.join(keys)}'")
                keys = []
            item = current[part] if isinstance(current, list) and part < len(current) else None
            grandparent = location[index - 2] if index > 1 else None
            key = (_nested_item_names().get(str(grandparent), "item")
                   if isinstance(parent, int) else parent)
            phrases.append(_item_phrase(str(key), part, item))
        elif parent == "nodes" and isinstance(current, dict):
            keys.pop()
            if keys:
                phrases.append(f"'{'.'.join(keys)}'")
                keys = []
            phrases.append(f"node '{part}'")
        else:
            keys.append(part)
        current = _child(current, part)
    if keys:
        phrases.append(f"'{'.'.join(keys)}'")
    return phrases


def _nested_item_names() -> dict[str, str]:
    return {**NESTED_ITEM_NAMES, **slide_nested_item_names()}


def _item_phrase(key: str, index: int, item: Any) -> str:
    noun = ITEM_NAMES.get(key) or slide_item_names().get(key)
    if noun is None:
        return f"item {index + 1} of '{key}'"
    if noun == "slide" and isinstance(item, dict):
        title = item.get("title") or item.get("question")
        if isinstance(title, str | int | float) and str(title).strip():
            return f"slide {index + 1} ({quoted(title)})"
    return f"{noun} {index + 1}"


def _child(current: Any, part: str | int) -> Any:
    if isinstance(current, dict):
        return current.get(part)
    if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
        return current[part]
    return None


def found_words(value: Any, raw: str = "") -> str:
    """Give what the user wrote, as it was read: "the number 2024", "a list"."""
    if isinstance(value, bool):
        shown = raw if raw and raw.lower() != str(value).lower() else str(value).lower()
        return f"{shown} (read as {str(value).lower()})" if shown != str(value).lower() else shown
    if isinstance(value, int | float):
        return f"the number {raw or value}"
    if isinstance(value, str):
        return f"the text {quoted(value)}" if value else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        first = next(iter(value.items()), None)
        if first is not None and isinstance(first[1], str | int | float | bool):
            return f"a key and a value ({quoted(f'{first[0]}: {first[1]}')})"
        return "a mapping of keys"
    return "an empty value"


def expected_words(annotation: Any) -> str:
    """Give what a field holds, in words: "text", "a list of bullets", "true or false"."""
    annotation = _unwrapped(annotation)
    if annotation == model.Bullet:
        return "text, a list of sub-bullets, or 'text: [sub-bullets]'"
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return _either(a for a in get_args(annotation) if a is not type(None))
    if origin is Literal or annotation is bool:
        return _either([annotation])
    if origin is list:
        item = _unwrapped(get_args(annotation)[0])
        return "a list" if item == model.Bullet else f"a list of {_plural(item)}"
    if origin is dict:
        return "a mapping of names to " + _plural(get_args(annotation)[1])
    simple = {str: "text", int: "a whole number", float: "a number"}
    if annotation in simple:
        return simple[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping of keys (" + ", ".join(field_names(annotation)) + ")"
    return "a value of another kind"


def _either(members: Iterable[Any]) -> str:
    """Give the things a union accepts: "true, false or 'slides'", "text or a list of text"."""
    kinds: list[str] = []
    for member in map(_unwrapped, members):
        if member is bool:
            kinds += ["true", "false"]
        elif get_origin(member) is Literal:
            kinds += [f"'{choice}'" for choice in get_args(member)]
        else:
            kinds.append(expected_words(member))
    kinds = list(dict.fromkeys(kinds))
    if len(kinds) > 1 and all(kind.startswith("'") for kind in kinds):
        return f"one of {', '.join(kinds)}"
    return kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"


def _plural(annotation: Any) -> str:
    annotation = _unwrapped(annotation)
    if annotation is str:
        return "text"
    if annotation is int:
        return "whole numbers"
    if annotation is float:
        return "numbers"
    if get_origin(annotation) is list:
        return "lists"
    return "mappings"


def _unwrapped(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def field_names(cls: type[BaseModel]) -> list[str]:
    """Give the keys a model accepts, as written in YAML (aliases such as `from`)."""
    return [info.alias or name for name, info in cls.model_fields.items()]


def field_annotation(cls: type[BaseModel], key: str) -> Any:
    """Give the annotation of the field written as `key`, or None."""
    for name, info in cls.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def slide_class(kind: object) -> type[BaseModel] | None:
    """Give the model of a slide type (`bullets` → BulletsSlide), or None."""
    return slide_classes().get(kind) if isinstance(kind, str) else None


def annotation_at(root: type[BaseModel], data: Any, location: Location, *,
                  whole_union: bool = False) -> Any:
    """Give the schema's annotation of the value at `location` of `data`, or None.

    A union is narrowed to the member that fits the value, unless `whole_union` asks for it all.
    """
    annotation: Any = root
    current = data
    for part in location:
        annotation = _resolved(annotation, current)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = field_annotation(annotation, str(part))
        elif get_origin(annotation) is list and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return None
        current = _child(current, part)
    return _unwrapped(annotation) if whole_union else _resolved(annotation, current)


def description_at(root: type[BaseModel], data: Any, location: Location) -> str:
    """Give the schema's description of the key at `location` ("number of the right …")."""
    if not location or not isinstance(location[-1], str):
        return ""
    owner = annotation_at(root, data, location[:-1])
    if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
        return ""
    for name, info in owner.model_fields.items():
        if location[-1] in (name, info.alias):
            return info.description or ""
    return ""


def _resolved(annotation: Any, value: Any) -> Any:
    """Pick the member of a union that describes `value` (a slide by its `type`)."""
    annotation = _unwrapped(annotation)
    if get_origin(annotation) not in (Union, types.UnionType):
        return annotation
    members = [_unwrapped(a) for a in get_args(annotation) if a is not type(None)]
    if isinstance(value, dict) and "type" in value and slide_class(value["type"]) in members:
        return slide_class(value["type"])
    models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
    if isinstance(value, dict) and len(models) == 1:
        return models[0]
    containers = [m for m in members
                  if type(value) in (list, dict) and get_origin(m) is type(value)]
    if len(containers) == 1:
        return containers[0]
    return annotation if len(members) > 1 else members[0]


def model_name(cls: type[BaseModel]) -> str:
    """Give what a reader calls a mapping of this model: "a table slide", "a node"."""
    for kind, slide in slide_classes().items():
        if cls is slide:
            return f"a {kind} slide"
    words = re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower()
    article = "an" if words[:1] in "aeiou" else "a"
    return {"deck": "deck.yaml", "diagram spec": "a diagram", "diagram node": "a node"}.get(
        words, f"{article} {words}")


def slide_types_with(key: str) -> list[str]:
    """Give the slide types that accept `key`."""
    return [kind for kind, cls in slide_classes().items() if key in field_names(cls)]


def closest(word: str, vocabulary: list[str]) -> str:
    """Give the word of `vocabulary` closest to `word` (never `word` itself), or ''."""
    others = [name for name in vocabulary if name != word]
    matches = difflib.get_close_matches(word, others, n=1, cutoff=0.6)
    if not matches:
        lowered = {name.lower(): name for name in others}
        matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        matches = [lowered[m] for m in matches]
    if not matches:  # two letters swapped in a short word ('di' for 'id')
        matches = [name for name in others if sorted(name.lower()) == sorted(word.lower())]
    return matches[0] if matches else ""


def suggest(word: str, vocabulary: list[str]) -> str:
    """Give a 'did you mean' hint for a misspelt name, or an empty string."""
    match = closest(word, vocabulary)
    return f"did you mean '{match}'?" if match else ""
