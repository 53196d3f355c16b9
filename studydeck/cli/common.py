"""What every command shares: the consoles, error reporting, progress display, --project.

Every command module imports this one, and `--help` imports every command module: so nothing here
(or there) imports Rich's console, the models or the writer until a command runs.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar, cast

import typer

from studydeck.errors import DeckError, Problem, ToolFailedError, ToolMissingError
from studydeck.project import ProjectPaths, find_project

if TYPE_CHECKING:
    from rich.console import Console

    from studydeck.build import Progress as BuildProgress
    from studydeck.export.options import ExportProgress



class _ConsoleOnFirstUse:
    """Stands for a Rich console, made when first printed to (importing Rich costs ~30 ms)."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)

    # Rich's live displays use their console as a context manager, looked up on the type
    def __enter__(self) -> Console:
        return self.console.__enter__()

    def __exit__(self, *exc_info: Any) -> None:
        self.console.__exit__(*exc_info)

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console


out = cast("Console", _ConsoleOnFirstUse(stderr=False))
err = cast("Console", _ConsoleOnFirstUse(stderr=True))

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


def escape(text: str) -> str:
    """Give `text` with Rich markup escaped (Rich imported only when something is printed)."""
    from rich.markup import escape as escape_markup

    return escape_markup(text)


def version_text() -> str:
    from studydeck import __version__

    return __version__


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
    from studydeck.export.options import ExportProgress

    if not err.is_interactive:  # Rich would show nothing of a transient display: skip it all
        yield ExportProgress()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

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


