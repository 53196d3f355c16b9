"""What slide types write with: pptx/'s text, shapes and clicks, and the helpers they share.

Loaded only when a slide is first written (see slides/__init__.py), so that planning and
checking a deck (`validate`) never load python-pptx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studydeck.pptx.animation import Appear, Click, Disappear
from studydeck.pptx.context import Page, SlideContext, SlideResult
from studydeck.pptx.shapes import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    ANCHOR_BOTTOM,
    ANCHOR_MIDDLE,
    ANCHOR_TOP,
    add_band,
    add_covering_text,
    add_panel,
    add_picture_fitted,
    add_rectangle,
    add_table,
    add_unwrapped_text,
)
from studydeck.pptx.states import ANSWER_NAMES
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.template import fill_placeholder
from studydeck.pptx.template_card import add_card
from studydeck.pptx.text import (
    TextBlock,
    TextParagraph,
    TextRun,
    add_text_box,
    bullet_paragraphs,
    plain,
    rich_runs,
)

if TYPE_CHECKING:
    from studydeck.pptx.diagram import add_native_diagram, add_step_highlight

NATIVE_DIAGRAM_WRITERS = ("add_native_diagram", "add_step_highlight")

__all__ = [
    "ALIGN_CENTER", "ALIGN_LEFT", "ALIGN_RIGHT", "ANCHOR_BOTTOM", "ANCHOR_MIDDLE", "ANCHOR_TOP",
    "ANSWER_NAMES", "Appear", "Click", "Disappear", "Page", "SlideContext", "SlideResult",
    "TextBlock", "TextParagraph", "TextRun", "add_band", "add_card", "add_covering_text",
    "add_native_diagram", "add_panel",
    "add_picture_fitted", "add_rectangle", "add_step_highlight", "add_table", "add_text_box",
    "add_unwrapped_text", "body_block", "bullet_paragraphs", "fill_placeholder", "plain",
    "reveal_by_item", "reveals", "rich_runs",
]


def __getattr__(name: str) -> Any:
    """Give the native diagram's writers when a slide first asks for them."""
    if name in NATIVE_DIAGRAM_WRITERS:
        # the writer of native diagrams (their geometry, routes, connectors) loads with the
        # first one written: keeps `build` fast after an edit that writes no diagram slide
        from studydeck.pptx import diagram

        return getattr(diagram, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def body_block(style: DeckStyle, paragraphs: list[TextParagraph]) -> TextBlock:
    """Give body text: from the deck's body size down to its floor."""
    return TextBlock(paragraphs=paragraphs, largest=style.body_size, smallest=style.body_floor)


def reveal_by_item(shape_id: int, paragraphs: list[TextParagraph]) -> list[Click]:
    """Give one click per top-level bullet, its sub-bullets appearing with it."""
    starts = [i for i, p in enumerate(paragraphs) if not p.level]
    ends = [*(s - 1 for s in starts[1:]), len(paragraphs) - 1]
    return [Click((Appear(shape_id, (s, e)),)) for s, e in zip(starts, ends, strict=True)]


def reveals(ctx: SlideContext, reveal: bool | None) -> bool:
    """Tell whether a slide's items appear click by click: its own `reveal`, else the deck's."""
    return ctx.default_reveal if reveal is None else reveal
