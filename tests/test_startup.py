"""`--help` and `--version` answer without loading the libraries a build needs.

How fast a command starts is measured by `make bench` (benchmarks/startup.py), not pinned here as
lists of modules: these tests only keep the four big libraries out of the two answers every user
types first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO, copy_project

from studydeck import __version__

# Each costs tens of milliseconds to import; none is needed to print help or the version.
BUILD_LIBRARIES = ("pptx", "pydantic", "PIL", "lxml")
SHOW_MODULES = "import sys; print('modules:', *sorted(sys.modules), file=sys.stderr)"


def modules_loaded(*args: str) -> set[str]:
    """Give the modules loaded by running `python cli.py ARGS` in a fresh interpreter."""
    code = (f"import sys, runpy; sys.argv = ['studydeck', *{list(args)!r}]\n"
            "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
            f"except SystemExit:\n    pass\n{SHOW_MODULES}")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    return set(done.stderr.rpartition("modules:")[2].split())


def build_libraries_in(modules: set[str]) -> list[str]:
    """Give the modules of python-pptx, pydantic, Pillow and lxml among `modules`."""
    return sorted(name for name in modules if name.split(".")[0] in BUILD_LIBRARIES)


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_and_version_import_none_of_the_build_libraries(args: tuple[str, ...]) -> None:
    assert build_libraries_in(modules_loaded(*args)) == []


def test_version_is_printed() -> None:
    done = subprocess.run([sys.executable, "cli.py", "--version"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout == f"studydeck {__version__}\n"


def test_help_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "cli.py", "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    for command in ("build", "watch", "diagrams", "validate", "plan", "export", "doctor",
                    "schema", "new", "icons", "--version"):
        assert command in done.stdout


def test_only_the_command_process_leaves_out_garbage_collection_and_pydantic_plugins(
        tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")  # a small deck: the sample takes seconds
    show = ("import gc, os\n"
            "print('state:', gc.isenabled(), os.environ.get('PYDANTIC_DISABLE_PLUGINS'))")
    argv = ["studydeck", "validate", "--project", str(project)]
    code = (f"import sys, runpy; sys.argv = {argv!r}\n"
            "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
            f"except SystemExit:\n    pass\n{show}")
    command = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                             text=True, timeout=60, check=True)
    assert command.stdout.rpartition("state:")[2].split() == ["False", "__all__"]
    library = subprocess.run([sys.executable, "-c", f"import studydeck.build\n{show}"], cwd=REPO,
                             capture_output=True, text=True, timeout=60, check=True,
                             env={name: value for name, value in os.environ.items()
                                  if name != "PYDANTIC_DISABLE_PLUGINS"})
    assert library.stdout.split() == ["state:", "True", "None"]
