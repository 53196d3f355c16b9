"""PDF pages as PNG pictures with PDFium: in this process, or in a Python process of their own.

Threads do not draw pages side by side (PDFium is not thread-safe, and Python holds one lock for
the rest), so a part of a cold export with many pages is drawn in a process of its own, beside
the LibreOffice renders and the other parts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from studydeck.errors import ToolFailedError

if TYPE_CHECKING:
    from PIL import Image

PDFIUM = threading.Lock()  # PDFium is not thread-safe: one page is drawn at a time
SAVING_THREADS = 2
PageDone = Callable[[int, int], None]


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
                    page = document[index]
                    picture = page.render(scale=dpi / 72).to_pil()
                    page.close()
                writing.append(saving.submit(_save, picture, folder / f"page-{index + 1}.png"))
                while writing and (len(writing) > 2 * saving_threads or index + 1 == total):
                    pages.append(writing.popleft().result())
                    page_done(len(pages), total)
        return pages
    finally:
        with PDFIUM:
            document.close()


def _save(picture: Image.Image, target: Path) -> Path:
    # a low compression level: four times faster to write, a fifth larger
    picture.save(target, compress_level=3)
    return target


def pdf_pages_elsewhere(pdf: Path, folder: Path, dpi: float, *,
                        page_done: PageDone = lambda page, total: None,
                        timeout: float = 600) -> list[Path]:
    """Give what pdf_pages gives, drawn by a Python process of its own."""
    command = [sys.executable, "-c", "from studydeck.export.raster import main; main()",
               str(pdf), str(folder), f"{dpi!r}"]
    # the same studydeck as this one, wherever it was imported from
    here = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [here, *filter(None, [os.environ.get("PYTHONPATH")])])}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as process:
        assert process.stdout is not None
        pages = []
        for line in process.stdout:  # "N TOTAL PATH" as each page is written
            number, total, path = line.rstrip("\n").split(" ", 2)
            pages.append(Path(path))
            page_done(int(number), int(total))
        try:
            _, problems = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise ToolFailedError(f"drawing the pages of {pdf.name} took over {timeout:g} s"
                                  ) from None
    if process.returncode != 0:
        raise ToolFailedError(f"could not draw the pages of {pdf.name}: "
                              f"{(problems.strip().splitlines() or ['?'])[-1]}")
    return pages


def main() -> None:
    """Draw the pages of the PDF named on the command line (see pdf_pages_elsewhere)."""
    pdf, folder, dpi = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])

    def say(number: int, total: int) -> None:
        print(number, total, folder / f"page-{number}.png", flush=True)

    pdf_pages(pdf, folder, dpi, page_done=say)
