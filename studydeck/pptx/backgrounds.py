"""The colours a template draws: a shape's fill, the slide background, what lies behind a box.

What lies behind a box is read at points over it (a grid of nine, and its corners): at each, the
slide's background, then each shape there bottom first, painted over it as its fill paints that
point (pptx/fill_paints.py: a see-through colour mixed with what is below, a gradient's colour
where the point lies along it), a picture as the colour of its part stretched under the box that
text is hardest to read on (specks aside; pptx/fill_pictures.py); a group by its parts, a
freeform by its outline. As a summary (a band's fill), a gradient counts as its stop text is
hardest to read on, a picture as its average colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, luminance, mix
from studydeck.pptx.fill_paints import Paint, color_of, fill_paint
from studydeck.pptx.fill_pictures import (
    Picture,
    blip_fill,
    is_light,
    picture_average,
    picture_fill,
)

# text on a colour read from a picture, gradient, pattern or see-through fill is made readable
# on one this much harder to read on (a renderer draws a gradient in steps, a pattern finer or
# coarser at each zoom; a photo has grain)
ESTIMATE_MARGIN = 1.05
Shown = tuple[str, bool]  # the colour shown at a point, and whether it was estimated


@dataclass(frozen=True)
class Drawn:
    """A shape of the master or layout that is not a placeholder: its box and its fill."""

    box: g.Box
    fill: str  # RRGGBB, '' when it has none that can be told
    picture: Picture | None = None  # its picture fill, when it shows one
    parts: tuple[Drawn, ...] = ()  # a group's shapes, bottom first
    outline: tuple[tuple[int, int], ...] = ()  # a freeform's corners on the slide, when straight
    paint: Paint | None = None  # how its fill paints each point (see-through, gradient)

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

@dataclass(frozen=True)
class Behind:
    """What is drawn under a box: the colour its text is hardest to read on, and its darkest
    and lightest colours when no text colour reads at 4.5:1 on all of it (a light glow in a
    dark backdrop)."""

    color: str
    uneven: tuple[str, str] | None = None
    # no text colour reads at 4.5:1 on all of it, an estimated colour told ESTIMATE_MARGIN
    # harder (a mid-tone picture: even black reads 4.55:1 on Blueprint_Plans' teal)
    faint: bool = False


def color_behind(box: g.Box, drawn: list[Drawn], background: str,
                 background_fill: Picture | Paint | None = None) -> str:
    """Give the colour drawn under `box` that its text is hardest to read on (read_behind)."""
    return read_behind(box, drawn, background, background_fill).color


def read_behind(box: g.Box, drawn: list[Drawn], background: str,
                background_fill: Picture | Paint | None = None, across: int = 3,
                also: tuple[g.Box, ...] = ()) -> Behind:
    """Give what is drawn under `box` (and the boxes `also` its text may reach): the colour its
    text is hardest to read on, of what shows at points over it (a grid of `across` × `across`,
    and its corners), on the side (dark text or light) that reads best on all of them. What
    shows at a point is the slide's background (its fill, a picture's part under the box) with
    the shapes there painted over it, bottom first. A colour read from a picture, a gradient or
    a see-through fill is told a little harder (ESTIMATE_MARGIN): the renderer's gradient steps
    and a photo's grain differ from it.
    """
    found = set()
    for part in (box, *also):
        for point in _points_over(part, across):
            base = _painted(part, point, background_fill, ("", False))
            found.add(_shown_over(part, point, drawn, base if base[0] else (background, False)))
    shown = sorted(item for item in found if item[0])  # in one order, whatever the hashes
    return Behind(_hardest_of(shown), _uneven([color for color, _ in shown]), _faint(shown))


def _faint(shown: list[Shown]) -> bool:
    """Tell whether neither black nor white text reads at 4.5:1 on all the colours shown, an
    estimated one told ESTIMATE_MARGIN harder."""
    return bool(shown) and max(
        min(contrast_ratio(color, text) / (ESTIMATE_MARGIN if estimated else 1)
            for color, estimated in shown)
        for text in ("000000", "FFFFFF")) < MINIMUM_RATIO


def _uneven(colors: list[str]) -> tuple[str, str] | None:
    """Give the darkest and lightest of the colours when neither black nor white text reads on
    all of them (short of 4.5:1 by more than an estimate's margin); None when one does."""
    if not colors:
        return None
    best = max(min(contrast_ratio(color, text) for color in colors)
               for text in ("000000", "FFFFFF"))
    if best * ESTIMATE_MARGIN >= MINIMUM_RATIO:
        return None
    return min(colors, key=luminance), max(colors, key=luminance)


def _points_over(box: g.Box, across: int = 3) -> list[tuple[int, int]]:
    """Give the points a box is read at: `across` along each of as many rows, in the middles of
    as many equal parts, and its corners (a gradient is at its lightest or darkest in one)."""
    parts = [2 * part + 1 for part in range(across)]  # in 2 × across-ths of the box
    grid = [(box.left + box.width * along // (2 * across),
             box.top + box.height * down // (2 * across)) for down in parts for along in parts]
    right, bottom = box.left + max(box.width - 1, 0), box.top + max(box.height - 1, 0)
    return [*grid, (box.left, box.top), (right, box.top), (box.left, bottom), (right, bottom)]


def _hardest_of(found: list[Shown]) -> str:
    """Give the colour text is hardest to read on, on the side that reads best on them all; of
    the colours of that side (dark text made readable on a dark one would turn light); told
    harder by the margin when it was estimated."""
    if not found:
        return ""
    colors = [color for color, _ in found]
    dark_text = (min(contrast_ratio(color, "000000") for color in colors)
                 >= min(contrast_ratio(color, "FFFFFF") for color in colors))
    own_side = [shown for shown in found if is_light(shown[0]) == dark_text] or found
    text = "000000" if dark_text else "FFFFFF"
    # of a colour read both exactly and estimated, the estimate (told harder): whichever the
    # set gave first would make builds differ
    color, estimated = min(own_side, key=lambda shown: (contrast_ratio(shown[0], text),
                                                        not shown[1], shown[0]))
    return _harder(color, text) if estimated else color


def _harder(color: str, text: str) -> str:
    """Give `color` moved towards `text` (black or white) until text there reads
    ESTIMATE_MARGIN times worse, or until text of the other extreme would read better on it
    (so far it stays on its side: moved past, its text would change sides)."""
    wanted = contrast_ratio(color, text) / ESTIMATE_MARGIN
    light = is_light(color)
    for step in range(1, 101):
        moved = mix(color, text, step / 100)
        if is_light(moved) != light:
            return mix(color, text, (step - 1) / 100)
        if contrast_ratio(moved, text) <= wanted:
            return moved
    return color


def _shown_over(box: g.Box, point: tuple[int, int], drawn: Sequence[Drawn],
                below: Shown) -> Shown:
    """Give the colour at the point with the shapes (or a group's parts) there painted over
    `below`, bottom first, and whether it was estimated."""
    for shape in drawn:
        if not shape.covers(*point):
            continue
        if shape.parts:
            below = _shown_over(box, point, shape.parts, below)
            continue
        for fill in (shape.picture, shape.paint):
            painted = _painted(box, point, fill, below)
            if painted[0]:
                below = painted
                break
        else:
            below = (shape.fill, False) if shape.fill else below
    return below


def _painted(box: g.Box, point: tuple[int, int], fill: Picture | Paint | None,
             below: Shown) -> Shown:
    """Give the colour the fill shows at the point over `below` ('' when there is no fill), and
    whether it was estimated: a picture's part under the box, a paint's colour there."""
    if isinstance(fill, Picture):
        return fill.color_under(box), True
    if fill is None:
        return "", False
    return fill.over_color(below[0], *point), below[1] or not fill.opaque or fill.estimated


def slide_background(layout: SlideLayout) -> str:
    """Give the slide background's colour: the layout's, else its master's ('' unknown)."""
    found, owner = _background_of(layout)
    if found is None:
        return "FFFFFF"  # no background anywhere: PowerPoint's and LibreOffice's white
    properties = found.find(qn("p:bgPr"))
    if properties is not None:
        return fill_color(properties, owner)
    reference = found.find(qn("p:bgRef"))
    return color_of(reference, owner) if reference is not None else ""


def background_picture(layout: SlideLayout) -> Picture | None:
    """Give the slide background's picture, stretched over the slide, when it shows one."""
    found = background_fill(layout)
    return found if isinstance(found, Picture) else None


def background_fill(layout: SlideLayout) -> Picture | Paint | None:
    """Give the slide background's picture (stretched over the slide) or how its colour or
    gradient paints the slide; None when it has neither."""
    found, owner = _background_of(layout)
    properties = found.find(qn("p:bgPr")) if found is not None else None
    if properties is None:
        return None
    slide = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)
    return picture_fill(properties, owner, slide) or fill_paint(properties, owner, slide)


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
        return color_of(solid, owner)
    gradient = properties.find(qn("a:gradFill"))
    if gradient is not None:
        stops = [stop for stop in (color_of(gs, owner) for gs in gradient.iter(qn("a:gs")))
                 if stop]
        return _hardest(stops)
    picture = blip_fill(element)
    if picture is not None:
        return picture_average(picture, owner)
    return ""


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

