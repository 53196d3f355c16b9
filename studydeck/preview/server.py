"""The preview's web server: the files of output/preview/ and a stream of rebuild events.

Only files inside the preview folder are served, and only to requests addressed to this machine
by name (localhost, 127.0.0.1): a page elsewhere cannot reach the server through a DNS name that
it points at 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")
KEEP_ALIVE = 15.0  # seconds between comments that keep an idle event stream open
_CLOSED = "closed"
PICTURES = "slides"  # the preview's pictures, each named by its key (preview/site.py)
KEPT = "max-age=31536000, immutable"


class Broadcaster:
    """Hands events published from any thread to every open event stream."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.streams: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]] = set()
        self.problems: list[str] = []
        self.closed = False

    def publish(self, event: str, data: dict[str, Any]) -> None:
        """Send `event` with `data` (JSON) to every open stream; problems are kept for new ones."""
        if event == "problems":
            self.problems = list(data["problems"])
        elif event == "deck":
            self.problems = []
        self._send(f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n")

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        self.closed = True
        self._send(_CLOSED)

    def _send(self, message: str) -> None:
        with self.lock:
            streams = list(self.streams)
        for loop, queue in streams:
            loop.call_soon_threadsafe(queue.put_nowait, message)

    async def stream(self) -> AsyncIterator[str]:
        """Give the events as they come, starting with the current problems if any."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        entry = (asyncio.get_running_loop(), queue)
        with self.lock:
            self.streams.add(entry)
        try:
            yield "retry: 1000\n\n"
            if self.problems:
                yield f"event: problems\ndata: {json.dumps({'problems': self.problems})}\n\n"
            while not self.closed:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if message == _CLOSED:
                    return
                yield message
        finally:
            with self.lock:
                self.streams.discard(entry)


def preview_app(folder: Path, events: Broadcaster, host: str = "127.0.0.1") -> Starlette:
    """Give the web app serving `folder` and `events` to requests whose Host is this machine."""
    root = folder.resolve()

    async def event_stream(request: Request) -> Response:
        return StreamingResponse(events.stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def file(request: Request) -> Response:
        found = served_file(root, request.path_params["path"])
        if found is None:
            return PlainTextResponse("not found", status_code=404)
        if isinstance(found, str):
            return PlainTextResponse(found, status_code=403)
        return FileResponse(found, headers={"Cache-Control": _caching(request.path_params["path"])})

    allowed = [*LOCAL_NAMES, *([host] if host not in ("0.0.0.0", "::", "") else [])]
    return Starlette(routes=[Route("/events", event_stream), Route("/{path:path}", file)],
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed)])


def _caching(requested: str) -> str:
    """Give how long a browser may keep a file: a picture named by its key never changes."""
    return KEPT if unquote(requested).startswith(f"{PICTURES}/") else "no-store"


def served_file(root: Path, requested: str) -> Path | str | None:
    """Give the file under `root` that `requested` names, a reason to refuse it, or None."""
    text = unquote(requested)
    if "\\" in text or "\x00" in text:
        return "refused: not a plain path"
    path = PurePosixPath(text or "index.html")
    if path.is_absolute() or ".." in path.parts:
        return "refused: only files of the preview folder are served"
    target = (root / path).resolve()
    if not target.is_relative_to(root):
        return "refused: only files of the preview folder are served"
    return target if target.is_file() else None
