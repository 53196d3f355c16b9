"""Where a template puts things: its placeholders' areas, its own shapes, the colours behind.

Titles go where the layout's title placeholder is, body content where its body placeholder is
(the master's, where the layout has none), the slide number and footer where their placeholders
are (the date's place takes the back link). The master's and layout's own shapes that are not
placeholders (bands, curves, logos: pptx/template_shapes.py) are kept clear of: the body area
shrinks to the largest part of it that none of them covers; a title on a band keeps to the
band. A body drawn on a panel (the body placeholder's own fill: pptx/template_panel.py) takes
the panel, set in a little, and keeps clear only of what is drawn over it. What is drawn behind
each area (a band's fill, the background's colour, a gradient's stop, the part of a picture
under the area: pptx/backgrounds.py) is given too, so that text colours can be checked
against it.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.check import BYLINE_SIZES
from studydeck.layout.fit import TITLE_FLOOR
from studydeck.layout.titles import (
    HERO_FLOOR,
    HERO_LINES,
    TITLE_LINES,
    lines_height,
    tall_title_area,
)
from studydeck.pptx.backgrounds import (
    Drawn,
    background_fill,
    read_behind,
    slide_background,
)
from studydeck.pptx.layout_roles import BODY_TYPES, TITLE_TYPES, Layouts
from studydeck.pptx.template_cover import Cover, cover_of
from studydeck.pptx.template_foot import foot_boxes
from studydeck.pptx.template_panel import PANEL_MARGIN, panel_box, panel_look
from studydeck.pptx.template_shapes import (
    body_obstacles,
    box_of,
    clear_of,
    drawn_shapes,
    numbers_slides,
    on_slide,
)

SUBTITLE_TYPES = (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES)
FOOT_KINDS = (PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE)
LABEL_HEIGHT = g.inches(0.6)
# a sample slide's placeholder narrower than this share of its master's is one a sample moved
# aside for its own content, not the design's place
SAMPLE_SHARE = 0.6
BAND_SHARE = 0.8  # a filled shape under a title at least this share of its width is its band
BAND_INSET = g.inches(0.05)  # a title grown over its band keeps this far from the band's edges
NARROWEST = g.inches(3)  # a title slide's line cut narrower than this stays where it was
SUBTITLE_NARROWEST = g.inches(2)  # … but on one region of its shapes a subtitle may be this narrow
LINE_LOWEST = g.inches(0.5)  # a subtitle or byline kept on one region is at least this high
PAGE_MARGIN = g.inches(0.05)  # a byline grown to the page's foot ends this far above it
HERO_LOWEST = g.inches(0.8)  # the title slide's title kept on one region: at least this high
PANEL_READING = 9  # an area on a body panel is read at 9 × 9 points (others at 3 × 3)


Places = dict[tuple[object, object], g.Box]  # (master part, placeholder type) → a sample's box


def template_areas(layouts: Layouts, samples: Places | None = None) -> g.PageAreas:
    """Give the areas of the template's layouts and the colours behind their text areas;
    `samples`: where the template's sample slides put their placeholders, on each master."""
    places = _Places(samples or {})
    content = layouts.content
    drawn = list(drawn_shapes(content))
    obstacles = [shape.box for shape in drawn]
    panel = panel_box(content)
    place = _inside(panel) if panel is not None else places.box(content, BODY_TYPES)
    body = clear_of(place or g.BODY, body_obstacles(content))
    title = places.box(content, TITLE_TYPES) or g.Box(body.left, g.TITLE.top, body.width,
                                                      g.TITLE.height)
    banded = _over_its_band(title, drawn)
    regions = cover_of(drawn)
    title = _above(clear_of(banded or title, obstacles), body)
    title = _title_on_one_region(title, regions)
    placed = tuple(places.box(content, (kind,)) for kind in FOOT_KINDS)
    number, footer, link, body = foot_boxes((placed[0], placed[1], placed[2]), body, obstacles,
                                            regions)
    hero, subtitle, byline = _title_slide_boxes(places, layouts.title)
    label, section_title, objectives = _section_boxes(places, layouts, body)
    areas = g.PageAreas(title=title, body=body, slide_number=number, footer=footer,
                        back_link=link, title_slide_title=hero, title_slide_subtitle=subtitle,
                        title_slide_byline=byline, section_label=label,
                        section_title=section_title, section_objectives=objectives,
                        numbers_slides=numbers_slides(content),
                        title_grows=banded is None and _room_below(title, obstacles),
                        # over the body's panel, a title would not read in its colour
                        title_tops_body=banded is None and panel is None)
    return _with_backgrounds(areas, layouts)


def body_room(layout: SlideLayout, samples: Places) -> int:
    """Give the room (square inches) the layout's body area leaves clear of its own shapes (all
    of its panel, when its body would be drawn on one: pptx/template_panel.py)."""
    place = body_place(layout, samples) or g.BODY
    if panel_look(layout) is not None:
        body = _inside(place)
    else:
        body = clear_of(place, [shape.box for shape in drawn_shapes(layout)])
    return round(body.width * body.height / g.EMU_PER_INCH ** 2)


def body_place(layout: SlideLayout, samples: Places) -> g.Box | None:
    """Give where the template puts the layout's body (a sample slide's place first, _Places)."""
    return _Places(samples).box(layout, BODY_TYPES)


def _inside(panel: g.Box) -> g.Box:
    """Give the body area on a panel: set in from its edges, which tables and diagrams keep off."""
    return g.Box(panel.left + PANEL_MARGIN, panel.top + PANEL_MARGIN,
                 panel.width - 2 * PANEL_MARGIN, panel.height - 2 * PANEL_MARGIN)


def _with_backgrounds(areas: g.PageAreas, layouts: Layouts) -> g.PageAreas:
    # a long title grows down or takes the top of the body (layout.titles): what is behind it
    # is read over all it may reach
    with g.using_areas(areas):
        reach = tall_title_area()
    left, top = min(areas.title.left, reach.left), min(areas.title.top, reach.top)
    title = g.Box(left, top, max(areas.title.right, reach.right) - left,
                  max(areas.title.bottom, reach.bottom) - top)
    on_content = [("title", title), ("body", areas.body), ("footer", areas.footer),
                  ("slide_number", areas.slide_number), ("back_link", areas.back_link)]
    on_title = [("title_slide_title", areas.title_slide_title),
                ("title_slide_subtitle", areas.title_slide_subtitle),
                ("title_slide_byline", areas.title_slide_byline)]
    on_section = [("section_label", areas.section_label), ("section_title", areas.section_title),
                  ("section_objectives", areas.section_objectives)]
    behind, uneven = [], []
    for layout, named in ((layouts.content, on_content), (layouts.title, on_title),
                          (layouts.section, on_section)):
        drawn, background = list(drawn_shapes(layout, backdrops=True)), slide_background(layout)
        fill, panel = background_fill(layout), panel_box(layout)
        read = [(name, read_behind(box, drawn, background, fill, _points_across(box, panel)))
                for name, box in named]
        behind += [(name, found.color) for name, found in read if found.color]
        uneven += [(name, *found.uneven) for name, found in read if found.uneven]
    return g.PageAreas(**{**areas.__dict__, "behind": tuple(behind), "uneven": tuple(uneven)})


def _points_across(box: g.Box, panel: g.Box | None) -> int:
    """Give how many points along each of as many rows what is behind `box` is read at: more
    on a see-through panel, where what shows through (bubbles, a glow) varies under the text."""
    return PANEL_READING if panel is not None and box.inside(panel) else 3


# --- placeholders ------------------------------------------------------------------------------


class _Places:
    """Where a template puts each kind of placeholder: a sample slide's place on the layout's
    master where it has one (a converted template's layouts keep generic places), else the
    layout's own (its master's where the layout has none)."""

    def __init__(self, samples: Places) -> None:
        self._samples = samples

    def box(self, layout: SlideLayout, kinds: tuple[PP_PLACEHOLDER, ...],
            cover: bool = False) -> g.Box | None:
        """Give the first place of these kinds. On content slides a sample may have moved a
        placeholder aside for its own content; a title slide's (`cover`) is the design's."""
        for kind in kinds:
            sample = self._samples.get((layout.slide_master.part, kind))
            # the master's place for the role: its body is a BODY, a sample's often an OBJECT
            designed = _first_box(layout.slide_master, kinds)
            wide = sample is not None and sample.width >= SAMPLE_SHARE * (
                designed.width if designed else 0)
            if sample is not None and sample.height > 0 and (cover or wide):
                return on_slide(sample)
        owners: list[Any] = [layout, layout.slide_master]
        if _generic_place(layout.part.package.presentation_part, layout.name, kinds):
            owners.reverse()  # the master holds the design
        for owner in owners:
            for kind, box in _placeholder_places(owner):
                if kind in kinds and box is not None and box.width > 0 and box.height > 0:
                    return on_slide(box)
        return None


# owner part → (type, box) of each of its placeholders: every layout of a master asks for its
_PLACEHOLDERS: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, g.Box | None], ...]] = (
    weakref.WeakKeyDictionary())


def _placeholder_places(owner: SlideLayout | SlideMaster
                        ) -> tuple[tuple[Any, g.Box | None], ...]:
    """Give the type and box of each of the layout's or master's placeholders, in order (read
    once: python-pptx walks every shape's XML to find them)."""
    found = _PLACEHOLDERS.get(owner.part)
    if found is None:
        found = _PLACEHOLDERS[owner.part] = tuple(
            (placeholder.placeholder_format.type, box_of(placeholder))
            for placeholder in list(owner.placeholders))
    return found


@functools.lru_cache(maxsize=64)
def _generic_place(presentation: Any, name: str, kinds: tuple[PP_PLACEHOLDER, ...]) -> bool:
    """Tell whether the layouts of this name give these placeholders one place on every master
    while the masters' own places differ: LibreOffice writes an Impress template's layouts so,
    and its masters hold the design."""
    masters = list(presentation.presentation.slide_masters)
    alike = {_first_box(layout, kinds) for master in masters for layout in master.slide_layouts
             if layout.name == name}
    own = {_first_box(master, kinds) for master in masters}
    return len(masters) > 1 and len(alike) == 1 and len(own) > 1


def _first_box(owner: SlideLayout | SlideMaster, kinds: tuple[PP_PLACEHOLDER, ...]
               ) -> g.Box | None:
    return next((box for kind, box in _placeholder_places(owner) if kind in kinds), None)


def _above(title: g.Box, body: g.Box) -> g.Box:
    """Give the title's area ending where the body's begins (a cover's big title, which a
    one-master template's sample slides may give as the content slides' place too)."""
    if title.top < body.top < title.bottom:
        return g.Box(title.left, title.top, title.width, body.top - title.top)
    return title


def _room_below(title: g.Box, obstacles: list[g.Box]) -> bool:
    """Tell whether a title may grow down to three lines (layout.titles) without covering a
    shape of the template's (a rule under the title, say)."""
    grown = lines_height(TITLE_LINES, TITLE_FLOOR) - title.height
    below = g.Box(title.left, title.bottom, title.width, max(grown, 0))
    return grown <= 0 or not any(below.intersects(box) for box in obstacles)


def _over_its_band(title: g.Box, drawn: list[Drawn]) -> g.Box | None:
    """Give the title's area grown to the band it sits on (a filled shape at least as wide as
    the title, under its middle), short of the band's edges; None when it sits on no band.
    The title never leaves its band: it shrinks there instead (layout.titles)."""
    middle = g.Box(title.left + title.width // 2, title.top + title.height // 2, 1, 1)
    band = next((shape.box for shape in reversed(drawn)
                 if shape.fill and shape.box.intersects(middle)), None)
    if band is None or band.width < BAND_SHARE * title.width:
        return None
    top = max(band.top, min(title.top, band.top + BAND_INSET))
    bottom = min(band.bottom, max(title.bottom, band.bottom - BAND_INSET))
    left, right = max(title.left, band.left), min(title.right, band.right)
    return g.Box(left, top, right - left, bottom - top)


def _title_slide_boxes(places: _Places, layout: SlideLayout) -> tuple[g.Box, g.Box, g.Box]:
    """Give the title slide's title, subtitle and byline boxes, clear of its shapes."""
    placed = places.box(layout, (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE), cover=True)
    below = places.box(layout, SUBTITLE_TYPES, cover=True)
    drawn = list(drawn_shapes(layout))
    on_title, regions = [shape.box for shape in drawn], cover_of(drawn)
    hero = _on_its_bar(placed, drawn)
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
    bar = _over_its_band(title, [shape for shape in drawn if not shape.outline
                                 and not shape.picture and shape.box.height <= 2 * title.height])
    return bar if bar is not None and bar.height >= LINE_LOWEST else None


def _byline_inside(below: g.Box) -> tuple[g.Box, g.Box]:
    """Give the subtitle's and byline's boxes in the subtitle's place grown down to the page's
    foot: the byline one line at its smallest size at the bottom, the subtitle above it."""
    bottom = max(below.bottom, g.SLIDE_HEIGHT - PAGE_MARGIN)
    line = lines_height(1, BYLINE_SIZES[1]) + g.inches(0.02)  # a hair for rounding
    room = g.Box(below.left, below.top, below.width, bottom - below.top)
    return room.split_rows(room.height - line - g.GAP, g.GAP)


def _title_on_one_region(title: g.Box, regions: Cover) -> g.Box:
    """Give the content slides' title area on one region of the layout's shapes: its own, else
    its largest part on one that holds two lines at the title floor (else one line), at least
    half as wide (a slanted band's title keeps to the band)."""
    if regions.on_one_region(title):
        return title
    for lines in (2, 1):
        found = regions.largest_even(title, title.width // 2,
                                     min(title.height, lines_height(lines, TITLE_FLOOR)))
        if found is not None:
            return found
    return title


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


def _section_boxes(places: _Places, layouts: Layouts,
                   body: g.Box) -> tuple[g.Box, g.Box, g.Box]:
    """Give the section slide's label, title and objectives: its own layout's places, else
    studydeck's arrangement inside the content layout's body area; clear of its shapes."""
    label, title, objectives = _section_places(places, layouts, body)
    on_section = body_obstacles(layouts.section)
    return label, title, clear_of(objectives, on_section)


def _section_places(places: _Places, layouts: Layouts,
                    body: g.Box) -> tuple[g.Box, g.Box, g.Box]:
    section = layouts.section
    if section is not layouts.content:
        title = places.box(section, TITLE_TYPES)
        below = places.box(section, BODY_TYPES)
        if (title is not None and below is not None and title.top >= LABEL_HEIGHT
                and below.top >= title.bottom - g.GAP):
            label = g.Box(title.left, title.top - LABEL_HEIGHT, title.width, LABEL_HEIGHT)
            # a section header's text is one line: the objectives may take down to the body's end
            bottom = max(below.bottom, body.bottom)
            return label, title, g.Box(below.left, below.top, below.width, bottom - below.top)
    label, rest = body.split_rows(LABEL_HEIGHT, 0)
    title, objectives = rest.split_rows(min(g.inches(1.7), rest.height // 2), g.inches(0.25))
    return label, title, objectives
