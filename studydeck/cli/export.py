"""`export`: the deck rendered by LibreOffice (PDF, PNG, contact sheet, handout)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from studydeck.cli.common import (
    ProjectOption,
    counted,
    err,
    escape,
    out,
    print_problems,
    project_paths,
    reports_errors,
    step_and_bar_display,
)
from studydeck.export.options import ExportKind, ExportOptions

EXIT_STOPPED = 130  # as a shell reports a command Ctrl-C ended


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(export)


@reports_errors
def export(
    kind: Annotated[ExportKind, typer.Argument(
        help="pdf: output/deck.pdf; png: output/png/slide-NNN.png; sheet: output/sheet.png, "
             "all slides in a grid; handout: output/handout/handout.md (+ .pdf); html: "
             "output/html/, the deck as a web page (every click)")],
    project: ProjectOption = Path("."),
    chapter: Annotated[str | None, typer.Option(
        "--chapter", "-c", help="export the chapter's deck (into output/chapters/ID/)")] = None,
    dpi: Annotated[float, typer.Option(min=20, max=600, help="resolution of png pages")] = 96,
    columns: Annotated[int, typer.Option(min=1, max=30, help="thumbnails per sheet row")] = 6,
    thumb_width: Annotated[int, typer.Option(min=80, max=1920,
                                             help="sheet thumbnail width (px)")] = 320,
    timeout: Annotated[float, typer.Option(min=10, help="seconds LibreOffice may take")] = 300,
    workers: Annotated[int, typer.Option(
        min=0, max=64,
        help="LibreOffice processes rendering side by side (0: one per core; 1: one core for all)")
    ] = 0,
    clicks: Annotated[bool, typer.Option(
        "--clicks", help="pdf / png: one page per click (output/deck-clicks.pdf, "
                         "output/png/slide-NNN-K.png after K clicks)")] = False,
) -> None:
    """Build the deck if needed, then export it with LibreOffice (PDF, PNG, sheet, handout, HTML).

    Pages show each slide as it ends, but a quiz without its answer; --clicks shows every click.
    """
    from studydeck.export.start import export_workers  # keeps `--help` fast (and is light)

    paths = project_paths(project)
    options = ExportOptions(chapter, dpi, columns, thumb_width, timeout, clicks, workers)
    try:
        with export_workers(paths, kind, options) as pool, step_and_bar_display() as progress:
            from studydeck.export.run import export as export_deck  # keeps `--help` fast

            result = export_deck(paths, kind, options, progress, pool)
    except KeyboardInterrupt:  # the workers are gone and every output is as it was
        err.print("stopped the export: the files of the previous one are unchanged")
        raise typer.Exit(EXIT_STOPPED) from None
    print_problems(result.build.warnings, paths.root)
    slides = counted(result.build.slide_count, "slide")
    for path in result.written:
        out.print(f"[green]wrote[/] {path.relative_to(paths.root)}: {slides}")
    if result.states:
        kept = result.states - result.rendered
        out.print(f"LibreOffice rendered {result.rendered} of {result.states} click states"
                  + (f"; {kept} had not changed" if kept else ""), highlight=False)
    for note in result.skipped:
        err.print(f"[yellow]warning:[/] {escape(note)}")


