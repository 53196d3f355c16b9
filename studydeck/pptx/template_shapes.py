"""A template's own shapes (bands, curves, logos: not placeholders) and areas cut clear of them.

A shape's box is the one it covers as drawn: turned shapes take the box of their turned corners,
lines some thickness. To tell what lies under a point, a group keeps its parts, a freeform of
straight lines its outline, a picture fill where it is stretched. An area is cut, one side at a
time, to its largest part no shape covers.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pptx.oxml.ns import qn
from pptx.shapes.group import GroupShape
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn, background_picture, fill_color
from studydeck.pptx.fill_paints import fill_paint
from studydeck.pptx.fill_pictures import Picture, picture_fill
from studydeck.pptx.template_marks import picture_marks
from studydeck.pptx.template_panel import PANEL_NAME

_NV_PREFIX = qn("p:nvSpPr")[:-len("nvSpPr")] + "nv"  # p:nvSpPr, p:nvPicPr, p:nvGrpSpPr …
_NV_PROPERTIES, _PLACEHOLDER = qn("p:nvPr"), qn("p:ph")
BACKDROP_SHARE = 0.6  # a shape covering this much of the slide is background, not an obstacle
LINE_THICKNESS = g.inches(0.05)  # a line's box, so that text keeps clear of it
SMALLEST_BODY = 0.35  # a body area cut below this share of its width or height is not cut
PANEL_SHARE = 0.7  # a shape under this much of an area is a panel the area's text sits on
CLEARANCE = g.inches(0.08)  # what an area keeps between its side and a shape beside it
BAND_SHARE = 0.8  # a filled shape under a title at least this share of its width is its band


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
    placeholders, bottom first; with `backdrops`, also those as large as the slide. A backdrop
    picture's marks (pptx/template_marks.py) are given as shapes right over it."""
    background = background_picture(layout)
    if background is not None:  # its marks (a pencil drawn in the paper) lie right over it
        yield from picture_marks(background)
    for owner in _owners(layout):
        for drawn in _owned_shapes(owner):
            if not _is_backdrop(drawn.box):
                yield drawn
                continue
            if backdrops:
                yield drawn
            if drawn.picture is not None:
                yield from picture_marks(drawn.picture)


def backdrop_picture(layout: SlideLayout) -> Picture | None:
    """Give the picture under the whole slide: the background's, else the topmost picture shape
    as large as the slide (the master's when the layout shows its shapes); None when none."""
    pictures = [drawn.picture for owner in _owners(layout) for drawn in _owned_shapes(owner)
                if drawn.picture is not None and _is_backdrop(drawn.box)]
    return pictures[-1] if pictures else background_picture(layout)


def body_obstacles(layout: SlideLayout) -> list[g.Box]:
    """Give the boxes body content keeps clear of: the master's and layout's own shapes
    (drawn_shapes), or where the layout has a body panel (pptx/template_panel.py) the panel and
    the shapes drawn over it only: those under it (the master's bubbles) show through it dimmed,
    as the template means its body text to lie over them."""
    owned = _owned(layout)
    if owned.panel_at is None:
        return [shape.box for shape in drawn_shapes(layout)]
    return [shape.box for shape in owned.drawn[owned.panel_at:] if not _is_backdrop(shape.box)]


def over_its_band(title: g.Box, drawn: list[Drawn]) -> g.Box | None:
    """Give the title's area grown to the band it sits on (a filled shape at least as wide as
    the title, under its middle): the band's height (its text frame's insets keep the text off
    its edges), the title's width on it; None when it sits on no band. The title never leaves
    its band: it shrinks there instead (layout.titles)."""
    middle = g.Box(title.left + title.width // 2, title.top + title.height // 2, 1, 1)
    band = next((shape.box for shape in reversed(drawn)
                 if shape.fill and shape.box.intersects(middle)), None)
    if band is None or band.width < BAND_SHARE * title.width:
        return None
    left, right = max(title.left, band.left), min(title.right, band.right)
    return g.Box(left, band.top, right - left, band.height)


def _owners(layout: SlideLayout) -> list[SlideLayout | SlideMaster]:
    """Give the master (when the layout shows its shapes) and the layout: whose shapes show."""
    shows_master = layout._element.get("showMasterSp", "1") not in ("0", "false")
    return [*([layout.slide_master] if shows_master else []), layout]


def _is_backdrop(box: g.Box) -> bool:
    """Tell whether a shape's box covers so much of the slide that it is background."""
    return box.width * box.height >= BACKDROP_SHARE * g.SLIDE_WIDTH * g.SLIDE_HEIGHT


@dataclass(frozen=True)
class _Owned:
    """A master's or layout's own shapes as drawn, bottom first, and which of them is the body
    panel studydeck drew (pptx/template_panel.py), if any."""

    drawn: tuple[Drawn, ...]
    panel_at: int | None


# owner part → how many elements its shape tree had, and its shapes as drawn: a master's are read
# once, not once for each of its layouts (again when a shape was added: a body panel)
_OWNED: weakref.WeakKeyDictionary[Any, tuple[int, _Owned]] = weakref.WeakKeyDictionary()


def _owned_shapes(owner: SlideLayout | SlideMaster) -> tuple[Drawn, ...]:
    """Give the master's or layout's own shapes (not placeholders) as drawn, bottom first."""
    return _owned(owner).drawn


def _owned(owner: SlideLayout | SlideMaster) -> _Owned:
    count = len(owner.shapes._spTree)
    found = _OWNED.get(owner.part)
    if found is None or found[0] != count:
        drawn: list[Drawn] = []
        panel_at: int | None = None
        for shape in owner.shapes:
            if _is_placeholder(shape._element):
                continue
            placed = _drawn(shape, owner, box_of(shape))
            if placed is None:
                continue
            if shape.name == PANEL_NAME and panel_at is None:
                panel_at = len(drawn)
            drawn.append(placed)
        found = _OWNED[owner.part] = (count, _Owned(tuple(drawn), panel_at))
    return found[1]


def _is_placeholder(element: Any) -> bool:
    """Tell whether the shape is a placeholder (read in its XML: python-pptx's own test walks
    it with an XPath for every shape)."""
    properties = next((child for child in element if child.tag.startswith(_NV_PREFIX)), None)
    found = properties.find(_NV_PROPERTIES) if properties is not None else None
    return found is not None and found.find(_PLACEHOLDER) is not None


def _drawn(shape: Any, owner: SlideLayout | SlideMaster, box: g.Box | None) -> Drawn | None:
    """Give the shape placed over `box` (of the slide) as drawn: the box it covers turned and
    thickened, its fill, the picture it stretches over `box`, a group's parts; None when it
    covers nothing."""
    if box is None:
        return None
    degrees = _rotation(shape)
    covered = _thick(on_slide(_turned(box, degrees)))
    if covered.width * covered.height == 0 or _invisible(shape._element):
        return None
    fill, paint = fill_color(shape._element, owner), fill_paint(shape._element, owner, box)
    if degrees or _flipped(shape._element):  # told by its box only
        return Drawn(covered, fill, paint=paint)
    return Drawn(covered, fill, picture_fill(shape._element, owner, box),
                 _group_parts(shape, owner, box), _outline(shape._element, box), paint)


def _invisible(element: Any) -> bool:
    """Tell whether a shape draws nothing: no fill, no line, no text (LibreOffice writes such a
    rectangle round Pencil's titles, which had kept a long title from growing down)."""
    properties = element.find(qn("p:spPr"))
    if element.tag != qn("p:sp") or properties is None:
        return False
    line = properties.find(qn("a:ln"))
    return (properties.find(qn("a:noFill")) is not None
            and line is not None and line.find(qn("a:noFill")) is not None
            and not "".join(element.itertext()).strip())


def _flipped(element: Any) -> bool:
    frame = next(element.iter(qn("a:xfrm")), None)
    return frame is not None and any(frame.get(flip) in ("1", "true")
                                     for flip in ("flipH", "flipV"))


def _outline(element: Any, box: g.Box) -> tuple[tuple[int, int], ...]:
    """Give a freeform's corners on the slide when it is one path of straight lines (its box
    stretched over `box`); none for other shapes."""
    paths = element.findall(f"{qn('p:spPr')}/{qn('a:custGeom')}/{qn('a:pathLst')}/{qn('a:path')}")
    if len(paths) != 1:
        return ()
    path = paths[0]
    steps = [step.tag.rpartition("}")[2] for step in path]
    if steps[:1] != ["moveTo"] or not set(steps) <= {"moveTo", "lnTo", "close"}:
        return ()
    width, height = int(path.get("w", 0)), int(path.get("h", 0))
    if not width or not height or steps.count("moveTo") != 1:
        return ()
    return tuple((box.left + round(int(point.get("x", 0)) * box.width / width),
                  box.top + round(int(point.get("y", 0)) * box.height / height))
                 for point in path.iter(qn("a:pt")))


def _group_parts(shape: Any, owner: SlideLayout | SlideMaster, box: g.Box
                 ) -> tuple[Drawn, ...]:
    """Give a group's shapes as drawn on the slide (the group placed over `box`), bottom first;
    none for a shape that is no group."""
    if not isinstance(shape, GroupShape):
        return ()
    frame = shape._element.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
    offset = frame.find(qn("a:chOff")) if frame is not None else None
    extent = frame.find(qn("a:chExt")) if frame is not None else None
    if offset is None or extent is None:
        return ()
    inside = g.Box(int(offset.get("x", 0)), int(offset.get("y", 0)), int(extent.get("cx", 0)),
                   int(extent.get("cy", 0)))
    parts = (_drawn(child, owner, _placed(box_of(child), inside, box)) for child in shape.shapes)
    return tuple(part for part in parts if part is not None)


def _placed(child: g.Box | None, inside: g.Box, group: g.Box) -> g.Box | None:
    """Give a group's child box (in the group's own space `inside`) on the slide, the group
    being stretched over `group`."""
    if child is None or not inside.width or not inside.height:
        return None
    scale_x, scale_y = group.width / inside.width, group.height / inside.height
    return g.Box(group.left + round((child.left - inside.left) * scale_x),
                 group.top + round((child.top - inside.top) * scale_y),
                 round(child.width * scale_x), round(child.height * scale_y))


def numbers_slides(layout: SlideLayout) -> bool:
    """Tell whether the master's or layout's own shapes (not placeholders) show the slide's
    number: a `slidenum` field in a text box of the design."""
    return any(field.get("type") == "slidenum"
               for owner in _owners(layout) for shape in owner.shapes if not shape.is_placeholder
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
    return _sides_kept_off(area, obstacles)


def _sides_kept_off(area: g.Box, obstacles: list[g.Box]) -> g.Box:
    """Give `area` with a side that a shape beside it touches (Grey_Elegant's dots, where its
    title's first letter began) set CLEARANCE off that shape."""
    left, right = area.left, area.right
    for obstacle in obstacles:
        if obstacle.top >= area.bottom or obstacle.bottom <= area.top:
            continue
        if area.left - CLEARANCE < obstacle.right <= area.left:
            left = max(left, obstacle.right + CLEARANCE)
        if area.right <= obstacle.left < area.right + CLEARANCE:
            right = min(right, obstacle.left - CLEARANCE)
    return g.Box(left, area.top, right - left, area.height)


def _common(first: g.Box, second: g.Box) -> g.Box:
    left, top = max(first.left, second.left), max(first.top, second.top)
    right, bottom = min(first.right, second.right), min(first.bottom, second.bottom)
    return g.Box(left, top, right - left, bottom - top)


def _overlap(first: g.Box, second: g.Box) -> int:
    width = min(first.right, second.right) - max(first.left, second.left)
    height = min(first.bottom, second.bottom) - max(first.top, second.top)
    return max(width, 0) * max(height, 0)
