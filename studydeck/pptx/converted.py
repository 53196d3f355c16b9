"""Impress templates (.otp, .odp) as the .pptx python-pptx opens, converted by LibreOffice once.

The converted file is kept in the user's cache folder under the SHA-256 of the template's bytes
(never in output/, which a project's files could plant), so a template is converted once per
content on a machine; a conversion is written atomically, and a kept file that does not open as
a zip is converted again. With no cache folder of this user's own, a conversion is kept only for
the run, in a temporary folder removed when it ends.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from studydeck.source.office_pipes import remove_office_pipes
from studydeck.source.own_group import environment_with_temp_in, run_in_own_group
from studydeck.source.private_folder import private_folder

OPENDOCUMENT_SUFFIXES = (".otp", ".odp")
CONVERT_TIMEOUT = 180  # seconds: LibreOffice's first start on a new profile is the slow part


class ConversionError(Exception):
    """The template could not be converted: what went wrong and how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def needs_conversion(path: Path) -> bool:
    return path.suffix.lower() in OPENDOCUMENT_SUFFIXES


def presentation_file(path: Path) -> Path:
    """Give `path`, or for an Impress template the .pptx LibreOffice converts it to."""
    if not needs_conversion(path):
        return path
    data = path.read_bytes()
    kept = cache_folder() / f"{hashlib.sha256(data).hexdigest()}.pptx"
    if _is_zip(kept):
        return kept
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ConversionError(
            f"is an Impress file ({path.suffix}), and converting it needs LibreOffice, which is "
            "not installed", "install LibreOffice (sudo apt-get install libreoffice-impress), "
            "or save the template as .pptx from Impress")
    kept.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="studydeck-convert-") as work:
        converted = _convert(soffice, data, path.suffix.lower(), Path(work))
        partial = kept.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(converted, partial)
        os.replace(partial, kept)
    return kept


def _convert(soffice: str, data: bytes, suffix: str, work: Path) -> Path:
    source = work / f"template{suffix}"
    source.write_bytes(data)
    profile = work / "profile"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "pptx", "--outdir", str(work / "out"), str(source)]
    try:  # in a group of its own, ended on timeout or Ctrl-C: soffice.bin outlives soffice
        run_in_own_group(command, env=environment_with_temp_in(work), timeout=CONVERT_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as err:
        raise ConversionError(f"could not be converted by LibreOffice ({err})",
                              "save the template as .pptx from Impress") from err
    finally:
        remove_office_pipes(profile)
    converted = work / "out" / "template.pptx"
    if not _is_zip(converted):
        raise ConversionError("could not be converted by LibreOffice",
                              "open it in Impress and save it as .pptx")
    return converted


def _is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def cache_folder() -> Path:
    """Give the user's cache folder for converted templates (XDG, macOS or Windows)."""
    if os.environ.get("STUDYDECK_CACHE_DIR"):
        return Path(os.environ["STUDYDECK_CACHE_DIR"]) / "templates"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "studydeck" / "templates"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "studydeck" / "templates"
    # only a folder no other account can change: a file swapped there would be our template
    return private_folder("templates") or _this_runs_folder()


@functools.cache
def _this_runs_folder() -> Path:
    """Give a temporary folder, the same for the whole run and removed when it ends: templates
    converted with no cache folder to keep them are converted once per run, and left nowhere."""
    folder = Path(tempfile.mkdtemp(prefix="studydeck-templates-"))
    atexit.register(_remove_if_made_by, os.getpid(), folder)
    return folder


def _remove_if_made_by(maker: int, folder: Path) -> None:
    """Remove `folder` when the process that made it ends (a forked copy ends too, through
    atexit, while the maker still uses it)."""
    if os.getpid() == maker:
        shutil.rmtree(folder, ignore_errors=True)
