"""An elbow route as PowerPoint's elbow connector: `bentConnector2` … `bentConnector5`.

Each preset draws its pieces in its own box from the top-left corner to the bottom-right one,
its first piece horizontal; the adjust values (`adj1` … `adj3`, in 1/100000 of the box's width
or height, and free to run below 0 or past 100000) say where the middle pieces run. A route
whose ends swap sides is drawn flipped (`flipH`, `flipV`, applied first), and one whose first
piece is vertical turned a quarter clockwise (`rot="5400000"`, about the box's centre, the
box's width and height swapped): as PowerPoint writes its own elbow connectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn

from studydeck.diagrams.labels import XY, Path
from studydeck.layout import geometry as g

QUARTER_TURN = 5400000  # 90°, in 60000ths of a degree
WHOLE = 100000  # an adjust value of the box's full width or height
# which coordinate (0: x, 1: y) of which corner each adjust value gives, by number of pieces
_ADJUSTS = {2: (), 3: ((1, 0),), 4: ((1, 0), (2, 1)), 5: ((1, 0), (2, 1), (3, 0))}


@dataclass(frozen=True)
class ElbowShape:
    """How an elbow connector draws one route: its preset, box, turn, flips and adjusts."""

    preset: str
    box: g.Box  # a:off and a:ext, before the turn
    rotation: int
    flip_h: bool
    flip_v: bool
    adjusts: tuple[int, ...]


def elbow_shape(route: Path) -> ElbowShape | None:
    """Give the connector that draws `route` (horizontal and vertical pieces, 2 to 5 of them),
    or None when none can: a preset with adjust values needs its box wide and high."""
    pieces = len(route) - 1
    if pieces not in _ADJUSTS:
        return None
    turned = route[0][0] == route[1][0]  # the first piece is vertical
    (sx, sy), (ex, ey) = route[0], route[-1]
    centre = ((sx + ex) / 2, (sy + ey) / 2)
    local = [_unturned(point, centre) for point in route] if turned else list(route)
    (lsx, lsy), (lex, ley) = local[0], local[-1]
    width, height = abs(lex - lsx), abs(ley - lsy)
    if not width or not height:
        return None
    left, top = min(lsx, lex), min(lsy, ley)
    flip_h, flip_v = lex < lsx, ley < lsy
    adjusts = []
    for corner, axis in _ADJUSTS[pieces]:
        if axis == 0:
            offset = (left + width - local[corner][0]) if flip_h else local[corner][0] - left
            adjusts.append(round(offset / width * WHOLE))
        else:
            offset = (top + height - local[corner][1]) if flip_v else local[corner][1] - top
            adjusts.append(round(offset / height * WHOLE))
    box = g.Box(round(left), round(top), round(width), round(height))
    return ElbowShape(f"bentConnector{pieces}", box, QUARTER_TURN if turned else 0, flip_h,
                      flip_v, tuple(adjusts))


def _unturned(point: XY, centre: tuple[float, float]) -> tuple[float, float]:
    """Give where `point` is in a box turned a quarter clockwise about `centre`."""
    return centre[0] + (point[1] - centre[1]), centre[1] - (point[0] - centre[0])


def shape_as_elbow(connector: etree._Element, shape: ElbowShape) -> None:
    """Make the straight connector `connector` the elbow connector `shape`."""
    xfrm = connector.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    for name in ("flipH", "flipV", "rot"):
        xfrm.attrib.pop(name, None)
    if shape.rotation:
        xfrm.set("rot", str(shape.rotation))
    if shape.flip_h:
        xfrm.set("flipH", "1")
    if shape.flip_v:
        xfrm.set("flipV", "1")
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    off.set("x", str(shape.box.left))
    off.set("y", str(shape.box.top))
    ext.set("cx", str(shape.box.width))
    ext.set("cy", str(shape.box.height))
    preset = connector.find(f"{qn('p:spPr')}/{qn('a:prstGeom')}")
    preset.set("prst", shape.preset)
    guides = preset.find(qn("a:avLst"))
    for child in list(guides):
        guides.remove(child)
    for number, value in enumerate(shape.adjusts, start=1):
        etree.SubElement(guides, qn("a:gd"), name=f"adj{number}", fmla=f"val {value}")
