"""Where a template's shapes really cover the slide: a triangle by its outline, a picture by its
opaque pixels, and boxes found on one region of them (pptx/template_cover.py)."""

from __future__ import annotations

import io

from PIL import Image

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn
from studydeck.pptx.fill_pictures import Picture
from studydeck.pptx.template_cover import cover_of

INCH = g.EMU_PER_INCH
# a triangle over the slide's left half: its corners top left, top middle, bottom left
TRIANGLE = Drawn(g.Box(0, 0, g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT), "F10D0C",
                 outline=((0, 0), (g.SLIDE_WIDTH // 2, 0), (0, g.SLIDE_HEIGHT)))


def _box(left: float, top: float, width: float, height: float) -> g.Box:
    return g.Box(round(left * INCH), round(top * INCH), round(width * INCH), round(height * INCH))


def _half_opaque_png() -> bytes:
    """Give a PNG whose left half is opaque and right half see-through (a line's picture)."""
    picture = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    picture.paste((120, 60, 20, 255), (0, 0, 100, 100))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_triangle_covers_its_outline_not_its_box() -> None:
    cover = cover_of([TRIANGLE])
    assert cover.regions_under(_box(0.3, 0.3, 2, 1)) == {1}  # inside the triangle
    assert cover.regions_under(_box(5, 5.5, 1.5, 1)) == {0}  # in its box, outside the triangle
    assert not cover.on_one_region(_box(2, 2, 4, 1.5))  # across its long side


def test_a_picture_covers_its_opaque_pixels_only() -> None:
    over = _box(2, 2, 8, 2)
    cover = cover_of([Drawn(over, "", Picture(_half_opaque_png(), over))])
    assert cover.regions_under(_box(2.2, 2.2, 3, 1)) == {1}
    assert cover.regions_under(_box(6.5, 2.2, 3, 1.5)) == {0}  # its see-through half
    assert not cover.on_one_region(_box(4, 2.5, 4, 1))


def test_the_largest_box_on_one_region_lies_on_one_inside_the_area() -> None:
    cover = cover_of([TRIANGLE])
    area = _box(1, 1, 6, 3)  # across the triangle's long side
    found = cover.largest_even(area, g.inches(2), g.inches(0.8))
    assert found is not None
    assert found.inside(area) and found.width >= g.inches(2) and found.height >= g.inches(0.8)
    assert cover.on_one_region(found)
    assert cover.largest_even(area, g.inches(5.9), g.inches(2.9)) is None  # none that large


def test_shapes_at_the_slides_edges_and_thin_lines_are_covered() -> None:
    line = Drawn(g.Box(0, g.SLIDE_HEIGHT - 10, g.SLIDE_WIDTH, 20), "FFFFFF")  # off the bottom
    rule = Drawn(g.Box(INCH, 3 * INCH, 5 * INCH, 0), "333333")  # a line of no height
    cover = cover_of([line, rule])
    assert cover.regions_under(_box(1, 2.8, 5, 0.4)) == {0, 2}  # text across the rule
    assert cover.on_one_region(_box(1, 1, 5, 1.8))  # above it
    assert cover.regions_under(_box(1, 7.2, 5, 0.3)) == {0, 1}  # down to the slide's edge
