"""The foot of a slide: its number as a field PowerPoint keeps up to date, and the footer text."""

from __future__ import annotations

import uuid

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide

from studydeck.layout import geometry as g
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, add_text_box, plain
from studydeck.schema.models import Theme

FOOT_SIZES = (12, 10)  # largest and smallest size of the slide number and footer
# Fixed so that the field's id depends only on the slide's number: builds stay byte-stable.
_FIELD_IDS = uuid.UUID("0b8f7a35-3c2e-4f51-8f1e-6d2a9c4b7e10")


def add_footer(slide: Slide, number: int, theme: Theme, style: DeckStyle) -> None:
    """Add the slide number (a `slidenum` field) and the deck's footer text, as the theme says."""
    if theme.slide_numbers and not g.AREAS.numbers_slides:
        box = add_text_box(slide, g.SLIDE_NUMBER, TextBlock(
            [plain(str(number), color=style.colors.muted, align=PP_ALIGN.LEFT)], *FOOT_SIZES,
            MSO_ANCHOR.MIDDLE, g.AREAS.background_of("slide_number") or None), style)
        box.name = "Slide number"
        _as_slide_number_field(box._element.find(f".//{qn('a:r')}"), number)
    if theme.footer:
        box = add_text_box(slide, g.FOOTER, TextBlock(
            [plain(theme.footer, color=style.colors.muted)], *FOOT_SIZES, MSO_ANCHOR.MIDDLE,
            g.AREAS.background_of("footer") or None), style)
        box.name = "Footer"


def _as_slide_number_field(run: etree._Element, number: int) -> None:
    """Turn the run into `a:fld type="slidenum"`, keeping its properties and shown number."""
    field = etree.Element(qn("a:fld"), id=f"{{{str(uuid.uuid5(_FIELD_IDS, str(number))).upper()}}}",
                          type="slidenum")
    field.extend(list(run))
    run.addprevious(field)
    run.getparent().remove(run)
