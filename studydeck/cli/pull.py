"""`pull`: texts edited in the built deck (PowerPoint, LibreOffice) back into the YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from studydeck.cli.common import ProjectOption, escape, out, reports_errors


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(pull)


@reports_errors
def pull(
    deck: Annotated[Path | None, typer.Argument(
        metavar="[DECK.pptx]", help="the edited deck (default: output/deck.pptx)")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="print the changes as a unified diff and write nothing")] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Write texts edited in the built deck back into the YAML they came from."""
    from studydeck.pull.run import pull_deck  # keeps `--help` fast
    from studydeck.source.folder import find_project

    paths = find_project(project)
    report = pull_deck(paths, deck or paths.deck_output, dry_run=dry_run)
    for line in report.changes:
        out.print(escape(line), highlight=False, soft_wrap=True)
    for line in report.own_notes:
        out.print(escape(line), highlight=False, soft_wrap=True)
    if dry_run and report.diff:
        out.print(escape(report.diff.rstrip("\n")), highlight=False, soft_wrap=True)
    for line in report.conflicts:
        out.print(escape(line), highlight=False, soft_wrap=True)
    for line in report.kept:
        out.print(escape(line), highlight=False, soft_wrap=True)
    if not (report.changes or report.conflicts or report.kept):
        out.print("nothing to pull: the deck's texts are the YAML's", highlight=False)
    elif dry_run:
        out.print("dry run: nothing written", highlight=False)
