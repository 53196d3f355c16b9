"""Where a template puts things: its placeholders' areas, its own shapes, the colours behind.

Titles go where the layout's title placeholder is, body content where its body placeholder is
(the master's, where the layout has none), the slide number and footer where their placeholders
are (the date's place takes the back link). The master's and layout's own shapes that are not
placeholders (bands, curves, logos) are kept clear of: the body area shrinks to the largest part
of it that none of them covers. What is drawn behind each area (a band's fill, the background's
colour, a gradient's stop, a background picture's average: pptx/backgrounds.py) is given too,
so that text colours can be checked against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.layout.titles import HERO_FLOOR, HERO_LINES, lines_height
from studydeck.pptx.backgrounds import Drawn, color_behind, fill_color, slide_background
from studydeck.pptx.layout_roles import BODY_TYPES, TITLE_TYPES, Layouts

SUBTITLE_TYPES = (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES)
BACKDROP_SHARE = 0.6  # a shape covering this much of the slide is background, not an obstacle
LINE_THICKNESS = g.inches(0.05)  # a line's box, so that text keeps clear of it
SMALLEST_BODY = 0.35  # a body area cut below this share of its width or height is not cut
LABEL_HEIGHT = g.inches(0.6)
# a sample slide's placeholder narrower than this share of its master's is one a sample moved
# aside for its own content, not the design's place
SAMPLE_SHARE = 0.6
PANEL_SHARE = 0.7  # a shape under this much of an area is a panel the area's text sits on
NARROWEST = g.inches(3)  # a title slide's line cut narrower than this stays where it was


Places = dict[tuple[object, object], g.Box]  # (master part, placeholder type) → a sample's box


def template_areas(layouts: Layouts, samples: Places | None = None) -> g.PageAreas:
    """Give the areas of the template's layouts and the colours behind their text areas;
    `samples`: where the template's sample slides put their placeholders, on each master."""
    places = _Places(samples or {})
    content = layouts.content
    obstacles = [shape.box for shape in drawn_shapes(content)]
    body = _clear_of(places.box(content, BODY_TYPES) or g.BODY, obstacles)
    title = _clear_of(places.box(content, TITLE_TYPES)
                      or g.Box(body.left, g.TITLE.top, body.width, g.TITLE.height), obstacles)
    number, footer, link = _foot_boxes(places, content, body, obstacles)
    hero, subtitle, byline = _title_slide_boxes(places, layouts.title)
    label, section_title, objectives = _section_boxes(places, layouts, body)
    areas = g.PageAreas(title=title, body=body, slide_number=number, footer=footer,
                        back_link=link, title_slide_title=hero, title_slide_subtitle=subtitle,
                        title_slide_byline=byline, section_label=label,
                        section_title=section_title, section_objectives=objectives,
                        numbers_slides=_numbers_slides(content))
    return _with_backgrounds(areas, layouts)


def body_room(layout: SlideLayout, samples: Places) -> int:
    """Give the room (square inches) the layout's body area leaves clear of its own shapes."""
    obstacles = [shape.box for shape in drawn_shapes(layout)]
    body = _clear_of(_Places(samples).box(layout, BODY_TYPES) or g.BODY, obstacles)
    return round(body.width * body.height / g.EMU_PER_INCH ** 2)


def _foot_boxes(places: _Places, content: SlideLayout, body: g.Box,
                obstacles: list[g.Box]) -> tuple[g.Box, g.Box, g.Box]:
    """Give the slide number's, footer's and back link's boxes: the placeholders' places kept
    clear of the template's shapes, else a free strip under the body."""
    number, footer, link = (
        _clear_of(places.box(content, (kind,)) or default, obstacles)
        for kind, default in ((PP_PLACEHOLDER.SLIDE_NUMBER, g.SLIDE_NUMBER),
                              (PP_PLACEHOLDER.FOOTER, g.FOOTER),
                              (PP_PLACEHOLDER.DATE, g.BACK_LINK)))
    if any(piece.intersects(box) for piece in (number, footer, link) for box in obstacles):
        number, footer, link = _free_strip(body, obstacles) or (number, footer, link)
    link = _free_spot(link, [*obstacles, number, footer], body)
    if any(link.intersects(box) for box in obstacles) and footer.width > 2 * g.BACK_LINK.width:
        # no free place on the line: the link takes the right end of the footer's
        width = g.BACK_LINK.width
        link = g.Box(footer.right - width, footer.top, width, footer.height)
        footer = g.Box(footer.left, footer.top, footer.width - width - g.GAP, footer.height)
    return number, footer, link


def _with_backgrounds(areas: g.PageAreas, layouts: Layouts) -> g.PageAreas:
    on_content = [("title", areas.title), ("body", areas.body), ("footer", areas.footer),
                  ("slide_number", areas.slide_number), ("back_link", areas.back_link)]
    on_title = [("title_slide_title", areas.title_slide_title),
                ("title_slide_subtitle", areas.title_slide_subtitle),
                ("title_slide_byline", areas.title_slide_byline)]
    on_section = [("section_label", areas.section_label), ("section_title", areas.section_title),
                  ("section_objectives", areas.section_objectives)]
    behind = []
    for layout, named in ((layouts.content, on_content), (layouts.title, on_title),
                          (layouts.section, on_section)):
        drawn, background = list(drawn_shapes(layout, backdrops=True)), slide_background(layout)
        behind += [(name, color_behind(box, drawn, background)) for name, box in named]
    return g.PageAreas(**{**areas.__dict__, "behind": tuple((n, c) for n, c in behind if c)})


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
            designed = _own_box(layout.slide_master, kind)
            wide = sample is not None and sample.width >= SAMPLE_SHARE * (
                designed.width if designed else 0)
            if sample is not None and sample.height > 0 and (cover or wide):
                return _on_slide(sample)
        shapes: list[list[Any]] = [list(layout.placeholders),
                                   list(layout.slide_master.placeholders)]
        for placeholders in shapes:
            for placeholder in placeholders:
                if placeholder.placeholder_format.type in kinds:
                    box = _box_of(placeholder)
                    if box is not None and box.width > 0 and box.height > 0:
                        return _on_slide(box)
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


def _own_box(master: SlideMaster, kind: PP_PLACEHOLDER) -> g.Box | None:
    for placeholder in list(master.placeholders):
        if placeholder.placeholder_format.type == kind:
            return _box_of(placeholder)
    return None


def _title_slide_boxes(places: _Places, layout: SlideLayout) -> tuple[g.Box, g.Box, g.Box]:
    """Give the title slide's title, subtitle and byline boxes, clear of its shapes."""
    hero = places.box(layout, (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE), cover=True)
    below = places.box(layout, SUBTITLE_TYPES, cover=True)
    hero = _room_to_grow(hero or g.TITLE_SLIDE_TITLE)
    if below is not None and below.top < hero.bottom and below.bottom > hero.bottom + g.GAP:
        below = g.Box(below.left, hero.bottom + g.GAP, below.width, below.bottom - hero.bottom)
    if below is None or below.top < hero.top:
        below = g.Box(hero.left, hero.bottom + g.GAP, hero.width,
                      max(g.inches(1.2), g.SLIDE_HEIGHT - hero.bottom - g.inches(0.6)))
    if below.height >= g.inches(1.4):
        subtitle, byline = below.split_rows(round(below.height * 0.58), g.GAP)
    else:
        subtitle = below
        byline = g.Box(below.left, below.bottom + g.GAP, below.width,
                       min(g.inches(0.9), max(g.inches(0.5), g.SLIDE_HEIGHT - below.bottom
                                              - g.GAP - g.inches(0.1))))
    on_title = [shape.box for shape in drawn_shapes(layout)]
    subtitle, byline = (cleared if (cleared := _clear_of(box, on_title)).width >= NARROWEST
                        else box for box in (subtitle, byline))
    return hero, subtitle, byline


def _room_to_grow(hero: g.Box) -> g.Box:
    """Give the title slide's title box, taller downwards where a long title growing upwards
    (as layout.titles grows it) would leave the slide."""
    tallest = lines_height(HERO_LINES, HERO_FLOOR)
    if hero.bottom - tallest >= 0:
        return hero
    return g.Box(hero.left, hero.top, hero.width, max(hero.height, tallest))


def _section_boxes(places: _Places, layouts: Layouts,
                   body: g.Box) -> tuple[g.Box, g.Box, g.Box]:
    """Give the section slide's label, title and objectives: its own layout's places, else
    studydeck's arrangement inside the content layout's body area; clear of its shapes."""
    label, title, objectives = _section_places(places, layouts, body)
    on_section = [shape.box for shape in drawn_shapes(layouts.section)]
    return label, title, _clear_of(objectives, on_section)


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


def _box_of(shape: object) -> g.Box | None:
    left, top = getattr(shape, "left", None), getattr(shape, "top", None)
    width, height = getattr(shape, "width", None), getattr(shape, "height", None)
    if left is None or top is None or width is None or height is None:
        return None
    return g.Box(int(left), int(top), int(width), int(height))


def _on_slide(box: g.Box) -> g.Box:
    left, top = max(box.left, 0), max(box.top, 0)
    right, bottom = min(box.right, g.SLIDE_WIDTH), min(box.bottom, g.SLIDE_HEIGHT)
    return g.Box(left, top, max(right - left, 0), max(bottom - top, 0))


# --- the template's own shapes -----------------------------------------------------------------


def drawn_shapes(layout: SlideLayout, *, backdrops: bool = False) -> Iterator[Drawn]:
    """Give the master's (when the layout shows them) and the layout's shapes that are not
    placeholders, bottom first; with `backdrops`, also those as large as the slide."""
    shows_master = layout._element.get("showMasterSp", "1") not in ("0", "false")
    owners: list[SlideLayout | SlideMaster] = [*([layout.slide_master] if shows_master else []),
                                                layout]
    slide_area = g.SLIDE_WIDTH * g.SLIDE_HEIGHT
    for owner in owners:
        for shape in owner.shapes:
            box = _box_of(shape)
            if shape.is_placeholder or box is None:
                continue
            box = _thick(_on_slide(box))
            if box.width * box.height == 0:
                continue
            if backdrops or box.width * box.height < BACKDROP_SHARE * slide_area:
                yield Drawn(box, fill_color(shape._element, owner))


def _numbers_slides(layout: SlideLayout) -> bool:
    """Tell whether the master's or layout's own shapes (not placeholders) show the slide's
    number: a `slidenum` field in a text box of the design."""
    shows_master = layout._element.get("showMasterSp", "1") not in ("0", "false")
    owners: list[SlideLayout | SlideMaster] = [*([layout.slide_master] if shows_master else []),
                                                layout]
    return any(field.get("type") == "slidenum"
               for owner in owners for shape in owner.shapes if not shape.is_placeholder
               for field in shape._element.iter(qn("a:fld")))


def _thick(box: g.Box) -> g.Box:
    """Give a line's box some thickness (a horizontal or vertical line has none)."""
    if box.width < LINE_THICKNESS:
        box = g.Box(box.left - LINE_THICKNESS // 2, box.top, LINE_THICKNESS, box.height)
    if box.height < LINE_THICKNESS:
        box = g.Box(box.left, box.top - LINE_THICKNESS // 2, box.width, LINE_THICKNESS)
    return box


def _clear_of(area: g.Box, obstacles: list[g.Box]) -> g.Box:
    """Give the largest part of `area` (cut one side at a time) that no obstacle covers; an
    obstacle that would leave too little of it is left over it (its design's choice), and one
    under most of it is a panel (a card) its text sits on: the area keeps to the panel."""
    for obstacle in sorted(obstacles, key=lambda box: -_overlap(area, box)):
        if not area.intersects(obstacle):
            continue
        if _overlap(area, obstacle) >= PANEL_SHARE * area.width * area.height:
            area = _common(area, obstacle)
            continue
        cuts = [g.Box(area.left, area.top, area.width, obstacle.top - area.top),
                g.Box(area.left, obstacle.bottom, area.width, area.bottom - obstacle.bottom),
                g.Box(area.left, area.top, obstacle.left - area.left, area.height),
                g.Box(obstacle.right, area.top, area.right - obstacle.right, area.height)]
        best = max(cuts, key=lambda box: max(box.width, 0) * max(box.height, 0))
        if best.width >= area.width * SMALLEST_BODY and best.height >= area.height * SMALLEST_BODY:
            area = best
    return area


def _common(first: g.Box, second: g.Box) -> g.Box:
    left, top = max(first.left, second.left), max(first.top, second.top)
    right, bottom = min(first.right, second.right), min(first.bottom, second.bottom)
    return g.Box(left, top, right - left, bottom - top)


def _overlap(first: g.Box, second: g.Box) -> int:
    width = min(first.right, second.right) - max(first.left, second.left)
    height = min(first.bottom, second.bottom) - max(first.top, second.top)
    return max(width, 0) * max(height, 0)
