"""What the server loads before it serves: every module a command might import, and little else.

Besides imports, only answers that only studydeck's own files decide (the digest of its code, which
keys kept slides: the server itself is keyed by the same files; the command line Typer makes of
studydeck's commands; its own notes templates compiled; python-pptx's template fitted to 16:9),
and one about this machine that can be checked: fontconfig's configuration and the default
typefaces' faces. Each copy asks fontconfig whether a font or its configuration changed since
(`refresh`) and finds them again if so; nothing else about the machine (its tools, its files) is
kept. studydeck imports most libraries inside the functions that use them (to start fast without
the server); their names are read from studydeck's own source, so a new lazy import is preloaded
too.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import studydeck

NOT_PRELOADED = ("studydeck.preview", "studydeck.server")  # long-running, or not a command's work
# Looked up by name at run time rather than imported in studydeck's source: decoding a BOM, zip
# entry names; and the icon modules of the diagrams package, which a diagram names.
BY_NAME = ("encodings.utf_8_sig", "encodings.cp437")
PACKAGES_WHOLE = ("diagrams",)


def preload() -> None:
    """Import what commands use, then keep it out of garbage collection in the forked copies."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as command_process does
    for name in [*studydeck_modules(), *imported_by_studydeck(), *BY_NAME]:
        _import(name)
    for package in PACKAGES_WHOLE:
        for name in _package_modules(package):
            _import(name)
    with contextlib.suppress(Exception):
        from PIL import Image

        Image.init()  # Pillow's file format plugins, otherwise loaded on first open
    from studydeck import fontconfig, fonts, notes
    from studydeck.cli import prepare_ahead
    from studydeck.pptx.template import open_default_template_ahead
    from studydeck.server.address import SERVED_COMMANDS
    from studydeck.slide_cache import code_fingerprint

    prepare_ahead(SERVED_COMMANDS)
    code_fingerprint()
    notes.prepare_ahead()
    open_default_template_ahead()
    if fontconfig.preload():
        fonts.preload_faces()
    gc.collect()
    gc.freeze()  # the copies share these pages with the server instead of copying them


def refresh() -> None:
    """In a forked copy, before the command runs: forget what changed on the machine since."""
    from studydeck import fontconfig

    fontconfig.check_current()


def studydeck_modules() -> list[str]:
    found = [module.name for module in pkgutil.walk_packages(studydeck.__path__, "studydeck.")
             if not module.name.startswith(NOT_PRELOADED)]
    return sorted(found)


def imported_by_studydeck() -> list[str]:
    """Give every module named by an import statement anywhere in studydeck (in functions too)."""
    names: set[str] = set()
    package = Path(studydeck.__file__).parent
    for source in package.rglob("*.py"):
        module = ".".join(("studydeck", *source.relative_to(package).with_suffix("").parts))
        if not module.startswith(NOT_PRELOADED):
            names.update(_imports_in(source))
    return sorted(name for name in names if not name.startswith(NOT_PRELOADED))


def _imports_in(source: Path) -> Iterator[str]:
    try:
        tree = ast.parse(source.read_bytes(), str(source))
    except (OSError, SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _package_modules(package: str) -> Iterator[str]:
    with contextlib.suppress(Exception):
        module = importlib.import_module(package)
        yield from (found.name for found in pkgutil.walk_packages(module.__path__, f"{package}."))


def _import(name: str) -> None:
    if name.endswith("__main__") and name != "studydeck.__main__":
        return
    with contextlib.suppress(Exception):  # an optional part missing is the command's to report
        importlib.import_module(name)
