"""A template theme's fonts and colours, and the deck style they give where deck.yaml is silent."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout

from studydeck.layout.colors import mix
from studydeck.layout.fonts import Typefaces, deck_typefaces
from studydeck.pptx.style import DeckStyle
from studydeck.schema.models import Deck

MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
# deck.yaml colour → theme colour slot (muted is mixed from text and background).
COLOR_SLOTS = {"primary": "dk2", "accent": "accent1", "text": "dk1", "background": "lt1"}
MUTED_MIX = 0.45  # muted text: this far from the text colour towards the background


@dataclass(frozen=True)
class ThemeLook:
    """The typefaces and colours a template's theme names (empty where it names none)."""

    heading_latin: str = ""
    heading_east_asian: str = ""
    body_latin: str = ""
    body_east_asian: str = ""
    colors: tuple[tuple[str, str], ...] = ()  # (slot, RRGGBB): dk1, lt1, dk2, accent1, ...



def theme_look(layout: SlideLayout) -> ThemeLook:
    """Give the fonts and colours of the theme the layout's master uses."""
    try:
        theme = parse_xml(layout.slide_master.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError):
        return ThemeLook()  # a master without a readable theme: studydeck's own look stays
    return _look_of(theme)


def template_typefaces(path: Path, deck: Deck) -> Typefaces:
    """Give the typefaces body text is written in on this template (deck.yaml's settings win).

    Read from the first slide master's theme without opening the whole template, so that text
    is measured with them before the deck is written.
    """
    typefaces = deck_typefaces(deck)
    try:
        with zipfile.ZipFile(path) as package:
            rels = etree.fromstring(package.read(MASTER_RELS))
            target = next(rel.get("Target", "") for rel in rels if rel.get("Type") == RT.THEME)
            look = _look_of(etree.fromstring(
                package.read(posixpath.normpath(posixpath.join("ppt/slideMasters", target)))))
    except (OSError, KeyError, StopIteration, zipfile.BadZipFile, etree.XMLSyntaxError):
        return typefaces
    chosen = deck.theme.font.model_fields_set
    return replace(
        typefaces,
        latin=typefaces.latin if "latin" in chosen else look.body_latin or typefaces.latin,
        east_asian=(typefaces.east_asian if "east_asian" in chosen
                    else look.body_east_asian or typefaces.east_asian))


def _look_of(theme: etree._Element) -> ThemeLook:
    """Give the fonts and colours a theme part names."""
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    colors = tuple((_local(slot.tag), color) for slot in (scheme if scheme is not None else [])
                   if (color := _slot_color(slot)))
    major, minor = (fonts.find(qn(tag)) if fonts is not None else None
                    for tag in ("a:majorFont", "a:minorFont"))
    return ThemeLook(
        heading_latin=_typeface(major, "a:latin"),
        heading_east_asian=_typeface(major, "a:ea") or _script_typeface(major, "Hang"),
        body_latin=_typeface(minor, "a:latin"),
        body_east_asian=_typeface(minor, "a:ea") or _script_typeface(minor, "Hang"),
        colors=colors,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _slot_color(slot: etree._Element) -> str:
    """Give a scheme slot's colour as RRGGBB (`a:srgbClr`, or `a:sysClr`'s last colour)."""
    for child in slot:
        value = child.get("val") if _local(child.tag) == "srgbClr" else child.get("lastClr")
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
            return str(value).upper()
    return ""


def _typeface(font: etree._Element | None, tag: str) -> str:
    found = font.find(qn(tag)) if font is not None else None
    return (found.get("typeface") or "").strip() if found is not None else ""


def _script_typeface(font: etree._Element | None, script: str) -> str:
    for entry in font.findall(qn("a:font")) if font is not None else []:
        if entry.get("script") == script:
            return (entry.get("typeface") or "").strip()
    return ""


def styled_by_template(style: DeckStyle, deck: Deck, look: ThemeLook) -> DeckStyle:
    """Give `style` with the template theme's fonts and colours where deck.yaml sets none."""
    chosen = deck.theme.font.model_fields_set
    latin = style.latin if "latin" in chosen else look.body_latin or style.latin
    east_asian = (style.east_asian if "east_asian" in chosen
                  else look.body_east_asian or style.east_asian)
    return replace(
        style,
        latin=latin,
        east_asian=east_asian,
        heading_latin=latin if "latin" in chosen else look.heading_latin or latin,
        heading_east_asian=(east_asian if "east_asian" in chosen
                            else look.heading_east_asian or east_asian),
        colors=style.colors.model_copy(update=_theme_colors(deck, look)),
    )


def _theme_colors(deck: Deck, look: ThemeLook) -> dict[str, str]:
    slots = dict(look.colors)
    chosen = deck.theme.colors.model_fields_set
    colors = {name: slots[slot] for name, slot in COLOR_SLOTS.items()
              if slot in slots and name not in chosen}
    if "muted" not in chosen and ("text" in colors or "background" in colors):
        text = colors.get("text", deck.theme.colors.text)
        background = colors.get("background", deck.theme.colors.background)
        colors["muted"] = mix(text, background, MUTED_MIX)
    return colors
