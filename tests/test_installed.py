"""The tool as a user installs it: sdist → wheel → a fresh virtual environment outside the
checkout, used from folders outside the repository (no editable install, no templates/ of the
project's own). Slow (a pip install); every command is bounded by a timeout.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_sample
from live_process import run_to_end
from pptx import Presentation

pytestmark = pytest.mark.slow  # builds and installs the wheel

NOT_SHIPPED = shutil.ignore_patterns(".venv", ".git", "output", "__pycache__", "*.egg-info",
                                     ".*_cache", ".hypothesis", "build", "dist")
PIP_TIMEOUT = 600
COMMAND_TIMEOUT = 300


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Give the `bin/` of a fresh venv with the wheel installed, and the wheel."""
    folder = tmp_path_factory.mktemp("installed")
    source = folder / "src"  # a copy: building in the checkout would leave build/ behind
    shutil.copytree(REPO, source, ignore=NOT_SHIPPED)
    dist = folder / "dist"
    must_pass([sys.executable, "-m", "build", "--sdist", "--outdir", dist, source],
              PIP_TIMEOUT, folder)
    [sdist] = dist.glob("studydeck-*.tar.gz")
    must_pass([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, sdist],
              PIP_TIMEOUT, folder)
    [wheel] = dist.glob("studydeck-*.whl")
    venv = folder / "venv"
    must_pass([sys.executable, "-m", "venv", venv], COMMAND_TIMEOUT, folder)
    must_pass([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel],
              PIP_TIMEOUT, folder)
    return venv / "bin", wheel


def user_env(bin_dir: Path) -> dict[str, str]:
    """The environment of a user whose PATH starts with the venv (nothing of the checkout)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "COLUMNS": "200",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def must_pass(command: list[str | Path], timeout: float, cwd: Path,
              env: dict[str, str] | None = None) -> str:
    code, output = run_to_end(command, timeout=timeout, cwd=cwd, env=env)
    assert code == 0, f"{[str(part) for part in command]} exited {code}:\n{output}"
    return output


@pytest.mark.timeout(1800)
def test_the_wheel_carries_every_file_of_the_package(installed: tuple[Path, Path]) -> None:
    _, wheel = installed
    package = REPO / "studydeck"
    wanted = {str(path.relative_to(REPO)) for path in package.rglob("*")
              if path.is_file() and "__pycache__" not in path.parts}
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("studydeck/")}
    assert wanted - shipped == set()
    assert {"studydeck/templates/notes/bullets.md.j2", "studydeck/fonts.conf",
            "studydeck/schemas/chapter.schema.json"} <= shipped


@pytest.mark.timeout(1800)
def test_the_installed_tool_starts_builds_and_exports_a_deck_anywhere(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    bin_dir, _ = installed
    env = user_env(bin_dir)
    where = must_pass(["python", "-c", "import studydeck; print(studydeck.__file__)"],
                      COMMAND_TIMEOUT, tmp_path, env)
    assert Path(where.strip()).is_relative_to(bin_dir.parent), where
    assert must_pass(["studydeck", "--version"], COMMAND_TIMEOUT, tmp_path, env).startswith(
        "studydeck 0.1.0")
    must_pass(["studydeck", "new", "deck", "talk", "--language", "en"], COMMAND_TIMEOUT,
              tmp_path, env)
    project = tmp_path / "talk"
    for command in (["build"], ["validate"], ["export", "pdf"], ["build", "--chapter", "writing"]):
        must_pass(["studydeck", *command], COMMAND_TIMEOUT, project, env)
    deck = Presentation(str(project / "output" / "deck.pptx"))
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert all(text.strip() for text in notes), "the packaged notes templates were not found"
    assert (project / "output" / "deck.pdf").stat().st_size > 10_000
    assert len(Presentation(str(project / "output" / "chapters" / "writing.pptx")).slides) > 3


@pytest.mark.timeout(1800)
def test_the_installed_tool_builds_the_sample_deck(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    bin_dir, _ = installed
    project = copy_sample(tmp_path / "sample")
    output = must_pass(["studydeck", "build"], COMMAND_TIMEOUT, project, user_env(bin_dir))
    assert "wrote output/deck.pptx" in output
    assert len(Presentation(str(project / "output" / "deck.pptx")).slides) > 40

