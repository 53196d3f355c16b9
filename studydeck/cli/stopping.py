"""Commands stop when asked: on Ctrl-C (SIGINT) and SIGTERM, even if SIGINT came in ignored.

A shell starts a background job (`make test &`, some CI runners) with SIGINT ignored, and Python
keeps an inherited "ignore": without this, nothing but SIGKILL would stop `studydeck watch`.
SIGTERM raises KeyboardInterrupt too, so `watch` says "stopped watching" and exits 0, and an
interrupted build or export cleans up (temporary files, LibreOffice) on the way out.
"""

from __future__ import annotations

import signal
from types import FrameType


def stop_when_asked() -> None:
    """Make SIGINT and SIGTERM raise KeyboardInterrupt in this (the main) thread."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
