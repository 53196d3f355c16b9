"""Time from saving a one-slide text edit to the open `studydeck preview` page showing it: its
new text, and its new picture loaded."""

from __future__ import annotations

import re
import signal
import statistics
import sys
import time
from pathlib import Path

from measure import REPO, CommandFailed, studydeck

sys.path.insert(0, str(REPO / "tests"))
from browser import browser_page  # noqa: E402
from live_process import LiveProcess  # noqa: E402  (ends the preview whatever happens)

PATIENCE = 180
URL = re.compile(r"preview at (http://\S+)")
EDITED_TITLE = re.compile(r"^    title: (웹을 늘리면 DB가 막힌다)(?: · 편집 \d+)?$", re.MULTILINE)


def visible_seconds(project: Path, chapter: Path, runs: int) -> float:
    """Give the median seconds from a save of `chapter` to its new text and picture shown in the
    browser."""
    command = [str(part) for part in studydeck("preview", "--port", "0", "--project", project)]
    with LiveProcess(command) as preview, browser_page() as page:
        found = URL.search(preview.line_with("preview at", patience=PATIENCE))
        assert found is not None
        page.goto(found.group(1))
        seconds = []
        for run in range(runs):
            marker = f"편집 {run + 1}"
            page.evaluate(f"location.hash = '#{_slide_of(page)}'")
            before = page.get_attribute("#shown", "src")
            saved = time.perf_counter()
            edit_slide_title(chapter, marker)
            page.wait_for_function(  # the new text, and a new picture drawn on the page
                f"document.getElementById('shown-text').textContent.includes('{marker}') && "
                f"(shown => shown.complete && shown.naturalWidth > 0 && "
                f"shown.getAttribute('src') !== {before!r})(document.getElementById('shown'))",
                timeout=PATIENCE * 1000, polling=20)
            seconds.append(time.perf_counter() - saved)
        if preview.stop(signal.SIGINT) != 0:
            raise CommandFailed(f"the preview did not stop cleanly on SIGINT:\n{preview.output}")
    return statistics.median(seconds)


def _slide_of(page: object) -> int:
    """Give the number of the slide titled as the edited one (its title text changes each run)."""
    found: int = page.evaluate(  # type: ignore[attr-defined]
        "Array.from(document.querySelectorAll('#slides > section')).find(s => "
        "s.querySelector('h2').textContent.includes('웹을 늘리면')).dataset.number")
    return int(found)


def edit_slide_title(chapter: Path, marker: str) -> None:
    """Add `marker` to the title of one slide of the sample's database chapter."""
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(EDITED_TITLE.sub(rf"    title: \1 · {marker}", text, count=1),
                       encoding="utf-8")
