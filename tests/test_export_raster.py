"""PDF pages drawn as PNG pictures: PDFium's pixels exactly, every page, in order."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageDraw

from studydeck.export.raster import pdf_pages

COLOURS = ("#1f4e79", "#fdf6e3", "#c0392b")


def make_pdf(target: Path) -> Path:
    """Write a PDF of three pages of different colours, each with a line of text and a
    circle (soft edges), 301 points wide: rows of pixels that are not a multiple of 4 bytes."""
    pages = []
    for number, colour in enumerate(COLOURS, start=1):
        page = Image.new("RGB", (301, 170), colour)
        drawing = ImageDraw.Draw(page)
        drawing.text((20, 20), f"Page {number}: 쪽 번호", fill="white")
        drawing.ellipse((150, 60, 260, 150), outline="black", width=3)
        pages.append(page)
    pages[0].save(target, save_all=True, append_images=pages[1:], resolution=72)
    return target


def pdfium_pictures(pdf: Path, dpi: float) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[index].render(scale=dpi / 72).to_pil()
                for index in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("saving_threads", [0, 2])
def test_pages_are_pdfium_s_pixels_in_order(tmp_path: Path, saving_threads: int) -> None:
    pdf = make_pdf(tmp_path / "deck.pdf")
    folder = tmp_path / "pages"
    folder.mkdir()
    done: list[tuple[int, int]] = []
    written = pdf_pages(pdf, folder, 96, saving_threads=saving_threads,
                        page_done=lambda page, total: done.append((page, total)))
    assert [path.name for path in written] == ["page-1.png", "page-2.png", "page-3.png"]
    assert done == [(1, 3), (2, 3), (3, 3)]
    expected = pdfium_pictures(pdf, 96)
    for path, picture in zip(written, expected, strict=True):
        with Image.open(path) as shown:
            assert shown.format == "PNG" and shown.mode == "RGB"
            assert shown.size == picture.size
            assert picture.width * 3 % 4  # rows PDFium may pad to a multiple of 4 bytes
            assert shown.tobytes() == picture.tobytes()
