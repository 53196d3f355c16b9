"""The title slide's boxes: its title on the bar its placeholder lies on (a shape, or a band drawn
in the backdrop picture: Metropolis' banner), or grown up clear of the template's shapes; its
subtitle and byline below it, each on one region of those shapes. Where no text colour reads on
what the template draws behind some of them (a mid-tone picture), those are set on a card of the
colour behind the template's body text (the page its content slides show).
"""

from __future__ import annotations

from collections.abc import Callable

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.slide import SlideLayout

from studydeck.layout import geometry as g
from studydeck.layout.check import BYLINE_SIZES
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio
from studydeck.layout.titles import CARD_PAD, HERO_FLOOR, HERO_LINES, lines_height
from studydeck.pptx.backgrounds import ESTIMATE_MARGIN, Behind, Drawn
from studydeck.pptx.layout_roles import BODY_TYPES
from studydeck.pptx.template_cover import Cover, cover_of
from studydeck.pptx.template_marks import picture_band
from studydeck.pptx.template_shapes import (
    BAND_SHARE,
    backdrop_picture,
    clear_of,
    drawn_shapes,
    over_its_band,
)

SUBTITLE_TYPES = (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES)
NARROWEST = g.inches(3)  # a title slide's line cut narrower than this stays where it was
SUBTITLE_NARROWEST = g.inches(2)  # … but on one region of its shapes a subtitle may be this narrow
LINE_LOWEST = g.inches(0.5)  # a subtitle or byline kept on one region is at least this high
PAGE_MARGIN = g.inches(0.05)  # a byline grown to the page's foot ends this far above it
HERO_LOWEST = g.inches(0.8)  # the title slide's title kept on one region: at least this high
NARROWING_STEP = g.inches(0.25)  # a faint line's box is narrowed by this much at a time
COARSE = 4  # … read every fourth width first

ON_TITLE_SLIDE = ("title_slide_title", "title_slide_subtitle", "title_slide_byline")  # PageAreas'

Place = Callable[[tuple[PP_PLACEHOLDER, ...]], g.Box | None]


def title_slide_boxes(layout: SlideLayout, place: Place) -> tuple[g.Box, g.Box, g.Box]:
    """Give the title slide's title, subtitle and byline boxes, clear of its shapes; `place`
    gives where the template puts a kind of placeholder on the layout."""
    placed = place((PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE))
    below = place(SUBTITLE_TYPES)
    drawn = list(drawn_shapes(layout))
    on_title, regions = [shape.box for shape in drawn], cover_of(drawn)
    hero = _on_its_bar(placed, drawn) or _on_its_bar(placed, band_in_backdrop(layout, placed))
    if hero is None:
        hero = _room_to_grow(placed or g.TITLE_SLIDE_TITLE)
        room = _grown_up(hero)
        hero = _on_one_region(clear_of(room, on_title), room, regions, NARROWEST, HERO_LOWEST)
    if below is not None and below.top < hero.bottom and below.bottom > hero.bottom + g.GAP:
        below = g.Box(below.left, hero.bottom + g.GAP, below.width,
                      min(below.bottom, g.SLIDE_HEIGHT) - hero.bottom - g.GAP)
    if below is None or below.top < hero.top:
        below = g.Box(hero.left, hero.bottom + g.GAP, hero.width,
                      max(g.inches(1.2), g.SLIDE_HEIGHT - hero.bottom - g.inches(0.6)))
    # the subtitle and byline share their room on one region: shortened from below where that
    # leaves them enough (they keep the title's left edge), else its largest part on one region
    below = (regions.shortened_to_one_region(below, 2 * LINE_LOWEST)
             or _on_one_region(below, below, regions, SUBTITLE_NARROWEST, 2 * LINE_LOWEST))
    under = g.SLIDE_HEIGHT - below.bottom - g.GAP - g.inches(0.1)  # the page's room below it
    if below.height >= g.inches(1.4):
        subtitle, byline = below.split_rows(round(below.height * 0.58), g.GAP)
    elif under >= LINE_LOWEST:
        subtitle = below
        byline = g.Box(below.left, below.bottom + g.GAP, below.width, min(g.inches(0.9), under))
    else:  # no line's room below it on the page (Portfolio): the byline takes its last line
        subtitle, byline = _byline_inside(below)
    subtitle, byline = (cleared if (cleared := clear_of(box, on_title)).width >= NARROWEST
                        else box for box in (subtitle, byline))
    subtitle, byline = (_on_one_region(box, box, regions, SUBTITLE_NARROWEST, LINE_LOWEST)
                        for box in (subtitle, byline))
    return hero, subtitle, byline


def _on_its_bar(title: g.Box | None, drawn: list[Drawn]) -> g.Box | None:
    """Give the title slide's title area on the bar its placeholder lies on (a filled rectangle
    about as wide, no more than twice as high: Piano's grey bar, Inspiration's band), where the
    title keeps and shrinks (layout.titles); None when it lies on none."""
    if title is None:
        return None
    bar = over_its_band(title, [shape for shape in drawn if not shape.outline
                                 and not shape.picture and shape.box.height <= 2 * title.height])
    return bar if bar is not None and bar.height >= LINE_LOWEST else None


def band_in_backdrop(layout: SlideLayout, title: g.Box | None) -> list[Drawn]:
    """Give the band drawn in the layout's backdrop picture under the title's placeholder
    (Metropolis' banner, on its title and content slides), as a shape; none when there is no
    such band (a band is a line high at least, as high as two titles at most)."""
    picture = backdrop_picture(layout) if title is not None else None
    if picture is None or title is None:
        return []
    band = picture_band(picture, title, round(BAND_SHARE * title.width))
    if band is None or not LINE_LOWEST <= band.box.height <= 2 * title.height:
        return []
    return [band]


def _byline_inside(below: g.Box) -> tuple[g.Box, g.Box]:
    """Give the subtitle's and byline's boxes in the subtitle's place grown down to the page's
    foot: the byline one line at its smallest size at the bottom, the subtitle above it."""
    bottom = max(below.bottom, g.SLIDE_HEIGHT - PAGE_MARGIN)
    line = lines_height(1, BYLINE_SIZES[1]) + g.inches(0.02)  # a hair for rounding
    room = g.Box(below.left, below.top, below.width, bottom - below.top)
    return room.split_rows(room.height - line - g.GAP, g.GAP)


def _on_one_region(box: g.Box, room: g.Box, regions: Cover, narrowest: int,
                   lowest: int) -> g.Box:
    """Give `box` when it lies on one region of the template's shapes (on a band, or clear of
    them), else the largest box in `room` that does (kept where it is when none is that large):
    text over two regions (a title across two triangles) reads on neither."""
    if regions.on_one_region(box):
        return box
    return regions.largest_even(room, narrowest, lowest) or box


def _room_to_grow(hero: g.Box) -> g.Box:
    """Give the title slide's title box, taller downwards where a long title growing upwards
    (as layout.titles grows it) would leave the slide."""
    tallest = lines_height(HERO_LINES, HERO_FLOOR)
    if hero.bottom - tallest >= 0:
        return hero
    return g.Box(hero.left, hero.top, hero.width, max(hero.height, tallest))


def _grown_up(hero: g.Box) -> g.Box:
    """Give the title slide's title box grown upwards to the most lines a long title takes (it
    is written from the bottom): the room it is then cut clear of the template's shapes in."""
    tallest = lines_height(HERO_LINES, HERO_FLOOR)
    top = max(0, min(hero.top, hero.bottom - tallest))
    return g.Box(hero.left, top, hero.width, hero.bottom - top)


def readable_title_slide(areas: g.PageAreas, faint: list[str], read: Callable[[g.Box], Behind],
                         paper: str) -> g.PageAreas:
    """Give the areas with each of the title slide's `faint` boxes (no text colour reads on
    what `read` finds behind it) narrowed, from the right, to the widest part at least NARROWEST
    wide where one does (off a photo's mid-tone part, onto the light one its title lies on);
    when that leaves one faint, they are all set on a card instead (on_a_card)."""
    narrowed: dict[str, tuple[g.Box, Behind]] = {}
    for name in faint:
        found = _widest_readable(getattr(areas, name), read)
        if found is None:
            return on_a_card(areas, faint, paper)  # one card under them all reads as one block
        narrowed[name] = found
    behind = [(name, narrowed[name][1].color if name in narrowed else color)
              for name, color in areas.behind]
    uneven = [item for item in areas.uneven if item[0] not in narrowed]
    uneven += [(name, *found.uneven) for name, (_, found) in narrowed.items() if found.uneven]
    return g.PageAreas(**{**areas.__dict__, **{name: box for name, (box, _) in narrowed.items()},
                          "behind": tuple(behind), "uneven": tuple(uneven)})


def _widest_readable(box: g.Box, read: Callable[[g.Box], Behind]
                     ) -> tuple[g.Box, Behind] | None:
    """Give the box narrowed from the right, by NARROWING_STEPs but to no less than NARROWEST,
    as wide as it can be where a text colour reads on what is behind it, and that; None when
    none does. Every COARSE-th width is read first, widest first, then those wider than the
    first that reads (a picture's part is read anew for each width: a few ms each)."""
    def part(width: int) -> g.Box:
        return g.Box(box.left, box.top, width, box.height)

    widths = [box.width - steps * NARROWING_STEP
              for steps in range(1, (box.width - NARROWEST) // NARROWING_STEP + 1)]
    if not widths or read(part(widths[-1])).faint:
        return None
    coarse = [*range(COARSE - 1, len(widths) - 1, COARSE), len(widths) - 1]
    for before, index in zip([-1, *coarse], coarse, strict=False):
        found = read(part(widths[index]))
        if found.faint:
            continue
        wider = ((part(width), read(part(width))) for width in widths[before + 1:index])
        return next(((part_, behind) for part_, behind in wider if not behind.faint),
                    (part(widths[index]), found))
    return None


def on_a_card(areas: g.PageAreas, faint: list[str], paper: str) -> g.PageAreas:
    """Give the areas with the title slide's boxes from the first to the last of the `faint`
    ones (no text colour reads on what is behind them) set on a card of the `paper` colour
    (white where that is as faint): in one column, set in by CARD_PAD from the room they had
    (the card round their text keeps to that room), what is behind them the card."""
    if not paper or max(contrast_ratio(paper, text) for text in ("000000", "FFFFFF")) < (
            MINIMUM_RATIO * ESTIMATE_MARGIN):
        paper = "FFFFFF"
    boxes = sorted(((getattr(areas, name), name) for name in ON_TITLE_SLIDE),
                   key=lambda item: item[0].top)
    placed = [index for index, (_, name) in enumerate(boxes) if name in faint]
    if not placed:
        return areas
    backed = boxes[placed[0]:placed[-1] + 1]
    left = max(box.left for box, _ in backed) + CARD_PAD
    right = min(box.right for box, _ in backed) - CARD_PAD
    top, bottom = backed[0][0].top + CARD_PAD, backed[-1][0].bottom - CARD_PAD
    names = tuple(name for _, name in backed)
    inset = {name: g.Box(left, max(box.top, top), right - left,
                         min(box.bottom, bottom) - max(box.top, top)) for box, name in backed}
    behind = tuple(item for item in areas.behind if item[0] not in names)
    return g.PageAreas(**{**areas.__dict__, **inset, "backed": names,
                          "behind": (*behind, *((name, paper) for name in names)),
                          "uneven": tuple(item for item in areas.uneven
                                          if item[0] not in names)})
