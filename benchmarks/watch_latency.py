"""Time from saving a chapter to `studydeck watch` reporting the rebuilt deck."""

from __future__ import annotations

import queue
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

from measure import edit_chapter, studydeck

PATIENCE = 120


def rebuild_seconds(project: Path, chapter: Path, runs: int) -> float:
    """Give the median seconds from a save of `chapter` to the watcher's "built" line."""
    lines: queue.Queue[str] = queue.Queue()
    command = [str(part) for part in studydeck("watch", "--project", project)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []],
                         daemon=True).start()
        try:
            _next_build(lines)
            seconds = []
            for run in range(runs):
                saved = time.perf_counter()
                edit_chapter(chapter, 100 + run)
                _next_build(lines)
                seconds.append(time.perf_counter() - saved)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=PATIENCE)
    return statistics.median(seconds)


def _next_build(lines: queue.Queue[str]) -> None:
    while True:
        line = lines.get(timeout=PATIENCE)
        if " built " in line:
            return
        if "build failed" in line:
            raise SystemExit(f"the watcher could not build: {line}")
