"""The command line: parse options, call one function, print the outcome, set the exit code."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from studydeck.build import Progress as BuildProgress
from studydeck.errors import DeckError, Problem, ToolMissingError
from studydeck.project import ProjectPaths, find_project

app = typer.Typer(
    help="Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

ProjectOption = Annotated[
    Path, typer.Option("--project", "-p", help="the deck project folder (default: here)")
]


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print bad-input errors as file:line messages and exit 1; internal bugs keep a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DeckError as error:
            print_problems(error.problems, Path.cwd())
            raise typer.Exit(1) from None
        except ToolMissingError as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}")
            raise typer.Exit(1) from None

    return wrapper


def print_problems(problems: list[Problem], root: Path | None = None) -> None:
    for problem in problems:
        color = "red" if problem.severity == "error" else "yellow"
        place, _, rest = problem.format(root).partition(": ")
        err.print(f"[bold]{escape(place)}[/]: [{color}]{escape(rest)}[/]", highlight=False,
                  soft_wrap=True)
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:
        err.print(f"[bold red]{errors} problem{'s' if errors != 1 else ''} found[/]")


def _project(path: Path) -> ProjectPaths:
    return find_project(path)


@contextmanager
def _progress_display() -> Iterator[BuildProgress]:
    display = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn(), console=err, transient=True)
    with display:
        step = display.add_task("starting", total=None)
        diagrams = display.add_task("diagrams", total=0, visible=False)

        def on_count(count: int) -> None:
            display.update(diagrams, total=count, visible=count > 0)

        def on_rendered(name: str) -> None:
            display.update(diagrams, advance=1, description=f"drew {name}")

        yield BuildProgress(
            step=lambda name: display.update(step, description=name),
            diagrams_to_check=on_count,
            diagram_rendered=on_rendered,
        )


@app.command()
@reports_errors
def build(
    project: ProjectOption = Path("."),
    chapter: Annotated[
        list[str] | None,
        typer.Option("--chapter", "-c", help="build only this chapter (repeatable)"),
    ] = None,
    force: Annotated[bool, typer.Option(help="re-render every diagram")] = False,
) -> None:
    """Build output/deck.pptx, or output/chapters/ID.pptx for each --chapter."""
    from studydeck.build import build_deck

    paths = _project(project)
    started = time.perf_counter()
    with _progress_display() as progress:
        results = build_deck(paths, chapter, force_diagrams=force, progress=progress)
    print_problems(results[0].warnings, paths.root)
    elapsed = time.perf_counter() - started
    drawn = len(results[0].rendered)
    for result in results:
        shown = result.path.relative_to(paths.root)
        out.print(f"[green]wrote[/] {shown}: {result.slide_count} slides")
    out.print(f"{drawn} diagram{'s' if drawn != 1 else ''} drawn, {elapsed:.2f} s")


@app.command()
@reports_errors
def diagrams(
    names: Annotated[list[str] | None, typer.Argument(help="diagram names (default: all)")] = None,
    project: ProjectOption = Path("."),
    force: Annotated[bool, typer.Option(help="re-render even if unchanged")] = False,
) -> None:
    """Render diagrams/*.yaml to output/diagrams/, only those whose source changed."""
    from studydeck.build import render_diagrams

    paths = _project(project)
    with _progress_display() as progress:
        images, rendered = render_diagrams(paths, names, force=force, progress=progress)
    for name in sorted(images):
        state = "[green]drawn[/]" if name in rendered else "[dim]unchanged[/]"
        out.print(f"{state} {images[name].base.relative_to(paths.root)}")


@app.command()
@reports_errors
def validate(project: ProjectOption = Path(".")) -> None:
    """Check every file of the project and list all problems."""
    from studydeck.build import check_project

    paths = _project(project)
    loaded = check_project(paths)
    print_problems(loaded.warnings, paths.root)
    slides = sum(len(item.chapter.slides) for item in loaded.chapters)
    out.print(
        f"[green]ok[/]: {len(loaded.chapters)} chapters, {slides} slides, "
        f"{len(loaded.diagrams)} diagrams"
    )


@app.command()
@reports_errors
def plan(
    project: ProjectOption = Path("."),
    start: Annotated[
        str | None, typer.Option(help="start time HH:MM (default: deck.yaml's session.start)")
    ] = None,
) -> None:
    """Print the run sheet: chapters, slides, minutes and the clock."""
    from rich.table import Table

    from studydeck.plan import parse_start, run_sheet
    from studydeck.validate import load_project

    paths = _project(project)
    loaded = load_project(paths)
    start_text = start or (loaded.deck.session.start if loaded.deck.session else None) or "00:00"
    try:
        starts = parse_start(start_text)
    except ValueError:
        raise DeckError.single(paths.deck_file, f"'{start_text}' is not a time",
                               hint="write the start as HH:MM, e.g. --start 19:00") from None
    sheet = run_sheet(loaded, starts)
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
