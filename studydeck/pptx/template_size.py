"""A template of another slide size (4:3, A4) fitted to studydeck's 16:9 slide.

Its master's and layouts' shapes are stretched with the slide; a picture keeps its proportions
around its stretched centre, and one under the whole slide (a paper, a photo) still covers it,
cropped in proportion instead of leaving bare strips beside it.
"""

from __future__ import annotations

from typing import cast

from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.base import BaseShape
from pptx.shapes.picture import Picture
from pptx.util import Emu

from studydeck.layout import geometry as g

BACKDROP_SPAN = 0.95  # a picture over this share of the slide's width and height is its backdrop


def fit_to_slide_size(prs: PresentationType) -> None:
    """Scale the template to studydeck's 16:9 slide, stretching its master and layouts with it.

    Shapes are scaled in place; pictures keep their proportions around their scaled centre, and
    one under the whole slide still covers it, cropped.
    """
    width, height = prs.slide_width or g.SLIDE_WIDTH, prs.slide_height or g.SLIDE_HEIGHT
    x_factor, y_factor = g.SLIDE_WIDTH / width, g.SLIDE_HEIGHT / height
    prs.slide_width, prs.slide_height = Emu(g.SLIDE_WIDTH), Emu(g.SLIDE_HEIGHT)
    if (x_factor, y_factor) == (1.0, 1.0):
        return
    # LibreOffice's masters may share layouts: each is scaled once
    owners = {id(owner.part): owner for master in prs.slide_masters
              for owner in [master, *master.slide_layouts]}
    for owner in owners.values():
        for shape in owner.shapes:
            _scale(shape, x_factor, y_factor)


def _scale(shape: BaseShape, x_factor: float, y_factor: float) -> None:
    if shape.is_placeholder and shape._element.spPr.find(qn("a:xfrm")) is None:
        return  # it takes its place from the master, which is scaled itself
    # Each read of a placeholder's place looks through its layout and master: read once.
    left, top, old_width, old_height = shape.left, shape.top, shape.width, shape.height
    if left is None or top is None or old_width is None or old_height is None:
        return
    width, height = old_width * x_factor, old_height * y_factor
    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
        if (old_width * x_factor >= BACKDROP_SPAN * g.SLIDE_WIDTH
                and old_height * y_factor >= BACKDROP_SPAN * g.SLIDE_HEIGHT):
            _crop_to_fill(cast(Picture, shape), x_factor, y_factor)
        else:
            factor = min(x_factor, y_factor)
            width, height = old_width * factor, old_height * factor
    centre_x = (left + old_width / 2) * x_factor
    centre_y = (top + old_height / 2) * y_factor
    shape.left, shape.top = Emu(round(centre_x - width / 2)), Emu(round(centre_y - height / 2))
    shape.width, shape.height = Emu(round(width)), Emu(round(height))


def _crop_to_fill(picture: Picture, x_factor: float, y_factor: float) -> None:
    """Crop a backdrop picture (a paper, a photo under the whole slide) so that, stretched over
    the scaled slide, it keeps its proportions: scaled by the larger factor, what would run past
    the slide is cut away, half on each side (kept in proportion, it would leave bare strips)."""
    factor = max(x_factor, y_factor)
    for kept, first, second in ((x_factor / factor, "crop_left", "crop_right"),
                                (y_factor / factor, "crop_top", "crop_bottom")):
        before, after = getattr(picture, first), getattr(picture, second)
        cut = (1 - before - after) * (1 - kept) / 2
        setattr(picture, first, before + cut)
        setattr(picture, second, after + cut)
