"""A picture a template's shape or background is filled with; the colour of its part under a box.

The part under a box is read in the picture's own pixels (as it is cropped and stretched over
its shape); its colour is the one text is hardest to read on there, specks aside.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

from lxml import etree
from PIL import Image, UnidentifiedImageError
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.colors import contrast_ratio, luminance
from studydeck.source.bounded_files import MAX_PICTURE_PIXELS

# the colour of a part of a picture text is hardest to read on: the one this share of the part
# is harder still on (the darkest fiftieth behind dark text); fewer are specks text skips (a
# twentieth was too many: Vintage's timeline text lay on its parchment's darkest edge)
HARD_SHARE = 0.02
SAMPLE_SIDE = 256  # a part of a picture is measured shrunk to this many pixels a side at most
MEASURED_SIDE = 1024  # a whole picture is read shrunk to this many pixels a side at most


@dataclass(frozen=True)
class Picture:
    """A picture stretched over a box of the slide (`shown`: the share of it that is shown, left,
    top, right, bottom, as a:srcRect crops it)."""

    blob: bytes
    over: g.Box
    shown: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)

    def color_under(self, box: g.Box) -> str:
        """Give the colour of the part of the picture under `box` that text is hardest to read
        on, specks aside ('' when no part is under it)."""
        return _color_under(self, box)


@functools.lru_cache(maxsize=256)  # a box is read at several points, each under the picture
def _color_under(picture: Picture, box: g.Box) -> str:
    over = picture.over
    left, top = max(box.left, over.left), max(box.top, over.top)
    right, bottom = min(box.right, over.right), min(box.bottom, over.bottom)
    if right <= left or bottom <= top or not over.width or not over.height:
        return ""
    share = ((left - over.left) / over.width, (top - over.top) / over.height,
             (right - over.left) / over.width, (bottom - over.top) / over.height)
    region = _region(picture.blob, picture.shown, share)
    return _hardest_part(region) if region is not None else ""


def picture_fill(element: etree._Element, owner: SlideLayout | SlideMaster,
                 over: g.Box) -> Picture | None:
    """Give the picture a shape's (or background's) fill stretches over `over`; None when it
    shows no picture, or tiles it."""
    fill = blip_fill(element)
    if fill is None or fill.find(qn("a:stretch")) is None:
        return None
    blob = _blob(fill, owner)
    return Picture(blob, over, _shown(fill.find(qn("a:srcRect")))) if blob else None

def blip_fill(element: etree._Element) -> etree._Element | None:
    properties = element.find(qn("p:spPr"))
    properties = element if properties is None else properties
    picture = properties.find(qn("a:blipFill"))
    if picture is None:  # a picture shape (a photo across the master) holds its own fill
        picture = element.find(qn("p:blipFill"))
    return picture


def _blob(fill: etree._Element, owner: SlideLayout | SlideMaster) -> bytes:
    blip = fill.find(qn("a:blip"))
    rel_id = blip.get(qn("r:embed")) if blip is not None else None
    try:
        return owner.part.related_part(rel_id).blob if rel_id else b""
    except KeyError:
        return b""


def _shown(crop: etree._Element | None) -> tuple[float, float, float, float]:
    """Give the share of a picture a:srcRect shows (its l, t, r, b are thousandths of a
    percent cut off each side)."""
    if crop is None:
        return (0.0, 0.0, 1.0, 1.0)
    left, top, right, bottom = (int(crop.get(side, "0")) / 100_000 for side in "ltrb")
    return (left, top, 1 - right, 1 - bottom)


def picture_average(fill: etree._Element, owner: SlideLayout | SlideMaster) -> str:
    region = _region(_blob(fill, owner), _shown(fill.find(qn("a:srcRect"))),
                     (0.0, 0.0, 1.0, 1.0))
    if region is None:
        return ""
    pixel: Any = region.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return _hex(pixel)


def shown_picture(picture: Picture) -> Image.Image | None:
    """Give the part of the picture that is shown (as its crop leaves it, see-through parts on
    white), in its own pixels shrunk to MEASURED_SIDE at most; None when it cannot be read."""
    return _region(picture.blob, picture.shown, (0.0, 0.0, 1.0, 1.0))


def _hardest_part(region: Image.Image) -> str:
    """Give the colour text is hardest to read on in the region, but for HARD_SHARE of it: on a
    light region (dark text) the one that share is darker than, on a dark one the one it is
    lighter than. A colour of the region's other side is passed over (dark text cannot read on
    it; light text would be fainter on the rest), for the next of the region's own side."""
    sample = region.copy()
    sample.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE))
    average = _hex(sample.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))
    light = is_light(average)
    counted = [(count, _hex(color))
               for count, color in sample.getcolors(sample.width * sample.height) or []]
    counted.sort(key=lambda item: luminance(item[1]), reverse=not light)
    left = HARD_SHARE * sample.width * sample.height
    for count, color in counted:
        left -= count
        if left < 0 and is_light(color) == light:
            return color
    return average


def is_light(color: str) -> bool:
    """Tell whether dark text reads better on the colour than light text."""
    return contrast_ratio(color, "000000") >= contrast_ratio(color, "FFFFFF")


def _hex(pixel: Any) -> str:
    red, green, blue = pixel[:3]
    return f"{red:02X}{green:02X}{blue:02X}"


def _region(blob: bytes, shown: tuple[float, float, float, float],
            share: tuple[float, float, float, float]) -> Image.Image | None:
    """Give the `share` (left, top, right, bottom, 0..1) of the `shown` part of the picture, in
    the picture's own pixels (None when it cannot be read)."""
    picture = _opaque(blob)
    if picture is None:
        return None
    width, height = picture.size
    span_x, span_y = shown[2] - shown[0], shown[3] - shown[1]
    left = round((shown[0] + share[0] * span_x) * width)
    top = round((shown[1] + share[1] * span_y) * height)
    right = max(round((shown[0] + share[2] * span_x) * width), left + 1)
    bottom = max(round((shown[1] + share[3] * span_y) * height), top + 1)
    return picture.crop((left, top, min(right, width), min(bottom, height)))


@functools.lru_cache(maxsize=16)
def _opaque(blob: bytes) -> Image.Image | None:
    """Give the picture as it shows on a white slide (its see-through parts white), or None."""
    try:
        with Image.open(io.BytesIO(blob)) as picture:
            if picture.width * picture.height > MAX_PICTURE_PIXELS:
                return None  # a template's picture is not decoded past this (bounded_files)
            picture.thumbnail((MEASURED_SIDE, MEASURED_SIDE))  # colours need no more pixels
            return Image.alpha_composite(Image.new("RGBA", picture.size, "white"),
                                         picture.convert("RGBA")).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
