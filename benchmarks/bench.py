"""`make bench`: every performance figure of studydeck next to its target, as one table.

Each figure is the median of several runs of the real command line (Python start-up included),
each command a process of its own, on copies in a temporary folder. Wall-clock time is what the
targets are about; CPU time (of the command and every process it started) is shown beside it
because other work on the machine stretches wall time but not CPU time (`--judge cpu` holds the
CPU figures to the same targets). A target that is missed says by how much, and the benchmark
then exits 1. Every command is bounded by a time limit (benchmarks/measure.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
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
    studydeck,
    timed,
    timed_in_turn,
)
from startup import startup_rows  # noqa: E402
from table import (  # noqa: E402
    JUDGES,
    Row,
    failed_row,
    hold_targets_to,
    judged,
    print_table,
    ratio_row,
    seconds_row,
    yes_row,
)

EDITED_CHAPTER = "chapters/03-database.yaml"
EXPORTED_CHAPTER = "database"
# A process's start-up and imports (~0.3 s) plus the chapter's own work: one process since the
# build server went (issue 23), so the export's share of a whole build is shown, not held.
CHAPTER_EXPORT_LIMIT = 0.40
KEPT_SLIDES = Path("output") / ".cache" / "slides"


def sample_rows(folder: Path, runs: int) -> list[Row]:
    """Builds of the sample deck (cold, warm, edited, one chapter), `dot` alone, watch, preview,
    and diagrams drawn as pictures or as shapes."""
    project = copy_sample(folder / "sample")
    deck = project / "output" / "deck.pptx"
    build = lambda: [studydeck("build", "--project", project)]  # noqa: E731
    hashes: set[str] = set()

    def empty_output(run: int) -> None:
        if run:
            hashes.add(_sha256(deck))
        _empty_output(project)

    cold = timed(build, runs, empty_output)
    hashes.add(_sha256(deck))
    sources = graphviz_alone.write_sources(project, folder / "dot")
    dot = timed(lambda: graphviz_alone.dot_commands(sources), runs)
    warm = timed(build, runs)
    identical = len(hashes) == 1 and _sha256(deck) in hashes
    edited = timed(build, runs, lambda run: edit_chapter(project / EDITED_CHAPTER, run))
    edited_like_cold = _sha256(deck) == _cold_build_sha256(project, folder / "edited-cold")
    return [
        seconds_row("warm rebuild, one chapter edited (sample deck)", edited, 0.50),
        seconds_row("warm build, nothing changed", warm),
        seconds_row(f"cold build ({len(sources)} pictures, empty cache)", cold),
        seconds_row("Graphviz dot alone, same pictures in sequence", dot),
        ratio_row("cold build / dot alone", cold, dot, 1.30),
        *_chapter_export_rows(project, runs),
        yes_row(f"byte-identical builds ({runs} cold + warm)", identical),
        yes_row("edited warm rebuild = cold build of the same sources", edited_like_cold),
        *_live_rows(project, runs),
        *_export_rows(folder, runs),
        *_render_rows(folder, runs),
    ]


def _export_rows(folder: Path, runs: int) -> list[Row]:
    """`export html` and `export pdf` of the sample deck: cold on every core against one
    LibreOffice, then with nothing changed and after one slide's title is edited."""
    project = copy_sample(folder / "export")
    renders = project / "output" / ".cache" / "renders"
    forget = ["rm", "-rf", renders]
    html = lambda workers=0: [  # noqa: E731
        forget, studydeck("export", "html", "--workers", str(workers), "--project", project)]
    timed(lambda: [studydeck("build", "--project", project)], 1)
    cold, single = timed_in_turn([html, lambda: html(1)], runs)
    again = lambda: [studydeck("export", "html", "--project", project)]  # noqa: E731
    unchanged = timed(again, runs)
    chapter = project / EDITED_CHAPTER
    edited = timed(again, runs, lambda run: preview_latency.edit_slide_title(
        chapter, f"편집 {run + 101}"))
    pdf = lambda: [studydeck("export", "pdf", "--project", project)]  # noqa: E731
    timed(pdf, 1)
    pdf_unchanged = timed(pdf, runs)
    return [
        seconds_row("export html, cold, a LibreOffice per core", cold),
        seconds_row("  export html, cold, one LibreOffice (--workers 1)", single),
        ratio_row("cold export html, every core / one", cold, single, 0.60),
        seconds_row("export html, nothing changed", unchanged, 1.5),
        seconds_row("export html, one slide's title edited", edited, 4.0),
        seconds_row("export pdf, nothing changed", pdf_unchanged, 1.0),
    ]


def _chapter_export_rows(project: Path, runs: int) -> list[Row]:
    """A warm `build --chapter`, timed in turns with a warm whole-deck build, and against a
    warm build that keeps no slides."""
    build = lambda: [studydeck("build", "--project", project)]  # noqa: E731
    export = lambda: [studydeck("build", "--project", project,  # noqa: E731
                                "--chapter", EXPORTED_CHAPTER)]
    timed(export, 1)  # the export after earlier edits: its chapter is written again, once
    chapter, warm = timed_in_turn([export, build], runs)
    rewritten = timed(build, runs, lambda run: shutil.rmtree(project / KEPT_SLIDES,
                                                          ignore_errors=True))
    return [
        seconds_row(f"single-chapter export (--chapter {EXPORTED_CHAPTER}), warm", chapter,
                    CHAPTER_EXPORT_LIMIT),
        seconds_row("  warm build, taking turns with the export", warm),
        ratio_row("chapter export / whole-deck warm build", chapter, warm, unit="%"),
        seconds_row("warm build, no slides kept (output/.cache/slides deleted)", rewritten),
        ratio_row("chapter export / that build", chapter, rewritten, unit="%"),
    ]


def _live_rows(project: Path, runs: int) -> list[Row]:
    """`watch` and `preview`: from a save to the rebuilt deck, and to the page showing it."""
    watched = watch_latency.rebuild_seconds(project, project / EDITED_CHAPTER, runs)
    previewed = preview_latency.visible_seconds(project, project / EDITED_CHAPTER, runs)
    return [
        Row("watch: rebuild after a save (in-process)", f"{watched:.2f} s"),
        Row("preview: one-slide text edit visible in the page", f"{previewed:.2f} s",
            "<= 0.70 s", previewed, 0.7),
    ]


def _render_rows(folder: Path, runs: int) -> list[Row]:
    """The sample deck built cold with its diagrams as pictures, and as shapes."""
    pictures = _cold_build(_with_render(copy_sample(folder / "pictures"), "picture"), runs)
    natives = _cold_build(_with_render(copy_sample(folder / "natives"), "native"), runs)
    return [
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


# slides, cold build's limit (s), warm build's limit as a share of Pandoc's time
SCALES = ((100, None, 0.80), (1000, 3.0, 0.15))


def scale_rows(folder: Path, runs: int, pandoc_runs: int) -> list[Row]:
    """Generated 100- and 1,000-slide decks: cold and warm builds, and Pandoc on the same."""
    rows: list[Row] = []
    cold: dict[int, Timing] = {}
    for count, cold_limit, pandoc_limit in SCALES:
        project = deckgen.write_project(folder / f"generated-{count}", count)
        cold[count] = _cold_build(project, runs)
        rows.append(seconds_row(f"{count} slides, {count // 10} pictures: cold build",
                                cold[count], cold_limit))
        rows += _generated_deck_rows(project, count, runs,
                                     runs if count == 100 else pandoc_runs, pandoc_limit)
    growth = judged(cold[1000]) / judged(cold[100])
    rows.append(Row("t(1000) / t(100), cold", f"{growth:.1f}", "<= 12", growth, 12, ""))
    return rows


def _generated_deck_rows(project: Path, count: int, runs: int, turns: int,
                         pandoc_limit: float) -> list[Row]:
    """A generated deck built cold in one process, then warm in turns with Pandoc."""
    one_process = timed(lambda: [["env", "STUDYDECK_JOBS=1",
                                  *studydeck("build", "--project", project)]],
                        runs, lambda run: _empty_output(project))
    warm, pandoc = timed_in_turn([lambda: [studydeck("build", "--project", project)],
                                  lambda: [_pandoc(project)]], turns)
    median_of = f", median of {turns}" if turns != runs else ""
    return [
        seconds_row(f"{count} slides: cold build in one process (STUDYDECK_JOBS=1)",
                    one_process),
        seconds_row(f"{count} slides: warm build{median_of}", warm),
        seconds_row(f"{count} slides: Pandoc (same text, pictures, notes){median_of}", pandoc),
        ratio_row(f"{count} slides: our warm build / Pandoc (in turns)", warm, pandoc,
                  pandoc_limit),
    ]


def _cold_build_sha256(project: Path, elsewhere: Path) -> str:
    """Build the project's sources cold in another folder; give the deck's SHA-256."""
    copy = copy_sample(elsewhere, project)
    done = run_bounded(studydeck("build", "--project", copy))
    if done.returncode != 0:
        raise CommandFailed(f"cold build of the edited sources failed:\n{done.stderr}")
    return _sha256(copy / "output" / "deck.pptx")


def _pandoc(project: Path) -> list[str | Path]:
    import pypandoc  # only here: the benchmark runs without it until Pandoc is timed

    return [pypandoc.get_pandoc_path(), project / "deck.md", "--resource-path", project,
            "-o", project / "pandoc.pptx"]


def _empty_output(project: Path) -> None:
    shutil.rmtree(project / "output", ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def use_bytecode_cache(folder: Path) -> None:
    """Let the measured commands keep compiled modules, as an installed studydeck does.

    (A sandbox may set PYTHONDONTWRITEBYTECODE; then every run compiles studydeck anew.) The
    cache goes to `folder`, not beside the sources, and is filled before anything is timed by
    running the commands once on a copy of the sample deck: whatever they import is compiled.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    project = copy_sample(folder / "warm-up")
    for args in (["--help"], ["--version"], ["build", "--project", project],
                 ["validate", "--project", project]):
        run_bounded(studydeck(*args))  # a failure shows where the command is measured


def measure_installed(folder: Path) -> None:
    """Install studydeck from a wheel to measure it (see measure.install_studydeck). Where no
    wheel can be built (no network for the build's own setuptools, say), the checkout is
    measured instead, and the output says so."""
    try:
        install_studydeck(folder / "installed")
    except CommandFailed as failure:
        print(f"measuring the checkout (python cli.py): no wheel could be installed: "
              f"{str(failure).splitlines()[0]}")


GROUPS: dict[str, Callable[[Path, argparse.Namespace], list[Row]]] = {
    "startup": lambda folder, options: startup_rows(folder, options.runs),
    "sample": lambda folder, options: sample_rows(folder, options.runs),
    "scale": lambda folder, options: scale_rows(folder, options.runs, options.pandoc_runs),
}


def settle(quiet: float = 1.0, patience: float = 120) -> None:
    """Wait (up to `patience` s) until the minute's load average is under `quiet`: a big build
    forks a helper only with a core to spare by that average (studydeck/parallel.py), which the
    exports of the group before keep high for a minute after they end."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= quiet and time.monotonic() < deadline:
        time.sleep(1)


def measured_rows(folder: Path, groups: list[str], options: argparse.Namespace) -> list[Row]:
    """Give the rows of each group; a group that fails is one missed row, and the groups after
    it are still measured."""
    rows: list[Row] = []
    for name in groups:
        settle()
        try:
            rows += GROUPS[name](folder / name, options)
        except CommandFailed as failure:
            rows.append(failed_row(name, str(failure).splitlines()[0]))
        except Exception as failure:  # a bug or a browser's time-out: its traceback, then on
            traceback.print_exc()
            rows.append(failed_row(name, f"{type(failure).__name__}: {failure}".splitlines()[0]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--pandoc-runs", type=int, default=3,
                        help="runs of Pandoc on the 1,000-slide deck, in turns with our build")
    parser.add_argument("--only", choices=sorted(GROUPS), action="append",
                        help="measure only this group (repeatable)")
    parser.add_argument("--judge", choices=JUDGES, default="wall",
                        help="hold wall-clock (default) or CPU seconds to the targets")
    options = parser.parse_args()
    hold_targets_to(options.judge)
    with tempfile.TemporaryDirectory(prefix="studydeck-bench-") as folder:
        measure_installed(Path(folder))
        use_bytecode_cache(Path(folder))
        rows = measured_rows(Path(folder), options.only or list(GROUPS), options)
    print(f"medians of {options.runs} runs; wall-clock seconds, CPU seconds (the command and "
          f"the processes it started) in brackets; targets held to {options.judge} time")
    print_table(rows)
    missed = [row for row in rows if row.met is False]
    if missed:
        print(f"{len(missed)} target{'s' if len(missed) != 1 else ''} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
