"""A command's side: hand `build` or `validate` to the server, or say it has to run here.

Imported by every `build` and `validate` before anything else: it loads only what Python has
loaded anyway or loads in microseconds (`_socket` and `_signal`, not `socket` and `signal` and
their enums; no typing, json, contextlib, array), so that handing a command over costs next to
nothing.
"""

from __future__ import annotations

import _socket
import fcntl
import os
import sys
import time

from studydeck.server.address import Address, address
from studydeck.server.wire import Replies, send

TYPE_CHECKING = False  # as typing's, without importing typing
if TYPE_CHECKING:
    import signal
else:
    import _signal as signal  # `signal` without its enums (5 ms of every command's start)
if TYPE_CHECKING:
    from collections.abc import Callable
    from socket import socket as Socket
    from types import FrameType
    from typing import TypeVar

    from studydeck.server.wire import Message

    Handler = Callable[[int, FrameType | None], object] | int | None
    T = TypeVar("T")

LOG_LIMIT = 1 << 20  # a server's log (its own errors) is emptied past this many bytes
POLL_SECONDS = 0.05
START_SECONDS = 5.0  # the server forks a copy for the command at once; longer means it is stuck
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
# Let go of whatever descriptors the command's caller left open (a pipe a test or `make` waits on)
# and of the folder, run on the command's import path. The first line names it in `ps` and `top`.
_BOOT = ("# studydeck build server (studydeck server status|stop)\n"
         "import json, os, sys; os.closerange(3, 1 << 16); os.chdir('/'); "
         "sys.path[:] = json.loads(sys.argv[1]); "
         "from studydeck.server.process import main; sys.exit(main(sys.argv[2:]))")


class Outcome:
    """What happened when a command looked for a server."""

    __slots__ = ("exit_code", "start_at")

    def __init__(self, exit_code: int | None = None, start_at: Address | None = None) -> None:
        self.exit_code = exit_code  # the server ran the command, which ended with this code
        self.start_at = start_at  # nobody answered: run the command here, then start a server


def run_in_server(argv: list[str]) -> Outcome:
    """Run the command `argv` names (one the server runs, where it is wanted: __main__ says) in
    the server for this code, if one is running."""
    where = address()
    if where is None:
        return Outcome()
    connection = connect(where)
    if connection is None:
        return Outcome(start_at=None if starting(where) else where)
    try:
        return Outcome(_run(connection, argv))
    finally:
        connection.close()


def connect(where: Address) -> Socket | None:
    """Connect to the server at `where`; None if none listens there."""
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    connection.settimeout(START_SECONDS)
    try:
        connection.connect(where.socket)
    except OSError:
        connection.close()
        return None
    return connection  # type: ignore[return-value]  # _socket's socket: what wire.py uses of it


def starting(where: Address) -> bool:
    """Say whether a server holds the lock at `where`: it is loading, or running."""
    try:
        lock = os.open(where.lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(lock)  # also lets go of a lock we just took
    return False


def until(attempt: Callable[[], T | None], seconds: float,
          keep_trying: Callable[[], bool] = lambda: True) -> T | None:
    """Give what `attempt` gives once it gives something, trying while `keep_trying` says so,
    for at most `seconds`; None if it never did."""
    deadline = time.monotonic() + seconds
    while (found := attempt()) is None and keep_trying() and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    return found


def wait_until_gone(where: Address, seconds: float) -> None:
    """Wait (at most `seconds`) until the server at `where` has exited: it lets go of its lock."""
    until(lambda: None if starting(where) else True, seconds)


def start_server(where: Address) -> int:
    """Start a server for this code in the background, in its own session; give its pid."""
    import json

    log = os.open(where.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    if os.fstat(log).st_size > LOG_LIMIT:
        os.ftruncate(log, 0)
    command = [sys.executable, *_interpreter_options(), "-c", _BOOT, json.dumps(sys.path),
               where.base]
    try:
        return os.posix_spawn(
            sys.executable, command, dict(os.environ),
            file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                          (os.POSIX_SPAWN_DUP2, log, 1), (os.POSIX_SPAWN_DUP2, log, 2)],
            setsid=True)
    except NotImplementedError:  # a posix_spawn without a new session (older macOS)
        import subprocess

        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True).pid
    finally:
        os.close(log)


def _interpreter_options() -> list[str]:
    """Give the options this Python was started with that change how code runs (-I, -X utf8)."""
    flags = sys.flags
    options = ["-I"] if flags.isolated else [
        option for option, on in (("-E", flags.ignore_environment), ("-s", flags.no_user_site))
        if on]
    options += ["-B"] * bool(flags.dont_write_bytecode) + ["-O"] * flags.optimize
    for key, value in sys._xoptions.items():
        if key != "importtime":  # a timing of the command's own imports, not the server's
            options += ["-X", key if value is True else f"{key}={value}"]
    return options


def ask(where: Address, control: str) -> Message | None:
    """Ask the server at `where` for its state ("status") or to stop ("stop")."""
    connection = connect(where)
    if connection is None:
        return None
    try:
        send(connection, {"control": control})
        return Replies(connection).next()
    except OSError:
        return None
    finally:
        connection.close()


def _run(connection: Socket, argv: list[str]) -> int | None:
    """Run the command in a copy of the server; None if it never started (then run it here)."""
    replies = Replies(connection)
    fds, stand_ins = _standard_fds()
    try:
        send(connection, _request(argv), fds)
        started = replies.next()
    except OSError:  # the folder was deleted under us, the server went away: run it here
        return None
    finally:
        for fd in stand_ins:
            os.close(fd)
    if not started or "pid" not in started:
        return None
    connection.settimeout(None)
    before = _forward_signals(int(started["pid"]))
    try:
        return _exit_code(replies)
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _exit_code(replies: Replies) -> int:
    while True:
        try:
            reply = replies.next()
        except OSError:
            reply = None
        if reply is None:
            print("studydeck: the build server stopped before the command ended",
                  file=sys.stderr)
            return 1
        if "exit" in reply:
            return int(reply["exit"])


def _request(argv: list[str]) -> Message:
    umask = os.umask(0o022)
    os.umask(umask)
    streams = {name: {"encoding": getattr(stream, "encoding", None),
                      "errors": getattr(stream, "errors", None)}
               for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout),
                                    ("stderr", sys.stderr))}
    return {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask,
            "streams": streams}


def _standard_fds() -> tuple[list[int], list[int]]:
    """Give descriptors 0, 1 and 2, and the /dev/null stand-ins opened for any that is closed."""
    fds: list[int] = []
    stand_ins: list[int] = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            stand_ins.append(os.open(os.devnull, os.O_RDWR))
            fds.append(stand_ins[-1])
    return fds, stand_ins


def _forward_signals(pid: int) -> dict[int, Handler]:
    """Pass Ctrl-C and the like on to the command's copy; stop and go on with it (Ctrl-Z, fg).

    Gives the handlers replaced, to put back.
    """

    def forward(number: int, _frame: FrameType | None) -> None:
        try:  # noqa: SIM105 - contextlib is not loaded by then; this runs in every command
            os.killpg(pid, number)
        except (ProcessLookupError, PermissionError):
            pass

    def suspend(_number: int, _frame: FrameType | None) -> None:
        forward(signal.SIGSTOP, None)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT

    def resume(_number: int, _frame: FrameType | None) -> None:
        forward(signal.SIGCONT, None)
        signal.signal(signal.SIGTSTP, suspend)

    handlers: dict[int, Callable[[int, FrameType | None], None]] = {
        number: forward for number in FORWARDED_SIGNALS}
    handlers |= {signal.SIGTSTP: suspend, signal.SIGCONT: resume}
    return {number: signal.signal(number, handler) for number, handler in handlers.items()}
