"""The footer's line of a template's content slides: the slide number, footer and back link.

They go where the template's slide number, footer and date placeholders are (the date's place
takes the back link), kept clear of its own shapes, else into a free strip under the body; each
lies on one region of the shapes (a number where two bands meet reads on neither): cut to its
part on one, else slid along its line. The body ends above the line where the line lies in it.
"""

from __future__ import annotations

from studydeck.layout import geometry as g
from studydeck.pptx.template_cover import CELL, MARGIN, TOUCH, Cover
from studydeck.pptx.template_shapes import SMALLEST_BODY, clear_of

FOOT_NARROWEST = g.inches(0.45)  # a slide number's box cut to one region: two digits
Placed = tuple[g.Box | None, g.Box | None, g.Box | None]  # the number's, footer's, date's places


def foot_boxes(placed: Placed, body: g.Box, obstacles: list[g.Box], regions: Cover
               ) -> tuple[g.Box, g.Box, g.Box, g.Box]:
    """Give the slide number's, footer's and back link's boxes, and the body area above them."""
    number, footer, link = _on_their_line(_placed_boxes(placed, body, obstacles), regions)
    return number, footer, link, _above_the_foot(body, (number, footer, link))


def _placed_boxes(placed: Placed, body: g.Box, obstacles: list[g.Box]
                  ) -> tuple[g.Box, g.Box, g.Box]:
    """Give the slide number's, footer's and back link's boxes: the placeholders' places kept
    clear of the template's shapes, else a free strip under the body."""
    number, footer, link = (clear_of(place or default, obstacles) for place, default in
                            zip(placed, (g.SLIDE_NUMBER, g.FOOTER, g.BACK_LINK), strict=True))
    if any(piece.intersects(box) for piece in (number, footer, link) for box in obstacles):
        number, footer, link = _free_strip(body, obstacles) or (number, footer, link)
    link = _free_spot(link, [*obstacles, number, footer], body)
    if any(link.intersects(box) for box in obstacles) and footer.width > 2 * g.BACK_LINK.width:
        # no free place on the line: the link takes the right end of the footer's
        width = g.BACK_LINK.width
        link = g.Box(footer.right - width, footer.top, width, footer.height)
        footer = g.Box(footer.left, footer.top, footer.width - width - g.GAP, footer.height)
    return number, footer, link


def _above_the_foot(body: g.Box, pieces: tuple[g.Box, g.Box, g.Box]) -> g.Box:
    """Give the body area ending a gap above the footer's line where a piece of it (a
    template's footer placeholder inside the body's place) lies in the body."""
    tops = [piece.top for piece in pieces if piece.intersects(body) and piece.top > body.top]
    bottom = min(tops, default=body.bottom + g.GAP) - g.GAP
    if bottom >= body.bottom or bottom - body.top < SMALLEST_BODY * body.height:
        return body
    return g.Box(body.left, body.top, body.width, bottom - body.top)


def _on_their_line(pieces: tuple[g.Box, g.Box, g.Box], cover: Cover
                   ) -> tuple[g.Box, g.Box, g.Box]:
    """Give the slide number's, footer's and back link's boxes each on one region of the
    template's shapes (a number where two bands meet reads on neither): a piece over two is cut
    to its largest part on one, else slid along its line to the nearest place on one."""
    placed = list(pieces)
    for index, piece in enumerate(placed):
        if cover.on_one_region(piece):
            continue
        others = placed[:index] + placed[index + 1:]
        # the number takes two digits; the footer and link keep most of their width
        narrowest = FOOT_NARROWEST if index == 0 else max(piece.width * 2 // 3, FOOT_NARROWEST)
        placed[index] = (cover.largest_even(piece, narrowest, piece.height - 2 * MARGIN)
                         or _slid(piece, others, cover) or piece)
    return placed[0], placed[1], placed[2]


def _slid(piece: g.Box, others: list[g.Box], cover: Cover) -> g.Box | None:
    """Give `piece` moved along its line to the nearest place on one region, a gap from the
    other pieces (None when there is none)."""
    lefts = sorted(range(0, g.SLIDE_WIDTH - piece.width + 1, CELL),
                   key=lambda left: abs(left - piece.left))
    for left in lefts:
        moved = g.Box(left, piece.top, piece.width, piece.height)
        near = g.Box(left - g.GAP, piece.top, piece.width + 2 * g.GAP, piece.height)
        if (cover.on_one_region(moved, TOUCH)
                and not any(near.intersects(box) for box in others)):
            return moved
    return None


def _free_strip(body: g.Box, obstacles: list[g.Box]) -> tuple[g.Box, g.Box, g.Box] | None:
    """Give the slide number's, footer's and back link's boxes in a strip under the body area
    (its width, studydeck's own arrangement), or None when that strip is not free either."""
    height = g.SLIDE_NUMBER.height
    top = min(body.bottom + g.GAP, g.SLIDE_HEIGHT - height)
    strip = g.Box(body.left, top, body.width, height)
    if strip.intersects(body) or any(strip.intersects(box) for box in obstacles):
        return None
    number = g.Box(strip.left, top, g.SLIDE_NUMBER.width, height)
    link = g.Box(strip.right - g.BACK_LINK.width, top, g.BACK_LINK.width, height)
    footer = g.Box(number.right + g.GAP, top, link.left - number.right - 2 * g.GAP, height)
    return number, footer, link


def _free_spot(piece: g.Box, taken: list[g.Box], body: g.Box) -> g.Box:
    """Give `piece` moved along its line to where nothing else is (kept where it is if free, or
    if no place on the line is)."""
    width = min(piece.width, g.BACK_LINK.width)
    for left in (piece.left, body.right - width, body.left):
        moved = g.Box(left, piece.top, width if left != piece.left else piece.width,
                      piece.height)
        if not any(moved.intersects(box) for box in taken):
            return moved
    return piece
