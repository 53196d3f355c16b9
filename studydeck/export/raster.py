"""PDF pages as PNG pictures, drawn by PDFium and written with zlib.

PDFium is not thread-safe: one page is drawn at a time, in whichever thread asks. Python's lock
is let go while PDFium draws and while zlib packs, so the parts of an export draw and write
their pages side by side, beside the LibreOffice renders of the other parts.

A page is written as a PNG whose rows are not filtered: a slide is mostly flat colour, which
deflate packs well as it is. Pillow tries four filters on every row (it has no option to try
none), which takes twice as long and gives a larger file; the pixels are the same.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PDFIUM = threading.Lock()  # PDFium is not thread-safe: one page is drawn at a time
SAVING_THREADS = 2
PageDone = Callable[[int, int], None]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFLATE_LEVEL = 1  # fastest; still smaller than Pillow's filtered rows at level 3


@dataclass(frozen=True)
class RgbRows:
    """A drawn page: its size, and its rows of 8-bit RGB, each after a 0 (PNG's "no filter")."""

    width: int
    height: int
    rows: bytearray


def pdf_pages(pdf: Path, folder: Path, dpi: float, *,
              page_done: PageDone = lambda page, total: None,
              saving_threads: int = SAVING_THREADS) -> list[Path]:
    """Give the pages of `pdf` as page-N.png files in `folder`, in order, saved by
    `saving_threads` threads while the next pages are drawn (0: each saved before the next)."""
    import pypdfium2  # 30 ms: keeps `export pdf` and the start of `preview` fast

    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        total = len(document)
    try:
        # pages are written (Pillow lets go of Python's lock to write a file) while the next
        # ones are drawn; a few at a time, each picture being megabytes
        pages: list[Path] = []
        writing: deque[Future[Path]] = deque()
        with ThreadPoolExecutor(max(1, saving_threads), "studydeck-png") as saving:
            for index in range(total):
                with PDFIUM:
                    picture = _drawn(document, index, dpi)
                writing.append(saving.submit(_save, picture, folder / f"page-{index + 1}.png"))
                while writing and (len(writing) > 2 * saving_threads or index + 1 == total):
                    pages.append(writing.popleft().result())
                    page_done(len(pages), total)
        return pages
    finally:
        with PDFIUM:
            document.close()


def _drawn(document: Any, index: int, dpi: float) -> RgbRows:
    """Give page `index` of the PDFium `document` drawn at `dpi` (PDFium's lock held)."""
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, not PDFium's BGR
        try:
            return _rgb_rows(memoryview(bitmap.buffer).cast("B"), bitmap.width,
                             bitmap.height, bitmap.stride)
        finally:
            bitmap.close()
    finally:
        page.close()


def _rgb_rows(pixels: memoryview, width: int, height: int, stride: int) -> RgbRows:
    row = 3 * width
    rows = bytearray((row + 1) * height)  # zeros: each row's filter byte is 0 already
    for y in range(height):
        start = y * (row + 1) + 1
        rows[start:start + row] = pixels[y * stride:y * stride + row]
    return RgbRows(width, height, rows)


def png_bytes(picture: RgbRows) -> bytes:
    """Give `picture` as a PNG file (8-bit RGB, rows not filtered)."""
    header = struct.pack(">IIBBBBB", picture.width, picture.height, 8, 2, 0, 0, 0)
    return b"".join([PNG_SIGNATURE, _chunk(b"IHDR", header),
                     _chunk(b"IDAT", zlib.compress(picture.rows, DEFLATE_LEVEL)),
                     _chunk(b"IEND", b"")])


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def _save(picture: RgbRows, target: Path) -> Path:
    target.write_bytes(png_bytes(picture))  # deflate lets go of Python's lock meanwhile
    return target
