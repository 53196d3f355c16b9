"""The `studydeck` command (and `python -m studydeck`): answers `--version` before loading more.

Loading the command line (Typer, Click and every command's options) takes several times longer
than Python's own start-up; printing the version needs none of it.
"""

from __future__ import annotations

import sys

from studydeck import __version__


def main() -> None:
    """Run the command line named by sys.argv."""
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    # imported here: keeps `--version` fast, which needs none of it (see the docstring)
    from studydeck.cli.process import end_command, start_command

    start_command()
    from studydeck.cli import main as run_command_line  # Typer: keeps `--version` fast

    try:
        run_command_line()
    finally:
        end_command()


def version_line() -> str:
    """Give what `studydeck --version` prints (as `studydeck.cli` prints it, without Typer)."""
    return f"studydeck {__version__}"


if __name__ == "__main__":
    main()
