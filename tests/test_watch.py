"""`studydeck watch`: a rebuild per save, bad edits reported as file:line, Ctrl-C exits cleanly.

Waits below are bounds against a hung watcher, not timings: each returns as soon as the awaited
rebuild is reported.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, slide_title
from pptx import Presentation
from watchfiles import Change

from studydeck.errors import DeckError
from studydeck.project import find_project
from studydeck.watch import Rebuild, SourceFilter, watch_project

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


def test_the_command_prints_a_line_per_build_and_stops_on_ctrl_c(mini_copy: Path) -> None:
    env = {**os.environ, "COLUMNS": "200"}
    lines: queue.Queue[str] = queue.Queue()

    def line_with(text: str) -> str:
        while True:
            line = lines.get(timeout=PATIENCE)
            if text in line:
                return line

    with subprocess.Popen(
        [sys.executable, str(REPO / "cli.py"), "watch", "--project", str(mini_copy)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    ) as process:
        reader = threading.Thread(
            target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True)
        reader.start()
        try:
            assert "watching deck.yaml, chapters/" in line_with("watching")
            assert "1 diagram drawn" in line_with("built output/deck.pptx")
            save(mini_copy / "chapters" / "beta.yaml", "title: 비교", "title: [비교")
            assert line_with("beta.yaml:").startswith("chapters/beta.yaml:")
            assert "after chapters/beta.yaml" in line_with("build failed")
            save(mini_copy / "chapters" / "beta.yaml", "title: [비교", "title: 비교")
            assert "0 diagrams drawn" in line_with("built output/deck.pptx")
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=PATIENCE)
            reader.join(timeout=PATIENCE)
    rest = "".join(lines.queue)
    assert code == 0, rest
    assert "stopped watching" in rest
    assert "Traceback" not in rest
