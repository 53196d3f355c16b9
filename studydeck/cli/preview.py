"""`preview`: the deck in a browser, rebuilt and re-rendered on every save."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from studydeck.cli.build import RebuildPrinter
from studydeck.cli.common import (
    ProjectOption,
    out,
    project_paths,
    reports_errors,
    step_and_bar_display,
)
from studydeck.cli.process import keep_running


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(preview)


@reports_errors
def preview(
    project: ProjectOption = Path("."),
    port: Annotated[int, typer.Option(min=0, max=65535,
                                      help="port to serve on (0: any free one)")] = 8000,
    host: Annotated[str, typer.Option(
        help="address to serve on; only this machine by default")] = "127.0.0.1",
    dpi: Annotated[float, typer.Option(min=20, max=300, help="resolution of the slides")] = 96,
) -> None:
    """Serve the deck at http://localhost:8000/ and update the open page on every save.

    The page shows every click (arrows, space), the speaker notes, the chapter and its time
    slot, and a talk timer (t). Ctrl-C stops.
    """
    from studydeck.preview.session import PreviewOptions, run_preview  # keeps `--help` fast

    keep_running()
    paths = project_paths(project)
    printer = RebuildPrinter(paths)

    def ready(url: str) -> None:
        out.print(f"preview at {url} (Ctrl-C to stop)", highlight=False, soft_wrap=True)

    try:
        with step_and_bar_display() as progress:
            run_preview(paths, PreviewOptions(host, port, dpi, printer.print, ready, progress))
    except KeyboardInterrupt:
        pass
    out.print("stopped the preview")
