"""What the command and the server say to each other over the socket.

The command sends one request: a length, then JSON, with its stdin, stdout and stderr attached as
file descriptors. Replies are JSON lines: {"pid": N} once the forked copy runs the command, then
{"exit": CODE}. The server answers {"control": ...} requests itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from typing import Any

Message = dict[str, Any]
_LENGTH_BYTES = 4
_MAX_REQUEST = 16 * 1024 * 1024
_STANDARD_STREAMS = 3


class WireError(Exception):
    """The other end sent something that is not a request, or closed the connection early."""


def send_request(connection: socket.socket, request: Message, fds: list[int]) -> None:
    payload = json.dumps(request).encode()
    data = len(payload).to_bytes(_LENGTH_BYTES, "big") + payload
    sent = socket.send_fds(connection, [data], fds) if fds else connection.send(data)
    if sent < len(data):  # not even an empty sendall: the server may have answered and closed
        connection.sendall(data[sent:])


def receive_request(connection: socket.socket) -> tuple[Message, list[int]]:
    """Read one request and the descriptors sent with it (the caller closes them)."""
    data, fds, _flags, _address = socket.recv_fds(connection, 65536, _STANDARD_STREAMS)
    try:
        if len(data) < _LENGTH_BYTES:
            raise WireError("no request")
        length = int.from_bytes(data[:_LENGTH_BYTES], "big")
        if length > _MAX_REQUEST:
            raise WireError("request too long")
        payload = bytearray(data[_LENGTH_BYTES:])
        while len(payload) < length:
            more = connection.recv(length - len(payload))
            if not more:
                raise WireError("request cut short")
            payload += more
        request = json.loads(bytes(payload[:length]))
        if not isinstance(request, dict):
            raise WireError("request is not an object")
    except (WireError, ValueError):
        for fd in fds:
            _close_quietly(fd)
        raise
    return request, list(fds)


def send_line(connection: socket.socket, message: Message) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


class LineReader:
    """Reads the JSON lines the server and its copy send back, one message at a time."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._buffer = b""

    def next(self) -> Message | None:
        """Give the next message; None once the other end has closed the connection."""
        while b"\n" not in self._buffer:
            more = self._connection.recv(4096)
            if not more:
                return None
            self._buffer += more
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError:
            return self.next()
        return message if isinstance(message, dict) else self.next()


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
