"""Where a template's areas are: its sample slides say where its design puts things, unless a
sample moved a placeholder aside for its own content (a sample in two columns does not halve
every body); an area cut clear of a shape keeps off it; what is behind a title is read where
its text may go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.shapes.base import BaseShape
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Inches

from studydeck.pptx.template import template_page_areas, template_roles
from studydeck.pptx.template_shapes import CLEARANCE, drawn_shapes


def test_a_sample_slide_in_two_columns_leaves_the_content_body_its_whole_width(
        tmp_path: Path) -> None:
    """Pencil's sample slide uses "Title, 2 Content": its left column (an OBJECT placeholder) had
    been taken for the body of every content slide, since the master's body is of type BODY."""
    template = Presentation()  # python-pptx's own: a master body of type BODY, layouts' OBJECT
    two_columns = next(layout for layout in template.slide_layouts
                       if layout.name == "Two Content")
    sample = template.slides.add_slide(two_columns)
    for placeholder in sample.placeholders:  # placed on the slide itself, as LibreOffice writes
        placeholder.left, placeholder.top = placeholder.left, placeholder.top
        placeholder.width, placeholder.height = placeholder.width, placeholder.height
    template.save(tmp_path / "two-columns.pptx")
    areas = template_page_areas(tmp_path / "two-columns.pptx")
    assert areas.body.width > 0.8 * areas.title.width, (areas.body, areas.title)


def test_an_area_cut_clear_of_a_shape_beside_it_keeps_off_it(tmp_path: Path) -> None:
    """Grey_Elegant's dots lie over the left end of its title's place: the title is cut clear of
    them, and had begun right at their edge, its first letter touching them."""
    template = _content_layout_drawn_on(tmp_path / "dots.pptx", lambda shapes, width: [
        shapes.add_shape(MSO_SHAPE.OVAL, Inches(0.2), Inches(0.5), Inches(0.7), Inches(0.7))])
    areas = template_page_areas(template)
    [drawn] = [shape.box for shape in drawn_shapes(template_roles(template).content)]
    assert areas.title.left - drawn.right >= CLEARANCE - 1, (areas.title, drawn)


def test_a_titles_colour_is_read_where_its_text_may_go_not_beside_it(tmp_path: Path) -> None:
    """Pencil's pencil lies right of its title, above its body: a long title may grow into the
    top of the body but never under the pencil, whose wood had turned every title near-black."""
    def frame_and_pencil(shapes: SlideShapes, width: int) -> list[BaseShape]:
        frame = _frame(shapes, width)  # outlined: a title in it may not grow
        pencil = shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(7.6), Inches(0.4), Inches(0.8),
                                  Inches(1.25))  # over the title's end, down past it
        pencil.fill.solid()
        pencil.fill.fore_color.rgb = RGBColor(0x80, 0x73, 0x6C)  # its wood, as read
        return [frame, pencil]

    template = _content_layout_drawn_on(tmp_path / "pencil.pptx", frame_and_pencil)
    areas = template_page_areas(template)
    drawn = [shape.box for shape in drawn_shapes(template_roles(template).content)]
    assert areas.title.right < drawn[-1].left and drawn[-1].bottom < areas.body.top
    assert areas.background_of("title") == "FFFFFF"


def test_a_shape_that_draws_nothing_is_no_obstacle(tmp_path: Path) -> None:
    """LibreOffice writes Pencil's title frame as a rectangle with no fill, no line, no text: it
    had kept a long title from growing down (shrunk to 14 pt in one line instead)."""
    def unseen_frame(shapes: SlideShapes, width: int) -> list[BaseShape]:
        frame = _frame(shapes, width)
        frame.line.fill.background()
        return [frame]

    template = _content_layout_drawn_on(tmp_path / "frame.pptx", unseen_frame)
    assert list(drawn_shapes(template_roles(template).content)) == []
    assert template_page_areas(template).title_grows


def _content_layout_drawn_on(path: Path, draw: Callable[[SlideShapes, int], list[BaseShape]]
                             ) -> Path:
    """Save python-pptx's own template at `path` with the shapes `draw` gives (given a slide's
    shapes and the slide's width) on its "Title and Content" layout: python-pptx draws only on
    slides, so they are drawn on one, moved onto the layout, and the slide dropped."""
    template = Presentation()
    content = next(layout for layout in template.slide_layouts
                   if layout.name == "Title and Content")
    scratch = template.slides.add_slide(template.slide_layouts[6])
    for shape in draw(scratch.shapes, template.slide_width):
        content.shapes._spTree.append(shape._element)
    template.slides._sldIdLst.remove(template.slides._sldIdLst[0])
    template.save(path)
    return path


def _frame(shapes: SlideShapes, width: int) -> BaseShape:
    """Give a rectangle round a title's place, with no fill (LibreOffice's title frames)."""
    frame = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, width, Inches(1.6))
    frame.fill.background()
    return frame
