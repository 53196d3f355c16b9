"""Commands about the project and the machine: new, schema, doctor."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from studydeck.cli.common import ProjectOption, escape, out, project_paths, reports_errors
from studydeck.project.starter import Language
from studydeck.source.folder import ProjectFolder

if TYPE_CHECKING:
    from studydeck.project.scaffold import Scaffolded


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(doctor)
    app.command()(schema)
    app.add_typer(new_app, name="new")


def doctor(project: ProjectOption = Path(".")) -> None:
    """Check Python, Graphviz, the Korean font, LibreOffice and output/; print each fix."""
    from studydeck.doctor import run_checks  # keeps `--help` fast

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


@reports_errors
def schema(
    project: ProjectOption = Path("."),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="folder for the schemas (default: schemas/)")
    ] = None,
) -> None:
    """Write JSON Schemas of deck, chapter and diagram files for editors (VS Code YAML)."""
    from studydeck.project.json_schema import SCHEMA_DIR, write_schemas  # keeps `--help` fast

    folder = out_dir or project / SCHEMA_DIR
    for path in write_schemas(folder):
        out.print(f"[green]wrote[/] {path}")


new_app = typer.Typer(help="Start a deck project, a chapter or a diagram.", no_args_is_help=True)


@new_app.command("deck")
@reports_errors
def new_deck(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="the folder for the new deck")],
    title: Annotated[str | None, typer.Option(help="the deck's title")] = None,
    language: Annotated[Language, typer.Option(
        help="ko or en: the starter's text and the deck's own words")] = "ko",
    force: Annotated[bool, typer.Option(
        help="write into a folder that is not empty (files of the same name are replaced)")
    ] = False,
) -> None:
    """Write a small deck project into DIR that builds at once and shows every slide type."""
    from studydeck.project.starter import new_deck as start_deck  # keeps `--help` fast

    started = start_deck(folder, language, title, force)
    out.print(f"[green]wrote[/] {len(started.files)} files into {escape(str(folder))}",
              highlight=False)
    for path in started.files:
        out.print(f"  {escape(str(path.relative_to(started.folder)))}", highlight=False)
    _print_next(started.next_steps)


@new_app.command("chapter")
@reports_errors
def new_chapter(
    chapter_id: Annotated[str, typer.Argument(metavar="ID", help="the chapter id, e.g. caching")],
    project: ProjectOption = Path("."),
) -> None:
    """Write chapters/ID.yaml and add it to deck.yaml's chapters."""
    from studydeck.project.scaffold import new_chapter as scaffold_chapter  # keeps `--help` fast

    paths = project_paths(project)
    _print_scaffolded(paths, scaffold_chapter(paths, chapter_id))


@new_app.command("diagram")
@reports_errors
def new_diagram(
    name: Annotated[str, typer.Argument(help="the diagram name, e.g. request-flow")],
    project: ProjectOption = Path("."),
) -> None:
    """Write diagrams/NAME.yaml."""
    from studydeck.project.scaffold import new_diagram as scaffold_diagram  # keeps `--help` fast

    paths = project_paths(project)
    _print_scaffolded(paths, scaffold_diagram(paths, name))


def _print_scaffolded(paths: ProjectFolder, made: Scaffolded) -> None:
    out.print(f"[green]wrote[/] {made.path.relative_to(paths.root)}")
    _print_next(made.next_steps)


def _print_next(steps: list[str]) -> None:
    out.print("next:")
    for step in steps:
        out.print(f"  - {escape(step)}", highlight=False)
