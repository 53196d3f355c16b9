"""Text widths and line counts one build measured, kept in output/.cache/ for the next build.

Measuring a line with the real font (shaping included) is the slowest step of writing a deck, and
a rebuild after an edit measures almost the same lines again. The widths are only reused while
the fonts, Pillow and its text layout engine are the same (`measurer_id`), and only when this
user's studydeck wrote them (the file is sealed, source/sealed.py): widths from a project's own
output/ could make a caption that fits look as if it did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from studydeck.layout import text
from studydeck.layout.runs import line_rules_id
from studydeck.source.folder import ProjectFolder
from studydeck.source.sealed import read_sealed_json, write_sealed_json

CACHE_FILE = Path(".cache") / "text-widths.json"
KIND = "text-widths"
T = TypeVar("T", int, float)


@contextmanager
def remembered_widths(paths: ProjectFolder, *, keep_all: bool = False,
                      read_only: bool = False) -> Iterator[None]:
    """Reuse the widths the last build measured; after a successful build, keep this one's.

    A whole-deck build keeps only the widths it used (edited-away lines are dropped); a partial
    build (`keep_all`) adds its widths to those kept, so the next whole build still finds them.
    A check that writes nothing (`validate`) only reads them (`read_only`).
    """
    cache = paths.output_dir / CACHE_FILE
    measurer = text.measurer_id()
    counter = f"{measurer}|{line_rules_id()}"
    data = read_sealed_json(cache, KIND)
    stored = _read(data, "measurer", measurer, "widths", float)
    stored_lines = _read(data, "line_counter", counter, "lines", int)
    text.remember_widths(stored)
    text.remember_line_counts(stored_lines)
    yield
    if read_only:
        return
    used, used_lines = text.measured_widths(), text.used_line_counts()
    kept = {**stored, **used} if keep_all else used
    kept_lines = {**stored_lines, **used_lines} if keep_all else used_lines
    if (kept, kept_lines) != (stored, stored_lines):
        write_sealed_json(cache, KIND, {"measurer": measurer, "widths": kept,
                                        "line_counter": counter, "lines": kept_lines})


def _read(data: Any, made_by: str, maker: str, field: str, kind: type[T]) -> dict[str, T]:
    """Give `data[field]` (str -> number) if `data[made_by]` is `maker`; else nothing."""
    if not isinstance(data, dict) or data.get(made_by) != maker:
        return {}
    found = data.get(field)
    if not isinstance(found, dict):
        return {}
    return {key: kind(value) for key, value in found.items()
            if isinstance(key, str) and isinstance(value, int | float)
            and not isinstance(value, bool)}
