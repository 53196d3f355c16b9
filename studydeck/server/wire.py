"""What the command and the server say to each other over the socket.

Every message is a length and a `marshal`-ed dict (both ends run the same Python: the server is
keyed by it). The command sends one request, with its stdin, stdout and stderr attached as file
descriptors; then it hears {"pid": N} once the forked copy runs the command, and {"exit": CODE}.
The server answers {"control": ...} requests itself. Only the user's own processes can connect
(the socket's folder is theirs alone), so a message is trusted as much as the user's own files.

Imported by every `build` and `validate` before anything else: no module Python has not loaded.
"""

from __future__ import annotations

import _socket  # `socket` without its enums (3 ms of every command's start)
import marshal
import os
import sys

TYPE_CHECKING = False  # as typing's, without importing typing (2 ms)
if TYPE_CHECKING:
    from socket import socket as Socket
    from typing import Any

    Message = dict[str, Any]
_LENGTH_BYTES = 4
_MAX_MESSAGE = 16 * 1024 * 1024
_STANDARD_STREAMS = 3
_FD_BYTES = 4  # a descriptor is a C int, as SCM_RIGHTS carries it (`array` costs 1 ms to load)


class WireError(Exception):
    """The other end sent something that is not a message, or closed the connection early."""


def send(connection: Socket, message: Message, fds: list[int] | None = None) -> None:
    """Send one message (and, with the first bytes, the descriptors `fds`)."""
    payload = marshal.dumps(message)
    data = len(payload).to_bytes(_LENGTH_BYTES, "big") + payload
    packed = b"".join(fd.to_bytes(_FD_BYTES, sys.byteorder) for fd in fds or [])
    ancillary = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, packed)] if fds else []
    sent = connection.sendmsg([data], ancillary)
    if sent < len(data):  # not even an empty sendall: the server may have answered and closed
        connection.sendall(data[sent:])


def receive(connection: Socket) -> tuple[Message | None, list[int]]:
    """Read one message and the descriptors sent with it; (None, []) once the other end closed.

    The caller closes the descriptors.
    """
    data, ancillary, _flags, _address = connection.recvmsg(
        65536, _socket.CMSG_SPACE(_STANDARD_STREAMS * _FD_BYTES))
    fds = _descriptors(ancillary)
    if not data:
        return None, fds
    message = Replies(connection, data).next()
    if message is None:
        for fd in fds:
            os.close(fd)
        raise WireError("not a message")
    return message, fds


class Replies:
    """Reads messages from a connection one at a time (after `data` already read from it)."""

    def __init__(self, connection: Socket, data: bytes = b"") -> None:
        self._connection = connection
        self._buffer = data

    def next(self) -> Message | None:
        """Give the next message; None once the other end has closed, or sent no message."""
        while True:
            if len(self._buffer) >= _LENGTH_BYTES:
                length = int.from_bytes(self._buffer[:_LENGTH_BYTES], "big")
                end = _LENGTH_BYTES + length
                if length > _MAX_MESSAGE:
                    return None
                if len(self._buffer) >= end:
                    payload, self._buffer = self._buffer[_LENGTH_BYTES:end], self._buffer[end:]
                    return _decoded(payload)
            more = self._connection.recv(65536)
            if not more:
                return None
            self._buffer += more


def _decoded(payload: bytes) -> Message | None:
    try:
        message = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return message if isinstance(message, dict) else None


def _descriptors(ancillary: list[tuple[int, int, bytes]]) -> list[int]:
    return [int.from_bytes(data[start:start + _FD_BYTES], sys.byteorder)
            for level, kind, data in ancillary
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS
            for start in range(0, len(data) - _FD_BYTES + 1, _FD_BYTES)]
