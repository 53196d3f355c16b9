"""What an export is asked for: the kind, its options, and how it shows its progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module: keep it light
    from studydeck.build import Progress as BuildProgress


class ExportKind(StrEnum):
    """What `export` writes."""

    pdf = "pdf"
    png = "png"
    sheet = "sheet"
    handout = "handout"
    html = "html"


@dataclass(frozen=True)
class ExportOptions:
    chapter: str | None = None
    dpi: float = 96
    columns: int = 6
    thumb_width: int = 320
    timeout: float = 300
    clicks: bool = False  # one page per click state instead of one per slide
    workers: int = 0  # LibreOffice workers for the renders; 0: one per core


@dataclass
class ExportProgress:
    """Callbacks the command line uses to show a long export: a step, then a bar of things."""

    step: Callable[[str], None] = lambda name: None
    count: Callable[[int, str], None] = lambda total, what: None
    advance: Callable[[str], None] = lambda description: None

    def for_build(self) -> BuildProgress:
        from studydeck.build import Progress as BuildProgress  # keeps `--help` fast (see above)

        return BuildProgress(step=self.step,
                             diagrams_to_check=lambda total: self.count(total, "diagrams"),
                             diagram_rendered=lambda name: self.advance(f"drew {name}"))
