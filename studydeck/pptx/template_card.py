"""A card under a template's title slide text where no text colour reads on the template's own
drawing there (pptx/template_title_slide.py): a plain rectangle in the colour of the page the
template's content slides show, round the text as written, under everything on the slide.
"""

from __future__ import annotations

from collections.abc import Iterable

from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape

from studydeck.layout import geometry as g
from studydeck.layout.geometry import EMU_PER_POINT
from studydeck.layout.heights import text_height
from studydeck.layout.text import Paragraph, text_width_em, wrap
from studydeck.layout.titles import CARD_PAD
from studydeck.pptx.context import Page
from studydeck.pptx.shapes import add_rectangle

CARD_NAME = "Title card"
_ANCHOR_SHARE = {"b": 1.0, "ctr": 0.5}  # how far down its spare room a frame's text sits


def add_card(page: Page, shapes: Iterable[Shape], color: str) -> None:
    """Add a card of `color` under the text of the shapes: round the lines they hold as
    written (as the build measures them), CARD_PAD beyond; nothing when they hold none."""
    texts = [box for shape in shapes if (box := _text_box(shape)) is not None]
    if not texts:
        return
    left, top = min(box.left for box in texts), min(box.top for box in texts)
    right, bottom = max(box.right for box in texts), max(box.bottom for box in texts)
    card = g.Box(left - CARD_PAD, top - CARD_PAD, right - left + 2 * CARD_PAD,
                 bottom - top + 2 * CARD_PAD)
    add_rectangle(page, card, color, CARD_NAME)
    tree = page.shapes._spTree
    element = tree[-1]
    tree.remove(element)
    tree.insert(2, element)  # after the group's own properties: under every shape


def _text_box(shape: Shape) -> g.Box | None:
    """Give the box the frame's text takes: its lines' widest (from the frame's left, as
    written left-aligned) by their height, placed as the frame anchors it."""
    frame = shape.text_frame
    runs = [run for paragraph in frame.paragraphs for run in paragraph.runs]
    sizes = {run.font.size.pt for run in runs if run.font.size is not None}
    if not frame.text.strip() or not sizes:
        return None
    size = max(sizes)
    bold = any(run.font.bold for run in runs)
    room = int(shape.width) - int(frame.margin_left) - int(frame.margin_right)
    paragraphs = [paragraph.text for paragraph in frame.paragraphs]
    em = size * EMU_PER_POINT
    widest = max((text_width_em(line, bold) * em for text in paragraphs
                  for line in wrap(text, room / em, bold)), default=0)
    height = (text_height([Paragraph(text, bold=bold) for text in paragraphs], size, room)
              + int(frame.margin_top) + int(frame.margin_bottom))
    body = frame._txBody.find(qn("a:bodyPr"))
    share = _ANCHOR_SHARE.get(body.get("anchor", "t") if body is not None else "t", 0.0)
    top = int(shape.top) + round(max(int(shape.height) - height, 0) * share)
    width = min(round(widest) + int(frame.margin_left) + int(frame.margin_right),
                int(shape.width))
    return g.Box(int(shape.left), top, width, min(height, int(shape.height)))
