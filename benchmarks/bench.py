"""`make bench`: every performance figure of studydeck next to its target, as one table.

Each figure is the median of several runs of the real command line (Python start-up included),
on copies in a temporary folder. Wall-clock time is what the targets are about; CPU time is shown
beside it because other work on the machine stretches wall time but not CPU time (`--judge cpu`
holds the CPU figures to the same targets). A target that is missed says by how much, and the
benchmark then exits 1. Every command is bounded by a time limit (benchmarks/measure.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import deckgen  # noqa: E402
import graphviz_alone  # noqa: E402
import preview_latency  # noqa: E402
import watch_latency  # noqa: E402
from measure import (  # noqa: E402
    CommandFailed,
    Timing,
    copy_sample,
    edit_chapter,
    install_studydeck,
    run_bounded,
    start_server,
    stop_servers,
    studydeck,
    timed,
    timed_in_turn,
    use_own_servers,
)

EDITED_CHAPTER = "chapters/03-database.yaml"
EXPORTED_CHAPTER = "database"
KEPT_SLIDES = Path("output") / ".cache" / "slides"
WARM_UP_MODULES = ("studydeck.cli", "studydeck.build", "studydeck.notes.render",
                   "studydeck.preview.watch",
                   "studydeck.pptx.writer", "studydeck.diagrams.render", "diagrams", "graphviz")
JUDGE = "wall"  # or "cpu": which of a Timing's figures the targets are held to (--judge)


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str = ""
    value: float | None = None  # compared with `limit`; None: shown for comparison only
    limit: float | None = None
    unit: str = " s"

    @property
    def met(self) -> bool | None:
        if self.limit is None:
            return None
        return self.value is not None and self.value <= self.limit

    @property
    def verdict(self) -> str:
        if self.met is None:
            return ""
        if self.met:
            return "ok"
        if self.value is None or self.limit is None:
            return "MISSED"
        over = self.value - self.limit
        amount = f"{over:.0%}" if self.unit == "%" else f"{over:.2f}{self.unit}"
        return f"MISSED by {amount} ({self.value / self.limit - 1:+.0%})"


def judged(timing: Timing) -> float:
    return timing.cpu if JUDGE == "cpu" else timing.wall


def seconds_row(figure: str, timing: Timing, limit: float | None = None) -> Row:
    target = f"<= {limit:.2f} s" if limit is not None else ""
    return Row(figure, str(timing), target, judged(timing), limit)


def ratio_row(figure: str, ours: Timing, theirs: Timing, limit: float, unit: str = "x") -> Row:
    value = judged(ours) / judged(theirs)
    shown = f"{value:.0%}" if unit == "%" else f"{value:.2f}x"
    target = f"<= {limit:.0%}" if unit == "%" else f"<= {limit:.2f}x"
    return Row(figure, shown, target, value, limit, unit)


def startup_rows(folder: Path, runs: int) -> list[Row]:
    """`studydeck --help`, `--version` and `validate` of the sample, against Python alone."""
    project = copy_sample(folder / "startup")
    built = run_bounded(studydeck("build", "--project", project))  # as after a user's build:
    if built.returncode != 0:  # text widths known, diagrams drawn
        raise CommandFailed(f"the sample deck did not build:\n{built.stderr}")
    python = timed(lambda: [[sys.executable, "-c", "pass"]], runs)
    command = studydeck()
    help_ = timed(lambda: [[*command, "--help"]], runs)
    version = timed(lambda: [[*command, "--version"]], runs)
    start_server(command)
    validate = timed(lambda: [[*command, "validate", "--project", project]], runs)
    alone = timed(lambda: [_no_server([*command, "validate", "--project", project])], runs)
    return [
        seconds_row("Python alone (python -c pass)", python),
        seconds_row("studydeck --help", help_, 0.10),
        seconds_row("studydeck --version", version, 0.10),
        seconds_row("studydeck validate (sample deck)", validate, 0.35),
        seconds_row("  the same without the build server (STUDYDECK_SERVER=0)", alone),
    ]


def sample_rows(folder: Path, runs: int) -> list[Row]:
    """Cold, warm, edited and single-chapter builds of the sample deck, and `dot` alone."""
    project = copy_sample(folder / "sample")
    deck = project / "output" / "deck.pptx"
    build = lambda: [studydeck("build", "--project", project)]  # noqa: E731
    hashes: set[str] = set()

    def empty_output(run: int) -> None:
        if run:
            hashes.add(_sha256(deck))
        shutil.rmtree(project / "output", ignore_errors=True)

    start_server(studydeck())
    cold = timed(build, runs, empty_output)
    hashes.add(_sha256(deck))
    sources = graphviz_alone.write_sources(project, folder / "dot")
    dot = timed(lambda: graphviz_alone.dot_commands(sources), runs)
    warm = timed(build, runs)
    same_again = _sha256(deck) in hashes
    edited = timed(build, runs, lambda run: edit_chapter(project / EDITED_CHAPTER, run))
    edited_like_cold = _sha256(deck) == _cold_build_sha256(project, folder / "edited-cold")
    edited_alone = timed(lambda: [_no_server(build()[0])], runs,
                         lambda run: edit_chapter(project / EDITED_CHAPTER, runs + run))
    export = lambda: [studydeck("build", "--project", project,  # noqa: E731
                                "--chapter", EXPORTED_CHAPTER)]
    timed(export, 1)  # the export after the edits above: its chapter is written again, once
    chapter, warm_again = timed_in_turn([export, build], runs)
    chapter_alone, warm_alone = timed_in_turn([lambda: [_no_server(export()[0])],
                                               lambda: [_no_server(build()[0])]], runs)
    rewritten = timed(build, runs, lambda run: shutil.rmtree(project / KEPT_SLIDES,
                                                          ignore_errors=True))
    watched = watch_latency.rebuild_seconds(project, project / EDITED_CHAPTER, runs)
    identical = len(hashes) == 1 and same_again
    previewed = preview_latency.visible_seconds(project, project / EDITED_CHAPTER, runs)
    pictures = _cold_build(_with_render(copy_sample(folder / "pictures"), "picture"), runs)
    natives = _cold_build(_with_render(copy_sample(folder / "natives"), "native"), runs)
    return [
        seconds_row("warm rebuild, one chapter edited (sample deck)", edited, 0.50),
        seconds_row("  the same without the build server", edited_alone),
        seconds_row("warm build, nothing changed", warm),
        seconds_row("  the same without the build server", warm_alone),
        seconds_row(f"cold build ({len(sources)} pictures, empty cache)", cold),
        seconds_row("Graphviz dot alone, same pictures in sequence", dot),
        ratio_row("cold build / dot alone", cold, dot, 1.30),
        seconds_row(f"single-chapter export (--chapter {EXPORTED_CHAPTER}), warm", chapter),
        seconds_row("  warm build, taking turns with the export", warm_again),
        ratio_row("chapter export / whole-deck warm build", chapter, warm_again, 0.40, "%"),
        seconds_row("  chapter export without the build server", chapter_alone),
        Row("  the two without the build server",
            f"{judged(chapter_alone) / judged(warm_alone):.0%}"),
        seconds_row("warm build, no slides kept (output/.cache/slides deleted)", rewritten),
        Row("chapter export / that build", f"{judged(chapter) / judged(rewritten):.0%}"),
        _yes_row(f"byte-identical builds ({runs} cold + warm)", identical),
        _yes_row("edited warm rebuild = cold build of the same sources", edited_like_cold),
        Row("watch: rebuild after a save (in-process)", f"{watched:.2f} s"),
        Row("preview: one-slide text edit visible in the page", f"{previewed:.2f} s", "<= 2 s",
            previewed, 2.0),
        seconds_row("cold build, diagrams as pictures (render: picture)", pictures),
        seconds_row("cold build, diagrams as shapes (render: native)", natives),
        ratio_row("cold build native / picture", natives, pictures, 1.00),
    ]


def _with_render(project: Path, mode: str) -> Path:
    """Set deck.yaml's `render` (how diagrams are drawn) to `mode`."""
    deck = project / "deck.yaml"
    lines = [line for line in deck.read_text("utf-8").splitlines()
             if not line.startswith("render:")]
    deck.write_text("\n".join([*lines, f"render: {mode}"]) + "\n", "utf-8")
    return project


def _cold_build(project: Path, runs: int) -> Timing:
    return timed(lambda: [studydeck("build", "--project", project)], runs,
                 lambda run: _empty_output(project))


def scale_rows(folder: Path, runs: int, pandoc_runs: int) -> list[Row]:
    """Generated 100- and 1,000-slide decks: cold and warm builds, and Pandoc on the same."""
    rows: list[Row] = []
    cold: dict[int, Timing] = {}
    start_server(studydeck())
    for count, cold_limit, pandoc_limit in ((100, None, 0.80), (1000, 3.0, 0.15)):
        project = deckgen.write_project(folder / f"generated-{count}", count)
        build = lambda project=project: [studydeck("build", "--project", project)]  # noqa: E731
        cold[count] = timed(build, runs, lambda run, p=project: _empty_output(p))
        alone = timed(lambda project=project: [_one_process(studydeck("build", "--project",
                                                                      project))],
                      runs, lambda run, p=project: _empty_output(p))
        warm = timed(build, runs)
        warm_alone = timed(lambda project=project: [_no_server(studydeck("build", "--project",
                                                                         project))], runs)
        pandoc = timed(lambda p=project: [_pandoc(p)], pandoc_runs if count == 1000 else runs)
        median_of = f", median of {pandoc.runs}" if pandoc.runs != runs else ""
        rows += [
            seconds_row(f"{count} slides, {count // 10} pictures: cold build", cold[count],
                        cold_limit),
            seconds_row(f"{count} slides: cold build in one process (STUDYDECK_JOBS=1)", alone),
            seconds_row(f"{count} slides: warm build", warm),
            seconds_row(f"{count} slides: Pandoc (same text, pictures, notes){median_of}",
                        pandoc),
            ratio_row(f"{count} slides: our warm build / Pandoc", warm, pandoc, pandoc_limit),
            Row("  the same without the build server",
                f"{judged(warm_alone) / judged(pandoc):.2f}x"),
        ]
    growth = judged(cold[1000]) / judged(cold[100])
    rows.append(Row("t(1000) / t(100), cold", f"{growth:.1f}", "<= 12", growth, 12, ""))
    return rows


def _yes_row(figure: str, holds: bool) -> Row:
    return Row(figure, "yes" if holds else "NO", "yes", 0.0 if holds else 1.0, 0.0, "")


def _cold_build_sha256(project: Path, elsewhere: Path) -> str:
    """Build the project's sources cold in another folder; give the deck's SHA-256."""
    copy = copy_sample(elsewhere, project)
    done = run_bounded(studydeck("build", "--project", copy))
    if done.returncode != 0:
        raise CommandFailed(f"cold build of the edited sources failed:\n{done.stderr}")
    return _sha256(copy / "output" / "deck.pptx")


def _no_server(command: list[str | Path]) -> list[str | Path]:
    """Give `command` run in its own process from start to end, as without the build server."""
    return ["env", "STUDYDECK_SERVER=0", *command]


def _one_process(command: list[str | Path]) -> list[str | Path]:
    """Give `command` run with the build's helper process turned off."""
    return ["env", "STUDYDECK_JOBS=1", *command]


def _pandoc(project: Path) -> list[str | Path]:
    import pypandoc

    return [pypandoc.get_pandoc_path(), project / "deck.md", "--resource-path", project,
            "-o", project / "pandoc.pptx"]


def _empty_output(project: Path) -> None:
    shutil.rmtree(project / "output", ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def use_bytecode_cache(folder: Path, python: Path) -> None:
    """Let the measured commands keep compiled modules, as an installed studydeck does.

    (A sandbox may set PYTHONDONTWRITEBYTECODE; then every run compiles studydeck anew.) The
    cache goes to `folder`, not beside the sources, and is filled (by the measured install's
    `python`) before anything is timed.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    modules = ", ".join(WARM_UP_MODULES)
    subprocess.run([python, "-c", f"import {modules}"], check=True, cwd=folder.parent,
                   timeout=300)


def _measured_python(folder: Path) -> Path:
    """Install studydeck from a wheel to measure it (see measure.install_studydeck); give the
    Python that runs it. Where no wheel can be built (no network for the build's own
    setuptools, say), the checkout is measured instead, and the table says so."""
    try:
        return install_studydeck(folder / "installed").parent / "python"
    except CommandFailed as failure:
        print(f"measuring the checkout (python cli.py): no wheel could be installed: "
              f"{str(failure).splitlines()[0]}")
        return Path(sys.executable)


def print_table(rows: list[Row], out: Callable[[str], None] = print) -> None:
    widths = [max(len(getattr(row, name)) for row in rows) for name in ("figure", "measured")]
    target_width = max(len(row.target) for row in rows)
    out(f"{'figure':<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{target_width}}")
    out("-" * (sum(widths) + target_width + 12))
    for row in rows:
        out(f"{row.figure:<{widths[0]}}  {row.measured:<{widths[1]}}  "
            f"{row.target:<{target_width}}  {row.verdict}".rstrip())


GROUPS: dict[str, Callable[[Path, argparse.Namespace], list[Row]]] = {
    "startup": lambda folder, options: startup_rows(folder, options.runs),
    "sample": lambda folder, options: sample_rows(folder, options.runs),
    "scale": lambda folder, options: scale_rows(folder, options.runs, options.pandoc_runs),
}


def main() -> int:
    global JUDGE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--pandoc-runs", type=int, default=3,
                        help="runs of Pandoc on the 1,000-slide deck (about a minute each)")
    parser.add_argument("--only", choices=sorted(GROUPS), action="append",
                        help="measure only this group (repeatable)")
    parser.add_argument("--judge", choices=("wall", "cpu"), default="wall",
                        help="hold wall-clock (default) or CPU seconds to the targets")
    options = parser.parse_args()
    JUDGE = options.judge
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="studydeck-bench-") as folder:
        use_bytecode_cache(Path(folder) / "pycache", _measured_python(Path(folder)))
        runtime = use_own_servers(Path(folder) / "runtime", served=JUDGE == "wall")
        try:
            for name in options.only or list(GROUPS):
                try:
                    rows += GROUPS[name](Path(folder), options)
                except CommandFailed as failure:  # reported as a missed figure, never a hang
                    rows.append(Row(f"{name}: could not be measured",
                                    str(failure).splitlines()[0], "runs", 1.0, 0.0, ""))
        finally:
            stop_servers(runtime)
    print(f"medians of {options.runs} runs; wall-clock seconds, CPU seconds in brackets; "
          f"targets held to {JUDGE} time")
    if JUDGE == "wall":
        print("`build` and `validate` go to the build server as they do for a user (started "
              "before each group); CPU seconds count the command's own process only")
    print_table(rows)
    missed = [row for row in rows if row.met is False]
    if missed:
        print(f"{len(missed)} target{'s' if len(missed) != 1 else ''} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
