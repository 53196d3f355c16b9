"""`icons`: the icon names a diagram's nodes accept, so nobody reads the diagrams package."""

from __future__ import annotations

from typing import Annotated

import typer

from studydeck.cli.common import err, escape, out, reports_errors


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(icons)


@reports_errors
def icons(
    words: Annotated[list[str] | None, typer.Argument(
        metavar="[FILTER]...", help="show only names holding every word (any case)")] = None,
) -> None:
    """List the icon names diagrams accept (provider.group.Name), e.g. `icons aws database`."""
    from studydeck.diagrams.icons import icons_matching  # keeps `--help` fast

    names = icons_matching(words or [])
    if not names:
        err.print(f"no icon name contains {escape(' and '.join(repr(w) for w in words or []))}; "
                  "try one shorter word, e.g. `studydeck icons queue`", highlight=False)
        raise typer.Exit(1)
    for name in names:
        out.print(name, highlight=False, soft_wrap=True)
