"""What a template draws behind a box: the part of a picture under it, a group's parts, a
freeform's outline rather than its box."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from studydeck.layout import geometry as g
from studydeck.pptx.backgrounds import Drawn, color_behind
from studydeck.pptx.fill_pictures import Picture

SLIDE = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)
LEFT_HALF = g.Box(0, 0, g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT)
RIGHT_HALF = g.Box(g.SLIDE_WIDTH // 2, 0, g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT)


def _png(draw: str) -> bytes:
    """Give a 100×50 white PNG, its left half navy when `draw` is 'left', with a navy speck of
    2 % of its right half when it is 'speck'."""
    picture = Image.new("RGB", (100, 50), "white")
    pen = ImageDraw.Draw(picture)
    if draw == "left":
        pen.rectangle((0, 0, 49, 49), fill="#000080")
    if draw == "speck":
        pen.rectangle((60, 10, 64, 14), fill="#000080")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_a_picture_gives_the_colour_of_its_part_under_the_box() -> None:
    picture = Picture(_png("left"), SLIDE)
    assert picture.color_under(LEFT_HALF) == "000080"
    assert picture.color_under(RIGHT_HALF) == "FFFFFF"


def test_a_cropped_picture_is_read_in_its_own_pixels() -> None:
    # only the picture's left half is shown, stretched over the whole slide
    picture = Picture(_png("left"), SLIDE, shown=(0.0, 0.0, 0.5, 1.0))
    assert picture.color_under(RIGHT_HALF) == "000080"


def test_a_speck_does_not_make_the_part_dark() -> None:
    assert Picture(_png("speck"), SLIDE).color_under(RIGHT_HALF) == "FFFFFF"


def test_a_background_picture_is_read_under_the_box() -> None:
    background = Picture(_png("left"), SLIDE)
    assert color_behind(LEFT_HALF, [], "808080", background) == "000080"


def test_a_freeform_counts_where_its_outline_is_not_its_box() -> None:
    # a triangle along the slide's top: its box covers the slide's middle, it does not
    corners = ((0, 0), (g.SLIDE_WIDTH, 0), (0, g.SLIDE_HEIGHT // 2))
    triangle = Drawn(SLIDE, "FF0000", outline=corners)
    middle = g.Box(g.SLIDE_WIDTH // 2 - 10, g.SLIDE_HEIGHT // 2 - 10, 20, 20)
    assert color_behind(middle, [triangle], "FFFFFF") == "FFFFFF"
    assert color_behind(g.Box(0, 0, 20, 20), [triangle], "FFFFFF") == "FF0000"


def test_a_group_shows_its_topmost_part_under_the_box() -> None:
    parts = (Drawn(LEFT_HALF, "00FF00"), Drawn(RIGHT_HALF, "0000FF"))
    group = Drawn(SLIDE, "", parts=parts)
    assert color_behind(g.Box(10, 10, 20, 20), [group], "FFFFFF") == "00FF00"
    assert color_behind(g.Box(g.SLIDE_WIDTH - 30, 10, 20, 20), [group], "FFFFFF") == "0000FF"
