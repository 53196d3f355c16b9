"""Text widths one build measured, kept in output/.cache/ so that the next build reuses them.

Measuring a line with the real font (shaping included) is the slowest step of writing a deck, and
a rebuild after an edit measures almost the same lines again. The widths are only reused while
the fonts, Pillow and its text layout engine are the same (`measurer_id`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studydeck.layout import text
from studydeck.source.files import read_json_object, write_atomically
from studydeck.source.folder import ProjectFolder

CACHE_FILE = Path(".cache") / "text-widths.json"


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
    stored = _read(cache, measurer)
    text.remember_widths(stored)
    yield
    if read_only:
        return
    used = text.measured_widths()
    kept = {**stored, **used} if keep_all else used
    if kept != stored:
        data = {"measurer": measurer, "widths": kept}
        write_atomically(cache, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _read(cache: Path, measurer: str) -> dict[str, float]:
    """Give the widths stored in `cache` by the same measurer; nothing if unreadable or stale."""
    data = read_json_object(cache)
    if data is None or data.get("measurer") != measurer:
        return {}
    widths = data.get("widths")
    if not isinstance(widths, dict):
        return {}
    return {key: float(value) for key, value in widths.items()
            if isinstance(key, str) and isinstance(value, int | float)}
