"""A bug in studydeck (not in the deck) exits 70 and keeps its traceback, in a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MINI, REPO, copy_project

# Runs the real command line with the build replaced by one that fails as a bug would.
FAILING_CLI = """
import sys
import studydeck.build

def broken_build(*args, **kwargs):
    raise RuntimeError("an unexpected failure inside studydeck")

studydeck.build.build_deck = broken_build
from studydeck.cli import app
app()
"""


def test_an_internal_error_exits_70_with_its_traceback(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    done = subprocess.run([sys.executable, "-c", FAILING_CLI, "build", "--project", str(project)],
                          capture_output=True, text=True, cwd=REPO, check=False, timeout=120)
    assert done.returncode == 70, done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: an unexpected failure inside studydeck" in done.stderr
    assert "internal error" in done.stderr


def test_a_user_error_still_exits_1_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "cli.py", "build", "--project",
                           str(tmp_path / "nowhere")],
                          capture_output=True, text=True, cwd=REPO, check=False, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
