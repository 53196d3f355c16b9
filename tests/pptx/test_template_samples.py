"""A template's sample slides say where its design puts things, unless a sample moved a
placeholder aside for its own content: a sample in two columns does not halve every body."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from studydeck.pptx.template import template_page_areas


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
