"""A contact sheet: every slide as a numbered thumbnail in one grid, for a quick review."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (236, 238, 242)
FRAME = (160, 166, 176)
LABEL = (40, 44, 52)
GAP = 16  # pixels around and between thumbnails
LABEL_HEIGHT = 26


@dataclass(frozen=True)
class SheetLayout:
    """How many thumbnails go in a row and how wide each one is (pixels)."""

    columns: int = 6
    thumb_width: int = 320


def contact_sheet(pages: list[Path], layout: SheetLayout) -> bytes:
    """Give the PNG bytes of a grid of the `pages` images, each labelled with its number."""
    thumbs = [_thumbnail(page, layout.thumb_width) for page in pages]
    thumb_height = max(thumb.height for thumb in thumbs)
    columns = min(layout.columns, len(thumbs))
    rows = math.ceil(len(thumbs) / columns)
    cell_w, cell_h = layout.thumb_width + GAP, thumb_height + LABEL_HEIGHT + GAP
    sheet = Image.new("RGB", (columns * cell_w + GAP, rows * cell_h + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(18)
    for index, thumb in enumerate(thumbs):
        left = GAP + (index % columns) * cell_w
        top = GAP + (index // columns) * cell_h
        sheet.paste(thumb, (left, top))
        draw.rectangle((left - 1, top - 1, left + thumb.width, top + thumb.height), outline=FRAME)
        draw.text((left + layout.thumb_width // 2, top + thumb.height + 4), str(index + 1),
                  fill=LABEL, font=font, anchor="mt")
    return _compact_png(sheet)


def _thumbnail(page: Path, width: int) -> Image.Image:
    with Image.open(page) as image:
        height = round(image.height * width / image.width)
        return image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)


def _compact_png(image: Image.Image) -> bytes:
    # Slides are mostly flat colour: a 256-colour palette keeps them sharp at a third of the size.
    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
