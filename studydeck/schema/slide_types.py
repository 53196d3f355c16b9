"""The chapter slide types the schema knows, by name: each type's module in slides/ adds its own.

The schema's words read them from here (the types a key belongs on, what an item of a type's
list is called, the names an unknown type is compared with), so that they need not import the
slide types, which sit above the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from studydeck.schema.models import SlideBase


@dataclass(frozen=True)
class SlideModel:
    """A slide type as the schema sees it: its name, its model and the names of its items."""

    name: str
    model: type[SlideBase]
    order: int  # where the type comes in lists a user reads (messages, the JSON Schema)
    item_names: Mapping[str, str]  # a list key and what one of its items is called
    nested_item_names: Mapping[str, str]  # … and what an item of an item of it is called


_KNOWN: dict[str, SlideModel] = {}


def add_slide_model(slide_model: SlideModel) -> None:
    """Make a slide type known to the schema (a type module does it when it is imported)."""
    _KNOWN[slide_model.name] = slide_model


def slide_models() -> list[SlideModel]:
    """Give the known slide types in the order a user reads them."""
    return sorted(_KNOWN.values(), key=lambda known: known.order)


def slide_classes() -> dict[str, type[SlideBase]]:
    """Give each known slide type's model by its name (`bullets` → BulletsSlide)."""
    return {known.name: known.model for known in slide_models()}


def slide_type_names() -> list[str]:
    """Give the names a slide's `type` may take, in the order a user reads them."""
    return [known.name for known in slide_models()]


def slide_item_names() -> dict[str, str]:
    """Give what an item of each slide type's own lists is called ("choices" → "choice")."""
    return {key: noun for known in slide_models() for key, noun in known.item_names.items()}


def slide_nested_item_names() -> dict[str, str]:
    """Give what an item of an item of a slide type's lists is called ("rows" → "cells")."""
    return {key: noun for known in slide_models()
            for key, noun in known.nested_item_names.items()}
