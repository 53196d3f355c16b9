"""What fits where: a frame's text size, bullets split over slides, table rows and quiz boxes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar, overload

from studydeck.layout.geometry import (
    BULLET_INDENT,
    CELL_INSET_X,
    CELL_INSET_Y,
    EMU_PER_POINT,
    FRAME_INSET,
    GAP,
    SLIDE_HEIGHT,
    Box,
    inches,
)
from studydeck.layout.heights import fit_size, text_height
from studydeck.layout.text import Paragraph, text_width_em
from studydeck.schema.models import Bullet, BulletLine, flatten_bullets

# Readable from the back of a study room (docs/format.md, "Text sizes"): body text shrinks to
# BODY_FLOOR (theme.font.min_size may raise it) and then continues on another slide.
BODY_FLOOR = 20
LOWEST_BODY_FLOOR = 16  # what theme.font.min_size may lower it to
# What cannot continue on another slide (the agenda, a section's objectives) shrinks below the
# floor to this, with a warning, rather than fail the build.
BODY_HARD_MIN = LOWEST_BODY_FLOOR
TITLE_FLOOR = 28  # a slide title shrinks to this, then wraps to three lines (layout.titles)
CAPTION_FLOOR = 14  # captions and small labels (chapter label, byline, answer mark)
LINK_SIZE = 12  # the back-to-agenda link in the bottom margin
SUB_BULLET_SCALE = 0.85
T = TypeVar("T")


def frame_size(paragraphs: Sequence[Paragraph], box: Box, largest: float,
               smallest: float) -> float | None:
    """Give the largest size the paragraphs fit at inside `box` and its insets, or None."""
    measured = [replace(p, indent=p.indent + 2 * FRAME_INSET) for p in paragraphs]
    return fit_size(measured, box.width, box.height - 2 * FRAME_INSET, largest, smallest)


def bullet_indent(level: int | None) -> int:
    """Give the left indent of a paragraph at bullet `level` (None: no bullet)."""
    return 0 if level is None else BULLET_INDENT * (level + 1)


def bullet_measures(lines: Sequence[BulletLine], floor: float = BODY_FLOOR) -> list[Paragraph]:
    """Give bullet lines as the paragraphs the writer writes: sub-bullets smaller, to the floor."""
    return [
        Paragraph(
            text=line.text,
            scale=1.0 if line.level == 0 else SUB_BULLET_SCALE,
            indent=bullet_indent(line.level),
            space_before=(0.35 if line.level == 0 else 0.1) if index else 0.0,
            min_size=floor,
        )
        for index, line in enumerate(lines)
    ]


# --- bullets over several slides -----------------------------------------------------------


def bullet_groups(bullets: Sequence[Bullet]) -> list[list[Bullet]]:
    """Give the top-level bullets, each with the sub-bullets that follow it."""
    groups: list[list[Bullet]] = []
    for item in bullets:
        if isinstance(item, list) and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def split_bullets(bullets: Sequence[Bullet], box: Box, largest: float,
                  smallest: float) -> list[list[Bullet]] | None:
    """Give the bullets of each slide: one slide when they fit, else as few as fit.

    Slides break between top-level bullets; a bullet that is too long with its sub-bullets
    breaks between its lines. None when a single line does not fit even at `smallest`.
    """
    def fits_at(size: float) -> Callable[[list[Bullet]], bool]:
        return lambda page: frame_size(
            bullet_measures(flatten_bullets(page), smallest), box, size, size) is not None

    units: list[list[Bullet]] = []
    for group in bullet_groups(bullets):
        units.extend([group] if fits_at(smallest)(group) else _line_units(group))
    if not all(fits_at(smallest)(unit) for unit in units):
        return None
    return balanced_pages(units, largest, smallest, fits_at)


def _line_units(group: list[Bullet]) -> list[list[Bullet]]:
    """Give a bullet group one line at a time (sub-bullets stay sub-bullets)."""
    return [[line.text] if line.level == 0 else [[line.text]]
            for line in flatten_bullets(group)]


def balanced_pages(units: list[list[T]], largest: float, smallest: float,
                   fits_at: Callable[[float], Callable[[list[T]], bool]]) -> list[list[T]]:
    """Give as few pages as fit at `smallest`, spread so that their text is as large as it can
    be, and a page after another not left with one unit (bullet, row) where it can take more."""
    fewest = _pack(units, fits_at(smallest))
    size = largest
    while size > smallest:
        fits = fits_at(size)
        pages = _pack(units, fits)
        if len(pages) <= len(fewest):
            return _flat(_evened(pages, fits))
        size -= 1
    return _flat(_evened(fewest, fits_at(smallest)))


def _pack(units: list[list[T]], fits: Callable[[list[T]], bool]) -> list[list[list[T]]]:
    """Fill pages in order, each with as many units as fit."""
    pages: list[list[list[T]]] = []
    current: list[list[T]] = []
    for unit in units:
        if current and not fits([*_joined(current), *unit]):
            pages.append(current)
            current = []
        current = [*current, unit]
    return [*pages, current] if current else pages


def _evened(pages: list[list[list[T]]], fits: Callable[[list[T]], bool]
            ) -> list[list[list[T]]]:
    """Give the units of `pages` over as many pages, each holding its share of what is left
    (within one of the others where they fit), else `pages` as they are: filled in order, the
    last page of a continued slide had held the one bullet left over."""
    units = [unit for page in pages for unit in page]
    evened: list[list[list[T]]] = []
    taken = 0
    for left in range(len(pages), 0, -1):
        share = -(-(len(units) - taken) // left)  # rounded up
        page: list[list[T]] = []
        while (taken < len(units) and len(page) < share
               and (not page or fits(_joined([*page, units[taken]])))):
            page.append(units[taken])
            taken += 1
        evened.append(page)
    return evened if taken == len(units) and all(evened) else pages


def _joined(page: list[list[T]]) -> list[T]:
    return [item for unit in page for item in unit]


def _flat(pages: list[list[list[T]]]) -> list[list[T]]:
    return [_joined(page) for page in pages]


# --- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLayout:
    """A table's text size, column widths and row heights (the header row first)."""

    size: float
    column_widths: tuple[int, ...]
    row_heights: tuple[int, ...]

    @property
    def height(self) -> int:
        return sum(self.row_heights)


def column_shares(columns: Sequence[str], rows: Sequence[Sequence[str]], box: Box,
                  size: float) -> tuple[float, ...]:
    """Give each column's share of the table's width, sized to its content.

    Each column first gets room for its longest word (so no word breaks), then the rest of the
    width goes to the columns whose text is longer than that, in proportion to what they lack.
    """
    table = [columns, *rows]
    em = size * EMU_PER_POINT
    room = (box.width - 2 * CELL_INSET_X * len(columns)) / em
    natural = [max(text_width_em(line, bold=n == 0) for n, row in enumerate(table)
                   for line in row[c].split("\n")) + 0.2 for c in range(len(columns))]
    words = [max(text_width_em(word, bold=n == 0) for n, row in enumerate(table)
                 for word in row[c].split() or [""]) + 0.2 for c in range(len(columns))]
    if sum(natural) <= room:
        given = [width * room / sum(natural) for width in natural]
    else:
        given = [min(w, n) * min(1.0, room / sum(words)) for w, n in zip(words, natural,
                                                                        strict=True)]
        lacking = [n - g for n, g in zip(natural, given, strict=True)]
        spare = room - sum(given)
        given = [g + spare * lack / sum(lacking) for g, lack in zip(given, lacking, strict=True)]
    return tuple(width / sum(given) for width in given)


def column_widths(shares: Sequence[float], width: int) -> tuple[int, ...]:
    """Give the columns' widths in EMU: each its cell insets and its share of the text's room.

    `shares` are relative numbers, any scale.
    """
    total = sum(shares)
    room = width - 2 * CELL_INSET_X * len(shares)
    widths = [2 * CELL_INSET_X + round(room * share / total) for share in shares]
    widths[-1] = width - sum(widths[:-1])
    return tuple(widths)


@overload
def table_layout(columns: Sequence[str], rows: Sequence[Sequence[str]], box: Box,
                 largest: float, smallest: float, shares: Sequence[float] | None = None, *,
                 overflowing: Literal[True]) -> TableLayout: ...
@overload
def table_layout(columns: Sequence[str], rows: Sequence[Sequence[str]], box: Box,
                 largest: float, smallest: float, shares: Sequence[float] | None = None, *,
                 overflowing: bool = False) -> TableLayout | None: ...
def table_layout(columns: Sequence[str], rows: Sequence[Sequence[str]], box: Box,
                 largest: float, smallest: float, shares: Sequence[float] | None = None, *,
                 overflowing: bool = False) -> TableLayout | None:
    """Give the largest-text layout of the table that fits in `box`, or None below `smallest`
    (`overflowing`: the layout at `smallest`, running below the box)."""
    widths = column_widths(shares or [1.0] * len(columns), box.width)
    size = largest
    while size >= smallest:
        needs = _row_needs([columns, *rows], widths, size)
        if sum(needs) <= box.height:
            return TableLayout(size, widths, _spread(needs, box.height))
        size -= 1
    if overflowing:
        return TableLayout(smallest, widths, tuple(_row_needs([columns, *rows], widths,
                                                              smallest)))
    return None


def _row_needs(rows: Sequence[Sequence[str]], widths: Sequence[int], size: float) -> list[int]:
    return [
        max(text_height([Paragraph(text, bold=number == 0)], size, width - 2 * CELL_INSET_X)
            for text, width in zip(row, widths, strict=True))
        + 2 * CELL_INSET_Y
        for number, row in enumerate(rows)
    ]


def _spread(needs: list[int], height: int) -> tuple[int, ...]:
    """Give rows at least an even share of a comfortable height, when there is room for it."""
    even = min(inches(0.8), height // len(needs))
    spread = [max(need, even) for need in needs]
    return tuple(spread if sum(spread) <= height else needs)


def split_table(columns: Sequence[str], rows: Sequence[Sequence[str]], box: Box,
                largest: float, smallest: float,
                shares: Sequence[float] | None = None) -> list[list[list[str]]] | None:
    """Give the rows of each slide (each slide repeats the header); None if a row never fits."""
    def fits_at(size: float) -> Callable[[list[list[str]]], bool]:
        return lambda page: table_layout(columns, page, box, size, size, shares) is not None

    units = [[list(row)] for row in rows]
    if not all(fits_at(smallest)(unit) for unit in units):
        return None
    return balanced_pages(units, largest, smallest, fits_at)


# --- quiz ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizLayout:
    """Where a quiz's question, choices and explanation go, and their text size."""

    size: float
    question: Box
    choices: tuple[Box, ...]
    explain: Box | None


QUIZ_MARK_WIDTH = inches(2.0)
QUIZ_CHOICE_MIN = inches(0.65)


@overload
def quiz_layout(question: Paragraph, choices: Sequence[Paragraph], explain: Paragraph | None,
                box: Box, largest: float, smallest: float, *,
                overflowing: Literal[True]) -> QuizLayout: ...
@overload
def quiz_layout(question: Paragraph, choices: Sequence[Paragraph], explain: Paragraph | None,
                box: Box, largest: float, smallest: float, *,
                overflowing: bool = False) -> QuizLayout | None: ...
def quiz_layout(question: Paragraph, choices: Sequence[Paragraph], explain: Paragraph | None,
                box: Box, largest: float, smallest: float, *,
                overflowing: bool = False) -> QuizLayout | None:
    """Give the quiz's boxes stacked in `box` at the largest size that fits, or None
    (`overflowing`: as quiz_below_floor gives it, else at BODY_HARD_MIN running below the box)."""
    size = largest
    while size >= smallest:
        found = _quiz_at(question, choices, explain, box, size)
        if found is not None:
            return found
        size -= 1
    if overflowing:
        return (quiz_below_floor(question, choices, explain, box, smallest)
                or _quiz_at(question, choices, explain, replace(box, height=10 * SLIDE_HEIGHT),
                            min(smallest, BODY_HARD_MIN), tight=True))
    return None


def quiz_below_floor(question: Paragraph, choices: Sequence[Paragraph],
                     explain: Paragraph | None, box: Box, floor: float) -> QuizLayout | None:
    """Give the quiz that does not fit at its floor inside `box` all the same (a quiz cannot
    continue on another slide): its boxes only as high as their text, then its text shrunk to
    BODY_HARD_MIN; None when even that runs below the box."""
    size = floor
    while size >= min(floor, BODY_HARD_MIN):
        found = _quiz_at(question, choices, explain, box, size, tight=True)
        if found is not None:
            return found
        size -= 1
    return None


def _quiz_at(question: Paragraph, choices: Sequence[Paragraph], explain: Paragraph | None,
             box: Box, size: float, tight: bool = False) -> QuizLayout | None:
    choice_width = box.width - QUIZ_MARK_WIDTH - 2 * GAP

    def need(paragraph: Paragraph, width: int) -> int:
        return text_height([paragraph], size, width - 2 * FRAME_INSET) + 2 * FRAME_INSET

    question_height = max(need(question, box.width), 0 if tight else inches(0.8))
    heights = [max(need(choice, choice_width), 0 if tight else QUIZ_CHOICE_MIN)
               for choice in choices]
    explain_height = need(explain, box.width) if explain else 0
    used = question_height + sum(h + GAP for h in heights) + (explain_height + GAP) * bool(explain)
    if used > box.height:
        return None
    top = box.top + question_height + GAP
    boxes = []
    for height in heights:
        boxes.append(Box(box.left, top, choice_width, height))
        top += height + GAP
    explain_box = Box(box.left, top, box.width, explain_height) if explain else None
    return QuizLayout(size, Box(box.left, box.top, box.width, question_height), tuple(boxes),
                      explain_box)
