"""How a template's fill paints a point of the slide: a colour and how opaque it is there.

A solid fill is one colour (its a:alpha the opacity), a gradient the colour between its stops
where the point lies along it (a:lin: along its angle; a:path: away from its focus), a pattern
its background colour with as much of its foreground as the pattern draws. Scheme colours are
looked up in the master's theme through its colour map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.colors import mix
from studydeck.pptx.theme import theme_look

SCHEME_ALIASES = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}
OPAQUE = 100_000  # a:alpha of a colour that hides what is below it
# how much of a pattern its foreground colour draws: a:pattFill's pctN say so; of the others,
# the dark (dk*) ones draw about half, the small ones (sm*) somewhat less, a large grid's two
# sets of lines a third (LibreOffice draws Vivid's lgGrid so at 150 dpi, more when smaller),
# the rest a quarter
PATTERN_SHARES = {"dk": 0.5, "sm": 0.4, "lgGrid": 0.33}
PATTERN_SHARE = 0.25


@dataclass(frozen=True)
class Stop:
    """A gradient's stop: its place along the gradient (0..1), colour and opacity (0..1)."""

    position: float
    color: str
    opacity: float = 1.0


@dataclass(frozen=True)
class Paint:
    """A fill over the shape's box `over`: one stop for a solid colour, more for a gradient,
    along `angle` (degrees, clockwise from left to right) or away from the `focus` (its
    fillToRect's middle, as shares of the box) in rings of the `path`'s shape."""

    stops: tuple[Stop, ...]
    over: g.Box = g.Box(0, 0, 1, 1)
    angle: float = 0.0
    focus: tuple[float, float] | None = None
    path: str = "circle"
    flips: tuple[bool, bool] = (False, False)  # the shape mirrored across, up and down
    # its colour is a guess at what the eye sees (a pattern's two colours blended: a renderer
    # draws more or less of its foreground at each zoom)
    estimated: bool = False

    @property
    def opaque(self) -> bool:
        """Tell whether the paint is one colour that hides what is below it."""
        return len(self.stops) == 1 and self.stops[0].opacity >= 1.0

    def over_color(self, below: str, x: int, y: int) -> str:
        """Give the colour the paint shows at the point over `below` (what is under it)."""
        stop = self.at(x, y)
        return mix(below, stop.color, stop.opacity) if below else stop.color

    def at(self, x: int, y: int) -> Stop:
        """Give the colour and opacity the paint has at the point of the slide."""
        if len(self.stops) == 1:
            return self.stops[0]
        return between(self.stops, self.position(x, y))

    def position(self, x: int, y: int) -> float:
        """Give where the point lies along the gradient (0 its first stop's end, 1 its last's)."""
        box = self.over
        across = (x - box.left) / box.width if box.width else 0.5
        down = (y - box.top) / box.height if box.height else 0.5
        across, down = (1 - across if self.flips[0] else across,
                        1 - down if self.flips[1] else down)
        if self.focus is None:
            return _along(across * box.width, down * box.height, box, self.angle)
        return _away(across, down, self.focus, self.path, box)


def _along(x: float, y: float, box: g.Box, angle: float) -> float:
    """Give the share of the way along a linear gradient at `angle` that the point (x, y, from
    the box's top left) lies: 0 at the box's corner it starts from, 1 at the opposite one."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    span = abs(box.width * cos) + abs(box.height * sin)
    if not span:
        return 0.0
    projected = (x - box.width / 2) * cos + (y - box.height / 2) * sin
    return min(1.0, max(0.0, projected / span + 0.5))


def _away(across: float, down: float, focus: tuple[float, float], path: str,
          box: g.Box) -> float:
    """Give how far the point (shares of the box) lies from a path gradient's focus, as
    LibreOffice draws it: 0 there, 1 half the box's diagonal away for a circle path (rings are
    circles), half its width or height away for the others (rings are rectangles)."""
    offset_x, offset_y = (across - focus[0]) * box.width, (down - focus[1]) * box.height
    if path == "circle":
        reach = math.hypot(box.width, box.height) / 2
        return min(1.0, math.hypot(offset_x, offset_y) / reach) if reach else 0.0
    shares = [abs(offset) / (side / 2) for offset, side in ((offset_x, box.width),
                                                             (offset_y, box.height)) if side]
    return min(1.0, max(shares, default=0.0))


def between(stops: tuple[Stop, ...], position: float) -> Stop:
    """Give the colour and opacity at `position` between the stops (sorted by position): the
    first's before it, the last's after it."""
    ordered = sorted(stops, key=lambda stop: stop.position)
    if position <= ordered[0].position:
        return ordered[0]
    for start, end in zip(ordered, ordered[1:], strict=False):
        if position <= end.position:
            span = end.position - start.position
            share = (position - start.position) / span if span else 1.0
            return Stop(position, mix(start.color, end.color, share),
                        start.opacity + (end.opacity - start.opacity) * share)
    return ordered[-1]


def fill_paint(element: etree._Element, owner: SlideLayout | SlideMaster,
               over: g.Box) -> Paint | None:
    """Give how a shape's (or background's) solid, gradient or pattern fill paints over `over`;
    None for another fill or none."""
    properties = element.find(qn("p:spPr"))
    properties = element if properties is None else properties
    flips = _flips(properties)
    solid = properties.find(qn("a:solidFill"))
    if solid is not None:
        stop = _stop(solid, owner, 0.0)
        return Paint((stop,), over) if stop is not None else None
    gradient = properties.find(qn("a:gradFill"))
    if gradient is not None:
        return _gradient(gradient, owner, over, flips)
    pattern = properties.find(qn("a:pattFill"))
    return _pattern(pattern, owner, over) if pattern is not None else None


def _flips(properties: etree._Element) -> tuple[bool, bool]:
    frame = properties.find(qn("a:xfrm"))
    if frame is None:
        return (False, False)
    return (frame.get("flipH") in ("1", "true"), frame.get("flipV") in ("1", "true"))


def _gradient(gradient: etree._Element, owner: SlideLayout | SlideMaster, over: g.Box,
              flips: tuple[bool, bool]) -> Paint | None:
    stops = tuple(stop for gs in gradient.iter(qn("a:gs"))
                  if (stop := _stop(gs, owner, int(gs.get("pos", "0")) / 100_000)) is not None)
    if not stops:
        return None
    if gradient.get("rotWithShape") in ("0", "false"):
        flips = (False, False)  # the gradient keeps its direction however its shape turns
    path = gradient.find(qn("a:path"))
    if path is None:
        linear = gradient.find(qn("a:lin"))
        angle = int(linear.get("ang", "0")) / 60_000 if linear is not None else 0.0
        return Paint(stops, over, angle=angle, flips=flips)
    rectangle = path.find(qn("a:fillToRect"))
    left, top, right, bottom = ((int(rectangle.get(side, "0")) / 100_000 if rectangle is not None
                                 else 0.5) for side in "ltrb")
    focus = ((left + 1 - right) / 2, (top + 1 - bottom) / 2)
    return Paint(stops, over, focus=focus, path=path.get("path", "circle"), flips=flips)


def _pattern(pattern: etree._Element, owner: SlideLayout | SlideMaster,
             over: g.Box) -> Paint | None:
    """Give a pattern as one colour: its background mixed with its foreground's share."""
    background, foreground = (pattern.find(qn(tag)) for tag in ("a:bgClr", "a:fgClr"))
    back = _stop(background, owner, 0.0) if background is not None else None
    front = _stop(foreground, owner, 0.0) if foreground is not None else None
    if back is None or front is None:
        return None
    kind = pattern.get("prst", "")
    share = (int(kind[3:]) / 100 if kind.startswith("pct") and kind[3:].isdigit()
             else PATTERN_SHARES.get(kind, PATTERN_SHARES.get(kind[:2], PATTERN_SHARE)))
    color = mix(back.color, front.color, share)
    opacity = back.opacity + (front.opacity - back.opacity) * share
    return Paint((Stop(0.0, color, opacity),), over, estimated=True)


def _stop(holder: etree._Element, owner: SlideLayout | SlideMaster,
          position: float) -> Stop | None:
    color = color_of(holder, owner)
    return Stop(position, color, opacity_of(holder)) if color else None


def opacity_of(holder: etree._Element) -> float:
    """Give the opacity (0..1) of the colour element inside `holder` (its a:alpha)."""
    for child in holder:
        alpha = child.find(qn("a:alpha"))
        if alpha is not None:
            return min(1.0, max(0.0, int(alpha.get("val", str(OPAQUE))) / OPAQUE))
    return 1.0


def color_of(holder: etree._Element, owner: SlideLayout | SlideMaster) -> str:
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
