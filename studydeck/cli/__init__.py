"""The command line: parse options, call one function, print the outcome, set the exit code.

One module per command group; each has a `register(app)` that adds its commands.
"""

from __future__ import annotations

import typer

from studydeck.cli import build, export, preview, project

app = typer.Typer(
    help="Turn a deck project (deck.yaml, chapters/, diagrams/) into an interactive .pptx.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for group in (build, export, project, preview):
    group.register(app)

__all__ = ["app"]
