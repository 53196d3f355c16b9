"""`make bench`: every performance figure of studydeck next to its target, as one table.

Each figure is the median of several runs of the real command line (Python start-up included),
on copies in a temporary folder. Wall-clock time is what the targets are about; CPU time is shown
beside it because other work on the machine stretches wall time but not CPU time.
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
import watch_latency  # noqa: E402
from measure import Timing, copy_sample, edit_chapter, studydeck, timed  # noqa: E402

EDITED_CHAPTER = "chapters/03-database.yaml"
EXPORTED_CHAPTER = "database"
WARM_UP_MODULES = ("studydeck.cli", "studydeck.build", "studydeck.notes", "studydeck.watch",
                   "studydeck.pptx.writer", "studydeck.diagrams.render", "diagrams", "graphviz")


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str
    met: bool | None  # None: shown for comparison, no target

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "MISSED", None: ""}[self.met]


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

    cold = timed(build, runs, empty_output)
    hashes.add(_sha256(deck))
    sources = graphviz_alone.write_sources(project, folder / "dot")
    dot = timed(lambda: graphviz_alone.dot_commands(sources), runs)
    warm = timed(build, runs)
    same_again = _sha256(deck) in hashes
    edited = timed(build, runs, lambda run: edit_chapter(project / EDITED_CHAPTER, run))
    chapter = timed(lambda: [studydeck("build", "--project", project,
                                       "--chapter", EXPORTED_CHAPTER)], runs)
    watched = watch_latency.rebuild_seconds(project, project / EDITED_CHAPTER, runs)
    ratio, share = cold.wall / dot.wall, chapter.wall / warm.wall
    pictures = _cold_build(_with_render(copy_sample(folder / "pictures"), "picture"), runs)
    natives = _cold_build(_with_render(copy_sample(folder / "natives"), "native"), runs)
    native_ratio = natives.wall / pictures.wall
    return [
        Row("warm rebuild, one chapter edited (sample deck)", str(edited), "<= 0.80 s",
            edited.wall <= 0.8),
        Row("warm build, nothing changed", str(warm), "", None),
        Row(f"cold build ({len(sources)} pictures, empty cache)", str(cold), "", None),
        Row("Graphviz dot alone, same pictures in sequence", str(dot), "", None),
        Row("cold build / dot alone", f"{ratio:.2f}x", "<= 1.30x", ratio <= 1.3),
        Row(f"single-chapter export (--chapter {EXPORTED_CHAPTER})", str(chapter), "", None),
        Row("chapter export / whole-deck warm build", f"{share:.0%}", "<= 40%", share <= 0.4),
        Row(f"byte-identical builds ({runs} cold + warm)",
            "identical" if len(hashes) == 1 and same_again else f"{len(hashes)} different",
            "identical", len(hashes) == 1 and same_again),
        Row("watch: rebuild after a save (in-process)", f"{watched:.2f} s", "", None),
        Row("cold build, diagrams as pictures (render: picture)", str(pictures), "", None),
        Row("cold build, diagrams as shapes (render: native)", str(natives), "", None),
        Row("cold build native / picture", f"{native_ratio:.2f}x", "<= 1.00x",
            native_ratio <= 1.0),
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
    for count in (100, 1000):
        project = deckgen.write_project(folder / f"generated-{count}", count)
        build = lambda project=project: [studydeck("build", "--project", project)]  # noqa: E731
        cold[count] = timed(build, runs, lambda run, p=project: _empty_output(p))
        warm = timed(build, runs)
        pandoc = timed(lambda p=project: [_pandoc(p)], pandoc_runs if count == 1000 else runs)
        met = cold[count].wall < 4.0 if count == 1000 else None
        rows += [
            Row(f"{count} slides, {count // 10} pictures: cold build", str(cold[count]),
                "< 4 s" if count == 1000 else "", met),
            Row(f"{count} slides: warm build", str(warm), "", None),
            Row(f"{count} slides: Pandoc (same text, pictures, notes)"
                f"{'' if pandoc.runs == runs else f', median of {pandoc.runs}'}",
                str(pandoc), f">= ours ({warm.wall:.2f} s)", pandoc.wall >= warm.wall),
        ]
    growth = cold[1000].wall / cold[100].wall
    rows.append(Row("t(1000) / t(100), cold", f"{growth:.1f}", "<= 12", growth <= 12))
    return rows


def _pandoc(project: Path) -> list[str | Path]:
    import pypandoc

    return [pypandoc.get_pandoc_path(), project / "deck.md", "--resource-path", project,
            "-o", project / "pandoc.pptx"]


def _empty_output(project: Path) -> None:
    shutil.rmtree(project / "output", ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def use_bytecode_cache(folder: Path) -> None:
    """Let the measured commands keep compiled modules, as an installed studydeck does.

    (A sandbox may set PYTHONDONTWRITEBYTECODE; then every run compiles studydeck anew.) The
    cache goes to `folder`, not beside the sources, and is filled before anything is timed.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    modules = ", ".join(WARM_UP_MODULES)
    subprocess.run([sys.executable, "-c", f"import {modules}"], check=True, timeout=300)


def print_table(rows: list[Row], out: Callable[[str], None] = print) -> None:
    widths = [max(len(getattr(row, name)) for row in rows) for name in ("figure", "measured")]
    target_width = max(len(row.target) for row in rows)
    out(f"{'figure':<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{target_width}}")
    out("-" * (sum(widths) + target_width + 12))
    for row in rows:
        out(f"{row.figure:<{widths[0]}}  {row.measured:<{widths[1]}}  "
            f"{row.target:<{target_width}}  {row.verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--pandoc-runs", type=int, default=3,
                        help="runs of Pandoc on the 1,000-slide deck (about a minute each)")
    parser.add_argument("--only", choices=("sample", "scale"), help="measure one group")
    options = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="studydeck-bench-") as folder:
        use_bytecode_cache(Path(folder) / "pycache")
        if options.only in (None, "sample"):
            rows += sample_rows(Path(folder), options.runs)
        if options.only in (None, "scale"):
            rows += scale_rows(Path(folder), options.runs, options.pandoc_runs)
    print(f"medians of {options.runs} runs; wall-clock seconds, CPU seconds in brackets")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
