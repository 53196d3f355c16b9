"""Pictures and template files a deck names, looked at before anything expands them: a small
file may decompress to gigabytes (a zip bomb, a 100,000 × 100,000 PNG), and a cut-short one
would be embedded without a word.

The limits are documented in docs/format.md.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

MAX_PICTURE_PIXELS = 50_000_000  # 50 megapixels: a slide shows at most ~8 (4K)
MAX_EXPANDED_TEMPLATE = 200 * 1024 * 1024  # bytes a template's parts may decompress to
PICTURE_FORMATS = frozenset({"PNG", "JPEG", "GIF"})
JPEG_END = b"\xff\xd9"


def picture_problem(path: Path) -> tuple[str, str] | None:
    """Give (what is wrong, what to do) if the file at `path` is no whole PNG, JPEG or GIF of at
    most MAX_PICTURE_PIXELS; None if it is one. Nothing is decoded."""
    from PIL import Image, UnidentifiedImageError  # keeps `validate` fast without pictures

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                kind, (width, height) = (picture.format or "").upper(), picture.size
                if kind not in PICTURE_FORMATS:
                    return "cannot be read as a picture", "the file may be damaged"
                if width * height > MAX_PICTURE_PIXELS:
                    return _too_many_pixels(f"{width} × {height} pixels")
                if kind != "JPEG":
                    picture.verify()  # reads every chunk (checksums), decodes nothing
    except Image.DecompressionBombError:  # Pillow's own, far larger limit
        return _too_many_pixels("more than 180 megapixels")
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return "cannot be read as a picture (it is damaged or cut short)", (
            "open it in an image editor and save it again")
    if kind == "JPEG" and not _ends_whole(path):
        return "cannot be read as a picture (it is cut short)", (
            "open it in an image editor and save it again")
    return None


def _too_many_pixels(size: str) -> tuple[str, str]:
    return (f"is {size}, over the limit of {MAX_PICTURE_PIXELS // 1_000_000} megapixels",
            "scale it down: a slide shows at most about 8 megapixels")


def _ends_whole(path: Path) -> bool:
    """Tell whether a JPEG file ends with its end marker (a cut-short download does not)."""
    with path.open("rb") as file:
        file.seek(0, 2)
        file.seek(max(0, file.tell() - 64))
        return JPEG_END in file.read()


def archive_problem(path: Path) -> tuple[str, str] | None:
    """Give (what is wrong, what to do) if the zip file at `path` (a .pptx, .odp) would expand
    to more than MAX_EXPANDED_TEMPLATE bytes; None otherwise (or if it is no zip at all, which
    reading it will say)."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_expansion(archive)
    except (OSError, zipfile.BadZipFile):
        return None
    except ValueError as too_large:
        return str(too_large), "remove large media from the template, or compress its pictures"
    return None


def check_expansion(archive: zipfile.ZipFile) -> None:
    """Raise ValueError if `archive` would expand to more than MAX_EXPANDED_TEMPLATE bytes (zip
    reading stops at each part's stated size, so the stated sizes bound what it expands to)."""
    expanded = sum(item.file_size for item in archive.infolist())
    if expanded > MAX_EXPANDED_TEMPLATE:
        raise ValueError(f"would expand to {expanded // (1024 * 1024)} MB, more than"
                         f" {MAX_EXPANDED_TEMPLATE // (1024 * 1024)} MB")
