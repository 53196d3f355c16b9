"""Where a template puts things: its placeholders' areas, its own shapes, the colours behind.

Titles go where the layout's title placeholder is, body content where its body placeholder is
(the master's, where the layout has none), the slide number and footer where their placeholders
are (the date's place takes the back link). The master's and layout's own shapes that are not
placeholders (bands, curves, logos: pptx/template_shapes.py) are kept clear of: the body area
shrinks to the largest part of it that none of them covers; a title on a band (a shape, or one
drawn in the backdrop picture: pptx/template_marks.py) keeps to the band. The title slide's
boxes are pptx/template_title_slide.py's. A body drawn on a panel (the body placeholder's own
fill: pptx/template_panel.py) takes the panel, set in a little, and keeps clear only of what is
drawn over it. What is drawn behind each area (a band's fill, the background's colour, a
gradient's stop, the part of a picture under the area: pptx/backgrounds.py) is given too, so
that text colours can be checked against it.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.fit import TITLE_FLOOR
from studydeck.layout.titles import TITLE_LINES, lines_height, tall_title_area
from studydeck.pptx.backgrounds import (
    Behind,
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
    over_its_band,
)
from studydeck.pptx.template_title_slide import (
    band_in_backdrop,
    readable_title_slide,
    title_slide_boxes,
)

FOOT_KINDS = (PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE)
LABEL_HEIGHT = g.inches(0.6)
# a sample slide's placeholder narrower than this share of its master's is one a sample moved
# aside for its own content, not the design's place
SAMPLE_SHARE = 0.6
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
    banded = over_its_band(title, drawn) or over_its_band(title, band_in_backdrop(content, title))
    regions = cover_of(drawn)
    title = _above(clear_of(banded or title, obstacles), body)
    title = _title_on_one_region(title, regions)
    placed = tuple(places.box(content, (kind,)) for kind in FOOT_KINDS)
    number, footer, link, body = foot_boxes((placed[0], placed[1], placed[2]), body, obstacles,
                                            regions)
    hero, subtitle, byline = title_slide_boxes(
        layouts.title, lambda kinds: places.box(layouts.title, kinds, cover=True))
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
    # is read over all it may reach (not over the corner between: Pencil's pencil)
    with g.using_areas(areas):
        reach = tall_title_area()
    also = {"title": (reach,)}
    on_content = [("title", areas.title), ("body", areas.body), ("footer", areas.footer),
                  ("slide_number", areas.slide_number), ("back_link", areas.back_link)]
    on_title = [("title_slide_title", areas.title_slide_title),
                ("title_slide_subtitle", areas.title_slide_subtitle),
                ("title_slide_byline", areas.title_slide_byline)]
    on_section = [("section_label", areas.section_label), ("section_title", areas.section_title),
                  ("section_objectives", areas.section_objectives)]
    behind, uneven, faint = [], [], []
    for layout, named in ((layouts.content, on_content), (layouts.title, on_title),
                          (layouts.section, on_section)):
        read_at = _reader(layout)
        read = [(name, read_at(box, *also.get(name, ()))) for name, box in named]
        behind += [(name, found.color) for name, found in read if found.color]
        uneven += [(name, *found.uneven) for name, found in read if found.uneven]
        faint += [name for name, found in read if found.faint and layout is layouts.title]
    read_areas = g.PageAreas(**{**areas.__dict__, "behind": tuple(behind),
                                "uneven": tuple(uneven)})
    return readable_title_slide(read_areas, faint, _reader(layouts.title),
                                read_areas.background_of("body")
                                or slide_background(layouts.content))


def _reader(layout: SlideLayout) -> Callable[..., Behind]:
    """Give what reads what the layout draws behind a box and those its text may also reach
    (backgrounds.read_behind)."""
    drawn, background = list(drawn_shapes(layout, backdrops=True)), slide_background(layout)
    fill, panel = background_fill(layout), panel_box(layout)
    return lambda box, *also: read_behind(box, drawn, background, fill,
                                          _points_across(box, panel), also)


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
