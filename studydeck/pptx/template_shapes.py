"""A template's own shapes (bands, curves, logos: not placeholders) and areas cut clear of them.

A shape's box is the one it covers as drawn: turned shapes take the box of their turned corners,
lines some thickness. An area is cut, one side at a time, to its largest part no shape covers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn, fill_color

BACKDROP_SHARE = 0.6  # a shape covering this much of the slide is background, not an obstacle
LINE_THICKNESS = g.inches(0.05)  # a line's box, so that text keeps clear of it
SMALLEST_BODY = 0.35  # a body area cut below this share of its width or height is not cut
PANEL_SHARE = 0.7  # a shape under this much of an area is a panel the area's text sits on


def box_of(shape: object) -> g.Box | None:
    left, top = getattr(shape, "left", None), getattr(shape, "top", None)
    width, height = getattr(shape, "width", None), getattr(shape, "height", None)
    if left is None or top is None or width is None or height is None:
        return None
    return g.Box(int(left), int(top), int(width), int(height))


def on_slide(box: g.Box) -> g.Box:
    left, top = max(box.left, 0), max(box.top, 0)
    right, bottom = min(box.right, g.SLIDE_WIDTH), min(box.bottom, g.SLIDE_HEIGHT)
    return g.Box(left, top, max(right - left, 0), max(bottom - top, 0))


def drawn_shapes(layout: SlideLayout, *, backdrops: bool = False) -> Iterator[Drawn]:
    """Give the master's (when the layout shows them) and the layout's shapes that are not
    placeholders, bottom first; with `backdrops`, also those as large as the slide."""
    shows_master = layout._element.get("showMasterSp", "1") not in ("0", "false")
    owners: list[SlideLayout | SlideMaster] = [*([layout.slide_master] if shows_master else []),
                                                layout]
    slide_area = g.SLIDE_WIDTH * g.SLIDE_HEIGHT
    for owner in owners:
        for shape in owner.shapes:
            box = box_of(shape)
            if shape.is_placeholder or box is None:
                continue
            box = _thick(on_slide(_turned(box, _rotation(shape))))
            if box.width * box.height == 0:
                continue
            if backdrops or box.width * box.height < BACKDROP_SHARE * slide_area:
                yield Drawn(box, fill_color(shape._element, owner))


def numbers_slides(layout: SlideLayout) -> bool:
    """Tell whether the master's or layout's own shapes (not placeholders) show the slide's
    number: a `slidenum` field in a text box of the design."""
    shows_master = layout._element.get("showMasterSp", "1") not in ("0", "false")
    owners: list[SlideLayout | SlideMaster] = [*([layout.slide_master] if shows_master else []),
                                                layout]
    return any(field.get("type") == "slidenum"
               for owner in owners for shape in owner.shapes if not shape.is_placeholder
               for field in shape._element.iter(qn("a:fld")))


def _rotation(shape: Any) -> float:
    try:
        return float(shape.rotation or 0)
    except (AttributeError, TypeError, ValueError):  # a shape without a place of its own
        return 0.0


def _turned(box: g.Box, degrees: float) -> g.Box:
    """Give the box a shape covers when turned by `degrees` around its middle (a square turned
    by 45° covers a box wider by its diagonal)."""
    if not degrees % 180:
        return box
    angle = math.radians(degrees)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    width = round(box.width * cos + box.height * sin)
    height = round(box.width * sin + box.height * cos)
    middle_x, middle_y = box.left + box.width // 2, box.top + box.height // 2
    return g.Box(middle_x - width // 2, middle_y - height // 2, width, height)


def _thick(box: g.Box) -> g.Box:
    """Give a line's box some thickness (a horizontal or vertical line has none)."""
    if box.width < LINE_THICKNESS:
        box = g.Box(box.left - LINE_THICKNESS // 2, box.top, LINE_THICKNESS, box.height)
    if box.height < LINE_THICKNESS:
        box = g.Box(box.left, box.top - LINE_THICKNESS // 2, box.width, LINE_THICKNESS)
    return box


def clear_of(area: g.Box, obstacles: list[g.Box]) -> g.Box:
    """Give the largest part of `area` (cut one side at a time) that no obstacle covers; an
    obstacle that would leave too little of it is left over it (its design's choice), and one
    under most of it is a panel (a card) its text sits on: the area keeps to the panel."""
    for obstacle in sorted(obstacles, key=lambda box: -_overlap(area, box)):
        if not area.intersects(obstacle):
            continue
        if _overlap(area, obstacle) >= PANEL_SHARE * area.width * area.height:
            area = _common(area, obstacle)
            continue
        cuts = [g.Box(area.left, area.top, area.width, obstacle.top - area.top),
                g.Box(area.left, obstacle.bottom, area.width, area.bottom - obstacle.bottom),
                g.Box(area.left, area.top, obstacle.left - area.left, area.height),
                g.Box(obstacle.right, area.top, area.right - obstacle.right, area.height)]
        best = max(cuts, key=lambda box: max(box.width, 0) * max(box.height, 0))
        if best.width >= area.width * SMALLEST_BODY and best.height >= area.height * SMALLEST_BODY:
            area = best
    return area


def _common(first: g.Box, second: g.Box) -> g.Box:
    left, top = max(first.left, second.left), max(first.top, second.top)
    right, bottom = min(first.right, second.right), min(first.bottom, second.bottom)
    return g.Box(left, top, right - left, bottom - top)


def _overlap(first: g.Box, second: g.Box) -> int:
    width = min(first.right, second.right) - max(first.left, second.left)
    height = min(first.bottom, second.bottom) - max(first.top, second.top)
    return max(width, 0) * max(height, 0)
