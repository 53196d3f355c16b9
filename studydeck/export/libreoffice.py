"""LibreOffice and poppler run headless: a deck becomes a PDF, a PDF becomes PNG pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from studydeck.errors import ToolFailedError, ToolMissingError
from studydeck.export.basic_macro import MACRO_URL, macro_environment, seed_profile
from studydeck.source.office_pipes import remove_office_pipes
from studydeck.source.own_group import environment_with_temp_in, remove_folder, run_in_own_group

FONTS_CONF = Path(__file__).resolve().parent.parent / "fonts.conf"
SOFFICE = ("LibreOffice (soffice)", "libreoffice-impress")
PDFTOPPM = ("poppler (pdftoppm)", "poppler-utils")
PROGRESS_LINE = re.compile(r"^(\d+) (\d+) (.+)$")


def require(tool: tuple[str, str], command: str) -> str:
    """Give the full path of `command`; raise ToolMissingError naming its Debian package."""
    found = shutil.which(command)
    if found is None:
        raise ToolMissingError(*tool)
    return found


def convert_to_pdf(deck: Path, target_dir: Path, *, notes_pages: bool = False,
                   timeout: float = 300) -> Path:
    """Give the PDF LibreOffice writes of `deck` into `target_dir` (slides, or notes pages),
    with Asian–Latin autospacing off (see basic_macro.py)."""
    soffice = require(SOFFICE, "soffice")
    written = target_dir / f"{deck.stem}.pdf"
    written.unlink(missing_ok=True)  # only a PDF this run wrote says it succeeded
    profile = Path(tempfile.mkdtemp(prefix="studydeck-lo-"))
    try:
        # A private profile per run: a second soffice on a shared profile hands its job to the
        # first one and may exit without writing anything. Its macro converts the deck.
        seed_profile(profile)
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--invisible", "--norestore", MACRO_URL]
        env = environment_with_temp_in(profile, FONTCONFIG_FILE=str(FONTS_CONF),
                                       **macro_environment(deck, written, notes_pages))
        returncode, said = run_in_own_group(command, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolFailedError(f"LibreOffice did not finish converting {deck.name} within "
                              f"{timeout:g} s", "try again with a larger --timeout") from None
    finally:  # after Ctrl-C or SIGTERM too: LibreOffice, in a group of its own, was ended
        remove_folder(profile)
        remove_office_pipes(profile)
    if returncode != 0 or not written.is_file():
        raise ToolFailedError(
            f"LibreOffice could not convert {deck.name} (exit {returncode})"
            + (f": {said[-1]}" if said else ""),
            "close other LibreOffice windows using the file, or open it in LibreOffice to see "
            "what it objects to")
    return written


def pdf_to_pngs(pdf: Path, target_dir: Path, dpi: float, *,
                page_done: Callable[[int, int], None] = lambda page, total: None,
                timeout: float = 600) -> list[Path]:
    """Give the pages of `pdf` as PNG files in `target_dir`, in order (pdftoppm at `dpi`)."""
    pdftoppm = require(PDFTOPPM, "pdftoppm")
    command = [pdftoppm, "-png", "-r", f"{dpi:g}", "-progress", str(pdf),
               str(target_dir / "page")]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as process:
        assert process.stderr is not None
        problems = _follow_progress(process.stderr, page_done)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise ToolFailedError(f"pdftoppm did not finish within {timeout:g} s") from None
    pages = sorted(target_dir.glob("page-*.png"), key=_page_number)
    if process.returncode != 0 or not pages:
        raise ToolFailedError(f"pdftoppm could not read {pdf.name} (exit {process.returncode})"
                              + (f": {problems[-1]}" if problems else ""))
    return pages


def _follow_progress(stream: IO[str], page_done: Callable[[int, int], None]) -> list[str]:
    """Report each `page total file` line pdftoppm prints; give its other lines."""
    other: list[str] = []
    for line in stream:
        found = PROGRESS_LINE.match(line.strip())
        if found:
            page_done(int(found.group(1)), int(found.group(2)))
        elif line.strip():
            other.append(line.strip())
    return other


def _page_number(path: Path) -> int:
    return int(path.stem.rpartition("-")[2])
