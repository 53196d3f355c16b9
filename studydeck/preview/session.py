"""`studydeck preview`: build, serve the viewer on this machine, rebuild and re-render on save.

The watcher (studydeck.preview.watch) runs in a thread; after each good build only changed
slides are rendered again, by a LibreOffice kept running, and the open pages are told which
slide changed.
A failed build sends its problems (file:line) to the pages instead, until the next good one.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

import uvicorn

from studydeck.errors import DeckError, ToolFailedError, ToolMissingError
from studydeck.export.options import ExportProgress
from studydeck.preview.server import Broadcaster, preview_app
from studydeck.preview.site import PreviewSite, Update
from studydeck.preview.warm import start_renderer
from studydeck.preview.watch import Rebuild, rebuild, watch_project
from studydeck.source.folder import ProjectFolder

GRACE_SECONDS = 2  # how long open pages get to let go when the server stops
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class PreviewOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    dpi: float = 96
    on_rebuild: Callable[[Rebuild], None] = lambda done: None
    on_ready: Callable[[str], None] = lambda url: None
    progress: ExportProgress = field(default_factory=ExportProgress)


def run_preview(paths: ProjectFolder, options: PreviewOptions) -> None:
    """Serve the preview until Ctrl-C (or SIGTERM); everything started is stopped on the way out."""
    listening = _listen(options.host, options.port)
    events = Broadcaster()
    stop = threading.Event()
    watcher: threading.Thread | None = None
    handler: _BuildHandler | None = None
    options.progress.step("starting LibreOffice")
    renderer = start_renderer()
    renderer.warm_up()  # the first save finds it running, even when nothing needs rendering now
    try:
        site = PreviewSite(paths, renderer, dpi=options.dpi)
        first = handler = _BuildHandler(paths, site, events, options)
        first(rebuild(paths, []))
        config = uvicorn.Config(preview_app(site.folder, events, options.host), log_level="error",
                                lifespan="off", timeout_graceful_shutdown=GRACE_SECONDS)
        host, port = listening.getsockname()[:2]
        url = f"http://{'localhost' if host == '127.0.0.1' else host}:{port}/"
        server = _Server(config, events, lambda: options.on_ready(url))
        watcher = threading.Thread(target=watch_project, args=(paths, first),
                                   kwargs={"stop": stop, "on_idle": first.idle},
                                   name="studydeck-watch", daemon=True)
        watcher.start()
        # uvicorn takes Ctrl-C over once it serves; until then (and after) one must not land in
        # the middle of starting its event loop: ignored here, the server handles its own
        with _no_interrupts():
            server.run(sockets=[listening])
    finally:
        with _no_interrupts():  # a second Ctrl-C must not leave LibreOffice running
            stop.set()
            if watcher is not None:
                watcher.join(timeout=10)
            renderer.close()
            listening.close()
            if handler is not None and (watcher is None or not watcher.is_alive()):
                handler.idle()  # what the last save rendered is kept for the next command


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM in the block (in the main thread), then handle them as before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _BuildHandler:
    """Turns each rebuild into an updated page and an event for the open pages."""

    def __init__(self, paths: ProjectFolder, site: PreviewSite, events: Broadcaster,
                 options: PreviewOptions) -> None:
        self.paths, self.site, self.events, self.options = paths, site, events, options
        self.shown_once = False
        self.unsaved = False  # the render index holds less than the last update rendered

    def __call__(self, done: Rebuild) -> None:
        self.options.on_rebuild(done)
        if done.results is None:
            self._failed(done.failure)
            return
        progress = self.options.progress
        progress.step("rendering changed slides")
        try:
            update = self.site.update(done.results[0].path, progress, done.results[0].clocks,
                                      first_shown=self._publish)
        except (ToolFailedError, ToolMissingError) as failure:
            self._failed(failure)
            return
        finally:
            progress.count(0, "")
        progress.step("serving")
        self._publish(update)
        self.unsaved = True  # saved when idle: the page's requests go first

    def idle(self) -> None:
        """Save what the last update rendered in the render cache's index, if not saved yet."""
        if self.unsaved:
            self.unsaved = False
            self.site.keep_renders()

    def _publish(self, update: Update) -> None:
        """Tell the open pages to show the page written now, at the first changed slide."""
        self.shown_once = True
        self.events.publish("deck", {"slide": update.first_changed,
                                     "rendered": update.rendered})

    def _failed(self, failure: object) -> None:
        if not self.shown_once:
            self.site.show_nothing()
        if isinstance(failure, DeckError):
            lines = [problem.format(self.paths.root) for problem in failure.problems]
        else:
            lines = [f"error: {failure}"]
        self.events.publish("problems", {"problems": lines})


def _listen(host: str, port: int) -> socket.socket:
    """Give a socket listening on host:port; a port in use is the user's to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        raise ToolFailedError(f"cannot listen on {host}:{port}: {error.strerror}",
                              "pick another port with --port, or stop what uses this one"
                              ) from None
    listening.listen(64)
    return listening


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the event streams when Ctrl-C stops it."""

    def __init__(self, config: uvicorn.Config, events: Broadcaster,
                 on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self.events = events
        self.on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.on_started()  # Ctrl-C is uvicorn's to handle from here on

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.events.close()
        super().handle_exit(sig, frame)
