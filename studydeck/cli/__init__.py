"""The command line: parse options, call one function, print the outcome, set the exit code.

One module per command group; each has a `register(app)` that adds its commands. `--help` imports
every such module, so a command module imports only Typer and studydeck.cli.common at its top:
what a command needs (the models, the writer, Rich's widgets) it imports when it runs.
tests/test_startup.py checks that, whatever groups are registered here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from studydeck.cli import build, export, project

app = typer.Typer(
    help="Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Click's plain help: Rich's help panels cost 60 ms per `--help`
)


def _print_version(asked: bool) -> None:
    if asked:
        from studydeck.__main__ import version_line

        print(version_line())
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[bool | None, typer.Option(
        "--version", is_eager=True, callback=_print_version, help="print the version and exit",
    )] = None,
) -> None:
    """Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx."""


for group in (build, export, project):
    group.register(app)

__all__ = ["app"]
