"""Commands stop when asked: Ctrl-C (SIGINT) always, SIGTERM too where a command waits forever.

A shell starts a background job (`make test &`, some CI runners) with SIGINT ignored, and Python
keeps an inherited "ignore": without this, nothing but SIGKILL would stop `studydeck watch`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def stop_on_interrupt() -> None:
    """Make SIGINT raise KeyboardInterrupt again, even if the parent process ignored it."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the command as Ctrl-C does (it raises KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop_on_interrupt()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
