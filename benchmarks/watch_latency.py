"""Time from saving a chapter to `studydeck watch` reporting the rebuilt deck.

The watcher is stopped with Ctrl-C (SIGINT), as a user stops it. A benchmark started from a
background job inherits "ignore SIGINT", and so would the watcher: it gets the default handler
back before it starts, and if it still has not stopped after STOP_PATIENCE seconds, its whole
process group is killed. Waiting for a rebuild is bounded by PATIENCE.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

from measure import CommandFailed, edit_chapter, kill_group, studydeck

PATIENCE = 120.0  # seconds to wait for the watcher's next line
STOP_PATIENCE = 10.0  # seconds the watcher may take to stop after Ctrl-C


def rebuild_seconds(project: Path, chapter: Path, runs: int) -> float:
    """Give the median seconds from a save of `chapter` to the watcher's "built" line."""
    lines: queue.Queue[str] = queue.Queue()
    command = [str(part) for part in studydeck("watch", "--project", project)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          start_new_session=True, preexec_fn=_default_ctrl_c) as process:
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
            _stop(process)
    return statistics.median(seconds)


def _default_ctrl_c() -> None:
    """Runs in the watcher's process before it starts: Ctrl-C stops it, even if ignored here."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_PATIENCE)
    kill_group(process)  # the watcher if it did not stop, and anything it left running


def _next_build(lines: queue.Queue[str]) -> None:
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise CommandFailed(f"watch printed no rebuild within {PATIENCE:.0f} s") from None
        if " built " in line:
            return
        if "build failed" in line:
            raise CommandFailed(f"the watcher could not build: {line}")
