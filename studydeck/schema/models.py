"""The deck's schema: what deck.yaml, chapters/*.yaml and diagrams/*.yaml may hold."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
HEX_COLOR = r"^#?[0-9A-Fa-f]{6}$"


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def scalar_to_text(value: Any) -> Any:
    """Let a plain number or boolean stand where text is expected (`- 80` in a table)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, Field(max_length=5000),
                 AfterValidator(lambda text: text.rstrip("\n"))]  # a `|` block's last newline
Cell = Text | int | float | bool  # what a table cell or choice may be written as
Bullet = Text | list[Text] | dict[Text, list[Text]]


class BulletLine(BaseModel):
    """One paragraph of a bullet list: its text and indent level (0 or 1)."""

    model_config = ConfigDict(frozen=True)
    text: str
    level: int = 0


def flatten_bullets(bullets: list[Bullet]) -> list[BulletLine]:
    """Give the bullet list as paragraphs: a nested list or `item: [subs]` gives sub-bullets."""
    lines: list[BulletLine] = []
    for item in bullets:
        if isinstance(item, str):
            lines.append(BulletLine(text=item))
        elif isinstance(item, list):
            lines.extend(BulletLine(text=sub, level=1) for sub in item)
        else:
            for head, subs in item.items():
                lines.append(BulletLine(text=head))
                lines.extend(BulletLine(text=sub, level=1) for sub in subs)
    return lines


# --- deck.yaml ----------------------------------------------------------------------------


class FontTheme(Strict):
    latin: str = "Malgun Gothic"
    east_asian: str = "Malgun Gothic"
    size: int = Field(default=24, ge=12, le=60, description="body text size in points")
    title_size: int = Field(default=36, ge=16, le=80)
    min_size: int = Field(default=20, ge=16, le=40,
                          description="smallest size body text shrinks to before it continues "
                                      "on another slide (20 pt unless raised)")


class ColorTheme(Strict):
    primary: str = Field(default="1F4E79", pattern=HEX_COLOR)
    accent: str = Field(default="B85A1E", pattern=HEX_COLOR)  # 4.6:1 on white, as text
    text: str = Field(default="1F2937", pattern=HEX_COLOR)
    muted: str = Field(default="6B7280", pattern=HEX_COLOR)
    background: str = Field(default="FFFFFF", pattern=HEX_COLOR)

    @field_validator("*")
    @classmethod
    def _strip_hash(cls, value: str) -> str:
        return value.lstrip("#").upper()


class Theme(Strict):
    font: FontTheme = FontTheme()
    colors: ColorTheme = ColorTheme()
    slide_numbers: bool = Field(default=True, description="a slide number on every slide but "
                                "the title slide")
    footer: Text = Field(default="", max_length=200,
                         description="one line of text at the foot of every slide but the title")
    template: Annotated[str, Field(min_length=1, max_length=500)] | None = Field(
        default=None,
        description="a .pptx (or .potx) whose master, layouts, fonts and colours the deck uses",
    )


Render = Literal["native", "picture"]


class Session(Strict):
    minutes: int = Field(gt=0, le=24 * 60, description="planned length of the session")
    start: str | None = Field(default=None, pattern=r"^\d{1,2}:\d{2}$")

    @field_validator("start")
    @classmethod
    def _is_clock_time(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                clock_time(value)
            except ValueError:
                raise ValueError(
                    f"'{value}' is not a time of day (HH:MM, 00:00 to 23:59)"
                ) from None
        return value


class Deck(Strict):
    title: Text
    subtitle: Text = ""
    author: Text = ""
    date: Text | None = None
    language: Literal["ko", "en"] = "ko"
    theme: Theme = Theme()
    reveal: bool = Field(default=False, description="deck-wide default for bullets on click")
    session: Session | None = None
    render: Render = Field(
        default="picture",
        description="how diagrams are drawn: native (editable shapes) or picture (a PNG);"
        " a diagram file's own `render` wins",
    )
    chapters: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)

    @field_validator("date", mode="before", json_schema_input_type=str | None)
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        # YAML reads 2026-11-24 as a date; a list or a mapping stays wrong
        return str(value) if isinstance(value, dt.date | int | float) else value


# --- chapters/*.yaml ----------------------------------------------------------------------


class BulletList(Strict):
    """A list of bullets, read as paragraphs through `lines`."""

    bullets: list[Bullet] = Field(min_length=1)

    @property
    def lines(self) -> list[BulletLine]:
        return flatten_bullets(self.bullets)


class SlideBase(Strict):
    """What every chapter slide has; each slide type in slides/ adds its `type` and the rest."""

    title: Text
    notes: Text = ""
    minutes: float | None = Field(default=None, gt=0, le=600)


class ChapterBase(Strict):
    """A chapter file's own keys; slides/ adds `slides`, a list of the slide types it holds."""

    id: Annotated[str, Field(pattern=SLUG, max_length=60)]
    title: Text
    minutes: float = Field(gt=0, le=600)
    objectives: list[Text] = Field(default_factory=list)


# --- diagrams/*.yaml ----------------------------------------------------------------------


Share = Annotated[float, Field(ge=0, le=1)]


class DiagramNode(Strict):
    icon: Annotated[str, Field(min_length=3)]
    label: Text = ""
    # where a native drawing puts the node's centre: shares of the drawing's width and height
    # from its top-left corner (diagrams/pins.py; `pull` writes it for a node moved in the deck)
    pin: Annotated[list[Share], Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="[x, y]: the node's centre as shares (0 to 1) of the native "
        "drawing's width and height, from its top-left corner; edges are routed around it")


class Group(Strict):
    label: Text
    nodes: list[str] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)


class Edge(Strict):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    label: Text = ""
    style: Literal["solid", "dashed"] = "solid"
    id: str | None = None

    @property
    def key(self) -> str:
        """Give the name steps use for this edge: its `id`, else `from->to`."""
        return self.id or f"{self.source}->{self.target}"


class Step(Strict):
    edges: list[str] = Field(default_factory=list)
    nodes: list[str] = Field(default_factory=list)
    caption: Text


class DiagramSpec(Strict):
    title: Text = ""
    direction: Literal["LR", "TB"] = "LR"
    nodes: dict[Annotated[str, Field(pattern=SLUG)], DiagramNode] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    # Node ids drawn at one level (LR: a column, TB: a row), so a long chain can fold back.
    ranks: list[Annotated[list[str], Field(min_length=2)]] = Field(default_factory=list)
    render: Render | None = Field(default=None, description="overrides deck.yaml's `render`")

    def edge_keys(self) -> list[str]:
        return [edge.key for edge in self.edges]


def clock_time(text: str) -> dt.time:
    """Give the time of day written as `HH:MM`; raises ValueError for anything else."""
    hours, minutes = (int(part) for part in text.split(":"))
    return dt.time(hours, minutes)


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG, text) is not None


class DiagramFile(BaseModel):
    """A validated diagram file: its name (file stem), where it is, and its spec."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    name: str
    path: Path
    spec: DiagramSpec
