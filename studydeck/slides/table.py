"""Table slides: a header row and rows of cells, continued on more slides when too long."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from studydeck.layout.colors import mix
from studydeck.layout.fit import column_shares, split_table, table_layout
from studydeck.layout.planned import PlannedSlide
from studydeck.schema.models import Cell, SlideBase, Text, scalar_to_text
from studydeck.slides import drawing
from studydeck.slides.continuation import continued
from studydeck.slides.registry import Planned, SlidePlanning, SlideType, register

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult
    from studydeck.pptx.style import DeckStyle


class TableSlide(SlideBase):
    type: Literal["table"]
    columns: list[Text] = Field(min_length=1, max_length=8)
    rows: list[list[Text]] = Field(min_length=1)
    widths: list[Annotated[float, Field(gt=0)]] | None = Field(
        default=None, description="relative column widths, one per column (e.g. [1, 3, 1]); "
                                  "sized to the content when missing")

    @field_validator("columns", mode="before", json_schema_input_type=list[Cell])
    @classmethod
    def _columns_as_text(cls, value: Any) -> Any:
        return [scalar_to_text(v) for v in value] if isinstance(value, list) else value

    @field_validator("rows", mode="before", json_schema_input_type=list[list[Cell]])
    @classmethod
    def _cells_as_text(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [[scalar_to_text(c) for c in r] if isinstance(r, list) else r for r in value]

    @field_validator("rows")
    @classmethod
    def _rows_match_columns(cls, rows: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        columns = info.data.get("columns")
        for number, row in enumerate(rows, start=1):
            if columns is not None and len(row) != len(columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells but there are {len(columns)} columns"
                )
        return rows

    @field_validator("widths")
    @classmethod
    def _one_width_per_column(cls, widths: list[float] | None,
                              info: ValidationInfo) -> list[float] | None:
        columns = info.data.get("columns")
        if widths is not None and columns is not None and len(widths) != len(columns):
            raise ValueError(f"{len(widths)} widths for {len(columns)} columns: give one width "
                             "per column")
        return widths


def text_size(body: float, floor: float) -> float:
    """Give the size a table's text starts from: a little under the body text's."""
    return max(body - 2, floor)


def plan_table(planning: SlidePlanning, first: PlannedSlide) -> Planned:
    """Give the table, its rows continued on more slides (each with the header) when needed."""
    slide = first.slide
    assert isinstance(slide, TableSlide)
    size = text_size(planning.sizes.body, planning.sizes.floor)
    shares = slide.widths or column_shares(slide.columns, slide.rows, planning.body, size)
    tables = split_table(slide.columns, slide.rows, planning.body, size, planning.sizes.floor,
                         shares)
    # every page keeps the whole table's columns
    copies = [slide.model_copy(update={"rows": rows, "widths": list(shares)})
              for rows in tables or []]
    return continued(planning, first, copies, "a table row")


def write_table(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the table at its measured size, the header row in the primary colour."""
    content = planned.slide
    assert isinstance(content, TableSlide)
    style = ctx.style
    layout = table_layout(content.columns, content.rows, planned.body,
                          text_size(style.body_size, style.body_floor), style.body_floor,
                          content.widths, overflowing=True)  # a row too tall was warned of
    cells = [
        [drawing.TextBlock([drawing.plain(text, bold=r == 0, color=color, tint=r > 0)],
                           layout.size, layout.size, drawing.ANCHOR_MIDDLE,
                           background=_row_fill(style, r))
         for text in row]
        for r, row in enumerate([content.columns, *content.rows])
        for color in [style.colors.background if r == 0 else style.colors.text]
    ]
    drawing.add_table(page, planned.body, layout.column_widths, layout.row_heights, cells, style,
                      layout.size)
    return drawing.SlideResult()


def _row_fill(style: DeckStyle, row: int) -> str:
    """Give a table row's fill: the header in the primary colour, then light bands of it."""
    if row == 0:
        return style.colors.primary
    return mix(style.colors.primary, style.colors.background, 0.85 if row % 2 else 0.93)


TABLE = register(SlideType(name="table", model=TableSlide, write=write_table, order=4,
                           item_names={"rows": "row", "columns": "column", "cells": "cell"},
                           nested_item_names={"rows": "cells"}, plan=plan_table))
