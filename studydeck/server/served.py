"""The server's forked copy: becomes the command's process and runs the command as it would.

It takes over the command's terminal (its stdin, stdout, stderr), working folder, environment,
umask and arguments, runs `studydeck` the usual way and sends back the exit code.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import locale
import os
import signal
import socket
import sys
import time
import traceback
from typing import TYPE_CHECKING, Any, NoReturn

from studydeck.server.wire import send

if TYPE_CHECKING:
    from studydeck.server.wire import Message

_STREAM_NAMES = ("stdin", "stdout", "stderr")


def run_request(connection: socket.socket, request: Message, fds: list[int]) -> NoReturn:
    """Run the command `request` names in this (forked) process, report its exit code, exit."""
    code = 1
    try:
        _take_over(request, fds)
        send(connection, {"pid": os.getpid()})
        code = _run_command()
    except BaseException:  # noqa: BLE001 - whatever happens, the command hears of an exit code
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        _end_quietly_on_signals()
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()  # what interpreter exit would run in the command's process
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            send(connection, {"exit": code})
        os._exit(code)  # never back into the server's loop


def _take_over(request: Message, fds: list[int]) -> None:
    """Become the command's process: its folder, environment, arguments, then its terminal.

    What can fail (its folder deleted meanwhile) comes first: the server's log hears of it, and the
    command, told no pid, runs on its own.
    """
    _restore_signals()
    os.chdir(request["cwd"])
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # the command's TZ, as its own process would have read at start
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    sys.argv = list(request["argv"])
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    _reopen_standard_streams(request["streams"])


def _restore_signals() -> None:
    """Handle signals as a fresh `studydeck` process does (the server handles some its own way)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)


def _end_quietly_on_signals() -> None:
    """From here on a stop signal ends this copy at once (the command set them to raise)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def _reopen_standard_streams(streams: dict[str, Any]) -> None:
    """Give sys.stdin/stdout/stderr over the command's descriptors, encoded as it had them."""
    for fd, name in enumerate(_STREAM_NAMES):
        given = streams.get(name) or {}
        interactive = os.isatty(fd)
        raw = open(fd, "rb" if fd == 0 else "wb", closefd=False)  # noqa: SIM115 - kept open
        stream = io.TextIOWrapper(raw, encoding=given.get("encoding") or "utf-8",
                                  errors=given.get("errors") or "strict",
                                  line_buffering=interactive or name == "stderr")
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _run_command() -> int:
    from studydeck.__main__ import INTERRUPTED, run_here
    from studydeck.server.preload import refresh

    try:
        refresh()
        run_here()
    except SystemExit as leaving:
        return _exit_code(leaving.code)
    except KeyboardInterrupt:
        return INTERRUPTED
    return 0


def _exit_code(code: object) -> int:
    """Give the exit status Python gives for SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
