"""`studydeck watch`: a rebuild per save, bad edits reported as file:line, Ctrl-C exits cleanly.

Waits below are bounds against a hung watcher, not timings: each returns as soon as the awaited
rebuild is reported.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, slide_title
from live_process import LiveProcess
from pptx import Presentation
from watchfiles import Change

from studydeck.errors import DeckError
from studydeck.preview.watch import Rebuild, SourceFilter, watch_project
from studydeck.source.folder import find_project

pytestmark = pytest.mark.slow  # a real watch process, rebuilding on each save

PATIENCE = 120  # seconds before a test gives up on a rebuild that never comes


class Watcher:
    """watch_project running in a thread; its rebuilds arrive in order on `rebuilds`."""

    def __init__(self, project: Path) -> None:
        self.rebuilds: queue.Queue[Rebuild] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_project, args=(find_project(project), self.rebuilds.put),
            kwargs={"stop": self.stop}, daemon=True)

    def next(self) -> Rebuild:
        return self.rebuilds.get(timeout=PATIENCE)


@pytest.fixture
def watcher(mini_copy: Path) -> Iterator[Watcher]:
    running = Watcher(mini_copy)
    running.thread.start()
    yield running
    running.stop.set()
    running.thread.join(timeout=PATIENCE)
    assert not running.thread.is_alive(), "the watcher did not stop"


def titles(project: Path) -> list[str]:
    deck = Presentation(str(project / "output" / "deck.pptx"))
    return [slide_title(slide) for slide in deck.slides]


def save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_save_rebuilds_and_a_bad_edit_waits_for_the_next(
    watcher: Watcher, mini_copy: Path
) -> None:
    first = watcher.next()
    assert first.results is not None and first.results[0].rendered == ["flow"]
    chapter = mini_copy / "chapters" / "alpha.yaml"

    save(chapter, "title: 글머리표", "title: 고친 글머리표")
    edited = watcher.next()
    assert edited.results is not None, edited.failure
    assert chapter in edited.changed
    assert edited.results[0].rendered == []  # the diagram is unchanged: not drawn again
    assert "고친 글머리표" in titles(mini_copy)

    save(chapter, "minutes: 10", "minutes: lots")
    broken = watcher.next()
    assert isinstance(broken.failure, DeckError)
    [problem] = broken.failure.problems
    line = chapter.read_text(encoding="utf-8").splitlines().index("minutes: lots") + 1
    assert (problem.path, problem.line) == (chapter, line)
    assert "고친 글머리표" in titles(mini_copy)  # the last good deck stays

    save(chapter, "minutes: lots", "minutes: 10")
    fixed = watcher.next()
    assert fixed.results is not None, fixed.failure

    save(mini_copy / "diagrams" / "flow.yaml", "label: 웹 서버", "label: 앱 서버")
    redrawn = watcher.next()
    assert redrawn.results is not None and redrawn.results[0].rendered == ["flow"]


def test_only_sources_start_a_build(mini_copy: Path) -> None:
    paths = find_project(mini_copy)
    sources = SourceFilter(paths)
    root = paths.root
    assert sources(Change.modified, str(root / "deck.yaml"))
    assert sources(Change.added, str(root / "chapters" / "new.yaml"))
    assert sources(Change.modified, str(root / "diagrams" / "flow.yaml"))
    assert sources(Change.modified, str(root / "templates" / "notes" / "bullets.md.j2"))
    assert not sources(Change.modified, str(root / "output" / "deck.pptx"))
    assert not sources(Change.added, str(root / "output" / ".deck.pptx.x1y2"))
    assert not sources(Change.modified, str(root / "chapters" / ".alpha.yaml.swp"))
    assert not sources(Change.modified, str(root / "notes.txt"))
    picture = root / "art" / "logo.png"
    sources.extra = frozenset([picture])  # a file the last build read
    assert sources(Change.modified, str(picture))


def watch_command(project: Path, *, sigint_ignored: bool = False) -> LiveProcess:
    return LiveProcess([sys.executable, str(REPO / "cli.py"), "watch", "--project", str(project)],
                       env={**os.environ, "COLUMNS": "200"}, sigint_ignored=sigint_ignored)


def assert_stopped_cleanly(watcher: LiveProcess, signal_number: int) -> None:
    code = watcher.stop(signal_number)
    output = watcher.output
    assert code is not None, f"watch ignored {signal.Signals(signal_number).name}:\n{output}"
    assert code == 0, output
    assert "stopped watching" in output
    assert "Traceback" not in output


def test_the_command_prints_a_line_per_build_and_stops_on_ctrl_c(mini_copy: Path) -> None:
    with watch_command(mini_copy) as watcher:
        assert "watching deck.yaml, chapters/" in watcher.line_with("watching", patience=PATIENCE)
        assert "1 diagram drawn" in watcher.line_with("built output/deck.pptx", patience=PATIENCE)
        save(mini_copy / "chapters" / "beta.yaml", "title: 비교", "title: [비교")
        assert watcher.line_with("beta.yaml:", patience=PATIENCE).startswith("chapters/beta.yaml:")
        assert "after chapters/beta.yaml" in watcher.line_with("build failed", patience=PATIENCE)
        save(mini_copy / "chapters" / "beta.yaml", "title: [비교", "title: 비교")
        assert "0 diagrams drawn" in watcher.line_with("built output/deck.pptx", patience=PATIENCE)
        assert_stopped_cleanly(watcher, signal.SIGINT)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM],
                         ids=["SIGINT", "SIGTERM"])
def test_watch_started_with_sigint_ignored_still_stops(mini_copy: Path,
                                                       signal_number: int) -> None:
    """As from a background job (`make test &`) or a CI runner that ignores SIGINT."""
    with watch_command(mini_copy, sigint_ignored=True) as watcher:
        watcher.line_with("built output/deck.pptx", patience=PATIENCE)
        assert_stopped_cleanly(watcher, signal_number)


def test_watch_stops_while_it_waits_for_the_first_build(mini_copy: Path) -> None:
    with watch_command(mini_copy, sigint_ignored=True) as watcher:
        watcher.line_with("watching", patience=PATIENCE)
        assert_stopped_cleanly(watcher, signal.SIGTERM)
