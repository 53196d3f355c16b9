"""Shapes a slide type draws with: filled rectangles and panels, fitted pictures, tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree
from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.util import Emu

from studydeck.layout import geometry as g
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.text import TextBlock, add_text_box, chosen_size, fill_frame

# How a paragraph lines up, and where a frame's text sits (TextParagraph.align, TextBlock.anchor)
ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT = PP_ALIGN.LEFT, PP_ALIGN.CENTER, PP_ALIGN.RIGHT
ANCHOR_TOP, ANCHOR_MIDDLE, ANCHOR_BOTTOM = MSO_ANCHOR.TOP, MSO_ANCHOR.MIDDLE, MSO_ANCHOR.BOTTOM
PANEL_ROUNDING = 0.12  # a panel's corner radius, as a share of its shorter side


def add_band(slide: Slide, box: g.Box, color: str) -> int:
    """Add a filled rectangle without outline or shadow (the title slide's band); give its id."""
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top),
                                  Emu(box.width), Emu(box.height))
    _fill(band, color)
    return int(band.shape_id)


def add_rectangle(slide: Slide, box: g.Box, color: str, name: str, opacity: int = 0) -> int:
    """Add a named filled rectangle that LibreOffice draws without a shadow; give its id.

    `opacity` (in 1/1000 %) makes it see-through.
    """
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(box.height))
    shape.name = name
    _fill(shape, color)
    style = shape._element.find(qn("p:style"))
    if style is not None:  # its effect reference gives LibreOffice's rectangles a shadow
        shape._element.remove(style)
    if opacity:
        color_element = shape._element.spPr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
        etree.SubElement(color_element, qn("a:alpha"), val=str(opacity))
    return int(shape.shape_id)


def add_panel(slide: Slide, box: g.Box, color: str, style: DeckStyle, block: TextBlock,
              name: str = "") -> int:
    """Add a rounded, filled shape holding the block's text; give its id."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(box.height))
    shape.adjustments[0] = PANEL_ROUNDING
    _fill(shape, color)
    block = replace(block, background=color)
    fill_frame(shape.text_frame, block, style, chosen_size(block, box))
    if name:
        shape.name = name
    return int(shape.shape_id)


def add_covering_text(slide: Slide, box: g.Box, block: TextBlock, style: DeckStyle,
                      name: str) -> int:
    """Add a named text box on a fill of the slide's background colour, covering what lies
    under it (texts that take turns in one place: the later one hides the earlier, also where
    a viewer shows the slide without its animations); give its id."""
    shape = add_text_box(slide, box, block, style)
    shape.name = name
    _fill(shape, style.colors.background)
    return int(shape.shape_id)


def add_unwrapped_text(slide: Slide, box: g.Box, block: TextBlock, style: DeckStyle,
                       name: str) -> None:
    """Add a named text box that never wraps, its lines at the block's largest size (checked
    to fit by the layout)."""
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                     Emu(box.height))
    shape.name = name
    fill_frame(shape.text_frame, block, style, block.largest)
    shape.text_frame.word_wrap = False


def add_picture_fitted(slide: Slide, path: Path, area: g.Box, description: str = "") -> int:
    """Add the picture as large as it fits in `area`, centred, with its alt text; give its id."""
    with Image.open(str(path)) as image:
        width, height = image.size
    box = area.fit(width, height)
    picture = slide.shapes.add_picture(str(path), Emu(box.left), Emu(box.top), Emu(box.width),
                                       Emu(box.height))
    if description:
        picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", description)  # alt text
    return int(picture.shape_id)


def add_table(slide: Slide, box: g.Box, column_widths: Sequence[int],
              row_heights: Sequence[int], rows: Sequence[Sequence[TextBlock]],
              style: DeckStyle, size: float) -> None:
    """Add a table at the top of `box`: each cell's block filled with its background."""
    frame = slide.shapes.add_table(len(rows), len(column_widths), Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(sum(row_heights)))
    for index, width in enumerate(column_widths):
        frame.table.columns[index].width = Emu(width)
    for r, row in enumerate(rows):
        frame.table.rows[r].height = Emu(row_heights[r])
        for c, block in enumerate(row):
            cell = frame.table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(block.background or "FFFFFF")
            cell.margin_left = cell.margin_right = Emu(g.CELL_INSET_X)
            cell.margin_top = cell.margin_bottom = Emu(g.CELL_INSET_Y)
            fill_frame(cell.text_frame, block, style, size)


def _fill(shape: Shape, color: str) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(color)  # a theme's: see theme.refer_to_theme
    shape.line.fill.background()
    shape.shadow.inherit = False
