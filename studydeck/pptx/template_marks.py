"""Marks in a template's backdrop picture (a pencil, an ink blot, a ribbon): shapes text keeps off.

Some templates draw their decorations inside the one picture under the whole slide (the
background's picture, or a picture as large as the slide), which is no obstacle itself. Read as
it is shown, in cells of a twentieth of an inch, the picture's ground is the colours most of it
shows; cells far from all of them (in colour, not only in lightness: a yellow pencil on white
paper is nearly as light as the paper) are marks, and touching ones make one mark. A compact
mark, not tiny, is given as a shape drawn by its box in its average colour. A picture with many
(a photo, a texture) is busy and gives none: text on it is a matter for the contrast checks.

A band drawn in the picture (Metropolis' banner under its cover title, too large for a mark) is
read under a placeholder: the largest rectangle of cells near the colour under its middle.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import Any, cast

from PIL import Image, ImageCms, ImageFilter, ImageMath

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn
from studydeck.pptx.fill_pictures import Picture, shown_picture

CELL = g.EMU_PER_INCH // 20  # as the cover's cells (pptx/template_cover.py)
MAIN_COLORS = 16  # the picture's ground is looked for among this many main colours
GROUND_SHARE = 0.1  # colours near one another (NEAR) covering this share of it are its ground
NEAR = 12  # CIE76 ΔE: colours this close are one ground (a gradient's, a paper's stains)
FAR = 20  # CIE76 ΔE: a colour this far from every ground colour is a mark's
WIDEST = 1 / 3  # a mark spans this share of the picture's width and height at most
SMALLEST = g.inches(0.25)  # … and this much at least (a shadow's edge, a speck are none)
BUSY_SHARE = 0.12  # a picture this much of which is marks is busy (a photo): it gives none
MOST_MARKS = 12  # … as is one with more marks than this
BAND_MOST = 0.25  # a band covers at most this share of the picture (more is its ground)
BAND_EDGE = 0.5  # … and its colour goes on past its top or foot over at most this share of it
LIGHTNESS_SCALE = 100 / 255  # Pillow keeps L* (0..100) in 0..255, a* and b* offset by 128


@functools.lru_cache(maxsize=16)  # a template's masters and layouts share their pictures
def picture_marks(picture: Picture) -> tuple[Drawn, ...]:
    """Give the marks of a backdrop picture as shapes drawn by their boxes on the slide, in
    their average colours; none when the picture is busy or cannot be read."""
    shown = shown_picture(picture)
    over = picture.over
    if shown is None or over.width <= 0 or over.height <= 0:
        return ()
    size = (max(math.ceil(over.width / CELL), 1), max(math.ceil(over.height / CELL), 1))
    cells = shown.resize(size, Image.Resampling.BOX)
    marked = _mark_cells(cells)
    if marked is None or marked.count(1) > BUSY_SHARE * len(marked):
        return ()
    grown = Image.frombytes("L", size, marked).filter(ImageFilter.MaxFilter(3)).tobytes()
    colors = cells.tobytes()
    found = []
    for left, top, right, bottom, inside in _touching(grown, size):
        box = g.Box(over.left + left * over.width // size[0],
                    over.top + top * over.height // size[1],
                    (right - left) * over.width // size[0], (bottom - top) * over.height // size[1])
        if (min(box.width, box.height) >= SMALLEST and box.width <= WIDEST * over.width
                and box.height <= WIDEST * over.height):
            found.append(Drawn(box, _average([cell for cell in inside if marked[cell]], colors)))
    return tuple(found) if len(found) <= MOST_MARKS else ()


@functools.lru_cache(maxsize=16)
def picture_band(picture: Picture, box: g.Box, narrowest: int) -> Drawn | None:
    """Give the even band drawn in the picture under the box's middle, at least `narrowest`
    wide, as a shape drawn by its box in its average colour: the largest rectangle round that
    middle of cells NEAR its colour there. None when there is none that wide, or it is part of
    the picture's ground (more than BAND_MOST of it, or its colour goes on above or below it)."""
    shown = shown_picture(picture)
    over = picture.over
    if shown is None or over.width <= 0 or over.height <= 0:
        return None
    size = (max(math.ceil(over.width / CELL), 1), max(math.ceil(over.height / CELL), 1))
    column = (box.left + box.width // 2 - over.left) * size[0] // over.width
    row = (box.top + box.height // 2 - over.top) * size[1] // over.height
    if not (0 <= column < size[0] and 0 <= row < size[1]):
        return None
    cells = shown.resize(size, Image.Resampling.BOX)
    rows = _near_rows(cells, column, row)
    found = _rectangle_round(rows, column, row, math.ceil(narrowest * size[0] / over.width))
    if found is None:
        return None
    left, top, right, bottom = found
    if ((right - left) * (bottom - top) > BAND_MOST * size[0] * size[1]
            or _runs_on(rows, left, right, top - 1) or _runs_on(rows, left, right, bottom)):
        return None
    inside = [down * size[0] + across for down in range(top, bottom)
              for across in range(left, right)]
    return Drawn(g.Box(over.left + left * over.width // size[0],
                       over.top + top * over.height // size[1],
                       (right - left) * over.width // size[0],
                       (bottom - top) * over.height // size[1]),
                 _average(inside, cells.tobytes()))


def _near_rows(cells: Image.Image, column: int, row: int) -> list[int]:
    """Give each row of cells as a number whose bit n is set where cell n's colour is NEAR
    the colour of the cell at (column, row)."""
    lightness, green_red, blue_yellow = _lab_bands(cells)
    color = cast(tuple[int, int, int], tuple(band.getpixel((column, row))
                                             for band in (lightness, green_red, blue_yellow)))
    distance = ImageMath.lambda_eval(functools.partial(_squared, color=color),
                                     L=lightness, a=green_red, b=blue_yellow)
    near = ImageMath.lambda_eval(lambda image: image["d"] <= NEAR * NEAR, d=distance)
    data = near.convert("L").tobytes()
    width = cells.width
    return [_bits(data[start:start + width]) for start in range(0, len(data), width)]


def _bits(row: bytes) -> int:
    """Give the row's cells as a number: bit n set where cell n is set."""
    return sum(1 << at for at, value in enumerate(row) if value)


def _rectangle_round(rows: list[int], column: int, row: int, narrowest: int
                     ) -> tuple[int, int, int, int] | None:
    """Give the largest rectangle (left, top, right, bottom; right and bottom past the last) of
    set cells holding the cell (column, row), at least `narrowest` cells wide."""
    best, best_area = None, 0
    upper = rows[row]
    for top in range(row, -1, -1):
        if top < row:
            upper &= rows[top]
        left, right = _run_round(upper, column)
        if right - left < narrowest:
            break
        lower = upper
        for bottom in range(row, len(rows)):
            if bottom > row:
                lower &= rows[bottom]
            left, right = _run_round(lower, column)
            if right - left < narrowest:
                break
            area = (right - left) * (bottom + 1 - top)
            if area > best_area:
                best, best_area = (left, top, right, bottom + 1), area
    return best


def _runs_on(rows: list[int], left: int, right: int, row: int) -> bool:
    """Tell whether the band's colour runs on into the row (above or below it) over more than
    BAND_EDGE of the band's width: the rectangle is then part of a larger ground (a paper's), not
    a band drawn on one."""
    if not 0 <= row < len(rows):
        return False
    across = (rows[row] >> left) & ((1 << (right - left)) - 1)
    return across.bit_count() > BAND_EDGE * (right - left)


def _run_round(row: int, column: int) -> tuple[int, int]:
    """Give (left, right past the last) of the run of set bits of `row` holding bit `column`."""
    if not row >> column & 1:
        return column, column
    unset_above = ~(row >> column)
    right = column + (unset_above & -unset_above).bit_length() - 1
    under = (1 << column) - 1
    left = (~row & under).bit_length()
    return left, right


def _mark_cells(cells: Image.Image) -> bytes | None:
    """Give a byte a cell, 1 where its colour is far from all of the picture's ground colours;
    None when the picture has no ground (no colours near one another cover much of it)."""
    ground = _ground(cells)
    if not ground:
        return None
    lightness, green_red, blue_yellow = _lab_bands(cells)
    nearest: Any = None
    for color in ground:
        distance = ImageMath.lambda_eval(functools.partial(_squared, color=color),
                                         L=lightness, a=green_red, b=blue_yellow)
        nearest = distance if nearest is None else ImageMath.lambda_eval(
            lambda image: image["min"](image["x"], image["y"]), x=nearest, y=distance)
    far = ImageMath.lambda_eval(lambda image: image["d"] > FAR * FAR, d=nearest)
    return bytes(far.convert("L").tobytes())


def _squared(image: dict[str, Any], color: tuple[int, int, int]) -> Any:
    """Give the squared ΔE of each cell from the colour (both in Pillow's L*a*b* bytes)."""
    lightness = (image["L"] - color[0]) * LIGHTNESS_SCALE
    green_red, blue_yellow = image["a"] - color[1], image["b"] - color[2]
    return lightness * lightness + green_red * green_red + blue_yellow * blue_yellow


def _ground(cells: Image.Image) -> list[tuple[int, int, int]]:
    """Give the picture's ground colours (Pillow's L*a*b* bytes): of its main colours, those
    that with the ones NEAR them cover GROUND_SHARE of it (a gradient's steps together)."""
    quantized = cells.quantize(MAIN_COLORS, method=Image.Quantize.MEDIANCUT)
    counted = quantized.getcolors(MAIN_COLORS) or []
    palette = quantized.getpalette() or []
    strip = Image.new("RGB", (max(len(counted), 1), 1))
    indexes = [cast(int, index) for _, index in counted]  # a "P" image counts its indexes
    strip.putdata([tuple(palette[3 * index:3 * index + 3]) for index in indexes])
    bands = [band.tobytes() for band in _lab_bands(strip)]
    labs = [(bands[0][at], bands[1][at], bands[2][at]) for at in range(len(counted))]
    total = sum(count for count, _ in counted)
    return [lab for lab in labs
            if sum(count for (count, _), other in zip(counted, labs, strict=True)
                   if _distance(lab, other) <= NEAR) >= GROUND_SHARE * total]


def _touching(marked: bytes, size: tuple[int, int]
              ) -> Iterator[tuple[int, int, int, int, list[int]]]:
    """Give each group of touching marked cells: its box in cells (left, top, right, bottom;
    right and bottom past the last) and its cells."""
    columns, rows = size
    seen = bytearray(marked)  # 1 where a marked cell has not been taken into a group yet
    for start in range(columns * rows):
        if not seen[start]:
            continue
        seen[start], waiting, inside = 0, [start], []
        while waiting:
            cell = waiting.pop()
            inside.append(cell)
            column, row = cell % columns, cell // columns
            for near, within in ((cell - 1, column > 0), (cell + 1, column < columns - 1),
                                 (cell - columns, row > 0), (cell + columns, row < rows - 1)):
                if within and seen[near]:
                    seen[near] = 0
                    waiting.append(near)
        across = [cell % columns for cell in inside]
        down = [cell // columns for cell in inside]
        yield min(across), min(down), max(across) + 1, max(down) + 1, inside


def _average(inside: list[int], colors: bytes) -> str:
    """Give the average colour (RRGGBB) of the cells, read from the cells' RGB bytes."""
    if not inside:
        return ""
    sums = [sum(colors[3 * cell + channel] for cell in inside) // len(inside)
            for channel in range(3)]
    return "".join(f"{value:02X}" for value in sums)


def _lab_bands(image: Image.Image) -> tuple[Image.Image, Image.Image, Image.Image]:
    """Give the RGB picture's L*, a* and b* as bytes (a* and b* offset by 128)."""
    converted = cast(Image.Image, ImageCms.applyTransform(image, _to_lab()))  # None in place only
    lightness, green_red, blue_yellow = converted.split()
    offset = _offset()
    return lightness, green_red.point(offset), blue_yellow.point(offset)


@functools.cache
def _offset() -> list[int]:
    """Give the table that turns Pillow's a* and b* bytes into a* and b* offset by 128: some
    Pillows keep them as signed bytes (grey's a* is 0), others offset them already (128); a
    table for the wrong one wraps a grey's a* of -1 round to 255, far from its 0."""
    grey = cast(Image.Image, ImageCms.applyTransform(Image.new("RGB", (1, 1), (128, 128, 128)),
                                                      _to_lab()))
    _, green_red, _ = cast(tuple[int, int, int], grey.getpixel((0, 0)))
    if abs(green_red - 128) < 16:
        return list(range(256))
    return [(value + 128) % 256 for value in range(256)]


@functools.cache
def _to_lab() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransformFromOpenProfiles(
        ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB")


def _distance(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """Give the CIE76 ΔE of two colours in Pillow's L*a*b* bytes."""
    return math.hypot((first[0] - second[0]) * LIGHTNESS_SCALE, first[1] - second[1],
                      first[2] - second[2])
