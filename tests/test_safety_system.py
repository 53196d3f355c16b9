"""Trouble of the machine, not of studydeck: a full disk, a read-only or forbidden folder is a
plain sentence naming the path (exit 1), never "internal error" (70), and the last outputs stay."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, copy_project, run_cli

from studydeck.source import files


def edited(project: Path) -> None:
    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("title:", "title: 고친", 1),
                       encoding="utf-8")


def _small_file_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))


def test_a_full_disk_is_a_plain_error_and_the_last_deck_stays(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    deck = project / "output" / "deck.pptx"
    before = deck.read_bytes()
    edited(project)
    finished = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "build", "--project", str(project)],
        capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_small_file_limit)
    assert finished.returncode == 1, finished.stderr
    assert "Traceback" not in finished.stderr and "internal error" not in finished.stderr
    assert "file too large" in finished.stderr
    assert "hint:" in finished.stderr
    assert deck.read_bytes() == before
    assert not [path for path in project.rglob("*.part")]


@pytest.mark.parametrize(("code", "words"), [(errno.EROFS, "read-only file system"),
                                             (errno.EACCES, "permission denied"),
                                             (errno.ENOSPC, "no space left on device")])
def test_a_folder_that_cannot_be_written_is_a_plain_error(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str) -> None:
    """Root writes anywhere, so the read-only or forbidden folder is the operating system's
    answer, given at the first write as it would be."""
    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code), str(kwargs.get("dir", "")))

    assert run_cli("build", "--project", mini_copy).exit_code == 0
    before = (mini_copy / "output" / "deck.pptx").read_bytes()
    edited(mini_copy)
    monkeypatch.setattr(files.tempfile, "mkstemp", refused)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert f"{mini_copy / 'output'}" in result.stderr and words in result.stderr.lower()
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == before


def test_a_read_only_project_is_a_plain_error(tmp_path: Path) -> None:
    """The project on a read-only mount (a bind mount, where the test may make one)."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    before = (project / "output" / "deck.pptx").read_bytes()
    edited(project)
    mounted = Path(tempfile.mkdtemp(dir=tmp_path))
    made = subprocess.run(["sh", "-c", f"mount --bind {project} {mounted} && "
                           f"mount -o remount,ro,bind {mounted}"],
                          capture_output=True, timeout=30, check=False)
    if made.returncode != 0:
        pytest.skip("no read-only mount here (needs root); the test above covers EROFS")
    try:
        result = run_cli("build", "--project", mounted)
    finally:
        subprocess.run(["umount", str(mounted)], timeout=30, check=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "read-only file system" in result.stderr
    assert (project / "output" / "deck.pptx").read_bytes() == before
