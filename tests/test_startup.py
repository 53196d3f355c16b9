"""`--help`, `--version` and loading the command line import none of the heavy libraries.

Every command group registered in studydeck/cli/__init__.py is imported for `--help`; a group
that imports python-pptx, the models or Rich's widgets at its top makes every command slower.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO

from studydeck import __version__

# What a command imports when it runs, never before: python-pptx, Pillow, pydantic (and the
# models built on it), Jinja2, PyYAML, Rich's console and help panels, and studydeck's stages.
HEAVY = ("pptx", "PIL", "pydantic", "jinja2", "yaml", "rich.console", "rich.progress",
         "typer.rich_utils", "diagrams", "graphviz", "lxml", "studydeck.schema.models",
         "studydeck.build", "studydeck.project.loading", "studydeck.notes.render",
         "studydeck.layout.text")
# What `validate` checks needs the models, YAML, text measuring and the notes; not the writer,
# nor diagram drawing, nor a Pygments lexer (their table of names says which languages exist).
NOT_FOR_VALIDATE = ("pptx", "lxml", "studydeck.pptx", "studydeck.diagrams.render",
                    "studydeck.diagrams.cache", "studydeck.diagrams.native",
                    "studydeck.diagrams.layout", "multiprocessing", "concurrent", "pygments.lexer",
                    "pygments.lexers.python", "rich.progress", "rich.table")
SHOW_MODULES = "import sys; print('modules:', *sorted(sys.modules), file=sys.stderr)"


def modules_loaded(*args: str) -> set[str]:
    """Give the modules loaded by running `python cli.py ARGS` in a fresh interpreter."""
    code = (f"import sys, runpy; sys.argv = ['studydeck', *{list(args)!r}]\n"
            "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
            f"except SystemExit:\n    pass\n{SHOW_MODULES}")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    return _listed(done.stderr)


def _listed(stderr: str) -> set[str]:
    return set(stderr.rpartition("modules:")[2].split())


def heavy(modules: set[str], roots: tuple[str, ...] = HEAVY) -> list[str]:
    return sorted(name for name in modules
                  if any(name == root or name.startswith(f"{root}.") for root in roots))


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_and_version_load_no_heavy_library(args: tuple[str, ...]) -> None:
    assert heavy(modules_loaded(*args)) == []


def test_a_commands_help_loads_only_what_typer_itself_needs() -> None:
    # Typer checks a command's options with pydantic (TypeAdapter) as soon as it builds them
    for command in ("build", "export", "new"):
        loaded = heavy(modules_loaded(command, "--help"))
        assert [name for name in loaded if not name.startswith("pydantic")] == [], command


def test_loading_the_command_line_loads_every_group_but_no_heavy_library() -> None:
    code = f"import studydeck.cli\n{SHOW_MODULES}"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    loaded = _listed(done.stderr)
    assert {"studydeck.cli.build", "studydeck.cli.export", "studydeck.cli.project"} <= loaded
    assert heavy(loaded) == []


def test_version_is_printed_without_typer() -> None:
    done = subprocess.run([sys.executable, "cli.py", "--version"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout == f"studydeck {__version__}\n"
    assert "typer" not in modules_loaded("--version")


def test_help_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "cli.py", "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    for command in ("build", "watch", "diagrams", "validate", "plan", "export", "doctor",
                    "schema", "new", "icons", "--version"):
        assert command in done.stdout


def test_validate_loads_neither_the_writer_nor_diagram_drawing_nor_a_lexer() -> None:
    loaded = modules_loaded("validate")  # the sample deck: code, pictures and diagrams
    assert "studydeck.notes.render" in loaded and "studydeck.layout.text" in loaded
    assert heavy(loaded, NOT_FOR_VALIDATE) == []


def test_only_the_command_process_leaves_out_garbage_collection_and_pydantic_plugins() -> None:
    show = ("import gc, os\n"
            "print('state:', gc.isenabled(), os.environ.get('PYDANTIC_DISABLE_PLUGINS'))")
    code = (f"import sys, runpy; sys.argv = ['studydeck', 'validate']\n"
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
