"""`doctor`: checks of the programs, font and folders a build and the exports need."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studydeck.layout.fontconfig import emoji_font, installed_families
from studydeck.layout.fonts import deck_typefaces, find_face, is_installed
from studydeck.preview.warm import uno_python
from studydeck.schema.models import Deck

MIN_PYTHON = (3, 11)
CJK_FAMILY = "Noto Sans CJK KR"
# module imported → distribution to install
PACKAGES = {"pptx": "python-pptx", "diagrams": "diagrams", "jinja2": "Jinja2",
            "yaml": "PyYAML", "pydantic": "pydantic", "PIL": "Pillow", "watchfiles": "watchfiles"}


@dataclass(frozen=True)
class Check:
    """The outcome of one check: what was found, or what is missing and how to fix it."""

    name: str
    ok: bool
    found: str
    fix: str = ""
    needed_for: str = "build"

    @property
    def blocks_build(self) -> bool:
        return not self.ok and self.needed_for == "build"


def run_checks(project: Path) -> list[Check]:
    """Give every check, in the order a user would fix them."""
    checks: list[Callable[[], Check]] = [
        check_python, check_packages, check_graphviz, check_cjk_font, check_emoji_font,
        lambda: check_output_folder(project), check_libreoffice, check_pdftoppm,
        check_warm_libreoffice,
    ]
    return [check() for check in checks] + deck_checks(project)


def deck_checks(project: Path) -> list[Check]:
    """Give the checks of the deck in `project` (its fonts, its template's layouts), if any."""
    from studydeck.errors import DeckError  # keeps `doctor` fast
    from studydeck.project.loading import load_project  # keeps `doctor` fast
    from studydeck.source.folder import find_project  # keeps `doctor` fast

    try:
        loaded = load_project(find_project(project))
    except (DeckError, OSError, ValueError):
        return []
    return [check_deck_fonts(loaded.deck), check_layouts(loaded.template)]


def check_deck_fonts(deck: Deck) -> Check:
    """Tell whether each font the deck names is installed, and what draws it where not."""
    typefaces = deck_typefaces(deck)
    named = dict.fromkeys([typefaces.latin, typefaces.east_asian, typefaces.monospace])
    missing = [f"{name} (drawn with {face.family if face else 'nothing'})"
               for name in named if not is_installed(name) for face in [find_face(name)]]
    found = ", ".join(f"{name}: {'installed' if is_installed(name) else 'not installed'}"
                      for name in named)
    return Check("deck fonts", not missing, found,
                 "install the fonts (copy them to ~/.local/share/fonts and run `fc-cache`), or "
                 f"name installed ones in deck.yaml's theme.font; now {'; '.join(missing)}",
                 needed_for="look")


def check_layouts(template: Path | None) -> Check:
    """Tell which layout each kind of slide is put on."""
    from studydeck.pptx.template import template_layouts  # python-pptx: keeps doctor fast

    try:
        roles = template_layouts(template)
    except Exception as err:  # noqa: BLE001  (a template validate reports; doctor only says)
        return Check("layouts", False, f"the template cannot be read ({err})",
                     "run `studydeck validate` for what is wrong with it", needed_for="look")
    return Check("layouts", True, ", ".join(f"{role}: {name}" for role, name in roles),
                 needed_for="look")


def check_python() -> Check:
    version = ".".join(str(part) for part in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    wanted = ".".join(str(part) for part in MIN_PYTHON)
    return Check("python", ok, f"Python {version}" if ok else f"Python {version} is too old",
                 f"install Python {wanted} or newer and run `make deck` again (PYTHON=python3.11)")


def check_packages() -> Check:
    missing = [dist for module, dist in PACKAGES.items()
               if importlib.util.find_spec(module) is None]
    if missing:
        return Check("python packages", False, f"not installed: {', '.join(missing)}",
                     "run `make deck`, or `.venv/bin/pip install -e .`")
    return Check("python packages", True, "all installed")


def check_graphviz() -> Check:
    fix = "sudo apt-get install graphviz"
    output = _run(["dot", "-V"])
    if output is None:
        return Check("graphviz", False, "`dot` not found", fix)
    found = re.search(r"version\s+(\S+)", output)
    return Check("graphviz", True, f"dot {found.group(1) if found else output.strip()}")


def check_cjk_font() -> Check:
    fix = "sudo apt-get install fonts-noto-cjk fontconfig"
    fonts = installed_families(":lang=ko")
    if fonts is None:
        return Check("korean font", False, "fontconfig (`fc-list`) not found", fix)
    families = {name for names in fonts for name in names}
    if CJK_FAMILY in families:
        return Check("korean font", True, CJK_FAMILY)
    others = sorted(name for name in families if name)
    found = f"no {CJK_FAMILY}" + (f" (found {', '.join(others[:3])})" if others else "")
    return Check("korean font", False, found, fix)


def check_emoji_font() -> Check:
    """Tell whether LibreOffice can draw emoji here (none of the deck's fonts has them)."""
    found = emoji_font()
    if found:
        return Check("emoji font", True, found, needed_for="emoji")
    return Check("emoji font", False, "none: emoji in a deck show as empty boxes in exports",
                 "write emoji out in words (build warns where they are), or install an emoji "
                 "font such as fonts-noto-color-emoji", needed_for="emoji")


def check_output_folder(project: Path) -> Check:
    output = project / "output"
    fix = f"make {output} writable, e.g. `chmod u+w {output}`, or build in a folder you own"
    folder = output if output.is_dir() else project
    if output.exists() and not output.is_dir():
        return Check("output folder", False, f"{output} is a file, not a folder",
                     f"move the file {output} away; studydeck writes into that folder")
    if not folder.is_dir():
        return Check("output folder", False, f"{project} does not exist", fix)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        return Check("output folder", False, f"cannot write in {folder}: {error.strerror}", fix)
    return Check("output folder", True, f"{output} is writable")


def check_libreoffice() -> Check:
    output = _run(["soffice", "--version"], timeout=60)
    if output is None:
        return Check("libreoffice", False, "`soffice` not found",
                     "sudo apt-get install libreoffice-impress", needed_for="export")
    return Check("libreoffice", True, output.strip().split(" (")[0] or "soffice",
                 needed_for="export")


def check_pdftoppm() -> Check:
    output = _run(["pdftoppm", "-v"])
    if output is None:
        return Check("pdftoppm", False, "`pdftoppm` not found",
                     "sudo apt-get install poppler-utils", needed_for="export")
    return Check("pdftoppm", True, output.strip().splitlines()[0], needed_for="export")


def check_warm_libreoffice() -> Check:
    python = uno_python()
    if python is None:
        return Check("uno", False,
                     "no Python with LibreOffice's `uno` module: exports and preview start "
                     "LibreOffice again for every render, a few seconds each",
                     "sudo apt-get install python3-uno", needed_for="export and preview")
    return Check("uno", True, f"uno in {python}", needed_for="export and preview")


def _run(command: list[str], timeout: float = 20) -> str | None:
    """Give the program's stdout and stderr, or None if it is not installed or fails."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False, env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return (done.stdout + done.stderr) or command[0]
