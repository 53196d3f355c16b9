"""`server status|start|stop`: the build server, which runs `build` and `validate` at once."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from studydeck.cli.common import err, escape, out

if TYPE_CHECKING:
    from studydeck.server.address import Address

server_app = typer.Typer(help="The build server: `build` and `validate` without Python's start-up.",
                         no_args_is_help=True)
WAIT_SECONDS = 60.0


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(server_app, name="server")


@server_app.command()
def status() -> None:
    """Say whether a server for this studydeck runs, since when, and how much it has served."""
    from studydeck.server.address import wanted

    where = _address_or_exit()
    from studydeck.server.client import ask, starting

    state = ask(where, "status")
    if state is None and starting(where):
        out.print("a server is starting (loading studydeck); commands run on their own until it "
                  "answers", highlight=False)
        return
    if state is None:
        off = "" if wanted() else (" (commands run on their own: STUDYDECK_SERVER=0, or CI is "
                                   "set)")
        out.print(f"no server running{off}", highlight=False)
        raise typer.Exit(1)
    since = dt.datetime.fromtimestamp(float(state["started"])).strftime("%H:%M:%S")
    out.print(f"server running: pid {state['pid']}, since {since}, "
              f"{state['served']} commands served, {state['running']} running now, "
              f"socket {escape(where.socket)}",
              highlight=False, soft_wrap=True)


@server_app.command()
def start() -> None:
    """Start a server (if none runs) and wait until it answers."""
    where = _address_or_exit()
    from studydeck.server.client import ask, start_server, starting, until

    if ask(where, "status") is None and not starting(where):
        start_server(where)
    state = until(lambda: ask(where, "status"), WAIT_SECONDS)
    if state is None:
        err.print(f"the server did not start; its log: {escape(where.log)}", soft_wrap=True)
        raise typer.Exit(1)
    out.print(f"server running: pid {state['pid']}", highlight=False)


@server_app.command()
def stop() -> None:
    """Stop the server for this studydeck (commands then run on their own until one starts it)."""
    where = _address_or_exit()
    from studydeck.server.client import ask, starting, until, wait_until_gone

    # a server still loading answers once it has loaded
    state = until(lambda: ask(where, "stop"), WAIT_SECONDS, keep_trying=lambda: starting(where))
    if state is None:
        out.print("no server running", highlight=False)
        return
    wait_until_gone(where, WAIT_SECONDS)
    out.print(f"server stopped (pid {state['pid']})", highlight=False)


def _address_or_exit() -> Address:
    """Give where this studydeck's server listens; exit 1 saying why there is none."""
    from studydeck.server.address import address, possible

    if not possible():
        err.print("this system cannot run the build server (it needs Linux or macOS); "
                  "every command runs on its own")
        raise typer.Exit(1)
    where = address()
    if where is None:
        err.print("no private folder for the server's socket (XDG_RUNTIME_DIR or /tmp)")
        raise typer.Exit(1)
    return where
