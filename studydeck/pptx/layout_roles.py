"""A template's layouts by role (title, section, content, two-content, blank), in any language.

A layout's role is read from its placeholders: a centred title or a title with a subtitle makes
a title slide; a title and one body (or content) placeholder a content slide; two bodies a
two-content slide; none a blank one. The template's own sample slides say which of its layouts
(and so which master, when a template has several) its designers use for what; the layout's
`type` and its name (PowerPoint's English and Korean) only break ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout

from studydeck.layout.geometry import EMU_PER_INCH

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FOOT_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER,
              PP_PLACEHOLDER.HEADER)
ROLE_NAMES = {  # PowerPoint's names in English and Korean: a tie-break, never the rule
    "title": ("title slide", "제목 슬라이드"),
    "section": ("section header", "구역 머리글"),
    "content": ("title and content", "title, content", "제목 및 내용"),
    "two_content": ("two content", "title, 2 content", "콘텐츠 2개"),
    "blank": ("blank", "blank slide", "빈 화면"),
}
ROLE_TYPES = {"title": "title", "section": "secHead", "content": "obj", "two_content": "twoObj",
              "blank": "blank"}
ROLES = tuple(ROLE_NAMES)


@dataclass(frozen=True)
class Layouts:
    """The template's layouts studydeck writes on, one per role."""

    title: SlideLayout
    content: SlideLayout
    section: SlideLayout
    two_content: SlideLayout
    blank: SlideLayout

    def for_kind(self, kind: str) -> SlideLayout:
        """Give the layout a slide of this kind ('title', 'section', 'bullets' …) is put on."""
        if kind in ("title", "section"):
            return self.title if kind == "title" else self.section
        return self.content

    def described(self) -> list[tuple[str, str]]:
        """Give (role, 'layout name (master n)') for each role, for `doctor` and `--verbose`."""
        parts = [getattr(self, role).slide_master.part for role in ROLES]
        numbers = {id(part): number for number, part in
                   enumerate({id(part): part for part in parts}.values(), start=1)}
        return [(role, f"{getattr(self, role).name!r}"
                 + (f" (master {numbers[id(part)]})" if len(numbers) > 1 else ""))
                for role, part in zip(ROLES, parts, strict=True)]


@dataclass(frozen=True)
class _Shape:
    """What a layout holds that tells its role: its placeholder kinds, type and name."""

    layout: SlideLayout
    kinds: tuple[PP_PLACEHOLDER, ...]  # without date, footer, slide number and header
    vertical: bool
    room: int  # the area of its body placeholders, in square inches: the most room wins

    @property
    def titles(self) -> int:
        return sum(kind in TITLE_TYPES for kind in self.kinds)

    @property
    def bodies(self) -> int:
        return sum(kind in BODY_TYPES for kind in self.kinds)

    @property
    def others(self) -> int:
        return len(self.kinds) - self.titles - self.bodies


def pick_layouts(prs: PresentationType, shown: Sequence[SlideLayout] = (),
                 room: Callable[[SlideLayout], int] | None = None) -> Layouts:
    """Give the layout for each role; `shown`: the layouts of the template's own sample slides,
    `room`: the room a layout leaves for body content (square inches; by default its body
    placeholders' area)."""
    shapes = [_shape_of(layout, room)
              for master in prs.slide_masters for layout in master.slide_layouts]
    first_master = shown[0].slide_master.part if shown else None
    content_masters = {layout.slide_master.part for layout in shown[1:]}
    title = _best(shapes, _is_title, shown[:1], {first_master} - {None}, "title")
    content = _best(shapes, _is_content, shown[1:], content_masters, "content")
    near_content = {content.slide_master.part}
    return Layouts(
        title=title,
        content=content,
        section=_best(shapes, _is_section, shown, near_content, "section", fallback=content),
        two_content=_best(shapes, _is_two_content, shown, near_content, "two_content",
                          fallback=content),
        blank=_best(shapes, _is_blank, shown, near_content, "blank", fallback=content),
    )


def _shape_of(layout: SlideLayout, room_of: Callable[[SlideLayout], int] | None) -> _Shape:
    kinds, vertical, room = [], False, 0
    for placeholder in list(layout.placeholders):
        kind = placeholder.placeholder_format.type
        if kind in FOOT_TYPES:
            continue
        kinds.append(kind)
        if kind in BODY_TYPES:
            room += round((placeholder.width or 0) * (placeholder.height or 0)
                          / EMU_PER_INCH ** 2)
        ph = placeholder._element.ph
        vertical = vertical or (ph is not None and ph.get("orient") == "vert")
    if room_of is not None and room:
        room = room_of(layout)
    return _Shape(layout, tuple(kinds), vertical, room)


def _is_title(shape: _Shape) -> bool:
    return (PP_PLACEHOLDER.CENTER_TITLE in shape.kinds
            or (shape.titles == 1 and PP_PLACEHOLDER.SUBTITLE in shape.kinds))


def _is_content(shape: _Shape) -> bool:
    return shape.titles == 1 and shape.bodies == 1 and not shape.others and not shape.vertical


def _is_section(shape: _Shape) -> bool:
    return _is_content(shape) and _layout_type(shape.layout) == ROLE_TYPES["section"]


def _is_two_content(shape: _Shape) -> bool:
    return shape.titles == 1 and shape.bodies == 2 and not shape.others and not shape.vertical


def _is_blank(shape: _Shape) -> bool:
    return not shape.kinds


def _best(shapes: list[_Shape], fits: Callable[[_Shape], bool], shown: Sequence[SlideLayout],
          masters: set[Any], role: str, fallback: SlideLayout | None = None) -> SlideLayout:
    """Give the layout that fits the role best: one the sample slides use, on their master, of
    the role's type, of the role's name, with the fewest other placeholders, first in order."""
    shown_parts = {layout.part for layout in shown}
    candidates = [shape for shape in shapes if fits(shape)]
    if not candidates:
        if fallback is not None:
            return fallback
        candidates = [shape for shape in shapes if shape.titles] or shapes

    def rank(item: tuple[int, _Shape]) -> tuple[bool, bool, bool, bool, int, int, int]:
        order, shape = item
        return (shape.layout.part not in shown_parts,
                shape.layout.slide_master.part not in masters,
                _layout_type(shape.layout) != ROLE_TYPES[role],
                _normal(shape.layout.name) not in ROLE_NAMES[role],
                -shape.room, shape.others + len(shape.kinds), order)

    return min(enumerate(candidates), key=rank)[1].layout


def _layout_type(layout: SlideLayout) -> str:
    return str(layout._element.get("type") or "")


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()
