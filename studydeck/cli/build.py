"""Commands that build and check the deck: build, watch, diagrams, validate, plan."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from studydeck.cli.common import (
    ProjectOption,
    StrictOption,
    counted,
    err,
    escape,
    fail_on_warnings,
    out,
    print_problems,
    progress_display,
    project_paths,
    reports_errors,
)
from studydeck.cli.process import keep_running
from studydeck.errors import DeckError, Problem
from studydeck.source.folder import ProjectFolder

if TYPE_CHECKING:
    from studydeck.preview.watch import Rebuild


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    for command in (build, watch, diagrams, validate, plan):
        app.command()(command)


@reports_errors
def build(
    project: ProjectOption = Path("."),
    chapter: Annotated[
        list[str] | None,
        typer.Option("--chapter", "-c", help="build only this chapter (repeatable)"),
    ] = None,
    force: Annotated[bool, typer.Option(help="re-render every diagram")] = False,
    strict: StrictOption = False,
) -> None:
    """Build output/deck.pptx, or output/chapters/ID.pptx for each --chapter."""
    from studydeck.build import build_deck  # keeps `--help` fast

    paths = project_paths(project)
    started = time.perf_counter()
    with progress_display() as progress:
        results = build_deck(paths, chapter, force_diagrams=force, progress=progress)
    print_problems(results[0].warnings, paths.root)
    elapsed = time.perf_counter() - started
    drawn = len(results[0].rendered)
    for result in results:
        shown = result.path.relative_to(paths.root)
        out.print(f"[green]wrote[/] {shown}: {result.slide_count} slides")
    out.print(f"{counted(drawn, 'diagram')} drawn, {elapsed:.2f} s")
    fail_on_warnings(strict, results[0].warnings)


@reports_errors
def watch(project: ProjectOption = Path(".")) -> None:
    """Build the deck, then again after every save of a source file, until Ctrl-C."""
    from studydeck.preview.watch import SOURCE_PARTS, watch_project  # keeps `--help` fast

    keep_running()
    paths = project_paths(project)
    watched = ", ".join(part if "." in part else f"{part}/" for part in SOURCE_PARTS)
    try:
        out.print(f"watching {watched} (Ctrl-C to stop)", highlight=False)
        watch_project(paths, RebuildPrinter(paths).print)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM (studydeck.cli.stopping)
        out.print("stopped watching")


class RebuildPrinter:
    """Prints one line per rebuild; problems (file:line) when it failed, warnings when new."""

    def __init__(self, paths: ProjectFolder) -> None:
        self.paths = paths
        self.warnings: list[Problem] = []

    def print(self, done: Rebuild) -> None:
        clock = time.strftime("%H:%M:%S")
        names = [str(p.relative_to(self.paths.root)) if p.is_relative_to(self.paths.root)
                 else str(p) for p in done.changed]
        after = f" after {', '.join(names[:3])}{' …' if len(names) > 3 else ''}" if names else ""
        if done.results is None:
            failure = done.failure
            if isinstance(failure, DeckError):
                print_problems(failure.problems, self.paths.root)
            else:
                err.print(f"[bold red]error:[/] {escape(str(failure))}", soft_wrap=True)
            err.print(f"{clock} [red]build failed[/]{escape(after)}; waiting for the next save",
                      highlight=False, soft_wrap=True)
            return
        result = done.results[0]
        if result.warnings != self.warnings:
            print_problems(result.warnings, self.paths.root)
            self.warnings = result.warnings
        drawn = len(result.rendered)
        out.print(f"{clock} [green]built[/] {result.path.relative_to(self.paths.root)}: "
                  f"{result.slide_count} slides, {counted(drawn, 'diagram')} "
                  f"drawn, {done.seconds:.2f} s{escape(after)}", highlight=False, soft_wrap=True)


@reports_errors
def diagrams(
    names: Annotated[list[str] | None, typer.Argument(help="diagram names (default: all)")] = None,
    project: ProjectOption = Path("."),
    force: Annotated[bool, typer.Option(help="re-render even if unchanged")] = False,
) -> None:
    """Render diagrams/*.yaml to output/diagrams/, only those whose source changed."""
    from studydeck.build import render_diagrams  # keeps `--help` fast

    paths = project_paths(project)
    with progress_display() as progress:
        images, rendered = render_diagrams(paths, names, force=force, progress=progress)
    for name in sorted(images):
        state = "[green]drawn[/]" if name in rendered else "[dim]unchanged[/]"
        out.print(f"{state} {images[name].base.relative_to(paths.root)}")


@reports_errors
def validate(project: ProjectOption = Path("."), strict: StrictOption = False) -> None:
    """Check the project as `build` does, writing nothing: the same problems, the same slides."""
    from studydeck.build import check_project  # keeps `--help` fast

    paths = project_paths(project)
    checked = check_project(paths)
    loaded = checked.project
    print_problems(loaded.warnings, paths.root)
    out.print(
        f"[green]ok[/]: {counted(len(loaded.chapters), 'chapter')}, "
        f"{counted(checked.slide_count, 'slide')}, {counted(len(loaded.diagrams), 'diagram')}"
    )
    fail_on_warnings(strict, loaded.warnings)


@reports_errors
def plan(
    project: ProjectOption = Path("."),
    start: Annotated[
        str | None, typer.Option(help="start time HH:MM (default: deck.yaml's session.start)")
    ] = None,
) -> None:
    """Print the run sheet: chapters, slides, minutes and the clock."""
    from rich.table import Table  # keeps `--help` fast

    # the models and the stages: keeps `--help` fast
    from studydeck.build import plan_project
    from studydeck.session_plan import parse_start, run_sheet

    paths = project_paths(project)
    given = _start_time(start) if start else None
    loaded, slides = plan_project(paths)
    starts = given or parse_start(
        (loaded.deck.session.start if loaded.deck.session else None) or "00:00")
    counts = Counter(slide.chapter.id for slide in slides if slide.chapter is not None)
    sheet = run_sheet(loaded, starts, counts)
    table = Table(title=loaded.deck.title)
    for heading in ("#", "chapter", "slides", "minutes", "start", "end"):
        table.add_column(heading, justify="right" if heading != "chapter" else "left")
    for number, row in enumerate(sheet.rows, start=1):
        table.add_row(str(number), escape(row.title), str(row.slides), f"{row.minutes:g}",
                      row.starts.strftime("%H:%M"), row.ends.strftime("%H:%M"))
    out.print(table)
    limit = f" of {sheet.session_minutes}" if sheet.session_minutes else ""
    out.print(f"total: {sheet.total_minutes:g}{limit} minutes")
    print_problems(sheet.warnings, paths.root)




def _start_time(text: str) -> dt.datetime:
    """Give the --start time; a time that is not HH:MM is a usage error."""
    from studydeck.session_plan import parse_start  # keeps `--help` fast

    try:
        return parse_start(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a time of day; write HH:MM, e.g. --start 19:00",
                                 param_hint="'--start'") from None
