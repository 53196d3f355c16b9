"""What every command shares: the consoles, error reporting, progress display, --project."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from studydeck.errors import DeckError, Problem, ToolFailedError, ToolMissingError
from studydeck.project import ProjectPaths, find_project

if TYPE_CHECKING:
    from studydeck.build import Progress as BuildProgress
    from studydeck.export.options import ExportProgress

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
            err.print(f"[bold red]internal error[/] in studydeck {escape(version_text())}: "
                      "please report it with the traceback above")
            raise typer.Exit(2) from None

    return wrapper


def version_text() -> str:
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


def project_paths(path: Path) -> ProjectPaths:
    return find_project(path)


@contextmanager
def progress_display() -> Iterator[BuildProgress]:
    with step_and_bar_display() as progress:
        yield progress.for_build()


@contextmanager
def step_and_bar_display() -> Iterator[ExportProgress]:
    """Give callbacks that show the current step on one line and a bar of things below it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from studydeck.export.options import ExportProgress

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


