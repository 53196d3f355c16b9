"""Start-up figures: `--help`, `--version` and `validate` against Python alone, and where the
start-up time of `--help` goes (`python -X importtime`, beyond what Python itself imports)."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from measure import (
    CommandFailed,
    copy_sample,
    run_bounded,
    studydeck,
    studydeck_in_python,
    timed,
    timed_in_turn,
)
from table import Row, ratio_row, seconds_row

TOP_PACKAGES = 5
# `validate` is a build that writes nothing (issue 24): the same load, check pass, outline, notes
# and diagram layouts, without python-pptx and the writing. Its time is held to a share of a warm
# build of the same deck, taken in turns: it must stay clearly cheaper than building. (Its old
# 0.35 s target predates the shared check pass; 0.39 s against a 0.47 s warm build then.)
VALIDATE_SHARE = 0.90
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)$", re.MULTILINE)


def startup_rows(folder: Path, runs: int) -> list[Row]:
    """`studydeck --help`, `--version` and `validate` of the sample, against Python alone."""
    project = copy_sample(folder / "startup")
    built = run_bounded(studydeck("build", "--project", project))  # as after a user's build:
    if built.returncode != 0:  # text widths known, diagrams drawn
        raise CommandFailed(f"the sample deck did not build:\n{built.stderr}")
    python = timed(lambda: [[_python(), "-c", "pass"]], runs)
    help_ = timed(lambda: [studydeck("--help")], runs)
    version = timed(lambda: [studydeck("--version")], runs)
    validate, warm = timed_in_turn([lambda: [studydeck("validate", "--project", project)],
                                    lambda: [studydeck("build", "--project", project)]], runs)
    return [
        seconds_row("Python alone (python -c pass)", python),
        seconds_row("studydeck --help", help_, 0.10),
        seconds_row("studydeck --version", version, 0.10),
        seconds_row("studydeck validate (sample deck)", validate),
        seconds_row("  warm build, nothing changed, taking turns with validate", warm),
        ratio_row("validate / that warm build", validate, warm, VALIDATE_SHARE),
        *import_rows(runs),
    ]


def import_rows(runs: int) -> list[Row]:
    """Where `--help` spends its import time beyond Python's own start: the packages whose
    modules take longest by their own time (`-X importtime`'s self column), medians of `runs`."""
    own, total = _help_import_times(runs)
    rows = [Row("--help: imports beyond Python's own (python -X importtime)",
                f"{total / 1000:.1f} ms")]
    for package, modules in _slowest_packages(own)[:TOP_PACKAGES]:
        rows.append(Row(f"  {_package_figure(package, modules)}",
                        f"{sum(map(own.__getitem__, modules)) / 1000:.1f} ms"))
    return rows


def _help_import_times(runs: int) -> tuple[dict[str, float], float]:
    """Give each module `--help` imports beyond Python's own start with its own import time,
    and their total (microseconds, medians of `runs`)."""
    pythons_own = set(_own_import_times([_python(), "-X", "importtime", "-c", "pass"]))
    help_ = studydeck_in_python(["-X", "importtime"], "--help")
    measured = [_own_import_times(help_) for _ in range(runs)]
    modules = {name for times in measured for name in times} - pythons_own
    total = statistics.median(sum(times.get(name, 0) for name in modules) for times in measured)
    return {name: statistics.median(times.get(name, 0) for times in measured)
            for name in modules}, total


def _slowest_packages(own: dict[str, float]) -> list[tuple[str, list[str]]]:
    """Give each top-level package with its modules, both slowest first."""
    packages: defaultdict[str, list[str]] = defaultdict(list)
    for name in sorted(own, key=own.__getitem__, reverse=True):
        packages[name.split(".", 1)[0]].append(name)
    return sorted(packages.items(), key=lambda item: sum(map(own.__getitem__, item[1])),
                  reverse=True)


def _package_figure(package: str, modules: list[str]) -> str:
    """Give "typer: 27 modules, most in typer.main" (the slowest first in `modules`)."""
    if modules == [package]:
        return package
    return f"{package}: {len(modules)} modules, most in {modules[0]}"


def _python() -> str | Path:
    """Give the Python that runs the measured studydeck."""
    return studydeck_in_python([])[0]


def _own_import_times(command: Sequence[str | Path]) -> dict[str, int]:
    """Give each module's own import time in microseconds, from one run of `command` (a Python
    command line with `-X importtime`)."""
    done = run_bounded(command)
    if done.returncode != 0:
        raise CommandFailed(f"`-X importtime` failed:\n{done.stderr}")
    return {name: int(own) for own, name in IMPORT_LINE.findall(done.stderr)}
