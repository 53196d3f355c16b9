"""Where a template's own shapes really cover the slide, and boxes that lie on one of them only.

A shape's box is more than it covers: a triangle covers half of it, a picture of a pencil line
only its opaque pixels. The slide is cut into cells a twentieth of an inch a side; each cell
takes the shape drawn topmost over its middle (a freeform by its outline, a group by its parts,
a picture by its opaque pixels, any other shape by its box), or none. Text lies well on one
region: one shape, or none; a box over two reads on neither, or runs over a shape's edge.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, UnidentifiedImageError

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn
from studydeck.pptx.fill_pictures import Picture
from studydeck.source.bounded_files import MAX_PICTURE_PIXELS

CELL = g.EMU_PER_INCH // 20
COLUMNS, ROWS = math.ceil(g.SLIDE_WIDTH / CELL), math.ceil(g.SLIDE_HEIGHT / CELL)
OPAQUE = 64  # a picture's pixel this opaque (of 255) covers what is under it
NO_SHAPE = 0
TOUCH = CELL // 2  # a box is read this far inside its edges: the cells its edges cross are shared
# a box placed on one region keeps this far from the next region's cells: a cell's region is
# that of its middle, give or take a cell where an outline crosses it
MARGIN = CELL + CELL // 2


@dataclass(frozen=True)
class Cover:
    """The shape drawn topmost over each cell of the slide (numbered from 1; 0: none)."""

    cells: Image.Image  # mode "L", COLUMNS × ROWS

    def regions_under(self, box: g.Box, margin: int = -TOUCH) -> set[int]:
        """Give the regions (shapes, 0 for none) the cells whose middles lie in `box` grown by
        `margin` show (by default an edge over a shape's by less than a cell, as a touching one
        is drawn, does not count)."""
        left, top, right, bottom = _cells_in(_grown(box, margin))
        if right <= left or bottom <= top:
            return set()
        return set(self.cells.crop((left, top, right, bottom)).tobytes())  # a byte a cell

    def on_one_region(self, box: g.Box, margin: int = -TOUCH) -> bool:
        """Tell whether the box lies on one shape only, or on none (never partly over one);
        with a `margin` over 0, also the cells just outside its edges (where a box is placed, so
        that its corners are on its region too)."""
        return len(self.regions_under(box, margin)) <= 1

    def shortened_to_one_region(self, box: g.Box, lowest: int) -> g.Box | None:
        """Give `box` shortened from below until it lies on one region a MARGIN from any
        other, at least `lowest` high (a mark low on the page, Vintage's ink blot, then leaves a
        title slide's lines under the title's left edge); None when it lies on one already, or
        would be lower."""
        if self.on_one_region(box):
            return None
        for bottom in range(box.bottom - CELL, box.top + lowest - 1, -CELL):
            shortened = g.Box(box.left, box.top, box.width, bottom - box.top)
            if self.on_one_region(shortened, MARGIN):
                return shortened
        return None

    def largest_even(self, area: g.Box, narrowest: int, lowest: int) -> g.Box | None:
        """Give the largest box in `area`, at least `narrowest` wide and `lowest` high, that lies
        on one region a MARGIN from any other; None when there is none that large."""
        left, top, right, bottom = _cells_in(area)
        if right <= left or bottom <= top:
            return None
        part = self.cells.crop((left, top, right, bottom))
        data = part.tobytes()  # one byte a cell: its region
        rows = [list(data[row * part.width:(row + 1) * part.width]) for row in range(part.height)]
        found = _largest_rectangle(rows, math.ceil((narrowest + 2 * MARGIN) / CELL),
                                   math.ceil((lowest + 2 * MARGIN) / CELL))
        if found is None:
            return None
        column, row, width, height = found
        return _grown(g.Box((left + column) * CELL, (top + row) * CELL, width * CELL,
                            height * CELL), -MARGIN)


def cover_of(drawn: Sequence[Drawn]) -> Cover:
    """Give the cover of the shapes (bottom first, as drawn_shapes gives them)."""
    cells = Image.new("L", (COLUMNS, ROWS), NO_SHAPE)
    painter = ImageDraw.Draw(cells)
    for label, shape in enumerate(_leaves(drawn), start=1):
        _paint(cells, painter, shape, min(label, 255))
    return Cover(cells)


def _leaves(drawn: Iterable[Drawn]) -> Iterable[Drawn]:
    for shape in drawn:
        if shape.parts:
            yield from _leaves(shape.parts)
        else:
            yield shape


def _paint(cells: Image.Image, painter: ImageDraw.ImageDraw, shape: Drawn, label: int) -> None:
    if shape.outline:
        painter.polygon([(x / CELL - 0.5, y / CELL - 0.5) for x, y in shape.outline],
                        fill=label)
        return
    left, top, right, bottom = _cells_in(shape.box, at_least_one=True)
    if right <= left or bottom <= top:
        return  # off the slide
    mask = _opaque_part(shape.picture, right - left, bottom - top) if shape.picture else None
    if mask is None:
        painter.rectangle((left, top, right - 1, bottom - 1), fill=label)
    else:
        cells.paste(label, (left, top, right, bottom), mask)


def _grown(box: g.Box, margin: int) -> g.Box:
    return g.Box(box.left - margin, box.top - margin, box.width + 2 * margin,
                 box.height + 2 * margin)


def _cells_in(box: g.Box, at_least_one: bool = False) -> tuple[int, int, int, int]:
    """Give the cells (left, top, right, bottom; right and bottom past the last) whose middles
    lie in the box."""
    left, top = math.ceil(box.left / CELL - 0.5), math.ceil(box.top / CELL - 0.5)
    right = math.floor(box.right / CELL - 0.5) + 1
    bottom = math.floor(box.bottom / CELL - 0.5) + 1
    if at_least_one and right <= left:  # a thin line covers the cells it crosses
        left, right = math.floor(box.left / CELL), math.floor(box.left / CELL) + 1
    if at_least_one and bottom <= top:
        top, bottom = math.floor(box.top / CELL), math.floor(box.top / CELL) + 1
    return (max(left, 0), max(top, 0), min(right, COLUMNS), min(bottom, ROWS))


def _opaque_part(picture: Picture, width: int, height: int) -> Image.Image | None:
    """Give the mask of the picture's opaque pixels stretched over `width` × `height` cells;
    None when it has no see-through pixels (it covers its box) or cannot be read."""
    alpha = _alpha(picture.blob)
    if alpha is None or width <= 0 or height <= 0:
        return None
    left, top, right, bottom = picture.shown
    shown = alpha.crop((round(left * alpha.width), round(top * alpha.height),
                        max(round(right * alpha.width), 1), max(round(bottom * alpha.height), 1)))
    stretched = shown.resize((width, height), Image.Resampling.BOX)
    return stretched.point(lambda value: 255 if value >= OPAQUE else 0)


@functools.lru_cache(maxsize=16)
def _alpha(blob: bytes) -> Image.Image | None:
    """Give the picture's opacity (shrunk), or None when it has none or cannot be read."""
    try:
        with Image.open(io.BytesIO(blob)) as picture:
            if picture.width * picture.height > MAX_PICTURE_PIXELS:
                return None
            if "A" not in picture.getbands() and "transparency" not in picture.info:
                return None
            picture.thumbnail((512, 512))
            return picture.convert("RGBA").getchannel("A")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def _largest_rectangle(rows: list[list[int]], narrowest: int, lowest: int
                       ) -> tuple[int, int, int, int] | None:
    """Give (column, row, width, height) of the largest rectangle of cells of one region, at
    least `narrowest` × `lowest` cells (the first found of those as large)."""
    best: tuple[int, int, int, int] | None = None
    best_area = 0
    heights = [0] * (len(rows[0]) if rows else 0)
    for row_number, row in enumerate(rows):
        above = rows[row_number - 1] if row_number else None
        heights = [height + 1 if above is not None and above[column] == row[column] else 1
                   for column, height in enumerate(heights)]
        for start, end in _runs(row):
            for column, width, height in _histogram_rectangles(heights, start, end):
                area = width * height
                if width >= narrowest and height >= lowest and area > best_area:
                    best, best_area = (column, row_number - height + 1, width, height), area
    return best


def _runs(row: list[int]) -> Iterable[tuple[int, int]]:
    """Give (start, end) of each run of one region along the row."""
    start = 0
    for column in range(1, len(row) + 1):
        if column == len(row) or row[column] != row[start]:
            yield start, column
            start = column


def _histogram_rectangles(heights: list[int], start: int, end: int
                          ) -> Iterable[tuple[int, int, int]]:
    """Give (column, width, height) of each largest rectangle under the bars start..end."""
    stack: list[tuple[int, int]] = []
    for column in range(start, end + 1):
        height = heights[column] if column < end else 0
        first = column
        while stack and stack[-1][1] >= height:
            first, popped = stack.pop()
            yield first, column - first, popped
        stack.append((first, height))
