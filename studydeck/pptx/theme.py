"""A template theme's fonts and colours, and the deck style they give where deck.yaml is silent."""

from __future__ import annotations

import colorsys
import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout

from studydeck.layout.colors import mix, readable, shade_of
from studydeck.layout.fonts import Typefaces, deck_typefaces, find_face, is_installed
from studydeck.pptx.converted import ConversionError, presentation_file
from studydeck.pptx.style import DeckStyle
from studydeck.schema.models import Deck

MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
# deck.yaml colour → theme colour slot (muted is mixed from text and background).
COLOR_SLOTS = {"primary": "dk2", "accent": "accent1", "text": "dk1", "background": "lt1"}
SCRIPT_SAMPLES = {"ko": "한"}  # a letter of the deck's script, by language (English: any font)
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
    look = template_theme_look(path)
    chosen = deck.theme.font.model_fields_set
    return replace(
        typefaces,
        latin=typefaces.latin if "latin" in chosen else look.body_latin or typefaces.latin,
        east_asian=(typefaces.east_asian if "east_asian" in chosen
                    else script_face(look.body_east_asian, deck) or typefaces.east_asian))


def template_theme_look(path: Path) -> ThemeLook:
    """Give the fonts and colours of the template's first master's theme (none if unreadable)."""
    try:
        with zipfile.ZipFile(presentation_file(path)) as package:
            rels = etree.fromstring(package.read(MASTER_RELS))
            target = next(rel.get("Target", "") for rel in rels if rel.get("Type") == RT.THEME)
            return _look_of(etree.fromstring(
                package.read(posixpath.normpath(posixpath.join("ppt/slideMasters", target)))))
    except (OSError, KeyError, StopIteration, zipfile.BadZipFile, etree.XMLSyntaxError,
            ConversionError):
        return ThemeLook()


def script_face(face: str, deck: Deck) -> str:
    """Give `face`, or '' (the deck's own East Asian font) when it is installed but cannot show
    the deck's script: a template's DejaVu Sans has no Hangul for a Korean deck."""
    sample = SCRIPT_SAMPLES.get(deck.language)
    if not face or sample is None or not is_installed(face):
        return face
    found = find_face(face)
    return face if found is not None and found.covers(sample) else ""


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


def styled_by_template(style: DeckStyle, deck: Deck, look: ThemeLook,
                       body_background: str = "") -> DeckStyle:
    """Give `style` with the template theme's fonts and colours where deck.yaml sets none;
    text is made readable on `body_background`, what the template draws behind the body."""
    chosen = deck.theme.font.model_fields_set
    latin = style.latin if "latin" in chosen else look.body_latin or style.latin
    east_asian = (style.east_asian if "east_asian" in chosen
                  else script_face(look.body_east_asian, deck) or style.east_asian)
    return replace(
        style,
        latin=latin,
        east_asian=east_asian,
        heading_latin=latin if "latin" in chosen else look.heading_latin or latin,
        heading_east_asian=(east_asian if "east_asian" in chosen
                            else script_face(look.heading_east_asian, deck) or east_asian),
        colors=style.colors.model_copy(update=_theme_colors(deck, look, body_background)),
        link=dict(look.colors).get("hlink", ""),
    )


def template_colors(deck: Deck, look: ThemeLook, body_background: str = "") -> dict[str, str]:
    """Give the deck's colours by name (primary, accent, text, muted, background) on a template
    whose theme is `look`, before text colours are made readable where they are drawn."""
    return {**deck.theme.colors.model_dump(), **_theme_colors(deck, look, body_background)}


def _theme_colors(deck: Deck, look: ThemeLook, body_background: str) -> dict[str, str]:
    slots = dict(look.colors)
    if body_background:
        slots["lt1"] = body_background
    chosen = deck.theme.colors.model_fields_set
    colors = {name: slots[slot] for name, slot in COLOR_SLOTS.items()
              if slot in slots and name not in chosen}
    if "muted" not in chosen and ("text" in colors or "background" in colors):
        text = colors.get("text", deck.theme.colors.text)
        background = colors.get("background", deck.theme.colors.background)
        colors["muted"] = mix(text, background, MUTED_MIX)
    return colors


# --- the deck's own theme ----------------------------------------------------------------------

PALETTE_TURNS = (0.5, 0.17, 0.67, 0.33, 0.83)  # accent2–6: the accent's hue turned this far


def write_deck_theme(master_part: Part, style: DeckStyle, name: str) -> None:
    """Make the master's theme the deck's: its colours (accent1 the accent, accent2–6 turned
    from it, links in the accent's and primary's text shades) and fonts, named after the deck.

    A presenter who adds a slide, shape or chart in PowerPoint gets the deck's look, not Office's.
    """
    part = master_part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.set("name", name[:80] or "studydeck")
    elements = theme.find(qn("a:themeElements"))
    if elements is None:
        return
    _write_colors(elements.find(qn("a:clrScheme")), style, name)
    _write_fonts(elements.find(qn("a:fontScheme")), style, name)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def in_own_theme(style: DeckStyle) -> DeckStyle:
    """Give `style` writing the colours studydeck's own theme holds as references to it, and
    knowing the link colour the theme gives (write_deck_theme)."""
    return replace(style, scheme=scheme_references(style), link=theme_colors(style)["hlink"])


def scheme_references(style: DeckStyle) -> tuple[tuple[str, str], ...]:
    """Give (RRGGBB, scheme colour) for the colours the deck's theme holds, as DeckStyle.scheme:
    text, primary, accent and background are the master's tx1, tx2, accent1 and bg1 (first
    where two are one colour), then the palette's bg2 and accent2–6."""
    colors, slots = style.colors, theme_colors(style)
    named = [(colors.text, "tx1"), (colors.primary, "tx2"), (colors.accent, "accent1"),
             (colors.background, "bg1"), (slots["lt2"], "bg2"),
             *((slots[f"accent{number}"], f"accent{number}") for number in range(2, 7))]
    return tuple(dict((color.upper(), slot) for color, slot in reversed(named)).items())


def refer_to_theme(slide: etree._Element, style: DeckStyle) -> None:
    """Write every colour on the slide that is one of the theme's, or a lighter or darker shade
    of its primary or accent colour (a table's row tint, a darkened accent), as a
    reference to the theme's (`a:schemeClr`, with `a:lumMod`/`a:lumOff` as PowerPoint writes
    a shade): changing the theme in PowerPoint recolours the deck. Highlights stay as they are.
    """
    if not style.scheme:
        return  # a template's theme: its colours are not the deck's
    for color in list(slide.iter(_SRGB)):
        reference = _theme_reference(str(color.get("val")).upper(), style.scheme)
        if reference is None or color.getparent().getparent().tag == _HIGHLIGHT:
            continue
        slot, transforms = reference
        color.tag = _SCHEME
        color.set("val", slot)
        for index, (tag, value) in enumerate(transforms):
            color.insert(index, color.makeelement(qn(tag), {"val": str(value)}))


_SRGB, _SCHEME, _HIGHLIGHT = qn("a:srgbClr"), qn("a:schemeClr"), qn("a:highlight")
SHADED_SLOTS = ("tx2", "accent1")  # the theme colours the deck mixes tints and shades of


@functools.lru_cache(maxsize=1024)
def _theme_reference(color: str, scheme: tuple[tuple[str, str], ...]
                     ) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """Give the theme slot `color` is, or is a shade of, and the transforms that make it."""
    exact = dict(scheme).get(color)
    if exact:
        return exact, ()
    bases = {slot: base for base, slot in scheme}
    for slot in SHADED_SLOTS:
        shade = shade_of(bases[slot], color) if slot in bases else None
        if shade is not None:
            named = zip(("a:satMod", "a:lumMod", "a:lumOff"), shade, strict=True)
            return slot, tuple((tag, value) for tag, value in named
                               if value != (0 if tag == "a:lumOff" else 100_000))
    return None


def theme_colors(style: DeckStyle) -> dict[str, str]:
    """Give the deck's colour for each theme slot (dk1, lt1, dk2, lt2, accent1–6, links)."""
    colors = style.colors
    accent = colors.accent
    slots = {"dk1": colors.text, "lt1": colors.background, "dk2": colors.primary,
             "lt2": mix(colors.background, colors.primary, 0.08), "accent1": accent}
    for number, turn in enumerate(PALETTE_TURNS, start=2):
        slots[f"accent{number}"] = _turned(accent, turn)
    slots["hlink"] = readable(accent, colors.background)
    slots["folHlink"] = readable(mix(colors.primary, colors.muted, 0.5), colors.background)
    return slots


def _write_colors(scheme: etree._Element | None, style: DeckStyle, name: str) -> None:
    if scheme is None:
        return
    scheme.set("name", name[:80] or "studydeck")
    colors = theme_colors(style)
    for slot in scheme:
        color = colors.get(_local(slot.tag))
        if color is None:
            continue
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=color.upper())


def _write_fonts(scheme: etree._Element | None, style: DeckStyle, name: str) -> None:
    if scheme is None:
        return
    scheme.set("name", name[:80] or "studydeck")
    heading = style.for_titles()
    for tag, faces in (("a:majorFont", heading), ("a:minorFont", style)):
        font = scheme.find(qn(tag))
        if font is None:
            continue
        for child_tag, typeface in (("a:latin", faces.latin), ("a:ea", faces.east_asian)):
            child = font.find(qn(child_tag))
            if child is not None:
                child.set("typeface", typeface)
        for entry in font.findall(qn("a:font")):
            if entry.get("script") == "Hang":
                entry.set("typeface", faces.east_asian)


def _turned(color: str, turn: float) -> str:
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    turned = colorsys.hls_to_rgb((hue + turn) % 1.0, lightness, saturation)
    return "".join(f"{round(channel * 255):02X}" for channel in turned)
