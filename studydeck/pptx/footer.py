"""The foot of a slide: its number as a field PowerPoint keeps up to date, and the footer text."""

from __future__ import annotations

import uuid

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide

from studydeck.layout import geometry as g
from studydeck.layout.text import text_width_em
from studydeck.pptx.repeated import add_repeated_box, deck_memo
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, add_text_box, chosen_size, plain
from studydeck.schema.models import Theme

FOOT_SIZES = (12, 10)  # largest and smallest size of the slide number and footer
# Fixed so that the field's id depends only on the slide's number: builds stay byte-stable.
_FIELD_IDS = uuid.UUID("0b8f7a35-3c2e-4f51-8f1e-6d2a9c4b7e10")
_FIELD = qn("a:fld")


def add_footer(slide: Slide, number: int, theme: Theme, style: DeckStyle) -> None:
    """Add the slide number (a `slidenum` field) and the deck's footer text, as the theme says."""
    if theme.slide_numbers and not g.AREAS.numbers_slides:
        digits = len(str(number))
        widest = _widest_if_alike(slide, digits, style)
        box = (add_repeated_box(slide, ("slide number", digits),
                                lambda: _number_box(slide, widest, style))
               if widest else _number_box(slide, str(number), style))
        _show_number(box._element, number)
    if theme.footer:
        add_repeated_box(slide, "footer", lambda: _footer_box(slide, theme.footer, style))


def _number_box(slide: Slide, measured: str, style: DeckStyle) -> Shape:
    """Give the slide number's box, its size that of the number `measured` (_show_number sets
    the number it shows)."""
    box = add_text_box(slide, g.SLIDE_NUMBER, _number_block(measured, style), style)
    box.name = "Slide number"
    _as_slide_number_field(box._element.find(f".//{qn('a:r')}"))
    return box


def _number_block(text: str, style: DeckStyle) -> TextBlock:
    return TextBlock([plain(text, color=style.colors.muted, align=PP_ALIGN.LEFT)], *FOOT_SIZES,
                     MSO_ANCHOR.MIDDLE, g.AREAS.background_of("slide_number") or None)


def _widest_if_alike(slide: Slide, digits: int, style: DeckStyle) -> str:
    """Give the widest number of `digits` digits (the widest digit that many times: digits are
    set side by side, not kerned) if it fits its box at the largest size: then every such number
    does, and all are written alike, at the size measured for it. Else "": each number is
    measured. (Measuring only it, not each number, keeps the widths a build keeps the same
    whichever process writes which slides.)"""
    memo = deck_memo(slide)
    key = ("widest slide number", digits)
    if key not in memo:
        widest = max("0123456789", key=text_width_em) * digits
        block = _number_block(widest, style)
        memo[key] = widest if chosen_size(block, g.SLIDE_NUMBER) == block.largest else ""
    found: str = memo[key]
    return found


def _footer_box(slide: Slide, footer: str, style: DeckStyle) -> Shape:
    box = add_text_box(slide, g.FOOTER, TextBlock(
        [plain(footer, color=style.colors.muted)], *FOOT_SIZES, MSO_ANCHOR.MIDDLE,
        g.AREAS.background_of("footer") or None), style)
    box.name = "Footer"
    return box


def _as_slide_number_field(run: etree._Element) -> None:
    """Turn the run into `a:fld type="slidenum"`, keeping its properties and shown number."""
    field = etree.Element(_FIELD, id="", type="slidenum")  # the id: _show_number
    field.extend(list(run))
    run.addprevious(field)
    run.getparent().remove(run)


def _show_number(box: etree._Element, number: int) -> None:
    """Make the box's field show `number`, with an id that depends only on it."""
    field = box.find(f".//{_FIELD}")
    field.set("id", f"{{{str(uuid.uuid5(_FIELD_IDS, str(number))).upper()}}}")
    field.find(qn("a:t")).text = str(number)
