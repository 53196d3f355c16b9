"""Work handed to a forked copy of this process, on the second core, while this one goes on.

A big build is slow where it works one chapter after another on one core: measuring text with
the real fonts (planning the outline) and adding shapes with python-pptx (writing slides). The
build (studydeck/build.py) hands the later chapters of such work to a `Helper`: a forked copy,
which already holds everything loaded so far, does the work and hands back plain data (or leaves
it in the build's caches), which this process then uses as if it had made it: the result is byte
for byte what one process makes. The stages themselves know nothing of it.

Only where fork is safe and cheap (Linux, the main thread, a core to spare). Whatever the helper
could not do (it failed, was killed, or made something unusable) is done here as usual, so a
failure is reported by this process, once, as without the helper.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

MIN_SLIDES = 24  # fewer slides than this: forking costs more than it saves
JOBS_VARIABLE = "STUDYDECK_JOBS"

Result = dict[str, Any]  # plain data (what `marshal` keeps)


class Helper:
    """A forked copy of this process doing some work; `result` waits for what it gives."""

    def __init__(self, pid: int, reader: int) -> None:
        self._pid = pid
        self._reader = reader
        self._result: Result | None = None

    @classmethod
    def start(cls, work: Callable[[], Result]) -> Helper | None:
        """Run `work` in a forked copy of this process; None where forking is not done."""
        return cls._forked(work) if can_fork() else None

    @classmethod
    def _forked(cls, work: Callable[[], Result]) -> Helper:
        reader, writer = os.pipe()
        with warnings.catch_warnings():  # Python 3.12 warns of fork in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            os.close(reader)
            _run_child(work, writer)
        os.close(writer)
        return cls(pid, reader)

    def result(self) -> Result:
        """Give what the helper gave (waiting for it to finish); empty if it failed."""
        if self._result is None:
            self._result = self._collect()
        return self._result

    def stop(self) -> None:
        """End the helper if it still runs (the build failed or was interrupted)."""
        if self._result is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._result = {}
            os.close(self._reader)
            self._wait()

    def _collect(self) -> Result:
        with os.fdopen(self._reader, "rb") as pipe:  # closes the pipe's end when read
            data = pipe.read()
        if self._wait() != 0 or not data:
            return {}
        try:
            found = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return {}
        return found if isinstance(found, dict) else {}

    def _wait(self) -> int:
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def can_fork() -> bool:
    """Tell whether a helper may be forked here: Linux, the main thread, a core to spare, and
    not STUDYDECK_JOBS=1 (one process, for a machine shared with other work)."""
    return (sys.platform == "linux" and hasattr(os, "fork")
            and os.environ.get(JOBS_VARIABLE, "").strip() != "1"
            and threading.current_thread() is threading.main_thread() and _idle_core())


def _idle_core() -> bool:
    """Tell whether another core is free: on a busy machine a helper only slows both down."""
    cores = len(os.sched_getaffinity(0))
    return cores >= 2 and os.getloadavg()[0] < cores - 0.5


def split_for_helper(sizes: Sequence[int], share: float = 0.5) -> int:
    """Give the index from which the helper takes the chapters (given their slide counts in
    deck order): the later chapters, about `share` of the slides; len(sizes) for none."""
    total = sum(sizes)
    if total < MIN_SLIDES or len(sizes) < 2:
        return len(sizes)
    best, best_gap, taken = len(sizes), float(total), 0
    for index in range(len(sizes) - 1, 0, -1):  # this process keeps one chapter at least
        taken += sizes[index]
        gap = abs(total * share - taken)
        if gap < best_gap:
            best, best_gap = index, gap
    return best


def _run_child(work: Callable[[], Result], writer: int) -> None:
    """Do the work and send its result; never return into the parent's code."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it; Ctrl-C is its
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        data = marshal.dumps(work())
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 — the parent does whatever the helper could not
        pass
    finally:
        os._exit(code)
