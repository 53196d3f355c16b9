"""Time from saving a chapter to `studydeck watch` reporting the rebuilt deck."""

from __future__ import annotations

import signal
import statistics
import sys
import time
from pathlib import Path

from measure import REPO, edit_chapter, studydeck

sys.path.insert(0, str(REPO / "tests"))
from live_process import LiveProcess  # noqa: E402  (ends the watcher whatever happens)

PATIENCE = 120


def rebuild_seconds(project: Path, chapter: Path, runs: int) -> float:
    """Give the median seconds from a save of `chapter` to the watcher's "built" line."""
    with LiveProcess([str(part) for part in studydeck("watch", "--project", project)]) as watcher:
        _next_build(watcher)
        seconds = []
        for run in range(runs):
            saved = time.perf_counter()
            edit_chapter(chapter, 100 + run)
            _next_build(watcher)
            seconds.append(time.perf_counter() - saved)
        if watcher.stop(signal.SIGINT) != 0:
            raise SystemExit(f"the watcher did not stop cleanly on SIGINT:\n{watcher.output}")
    return statistics.median(seconds)


def _next_build(watcher: LiveProcess) -> None:
    line = watcher.line_with(" built ", "build failed", patience=PATIENCE)
    if "build failed" in line:
        raise SystemExit(f"the watcher could not build: {line}\n{watcher.output}")
