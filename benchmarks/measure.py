"""Timing commands: wall clock and CPU time of child processes, medians over several runs."""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 900  # seconds any one measured command may take before the benchmark gives up
SAMPLE_PARTS = ("deck.yaml", "chapters", "diagrams", "templates", "images")


@dataclass(frozen=True)
class Timing:
    """Medians over runs: wall-clock seconds and CPU seconds (user + system, children)."""

    wall: float
    cpu: float
    runs: int

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (cpu {self.cpu:.2f})"


def timed(commands: Callable[[], Sequence[Sequence[str | Path]]], runs: int,
          prepare: Callable[[int], None] = lambda run: None) -> Timing:
    """Run `commands()` in sequence `runs` times, `prepare(run)` untimed before each."""
    walls, cpus = [], []
    for run in range(runs):
        prepare(run)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        for command in commands():
            done = subprocess.run([str(part) for part in command], capture_output=True,
                                  text=True, check=False, timeout=TIMEOUT)
            if done.returncode != 0:
                raise SystemExit(f"failed: {' '.join(map(str, command))}\n"
                                 f"{done.stdout}{done.stderr}")
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(statistics.median(walls), statistics.median(cpus), runs)


def studydeck(*args: str | Path) -> list[str | Path]:
    """Give the command line of `python cli.py ARGS` with this interpreter."""
    return [sys.executable, REPO / "cli.py", *args]


def copy_sample(target: Path) -> Path:
    """Copy the repository's own deck project (without output/) to `target`."""
    target.mkdir(parents=True)
    for name in SAMPLE_PARTS:
        source = REPO / name
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
