"""The `studydeck` command (and `python -m studydeck`): answers `--version` before loading more.

Loading the command line (Typer, Click and every command's options) takes several times longer
than Python's own start-up; printing the version needs none of it. `build` and `validate` go to
the build server when one runs (studydeck/server/), and start one after running here when none does.
"""

from __future__ import annotations

import sys

from studydeck import __version__

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def main() -> None:
    """Run the command line named by sys.argv."""
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    from studydeck.server.address import SERVED_COMMANDS, wanted

    if sys.argv[1:2] and sys.argv[1] in SERVED_COMMANDS and wanted():
        run_served_or_here()
    else:
        run_here()


def run_served_or_here() -> None:
    """Run the command in the build server; without one, run it here and start one after."""
    from studydeck.server.client import run_in_server  # Linux and macOS only (fcntl, fork)

    try:
        served = run_in_server(sys.argv)
    except KeyboardInterrupt:  # before the server's copy took the command over
        sys.exit(INTERRUPTED)
    if served.exit_code is not None:
        _leave_at_once(served.exit_code)
    try:
        run_here()
    except SystemExit as leaving:
        if served.start_at is not None and leaving.code != INTERRUPTED:
            import contextlib

            from studydeck.server.client import start_server

            # no server this time: the command itself is done, and said what it did
            with contextlib.suppress(OSError):
                start_server(served.start_at)
        raise


def _leave_at_once(code: int) -> None:
    """Exit with the served command's code, without tearing the interpreter down (~2 ms): this
    process only waited for the server's copy, which has done the command's work and cleanup."""
    import os

    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)


def run_here() -> None:
    """Run the command line in this process (also what the server's copy of itself runs)."""
    from studydeck.command_process import end_command, start_command

    start_command()
    from studydeck.cli import main as run_command_line

    try:
        run_command_line()
    finally:
        end_command()


def version_line() -> str:
    """Give what `studydeck --version` prints (as `studydeck.cli` prints it, without Typer)."""
    return f"studydeck {__version__}"


if __name__ == "__main__":
    main()
