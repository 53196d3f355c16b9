"""The colours a template draws: a shape's fill, the slide background, what lies behind a box.

A gradient counts as its stop that text is hardest to read on, a picture as its average colour;
scheme colours are looked up in the master's theme through its colour map.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from lxml import etree
from PIL import Image, UnidentifiedImageError
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.colors import contrast_ratio, luminance, mix
from studydeck.pptx.theme import theme_look

SCHEME_ALIASES = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}


@dataclass(frozen=True)
class Drawn:
    """A shape of the master or layout that is not a placeholder: its box and its fill."""

    box: g.Box
    fill: str  # RRGGBB, '' when it has none that can be told


def color_behind(box: g.Box, drawn: list[Drawn], background: str) -> str:
    """Give the colour drawn under the middle of `box`: the topmost filled shape there, else
    the slide's background."""
    middle = g.Box(box.left + box.width // 2, box.top + box.height // 2, 1, 1)
    for shape in reversed(drawn):
        if shape.fill and shape.box.intersects(middle):
            return shape.fill
    return background


def slide_background(layout: SlideLayout) -> str:
    """Give the slide background's colour: the layout's, else its master's ('' unknown)."""
    for owner in (layout, layout.slide_master):
        found = owner._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if found is None:
            continue
        properties = found.find(qn("p:bgPr"))
        if properties is not None:
            return fill_color(properties, owner)
        reference = found.find(qn("p:bgRef"))
        return _color_of(reference, owner) if reference is not None else ""
    return "FFFFFF"  # no background anywhere: PowerPoint's and LibreOffice's white


def fill_color(element: etree._Element, owner: SlideLayout | SlideMaster) -> str:
    """Give the colour a shape's (or background's) own fill shows, averaged when it blends."""
    properties = element.find(qn("p:spPr"))
    properties = element if properties is None else properties
    solid = properties.find(qn("a:solidFill"))
    if solid is not None:
        return _color_of(solid, owner)
    gradient = properties.find(qn("a:gradFill"))
    if gradient is not None:
        stops = [stop for stop in (_color_of(gs, owner) for gs in gradient.iter(qn("a:gs")))
                 if stop]
        return _hardest(stops)
    picture = properties.find(qn("a:blipFill"))
    if picture is None:  # a picture shape (a photo across the master) holds its own fill
        picture = element.find(qn("p:blipFill"))
    if picture is not None:
        return _picture_average(picture, owner)
    return ""


def _color_of(holder: etree._Element, owner: SlideLayout | SlideMaster) -> str:
    """Give the RRGGBB of the colour element inside `holder` (scheme colours looked up)."""
    for child in holder:
        tag = child.tag.rpartition("}")[2]
        value = child.get("val") or child.get("lastClr") or ""
        if tag == "schemeClr":
            value = _scheme_color(value, owner)
        if tag in ("srgbClr", "schemeClr", "sysClr") and len(value) == 6:
            return value.upper()
    return ""


def _scheme_color(name: str, owner: SlideLayout | SlideMaster) -> str:
    master = owner if isinstance(owner, SlideMaster) else owner.slide_master
    mapping = master._element.find(qn("p:clrMap"))
    slot = mapping.get(name, SCHEME_ALIASES.get(name, name)) if mapping is not None else name
    slot = SCHEME_ALIASES.get(slot, slot)
    return dict(theme_look(master.slide_layouts[0]).colors).get(slot, "")


def _picture_average(fill: etree._Element, owner: SlideLayout | SlideMaster) -> str:
    blip = fill.find(qn("a:blip"))
    rel_id = blip.get(qn("r:embed")) if blip is not None else None
    try:
        blob = owner.part.related_part(rel_id).blob if rel_id else b""
        with Image.open(io.BytesIO(blob)) as picture:
            # its see-through parts show white (the usual slide) behind
            shown = Image.alpha_composite(Image.new("RGBA", picture.size, "white"),
                                          picture.convert("RGBA"))
            pixel: Any = shown.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
            red, green, blue = pixel[:3]
    except (KeyError, OSError, UnidentifiedImageError, ValueError):
        return ""
    return f"{red:02X}{green:02X}{blue:02X}"


def _hardest(stops: list[str]) -> str:
    """Give the stop of a gradient that text is hardest to read on: on a light gradient (dark
    text) its darkest, on a dark one (light text) its lightest."""
    if not stops:
        return ""
    darkest, lightest = min(stops, key=luminance), max(stops, key=luminance)
    light = contrast_ratio(_average(stops), "000000") >= contrast_ratio(_average(stops), "FFFFFF")
    return darkest if light else lightest


def _average(colors: list[str]) -> str:
    if not colors:
        return ""
    average = colors[0]
    for count, color in enumerate(colors[1:], start=2):
        average = mix(average, color, 1 / count)
    return average

