"""Watch a deck project: rebuild after every save; a bad edit is reported and the next save waited.

The watcher runs the build in this process, so modules, measured text widths and the diagram
cache stay warm: a rebuild after editing a chapter takes a fraction of a cold command.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from watchfiles import Change, DefaultFilter, watch

from studydeck.build import BuildResult, build_deck
from studydeck.errors import DeckError, ToolFailedError, ToolMissingError
from studydeck.source.folder import DECK_FILE, ProjectFolder

# Saves under these (deck.yaml and folders of the project root) start a build, and so do saves
# of any other file the last good build read (a picture or template kept elsewhere).
SOURCE_PARTS = (DECK_FILE, "chapters", "diagrams", "templates", "images")
WAKE_MS = 250  # how long the first build waits for the watcher; then a cheap idle wake-up
# a save is taken once the files were quiet this long (an editor writes in quick steps): the
# watcher's own 50 ms is a tenth of the preview's wait from a save to the page
QUIET_MS = 20
BuildFailure = DeckError | ToolMissingError | ToolFailedError


@dataclass(frozen=True)
class Rebuild:
    """One build the watcher ran: the files whose change started it, its time, its outcome."""

    changed: list[Path]
    seconds: float
    results: list[BuildResult] | None = None
    failure: BuildFailure | None = None


class SourceFilter(DefaultFilter):
    """Lets through changes to the project's sources, never to output/ or editor droppings."""

    def __init__(self, paths: ProjectFolder) -> None:
        super().__init__(ignore_paths=[paths.output_dir])
        self.root = paths.root
        self.extra: frozenset[Path] = frozenset()

    def __call__(self, change: Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        file = Path(path)
        try:
            first = file.relative_to(self.root).parts[0]
        except (ValueError, IndexError):
            return file in self.extra
        return first in SOURCE_PARTS or file in self.extra


def watch_project(
    paths: ProjectFolder,
    on_rebuild: Callable[[Rebuild], None],
    *,
    stop: Event | None = None,
    on_idle: Callable[[], None] = lambda: None,
) -> None:
    """Build now and after every change to a source file until `stop` is set (or Ctrl-C);
    `on_idle` is called every WAKE_MS while nothing changes.

    The first build runs once the watcher is up, so a save made while it runs is not missed.
    """
    sources = SourceFilter(paths)
    built = False
    for changes in watch(paths.root, watch_filter=sources, stop_event=stop, debounce=800,
                         step=QUIET_MS, yield_on_timeout=True, rust_timeout=WAKE_MS):
        if changes or not built:
            _track(sources, rebuild(paths, _saved(changes)), on_rebuild)
            built = True
        else:
            on_idle()


def rebuild(paths: ProjectFolder, changed: Iterable[Path]) -> Rebuild:
    """Build the whole deck once; give its outcome instead of raising a user-facing error."""
    started = time.perf_counter()
    try:
        results = build_deck(paths)
    except (DeckError, ToolMissingError, ToolFailedError) as failure:
        return Rebuild(sorted(set(changed)), time.perf_counter() - started, failure=failure)
    return Rebuild(sorted(set(changed)), time.perf_counter() - started, results=results)


def _saved(changes: set[tuple[Change, str]]) -> list[Path]:
    """Give the changed files, leaving out those already gone again (an editor's temp files)."""
    files = {Path(path) for _, path in changes}
    return [file for file in files if file.exists()] or list(files)


def _track(sources: SourceFilter, done: Rebuild, on_rebuild: Callable[[Rebuild], None]) -> None:
    if done.results:
        sources.extra = done.results[0].sources
    on_rebuild(done)
