"""The command line: parse options, call one function, print the outcome, set the exit code."""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from studydeck.build import Progress as BuildProgress
from studydeck.errors import DeckError, Problem, ToolFailedError, ToolMissingError
from studydeck.export.options import ExportKind, ExportOptions, ExportProgress
from studydeck.project import ProjectPaths, find_project
from studydeck.scaffold import Scaffolded

if TYPE_CHECKING:
    from studydeck.watch import Rebuild

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
        except (ToolMissingError, ToolFailedError) as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception:  # a bug in studydeck, not in the deck: keep its traceback
            traceback.print_exc()
            err.print(f"[bold red]internal error[/] in studydeck {escape(_version())}: "
                      "please report it with the traceback above")
            raise typer.Exit(2) from None

    return wrapper


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studydeck")
    except PackageNotFoundError:
        return "(not installed)"


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
    with _step_and_bar_display() as progress:
        yield progress.for_build()


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
def watch(project: ProjectOption = Path(".")) -> None:
    """Build the deck, then again after every save of a source file, until Ctrl-C."""
    from studydeck.watch import SOURCE_PARTS, watch_project

    paths = _project(project)
    watched = ", ".join(part if "." in part else f"{part}/" for part in SOURCE_PARTS)
    out.print(f"watching {watched} (Ctrl-C to stop)", highlight=False)
    try:
        watch_project(paths, _RebuildPrinter(paths).print)
    except KeyboardInterrupt:
        out.print("stopped watching")


class _RebuildPrinter:
    """Prints one line per rebuild; problems (file:line) when it failed, warnings when new."""

    def __init__(self, paths: ProjectPaths) -> None:
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
                  f"{result.slide_count} slides, {drawn} diagram{'s' if drawn != 1 else ''} "
                  f"drawn, {done.seconds:.2f} s{escape(after)}", highlight=False, soft_wrap=True)


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


@contextmanager
def _step_and_bar_display() -> Iterator[ExportProgress]:
    """Give callbacks that show the current step on one line and a bar of things below it."""
    display = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn(), console=err, transient=True)
    with display:
        step = display.add_task("starting", total=None)
        things = display.add_task("", total=0, visible=False)
        yield ExportProgress(
            step=lambda name: display.update(step, description=name),
            count=lambda total, what: display.reset(things, total=total, description=what,
                                                    visible=total > 0),
            advance=lambda description: display.update(things, advance=1,
                                                       description=description),
        )


@app.command()
@reports_errors
def export(
    kind: Annotated[ExportKind, typer.Argument(
        help="pdf: output/deck.pdf; png: output/png/slide-NNN.png; sheet: output/sheet.png, "
             "all slides in a grid; handout: output/handout/handout.md (+ .pdf)")],
    project: ProjectOption = Path("."),
    chapter: Annotated[str | None, typer.Option(
        "--chapter", "-c", help="export the chapter's deck (into output/chapters/ID/)")] = None,
    dpi: Annotated[float, typer.Option(min=20, max=600, help="resolution of png pages")] = 96,
    columns: Annotated[int, typer.Option(min=1, max=30, help="thumbnails per sheet row")] = 6,
    thumb_width: Annotated[int, typer.Option(min=80, max=1920,
                                             help="sheet thumbnail width (px)")] = 320,
    timeout: Annotated[float, typer.Option(min=10, help="seconds LibreOffice may take")] = 300,
) -> None:
    """Build the deck if needed, then export it with LibreOffice (PDF, PNG, sheet, handout)."""
    from studydeck.export.run import export as export_deck

    paths = _project(project)
    options = ExportOptions(chapter, dpi, columns, thumb_width, timeout)
    with _step_and_bar_display() as progress:
        result = export_deck(paths, kind, options, progress)
    print_problems(result.build.warnings, paths.root)
    slides = f"{result.build.slide_count} slide{'s' if result.build.slide_count != 1 else ''}"
    for path in result.written:
        out.print(f"[green]wrote[/] {path.relative_to(paths.root)}: {slides}")
    for note in result.skipped:
        err.print(f"[yellow]warning:[/] {escape(note)}")


@app.command()
def doctor(project: ProjectOption = Path(".")) -> None:
    """Check Python, Graphviz, the Korean font, LibreOffice and output/; print each fix."""
    from studydeck.doctor import run_checks

    checks = run_checks(project)
    for check in checks:
        mark = "[green]ok[/]     " if check.ok else (
            "[red]missing[/]" if check.blocks_build else "[yellow]missing[/]")
        line = f"{mark} {check.name}: {escape(check.found)}"
        if not check.ok:
            line += f" [dim](needed for {check.needed_for})[/]\n        fix: {escape(check.fix)}"
        out.print(line, highlight=False, soft_wrap=True)
    if any(check.blocks_build for check in checks):
        raise typer.Exit(1)


@app.command()
@reports_errors
def schema(
    project: ProjectOption = Path("."),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="folder for the schemas (default: schemas/)")
    ] = None,
) -> None:
    """Write JSON Schemas of deck, chapter and diagram files for editors (VS Code YAML)."""
    from studydeck.json_schema import SCHEMA_DIR, write_schemas

    folder = out_dir or project / SCHEMA_DIR
    for path in write_schemas(folder):
        out.print(f"[green]wrote[/] {path}")


new_app = typer.Typer(help="Create a starter chapter or diagram file.", no_args_is_help=True)
app.add_typer(new_app, name="new")


@new_app.command("chapter")
@reports_errors
def new_chapter(
    chapter_id: Annotated[str, typer.Argument(metavar="ID", help="the chapter id, e.g. caching")],
    project: ProjectOption = Path("."),
) -> None:
    """Write chapters/ID.yaml and add it to deck.yaml's chapters."""
    from studydeck.scaffold import new_chapter as scaffold_chapter

    paths = _project(project)
    _print_scaffolded(paths, scaffold_chapter(paths, chapter_id))


@new_app.command("diagram")
@reports_errors
def new_diagram(
    name: Annotated[str, typer.Argument(help="the diagram name, e.g. request-flow")],
    project: ProjectOption = Path("."),
) -> None:
    """Write diagrams/NAME.yaml."""
    from studydeck.scaffold import new_diagram as scaffold_diagram

    paths = _project(project)
    _print_scaffolded(paths, scaffold_diagram(paths, name))


def _print_scaffolded(paths: ProjectPaths, made: Scaffolded) -> None:
    out.print(f"[green]wrote[/] {made.path.relative_to(paths.root)}")
    out.print("next:")
    for step in made.next_steps:
        out.print(f"  - {escape(step)}", highlight=False)
