"""Text boxes every slide repeats (its number, the footer, the link back to the agenda): written
once per deck, then copied.

What `add_text_box` writes depends on the box, the text and the deck's style, not on the slide
it goes on, but for the shape's id. So the first slide's box is written as usual and kept; a
later slide gets a copy of it with the id python-pptx would give it: the same XML as writing it
again, in a fraction of the time (measuring the text, building each run's properties).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from copy import deepcopy
from typing import Any

from lxml import etree
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide

# Per package (one deck being written): the boxes kept, by what the caller names them.
_KEPT: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def deck_memo(slide: Slide) -> dict[Hashable, Any]:
    """Give a dict that lives as long as the deck `slide` is in: what holds for all its slides
    (the same style, fonts and areas) is worked out once per deck in it."""
    return _KEPT.setdefault(slide.part.package, {})


def add_repeated_box(slide: Slide, key: Hashable, write: Callable[[], Shape]) -> Shape:
    """Give the text box `write` adds to `slide`, or for a `key` written before in this deck,
    a copy of what it wrote then. `write` must give the same XML on every slide but the id."""
    memo = deck_memo(slide)
    model: etree._Element | None = memo.get(("repeated box", key))
    if model is None:
        shape = write()
        memo[("repeated box", key)] = deepcopy(shape._element)
        return shape
    shapes = slide.shapes
    element = deepcopy(model)
    element[0][0].set("id", str(shapes._next_shape_id))  # p:nvSpPr/p:cNvPr, as add_textbox
    shapes._spTree.insert_element_before(element, "p:extLst")
    return shapes._shape_factory(element)  # type: ignore[return-value]

