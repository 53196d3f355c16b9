"""Timing commands: wall clock and CPU time of child processes, medians over several runs.

Every command runs in its own process group with a time limit; past it, the whole group (the
command and whatever it started: diagram workers, dot, soffice) is killed. The benchmark then
reports the failure instead of hanging, also from a background job that ignores Ctrl-C.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT = 300.0  # seconds; Pandoc on the 1,000-slide deck takes about a minute
SAMPLE_PARTS = ("deck.yaml", "chapters", "diagrams", "templates", "images")


class CommandFailed(RuntimeError):
    """A measured command failed or ran past its time limit (the message says which)."""


@dataclass(frozen=True)
class Timing:
    """Medians over runs: wall-clock seconds and CPU seconds (user + system, children)."""

    wall: float
    cpu: float
    runs: int

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (cpu {self.cpu:.2f})"


Commands = Callable[[], Sequence[Sequence[str | Path]]]


def timed(commands: Commands, runs: int,
          prepare: Callable[[int], None] = lambda run: None) -> Timing:
    """Run `commands()` in sequence `runs` times, `prepare(run)` untimed before each."""
    return timed_in_turn([commands], runs, prepare)[0]


def timed_in_turn(alternatives: Sequence[Commands], runs: int,
                  prepare: Callable[[int], None] = lambda run: None) -> list[Timing]:
    """Time each of `alternatives` `runs` times, taking turns (a, b, a, b …): a ratio of two
    is then taken over the same stretch of time, whatever else the machine does meanwhile."""
    times: list[list[tuple[float, float]]] = [[] for _ in alternatives]
    for run in range(runs):
        prepare(run)
        for commands, taken in zip(alternatives, times, strict=True):
            taken.append(_time_once(commands))
    return [Timing(statistics.median(wall for wall, _ in taken),
                   statistics.median(cpu for _, cpu in taken), runs) for taken in times]


def _time_once(commands: Commands) -> tuple[float, float]:
    """Run `commands()` in sequence once; give the wall and CPU seconds they took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for command in commands():
        _must_run(command)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def run_bounded(command: Sequence[str | Path],
                timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `command` in a process group of its own; kill the group if it outlives `timeout`."""
    args = [str(part) for part in command]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            raise CommandFailed(f"timed out after {timeout:.0f} s: {' '.join(args)}") from None
        finally:
            kill_group(process)  # anything it left running
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def kill_group(process: subprocess.Popen[str]) -> None:
    """Kill `process`'s whole process group (it leads one: start_new_session) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


NOT_SHIPPED = shutil.ignore_patterns(".venv", ".git", "output", "__pycache__", "*.egg-info",
                                     ".*_cache", "build", "dist")
_installed: list[Path] = []  # the benchmark's own `studydeck` script, once install_studydeck ran


def studydeck(*args: str | Path) -> list[str | Path]:
    """Give the command line of `studydeck ARGS`: installed as a user installs it when
    install_studydeck ran, else `python cli.py ARGS` with this interpreter."""
    if _installed:
        return [_installed[0], *args]
    return [sys.executable, REPO / "cli.py", *args]


def studydeck_in_python(python_options: Sequence[str], *args: str | Path) -> list[str | Path]:
    """Give the command line of `studydeck ARGS` run by its Python with `python_options`
    (`-X importtime`, say): the same script and interpreter as `studydeck` gives."""
    if _installed:
        return [_installed[0].parent / "python", *python_options, _installed[0], *args]
    return [sys.executable, *python_options, REPO / "cli.py", *args]


def install_studydeck(folder: Path) -> Path:
    """Install studydeck from a wheel into a venv of its own, as `pipx install` does.

    A checkout's editable install makes every start import setuptools' import hook (pathlib,
    urllib: ~10 ms) before studydeck's first line runs; an installed studydeck has none. The
    dependencies are this venv's (a .pth line), so nothing is downloaded. Gives its script.
    """
    source, wheels, venv = folder / "src", folder / "wheel", folder / "venv"
    shutil.copytree(REPO, source, ignore=NOT_SHIPPED)  # building in the checkout leaves build/
    _must_run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
               wheels, source])
    [wheel] = wheels.glob("studydeck-*.whl")
    _must_run([sys.executable, "-m", "venv", "--without-pip", venv])
    venv_python = venv / "bin" / "python"
    own_packages = _site_packages(venv_python)
    (own_packages / "benchmark-dependencies.pth").write_text(
        f"{_site_packages(Path(sys.executable))}\n")
    _must_run([sys.executable, "-m", "pip", "--python", venv_python, "install", "--quiet",
               "--no-deps", "--no-index", wheel])
    _installed[:] = [venv / "bin" / "studydeck"]
    return _installed[0]


def _site_packages(python: Path) -> Path:
    done = _must_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    return Path(done.stdout.strip())


def _must_run(command: Sequence[str | Path]) -> subprocess.CompletedProcess[str]:
    """Run `command` (bounded); raise CommandFailed with its output unless it exits 0."""
    done = run_bounded(command)
    if done.returncode != 0:
        raise CommandFailed(f"failed: {' '.join(map(str, command))}\n{done.stdout}{done.stderr}")
    return done


def copy_sample(target: Path, project: Path = REPO) -> Path:
    """Copy a deck project's sources (the repository's own deck by default) to `target`."""
    target.mkdir(parents=True)
    for name in SAMPLE_PARTS:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def edit_chapter(chapter: Path, run: int) -> None:
    """Change the chapter's title text (a different edit each run), as a presenter would."""
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("title: "):
            title = str(yaml.safe_load(line)["title"]).split(" · ", 1)[0]
            lines[index] = f"title: {json.dumps(f'{title} · 편집 {run + 1}', ensure_ascii=False)}\n"
            break
    chapter.write_text("".join(lines), encoding="utf-8")
