"""Boxes on a 16:9 slide, in EMU, and the fixed regions every slide type uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

EMU_PER_INCH = 914_400
EMU_PER_POINT = 12_700

SLIDE_WIDTH = 12_192_000  # 13.333 in: PowerPoint's own 16:9 size
SLIDE_HEIGHT = 6_858_000  # 7.5 in


def inches(value: float) -> int:
    return round(value * EMU_PER_INCH)


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide: left, top, width and height in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def intersects(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.top >= other.top
            and self.right <= other.right
            and self.bottom <= other.bottom
        )

    def split_columns(self, fraction: float, gap: int) -> tuple[Box, Box]:
        """Give the left and right parts: the left one takes `fraction` of the width."""
        left_width = round((self.width - gap) * fraction)
        left = Box(self.left, self.top, left_width, self.height)
        right = Box(left.right + gap, self.top, self.width - left_width - gap, self.height)
        return left, right

    def split_rows(self, top_height: int, gap: int) -> tuple[Box, Box]:
        """Give the top part of `top_height` and the rest below it."""
        top = Box(self.left, self.top, self.width, top_height)
        bottom = Box(self.left, top.bottom + gap, self.width, self.height - top_height - gap)
        return top, bottom

    def fit(self, width: int, height: int) -> Box:
        """Give the largest box of the given aspect ratio centred inside this one."""
        scale = min(self.width / width, self.height / height)
        fitted_width, fitted_height = round(width * scale), round(height * scale)
        return Box(
            self.left + (self.width - fitted_width) // 2,
            self.top + (self.height - fitted_height) // 2,
            fitted_width,
            fitted_height,
        )


SLIDE = Box(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT)
MARGIN = inches(0.6)
TITLE = Box(MARGIN, inches(0.25), SLIDE_WIDTH - 2 * MARGIN, inches(1.2))  # two lines at 28 pt
BODY = Box(MARGIN, inches(1.5), SLIDE_WIDTH - 2 * MARGIN, inches(5.35))
BACK_LINK = Box(SLIDE_WIDTH - inches(1.45), SLIDE_HEIGHT - inches(0.5), inches(1.25), inches(0.4))
SLIDE_NUMBER = Box(MARGIN, SLIDE_HEIGHT - inches(0.5), inches(0.7), inches(0.4))
FOOTER = Box(SLIDE_NUMBER.right + inches(0.1), SLIDE_NUMBER.top,
             BACK_LINK.left - inches(0.2) - SLIDE_NUMBER.right - inches(0.1), inches(0.4))
TITLE_SLIDE_TITLE = Box(MARGIN, inches(1.7), BODY.width, inches(2.1))
TITLE_SLIDE_SUBTITLE = Box(MARGIN, inches(3.85), BODY.width, inches(1.2))
TITLE_SLIDE_BYLINE = Box(MARGIN, inches(5.45), BODY.width, inches(0.9))
SECTION_LABEL = Box(MARGIN, inches(0.9), BODY.width, inches(0.6))
SECTION_TITLE = Box(MARGIN, inches(1.5), BODY.width, inches(1.7))
SECTION_OBJECTIVES = Box(MARGIN, inches(3.45), BODY.width, BODY.bottom - inches(3.45))

FRAME_INSET = inches(0.08)  # every text frame's inner margin, on each side
BULLET_INDENT = inches(0.35)  # what one bullet level takes: the mark and the gap after it
CELL_INSET_X = inches(0.08)  # a table cell's inner margin left and right
CELL_INSET_Y = inches(0.05)  # … and top and bottom
GAP = inches(0.1)
AGENDA_HANG = inches(0.8)  # room for an agenda entry's number ("01" in bold) and a gap


def caption_split(has_caption: bool, body: Box | None = None) -> tuple[Box, Box | None]:
    """Give the body area (BODY unless given) left for a picture and the caption box below it."""
    body = body or BODY
    if not has_caption:
        return body, None
    return body.split_rows(body.height - inches(0.6), inches(0.05))


def step_split(area: Box) -> tuple[Box, Box]:
    """Give a diagram step's picture area and the column of step captions beside it."""
    return area.split_columns(0.7, inches(0.3))


def picture_beside_bullets(area: Box) -> tuple[Box, Box]:
    """Give the picture's part of `area` (the larger, left) and the bullets' part beside it."""
    return area.split_columns(0.6, inches(0.35))


def two_column_boxes(body: Box | None = None) -> list[tuple[Box, Box]]:
    """Give each column's heading panel and bullet box (in BODY unless given)."""
    return [column.split_rows(inches(0.9), GAP)  # a heading of two lines at 20 pt
            for column in (body or BODY).split_columns(0.5, inches(0.5))]


# --- the areas of a template's layouts -------------------------------------------------------


@dataclass(frozen=True)
class PageAreas:
    """Where each part of a slide goes, and the colour behind each text area ('' unknown).

    studydeck's own grid above by default; a template's placeholders when the deck has one.
    """

    title: Box = TITLE
    body: Box = BODY
    slide_number: Box = SLIDE_NUMBER
    footer: Box = FOOTER
    back_link: Box = BACK_LINK
    title_slide_title: Box = TITLE_SLIDE_TITLE
    title_slide_subtitle: Box = TITLE_SLIDE_SUBTITLE
    title_slide_byline: Box = TITLE_SLIDE_BYLINE
    section_label: Box = SECTION_LABEL
    section_title: Box = SECTION_TITLE
    section_objectives: Box = SECTION_OBJECTIVES
    behind: tuple[tuple[str, str], ...] = ()  # (area name, RRGGBB drawn behind it)
    # (area name, darkest, lightest) where no text colour reads at 4.5:1 on all that is behind
    uneven: tuple[tuple[str, str, str], ...] = ()
    # the title slide's areas set on a card (no text colour reads on what the template draws
    # behind them); their colour behind is the card's
    backed: tuple[str, ...] = ()
    numbers_slides: bool = False  # the template's own shapes show the slide number already
    title_grows: bool = True  # a long title may grow down into the body (not on a band)
    # a long title that cannot grow (a rule under it, not a band) takes the top of the body
    title_tops_body: bool = False

    def background_of(self, name: str) -> str:
        """Give the colour behind the named area ('title', 'footer' …), '' when it is the deck's."""
        return dict(self.behind).get(name, "")


DEFAULT_AREAS = PageAreas()
AREAS = DEFAULT_AREAS  # the areas in use: a template's inside `using_areas`


@contextmanager
def using_areas(areas: PageAreas) -> Iterator[None]:
    """Lay slides out in `areas` inside the block (the module's boxes name them meanwhile)."""
    global AREAS, TITLE, BODY, SLIDE_NUMBER, FOOTER, BACK_LINK, TITLE_SLIDE_TITLE  # noqa: PLW0603
    global TITLE_SLIDE_SUBTITLE, TITLE_SLIDE_BYLINE, SECTION_LABEL, SECTION_TITLE  # noqa: PLW0603
    global SECTION_OBJECTIVES  # noqa: PLW0603
    before = AREAS
    try:
        AREAS = areas
        (TITLE, BODY, SLIDE_NUMBER, FOOTER, BACK_LINK, TITLE_SLIDE_TITLE, TITLE_SLIDE_SUBTITLE,
         TITLE_SLIDE_BYLINE, SECTION_LABEL, SECTION_TITLE, SECTION_OBJECTIVES) = _boxes(areas)
        yield
    finally:
        AREAS = before
        (TITLE, BODY, SLIDE_NUMBER, FOOTER, BACK_LINK, TITLE_SLIDE_TITLE, TITLE_SLIDE_SUBTITLE,
         TITLE_SLIDE_BYLINE, SECTION_LABEL, SECTION_TITLE, SECTION_OBJECTIVES) = _boxes(before)


def _boxes(areas: PageAreas) -> tuple[Box, ...]:
    return (areas.title, areas.body, areas.slide_number, areas.footer, areas.back_link,
            areas.title_slide_title, areas.title_slide_subtitle, areas.title_slide_byline,
            areas.section_label, areas.section_title, areas.section_objectives)
