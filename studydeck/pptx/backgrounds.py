"""The colours a template draws: a shape's fill, the slide background, what lies behind a box.

A gradient counts as its stop that text is hardest to read on, a picture as its average colour,
or behind a box, as the colour of the part of it stretched under that box that text is hardest
to read on (specks aside); what is under a box is read at points along its middle line: a
group's topmost part there, a freeform by its outline. Scheme colours are looked up in the
master's theme through its colour map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.colors import contrast_ratio, luminance, mix
from studydeck.pptx.fill_pictures import (
    Picture,
    blip_fill,
    is_light,
    picture_average,
    picture_fill,
)
from studydeck.pptx.theme import theme_look

SCHEME_ALIASES = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}


@dataclass(frozen=True)
class Drawn:
    """A shape of the master or layout that is not a placeholder: its box and its fill."""

    box: g.Box
    fill: str  # RRGGBB, '' when it has none that can be told
    picture: Picture | None = None  # its picture fill, when it shows one
    parts: tuple[Drawn, ...] = ()  # a group's shapes, bottom first
    outline: tuple[tuple[int, int], ...] = ()  # a freeform's corners on the slide, when straight

    def covers(self, x: int, y: int) -> bool:
        """Tell whether the shape covers the point: inside its outline, else its box."""
        if not self.box.intersects(g.Box(x, y, 1, 1)):
            return False
        return not self.outline or _inside(self.outline, x, y)


def _inside(corners: tuple[tuple[int, int], ...], x: int, y: int) -> bool:
    """Tell whether the point lies inside the polygon (even-odd: a ray crosses it oddly often)."""
    inside = False
    for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside

def color_behind(box: g.Box, drawn: list[Drawn], background: str,
                 background_picture: Picture | None = None) -> str:
    """Give the colour drawn under `box` that its text is hardest to read on: of what lies under
    its middle line (a sixth from either end, and the middle), on the side (dark text or light)
    that reads best on all of it. Under a point is the topmost filled shape there (the part of
    its picture under the box, for a picture), else the slide's background."""
    middle_y = box.top + box.height // 2
    found = {_shown_under(box, (box.left + box.width * sixths // 6, middle_y), drawn)
             or _under(box, background_picture) or background for sixths in (1, 3, 5)}
    return _hardest_of([color for color in found if color])


def _hardest_of(colors: list[str]) -> str:
    """Give the colour text is hardest to read on, on the side that reads best on them all; of
    the colours of that side (dark text made readable on a dark one would turn light)."""
    if not colors:
        return ""
    dark_text = (min(contrast_ratio(color, "000000") for color in colors)
                 >= min(contrast_ratio(color, "FFFFFF") for color in colors))
    own_side = [color for color in colors if is_light(color) == dark_text] or colors
    return min(own_side, key=lambda color: contrast_ratio(color, "000000" if dark_text
                                                          else "FFFFFF"))


def _shown_under(box: g.Box, point: tuple[int, int], drawn: Sequence[Drawn]) -> str:
    """Give the colour of the topmost filled shape (or part of a group) at the point ('' when
    none is there)."""
    for shape in reversed(drawn):
        if not shape.covers(*point):
            continue
        shown = _shown_under(box, point, shape.parts)
        if shown or shape.fill:
            return shown or _under(box, shape.picture) or shape.fill
    return ""


def _under(box: g.Box, picture: Picture | None) -> str:
    return picture.color_under(box) if picture is not None else ""


def slide_background(layout: SlideLayout) -> str:
    """Give the slide background's colour: the layout's, else its master's ('' unknown)."""
    found, owner = _background_of(layout)
    if found is None:
        return "FFFFFF"  # no background anywhere: PowerPoint's and LibreOffice's white
    properties = found.find(qn("p:bgPr"))
    if properties is not None:
        return fill_color(properties, owner)
    reference = found.find(qn("p:bgRef"))
    return _color_of(reference, owner) if reference is not None else ""


def background_picture(layout: SlideLayout) -> Picture | None:
    """Give the slide background's picture, stretched over the slide, when it shows one."""
    found, owner = _background_of(layout)
    properties = found.find(qn("p:bgPr")) if found is not None else None
    if properties is None:
        return None
    return picture_fill(properties, owner, g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT))


def _background_of(layout: SlideLayout) -> tuple[etree._Element | None,
                                                 SlideLayout | SlideMaster]:
    for owner in (layout, layout.slide_master):
        found = owner._element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if found is not None:
            return found, owner
    return None, layout

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
    picture = blip_fill(element)
    if picture is not None:
        return picture_average(picture, owner)
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

def _hardest(stops: list[str]) -> str:
    """Give the stop of a gradient that text is hardest to read on: on a light gradient (dark
    text) its darkest, on a dark one (light text) its lightest."""
    if not stops:
        return ""
    darkest, lightest = min(stops, key=luminance), max(stops, key=luminance)
    return darkest if is_light(_average(stops)) else lightest


def _average(colors: list[str]) -> str:
    if not colors:
        return ""
    average = colors[0]
    for count, color in enumerate(colors[1:], start=2):
        average = mix(average, color, 1 / count)
    return average

