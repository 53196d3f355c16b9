"""Nothing lost: a build killed at any point leaves the previous deck whole, and a rerun tidies up.

Each case runs `python cli.py build` as a real process on a copy of the mini project whose chapter
was edited since the last good build, kills it (SIGKILL, the whole process group, so diagram
workers die too) at a chosen point or after a random delay, and then looks at output/.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, REPO, assert_valid_ooxml, build, copy_project, slide_title
from live_process import wait_until
from pptx import Presentation

pytestmark = pytest.mark.slow  # builds started and killed as real processes

# Runs the CLI with one function wrapped so that it stops at a chosen point: it writes the
# marker file, then sleeps until the test kills it.
PAUSING_CLI = """
import os, sys, time
from pathlib import Path

marker, point = Path(sys.argv[1]), sys.argv[2]
del sys.argv[1:3]

def pause():
    marker.write_text(str(os.getpid()))
    time.sleep(600)

if point == "before-replace":  # the new deck is complete in its temporary file
    real_replace = os.replace
    def replace(source, target):
        if str(target).endswith("deck.pptx"):
            pause()
        real_replace(source, target)
    os.replace = replace
elif point == "half-written":  # half of the new deck is in its temporary file
    real_fdopen = os.fdopen
    class HalfWriter:
        def __init__(self, file):
            self.file = file
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.file.__exit__(*exc)
        def fileno(self):
            return self.file.fileno()
        def write(self, data):
            if data[:2] == b"PK":
                self.file.write(data[: len(data) // 2])
                self.file.flush()
                pause()
            return self.file.write(data)
    def fdopen(fd, *args, **kwargs):  # the deck's temporary file, not a cache's
        file = real_fdopen(fd, *args, **kwargs)
        deck = ".deck.pptx." in os.readlink(f"/proc/self/fd/{fd}")
        return HalfWriter(file) if deck else file
    os.fdopen = fdopen
elif point == "drawing":  # a diagram worker is drawing
    import studydeck.diagrams.render as render
    render.write_atomically = lambda target, data: pause()

from studydeck.cli import app
app()
"""


def deck_hash(deck: Path) -> str:
    return hashlib.sha256(deck.read_bytes()).hexdigest()


def titles(deck: Path) -> list[str]:
    return [slide_title(slide) for slide in Presentation(str(deck)).slides]


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, str, list[str]]:
    """Give a built mini project whose chapter changed since, its deck's hash and titles."""
    project = copy_project(MINI, tmp_path / "mini")
    build(project)
    deck = project / "output" / "deck.pptx"
    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("title: 글머리표",
                                                                   "title: 바뀐 제목"),
                       encoding="utf-8")
    return project, deck_hash(deck), titles(deck)


def start_build(project: Path, *options: str, point: str | None = None,
                marker: Path | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "cli.py", "build", "--project", str(project), *options]
    if point is not None:
        assert marker is not None
        command = [sys.executable, "-c", PAUSING_CLI, str(marker), point, *command[2:]]
    temp = project.parent / "temp"  # what a killed build leaves there goes with the test's folder
    temp.mkdir(exist_ok=True)
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, "TMPDIR": str(temp)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build and every process it started (diagram workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(marker: Path, process: subprocess.Popen[bytes]) -> None:
    wait_until(lambda: marker.exists() or process.poll() is not None, patience=120,
               what="the build never reached the kill point")
    assert marker.exists(), "the build ended before reaching the kill point"


def leftovers(project: Path) -> list[str]:
    """Give the temporary files in output/ (everything hidden except the caches)."""
    output = project / "output"
    return sorted(str(path.relative_to(output)) for path in output.rglob(".*")
                  if path.name != ".cache" and path.parent.name != ".cache")


@pytest.mark.parametrize("point", ["drawing", "half-written", "before-replace"])
def test_a_build_killed_while_writing_keeps_the_old_deck(
    edited: tuple[Path, str, list[str]], point: str, tmp_path: Path
) -> None:
    project, old_hash, old_titles = edited
    deck = project / "output" / "deck.pptx"
    marker = tmp_path / "reached"
    options = ("--force",) if point == "drawing" else ()
    process = start_build(project, *options, point=point, marker=marker)
    try:
        wait_for(marker, process)
        if point != "drawing":
            assert any(name.startswith(".deck.pptx.") for name in leftovers(project))
    finally:
        kill(process)
    assert deck_hash(deck) == old_hash
    assert titles(deck) == old_titles
    assert_valid_ooxml(deck)
    build(project)  # a rerun writes the new deck and removes what the killed one left
    assert "바뀐 제목" in titles(deck)
    assert leftovers(project) == []


def test_kills_at_random_moments_never_leave_a_broken_deck(
    edited: tuple[Path, str, list[str]],
) -> None:
    project, old_hash, old_titles = edited
    deck = project / "output" / "deck.pptx"
    moments = random.Random(7)
    for _ in range(6):
        process = start_build(project, "--force")
        time.sleep(moments.uniform(0.3, 2.5))  # the point of the test: a kill at any moment
        kill(process)
        seen = titles(deck)  # opens, or this raises
        if deck_hash(deck) == old_hash:
            assert seen == old_titles
        else:
            assert "바뀐 제목" in seen and len(seen) == len(old_titles)
    build(project)
    assert leftovers(project) == []
    assert_valid_ooxml(deck)


def test_a_failed_build_keeps_the_old_deck(edited: tuple[Path, str, list[str]]) -> None:
    project, old_hash, _ = edited
    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "  - type: nonsense\n",
                       encoding="utf-8")
    done = subprocess.run([sys.executable, "cli.py", "build", "--project", str(project)],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "unknown slide type 'nonsense'" in done.stderr
    assert deck_hash(project / "output" / "deck.pptx") == old_hash
    assert leftovers(project) == []
