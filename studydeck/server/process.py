"""The server itself: loads studydeck once, then forks a copy for each command that connects.

Started in the background by a command (see client.py) as `python -c ... SYS_PATH_JSON BASE`
(BASE.sock, BASE.lock, BASE.log), in its own session, with no terminal. One loop, no threads: it
waits on the listening socket and on each running copy's connection, whose end-of-file means the
command's process is gone (closed terminal, killed): its copy is then stopped too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from studydeck.server.address import Address, idle_seconds, package_digest
from studydeck.server.preload import preload
from studydeck.server.served import run_request
from studydeck.server.wire import WireError, receive, send

if TYPE_CHECKING:
    from studydeck.server.wire import Message

REQUEST_SECONDS = 5.0  # a connected command sends its request at once
# A copy ends just after sending its exit code, which lets its command close the connection: it
# is stopped only if it still runs a while after that (SIGTERM), and killed if it outlives that.
ORPHAN_SECONDS = 0.5
GRACE_SECONDS = 5.0
TICK_SECONDS = 1.0
# How often an idle server looks whether studydeck's files changed (an upgrade, an edit): commands
# then go to a server of the new code, and this one exits instead of waiting out its idle time.
CODE_CHECK_SECONDS = 5.0


@dataclass
class Running:
    """A forked copy running one command, and the connection to that command's process."""

    connection: socket.socket
    command_gone_at: float | None = None
    terminated: bool = False


@dataclass
class Server:
    """The listening socket, what the server has done, and the copies running now (by pid)."""

    address: Address
    listener: socket.socket
    socket_inode: int
    code: str = ""  # studydeck's files when it started (package_digest)
    code_checked: float = field(default_factory=time.monotonic)
    started: float = field(default_factory=time.time)
    served: int = 0
    last_used: float = field(default_factory=time.monotonic)
    running: dict[int, Running] = field(default_factory=dict)
    leaving: bool = False


def main(argv: list[str]) -> int:
    """Serve at the address given on the command line until idle, stopped or replaced."""
    address = Address(argv[0])
    with open(address.lock, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another server for this code is starting or running
        code = package_digest()
        preload()
        server = _listen(address, code)
        try:
            _serve(server)
        finally:
            _remove_socket(server)
    return 0


def _listen(address: Address, code: str) -> Server:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(address.socket)  # left by a server that died: we hold the lock
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(address.socket)
    finally:
        os.umask(old_umask)
    listener.listen(64)
    return Server(address, listener, os.stat(address.socket).st_ino, code)


def _serve(server: Server) -> None:
    signal.signal(signal.SIGTERM, lambda *_: _leave(server))
    signal.signal(signal.SIGINT, lambda *_: _leave(server))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    limit = idle_seconds()
    while not server.leaving:
        watched = [server.listener, *(run.connection for run in server.running.values()
                                      if run.command_gone_at is None)]
        orphans = len(watched) <= len(server.running)
        ready, _, _ = select.select(watched, [], [], ORPHAN_SECONDS / 5 if orphans
                                    else TICK_SECONDS)
        _reap(server)
        for connection in ready:
            if connection is server.listener:
                _accept(server)
            else:
                _check_command_alive(server, connection)
        _stop_orphans(server)
        if server.running:
            server.last_used = time.monotonic()
        elif (time.monotonic() - server.last_used > limit or _replaced(server)
              or _code_changed(server)):
            break


def _leave(server: Server) -> None:
    server.leaving = True


def _accept(server: Server) -> None:
    try:
        connection, _ = server.listener.accept()
    except OSError:
        return
    connection.settimeout(REQUEST_SECONDS)
    try:
        request, fds = receive(connection)
    except (OSError, WireError):
        request, fds = None, []
    if request is None:
        for fd in fds:
            os.close(fd)
        connection.close()
        return
    if "control" in request:
        _answer_control(server, connection, request)  # not a use: `status` keeps nothing alive
        connection.close()
        return
    server.last_used = time.monotonic()
    _fork_command(server, connection, request, fds)


def _fork_command(server: Server, connection: socket.socket, request: Message,
                  fds: list[int]) -> None:
    pid = os.fork()
    if pid == 0:
        server.listener.close()
        for run in server.running.values():
            run.connection.close()
        connection.settimeout(None)
        os.setpgid(0, 0)  # its own group: stopping it stops what it forked
        try:
            run_request(connection, request, fds)
        finally:
            os._exit(1)  # never back into this loop (run_request exits; this is for the odd signal)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    for fd in fds:
        os.close(fd)
    server.served += 1
    server.running[pid] = Running(connection)


def _answer_control(server: Server, connection: socket.socket, request: Message) -> None:
    with contextlib.suppress(OSError):
        send(connection, {"pid": os.getpid(), "started": server.started,
                          "served": server.served, "running": len(server.running)})
    if request["control"] == "stop":
        server.leaving = True


def _check_command_alive(server: Server, connection: socket.socket) -> None:
    """The command's process sends nothing after its request: readable means it has gone."""
    try:
        if connection.recv(1, socket.MSG_DONTWAIT):
            return
    except BlockingIOError:
        return
    except OSError:
        pass
    for run in server.running.values():
        if run.connection is connection:
            run.command_gone_at = time.monotonic()


def _stop_orphans(server: Server) -> None:
    """Stop copies whose command's process has gone (closed terminal, killed) and that run on."""
    now = time.monotonic()
    for pid, run in server.running.items():
        if run.command_gone_at is None or now - run.command_gone_at < ORPHAN_SECONDS:
            continue
        late = now - run.command_gone_at > ORPHAN_SECONDS + GRACE_SECONDS
        if late or not run.terminated:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL if late else signal.SIGTERM)
            run.terminated = True


def _reap(server: Server) -> None:
    """Collect copies that ended; tell the command of one that died without saying its code."""
    while server.running:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        run = server.running.pop(pid, None)
        if run is None:
            continue
        with contextlib.suppress(OSError):  # the copy's own {"exit"} came first if it sent one
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
            send(run.connection, {"exit": code})
        run.connection.close()


def _replaced(server: Server) -> bool:
    """Say whether our socket file was removed or taken over: nobody can reach us any more."""
    try:
        return os.stat(server.address.socket).st_ino != server.socket_inode
    except OSError:
        return True


def _code_changed(server: Server) -> bool:
    """Say (every few seconds) whether studydeck's files differ from those the server loaded."""
    now = time.monotonic()
    if now - server.code_checked < CODE_CHECK_SECONDS:
        return False
    server.code_checked = now
    return package_digest() != server.code


def _remove_socket(server: Server) -> None:
    if not _replaced(server):  # first, so that nobody connects to a socket nobody will answer
        with contextlib.suppress(OSError):
            os.unlink(server.address.socket)
    server.listener.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
