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
from rich.text import Text

from studydeck.errors import DeckError, Problem, ToolFailedError, ToolMissingError, UsageMistake
from studydeck.project import ProjectPaths, find_project

if TYPE_CHECKING:
    from studydeck.build import Progress as BuildProgress
    from studydeck.export.options import ExportProgress

# User text (titles, file names, messages) is printed as written: `:100:` is a line number, not
# an emoji code; markup in messages of our own is explicit (`[green]`) and user text escaped.
out = Console(emoji=False, highlight=False)
err = Console(stderr=True, emoji=False, highlight=False)
EXIT_PROBLEMS = 1  # the deck's files have problems
EXIT_USAGE = 2  # the command line is wrong (as Click exits)
EXIT_INTERNAL = 70  # a bug in studydeck (EX_SOFTWARE)
SHOWN_PROBLEMS = 100  # past this many, "… and N more"

P = ParamSpec("P")
R = TypeVar("R")

ProjectOption = Annotated[
    Path, typer.Option("--project", "-p", help="the deck project folder (default: here)")
]


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print file problems (exit 1) and usage mistakes (exit 2); a bug keeps its traceback (70)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DeckError as error:
            print_problems(error.problems, Path.cwd())
            raise typer.Exit(EXIT_PROBLEMS) from None
        except UsageMistake as mistake:
            raise typer.BadParameter(mistake.text(), param_hint=f"'{mistake.option}'") from None
        except (ToolMissingError, ToolFailedError) as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except (typer.Exit, typer.Abort, typer.TyperException):  # usage errors: exit 2
            raise
        except Exception:  # a bug in studydeck, not in the deck: keep its traceback
            traceback.print_exc()
            err.print(f"[bold red]internal error[/] in studydeck {escape(version_text())}: "
                      "please report it with the traceback above")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studydeck")
    except PackageNotFoundError:
        return "(not installed)"


def print_problems(problems: list[Problem], root: Path | None = None) -> None:
    """Print each problem as `file:line:column: error: message`, then how many were found."""
    for problem in problems[:SHOWN_PROBLEMS]:
        color = "red" if problem.severity == "error" else "yellow"
        place, _, rest = problem.format(root).partition(": ")
        # Text, not markup: nothing the user wrote is read as [style] or :emoji:
        line = Text.assemble((place, "bold"), ": ", (rest, color))
        err.print(line, soft_wrap=True, markup=False, emoji=False, highlight=False)
    if len(problems) > SHOWN_PROBLEMS:
        err.print(f"… and {len(problems) - SHOWN_PROBLEMS} more", markup=False)
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
                       MofNCompleteColumn(), console=err, transient=True,
                       disable=not err.is_terminal)  # a log or a pipe gets no stray lines
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


