"""What every command shares: the consoles, error reporting, progress display, --project.

Every command module imports this one, and `--help` imports every command module: so nothing here
(or there) imports Rich's console, the models or the writer until a command runs.
"""

from __future__ import annotations

import errno
import functools
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar, cast

import typer

from studydeck import __version__
from studydeck.errors import DeckError, Problem, ToolFailedError, ToolMissingError, UsageMistake
from studydeck.source.folder import ProjectFolder, find_project

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
            from rich.console import Console  # keeps `--help` fast

            # User text (titles, file names, messages) is printed as written: `:100:` is a line
            # number, not an emoji code; markup of our own is explicit and user text escaped.
            self._console = Console(stderr=self._stderr, emoji=False, highlight=False)
        return self._console


out = cast("Console", _ConsoleOnFirstUse(stderr=False))
err = cast("Console", _ConsoleOnFirstUse(stderr=True))
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
            print_problems(error.problems, _working_folder())
            raise typer.Exit(EXIT_PROBLEMS) from None
        except UsageMistake as mistake:
            raise typer.BadParameter(mistake.text(), param_hint=f"'{mistake.option}'") from None
        except (ToolMissingError, ToolFailedError) as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except (typer.Exit, typer.Abort, typer.TyperException):  # usage errors: exit 2
            raise
        except OSError as error:
            if error.errno not in SYSTEM_TROUBLE:  # not the disk's nor the folder's: ours
                _report_bug()
            err.print(f"[bold red]error:[/] {escape(system_trouble(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except Exception:  # a bug in studydeck, not in the deck: keep its traceback
            _report_bug()

    return wrapper


def _report_bug() -> NoReturn:
    traceback.print_exc()
    err.print(f"[bold red]internal error[/] in studydeck {escape(version_text())}: "
              "please report it with the traceback above")
    raise typer.Exit(EXIT_INTERNAL) from None


# What the machine, not studydeck, got wrong: a full disk, a read-only or forbidden folder.
SYSTEM_TROUBLE = {
    errno.ENOSPC: "free some space on that disk, then run again; the previous outputs are kept",
    errno.EDQUOT: "your disk quota is used up: free some space, then run again",
    errno.EFBIG: "the file is larger than this system lets a program write (ulimit -f)",
    errno.EROFS: "the folder is read-only: copy the project to a folder you can write to",
    errno.EACCES: "you may not write or read there: check the folder's permissions (ls -ld)",
    errno.EPERM: "you may not write or read there: check the folder's permissions (ls -ld)",
    errno.EMFILE: "too many files are open: close some programs, then run again",
}


def system_trouble(error: OSError) -> str:
    """Give a sentence naming the file an OSError is about, why, and what to do."""
    place = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    hint = SYSTEM_TROUBLE.get(error.errno or 0, "")
    return f"{place}{reason[:1].lower()}{reason[1:]}\n    hint: {hint}"


def _working_folder() -> Path | None:
    """Give the folder the command runs in; None if it was deleted under it."""
    try:
        return Path.cwd()
    except OSError:
        return None


def escape(text: str) -> str:
    """Give `text` with Rich markup escaped (Rich imported only when something is printed)."""
    from rich.markup import escape as escape_markup  # keeps `--help` fast

    return escape_markup(text)


def version_text() -> str:
    return __version__


def print_problems(problems: list[Problem], root: Path | None = None) -> None:
    """Print each problem as `file:line:column: error: message`, then how many were found."""
    from rich.text import Text  # keeps `--help` fast

    for problem in problems[:SHOWN_PROBLEMS]:
        color = "red" if problem.severity == "error" else "yellow"
        place, _, rest = problem.format(root).partition(": ")
        # Text, not markup: nothing the user wrote is read as [style] or :emoji:
        line = Text.assemble((place, "bold"), ": ", (rest, color))
        err.print(line, soft_wrap=True, markup=False, emoji=False, highlight=False)
    if len(problems) > SHOWN_PROBLEMS:
        err.print(f"… and {len(problems) - SHOWN_PROBLEMS} more", markup=False)
    summary = problem_count(problems)
    if summary:
        color = "red" if any(p.severity == "error" for p in problems) else "yellow"
        err.print(f"[bold {color}]{summary}[/]")


def problem_count(problems: list[Problem]) -> str:
    """Give the summary line of printed problems: "2 errors and 1 warning found" ('' for none)."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    found = [counted(count, word) for count, word in ((errors, "error"), (warnings, "warning"))
             if count]
    return f"{' and '.join(found)} found" if found else ""


def counted(count: int, word: str) -> str:
    """Give "1 slide", "2 slides": a count and its noun."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def fail_on_warnings(strict: bool, warnings: list[Problem]) -> None:
    """Exit 1 after the output when `--strict` was given and there were warnings."""
    if strict and warnings:
        err.print("[bold red]--strict: warnings count as errors[/]")
        raise typer.Exit(EXIT_PROBLEMS)


StrictOption = Annotated[bool, typer.Option(
    "--strict", help="exit 1 when there are warnings (for CI); they are printed all the same")]


def project_paths(path: Path) -> ProjectFolder:
    return find_project(path)


@contextmanager
def progress_display() -> Iterator[BuildProgress]:
    with step_and_bar_display() as progress:
        yield progress.for_build()


@contextmanager
def step_and_bar_display() -> Iterator[ExportProgress]:
    """Give callbacks that show the current step on one line and a bar of things below it."""
    from studydeck.export.options import ExportProgress  # keeps `--help` fast

    if not err.is_interactive:  # Rich would show nothing of a transient display: skip it all
        yield ExportProgress()
        return
    # Rich's live display: keeps `--help` fast
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

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


