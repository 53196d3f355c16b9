"""The command line: parse options, call one function, print the outcome, set the exit code."""

# One module per command group; each has a `register(app)` that adds its commands. `--help`
# imports every such module, so a command module imports only Typer and studydeck.cli.common at
# its top: what a command needs (the models, the writer, Rich's widgets) it imports when it runs.
# tests/test_startup.py checks that, whatever groups are registered here. The `studydeck` script
# itself is studydeck/__main__.py, which answers `--version` before importing this.

from __future__ import annotations

import copy
import functools
import sys
from typing import Annotated, Any

import typer

from studydeck.cli import build, export, icons, preview, project, pull
from studydeck.cli.common import out, version_text
from studydeck.cli.stopping import stop_when_asked

app = typer.Typer(
    help="Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Click's plain help: Rich's help panels cost 60 ms per `--help`
)


def _print_version(asked: bool) -> None:
    if asked:
        out.print(f"studydeck {version_text()}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="print studydeck's version and stop")] = False,
) -> None:
    """Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx."""


for group in (build, export, project, icons, preview, pull):
    group.register(app)


def main() -> None:
    """Run the command line as its own process (the `studydeck` script, `python cli.py`)."""
    stop_when_asked()
    (_named_command_line(sys.argv[1:2]) or command_line())()


@functools.cache
def command_line() -> Any:
    """Give the Click command Typer makes of `app` (what `app()` makes on every call)."""
    return typer.main.get_command(app)


def _named_command_line(first: list[str]) -> Any | None:
    """Give the Click command Typer makes of `app` with only the command `first` names (the
    app's own options kept), or None when it names no command (an option, a group, a typo).

    Typer reads the options of every command to make the whole app (~8 ms, a fiftieth of a
    rebuild after an edit); a run uses one of them, and answers as the whole app would.
    """
    for info in app.registered_commands:
        name = info.name or typer.main.get_command_name(getattr(info.callback, "__name__", ""))
        if first == [name]:
            one = copy.copy(app)
            one.registered_commands, one.registered_groups = [info], []
            return typer.main.get_command(one)
    return None


__all__ = ["app", "command_line", "main"]
