"""Marks a template draws inside its backdrop picture (a pencil, an ink blot) are kept clear of.

The templates are made here with python-pptx on a paper picture made with Pillow, as
LibreOffice's Blueprint_Plans (a pencil in its background picture, under the title's place)
and Vintage (an ink blot in a picture as large as the slide, where the back link goes) are:
the paper is the slide background's picture fill, or a picture shape under the whole slide.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.shapes.picture import CT_Picture
from pptx.presentation import Presentation as PresentationObject
from pptx.util import Emu

from studydeck.layout import geometry as g
from studydeck.pptx.fill_pictures import Picture
from studydeck.pptx.template import template_page_areas, template_roles
from studydeck.pptx.template_marks import picture_marks
from studydeck.pptx.template_shapes import drawn_shapes

PIXELS_PER_INCH = 90
PAPER = (244, 241, 232)
SLIDE = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)
# inches: a yellow pencil lying in the content title's place (python-pptx's default layouts put
# the title at 0.5–9.5 × 0.3–1.55 in), an ink blot where the date's place (the back link) is
PENCIL = (7.4, 0.55, 9.2, 0.95)
BLOB = (0.35, 6.7, 1.0, 7.35)


def _inches(box: tuple[float, float, float, float]) -> g.Box:
    left, top, right, bottom = box
    return g.Box(g.inches(left), g.inches(top), g.inches(right - left), g.inches(bottom - top))


def _paper(*, pencil: bool = True, blob: tuple[float, float, float, float] | None = BLOB
           ) -> bytes:
    """Give a PNG of plain paper the size of the slide, with a yellow pencil (a band and its
    dark tip, as light as the paper nearly) and a dark ink blot."""
    size = (round(g.SLIDE_WIDTH / g.EMU_PER_INCH * PIXELS_PER_INCH),
            round(g.SLIDE_HEIGHT / g.EMU_PER_INCH * PIXELS_PER_INCH))
    picture = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(picture)
    if pencil:
        left, top, right, bottom = (round(value * PIXELS_PER_INCH) for value in PENCIL)
        draw.polygon([(left, bottom), (right - 20, top), (right, top + 12), (left + 20, bottom)],
                     fill=(242, 200, 60))
        draw.polygon([(left, bottom), (left + 14, bottom - 14), (left + 20, bottom)],
                     fill=(60, 50, 40))
    if blob:
        draw.ellipse([round(value * PIXELS_PER_INCH) for value in blob], fill=(25, 30, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _noise() -> bytes:
    """Give a PNG like a photo: blotches of many colours all over it."""
    chance = random.Random(29)
    picture = Image.new("RGB", (240, 135), PAPER)
    draw = ImageDraw.Draw(picture)
    for _ in range(400):
        x, y, radius = chance.randrange(240), chance.randrange(135), chance.randrange(2, 8)
        color = tuple(chance.randrange(256) for _ in range(3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=color)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _template(path: Path, paper: bytes, *, as_shape: bool = False) -> Path:
    """Write a 16:9 template of python-pptx's default layouts on the paper: the master's
    background picture, or (`as_shape`) a picture shape under the whole slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(g.SLIDE_WIDTH), Emu(g.SLIDE_HEIGHT)
    master = prs.slide_master
    _, rel_id = master.part.get_or_add_image_part(io.BytesIO(paper))
    if as_shape:  # a master has no add_picture: its XML, under all (after the tree's own)
        picture = CT_Picture.new_pic(900, "Paper", "", rel_id, 0, 0, g.SLIDE_WIDTH,
                                     g.SLIDE_HEIGHT)
        master.shapes._spTree.insert(2, picture)
    else:
        background = parse_xml(
            f'<p:bg {nsdecls("a", "p", "r")}><p:bgPr><a:blipFill><a:blip r:embed="{rel_id}"/>'
            '<a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>')
        slide_data = master._element.find(qn("p:cSld"))
        slide_data.replace(slide_data.find(qn("p:bg")), background)  # the default's bgRef
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def _built_on(template: Path, tmp_path: Path) -> PresentationObject:
    """Give the English fixture deck (a three-line title among its slides) built on it."""
    project = copy_project(FIXTURES / "template-en", tmp_path / "deck")
    (project / "templates").mkdir()
    (project / "templates" / template.name).write_bytes(template.read_bytes())
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8")
                    + f"theme:\n  template: templates/{template.name}\n", encoding="utf-8")
    build(project)
    return Presentation(str(project / "output" / "deck.pptx"))


def _written_text(prs: PresentationObject) -> list[tuple[int, str, g.Box]]:
    return [(number, shape.text_frame.text, g.Box(int(shape.left), int(shape.top),
                                                  int(shape.width), int(shape.height)))
            for number, slide in enumerate(prs.slides, start=1) for shape in slide.shapes
            if shape.has_text_frame and shape.text_frame.text.strip()
            and shape.left is not None and shape.top is not None]


@pytest.mark.parametrize("as_shape", [False, True], ids=["background", "picture-shape"])
def test_a_pencil_and_an_ink_blot_in_the_backdrop_are_kept_clear_of(
        tmp_path: Path, as_shape: bool) -> None:
    template = _template(tmp_path / "t" / "paper.pptx", _paper(), as_shape=as_shape)
    pencil, blob = _inches(PENCIL), _inches(BLOB)
    areas = template_page_areas(template)
    assert not areas.title.intersects(pencil)
    assert areas.title.width >= g.inches(5)  # it stops short of the pencil, no more
    assert not areas.back_link.intersects(blob)
    assert not areas.body.intersects(pencil) and not areas.body.intersects(blob)
    over = [(number, text[:40]) for number, text, box in _written_text(_built_on(template,
                                                                                 tmp_path))
            if box.intersects(pencil) or box.intersects(blob)]
    assert not over


def test_marks_are_drawn_right_over_the_backdrop_in_their_colours(tmp_path: Path) -> None:
    template = _template(tmp_path / "t" / "shape.pptx", _paper(), as_shape=True)
    drawn = list(drawn_shapes(template_roles(template).content, backdrops=True))
    assert drawn[0].box.width * drawn[0].box.height >= SLIDE.width * SLIDE.height * 0.95
    marks = drawn[1:3]
    assert all(mark.picture is None and not mark.parts for mark in marks)
    pencil, blob = (next(mark for mark in marks if mark.box.intersects(_inches(box)))
                    for box in (PENCIL, BLOB))
    assert pencil.fill[:2] > "C0" and pencil.fill[4:] < "A0"  # yellow: much red, little blue
    assert blob.fill < "50"  # dark
    assert [mark for mark in drawn_shapes(template_roles(template).content)][:2] == marks


def test_a_plain_picture_and_a_photo_like_one_give_no_marks() -> None:
    assert picture_marks(Picture(_paper(pencil=False, blob=None), SLIDE)) == ()
    assert picture_marks(Picture(_noise(), SLIDE)) == ()
    assert len(picture_marks(Picture(_paper(), SLIDE))) == 2


def test_a_mark_is_read_where_the_picture_is_shown() -> None:
    # cropped to its right half and stretched over the slide, the blot (left) is not shown
    # and the pencil is twice as wide
    found = picture_marks(Picture(_paper(), SLIDE, (0.5, 0.0, 1.0, 1.0)))
    assert len(found) == 1
    [pencil] = found
    left = (PENCIL[0] - SLIDE.width / g.EMU_PER_INCH / 2) * 2
    assert abs(pencil.box.left - g.inches(left)) <= g.inches(0.25)


def test_a_mark_below_the_title_slides_lines_shortens_them_under_the_titles_edge(
        tmp_path: Path) -> None:
    plain = template_page_areas(_template(tmp_path / "t" / "plain.pptx", _paper(blob=None)))
    byline = plain.title_slide_byline
    inch = g.EMU_PER_INCH
    blob = (byline.left / inch - 0.3, byline.bottom / inch - 0.25, byline.left / inch + 0.3,
            byline.bottom / inch + 0.35)  # an ink blot under the byline's first words
    areas = template_page_areas(_template(tmp_path / "t" / "blot.pptx", _paper(blob=blob)))
    assert not areas.title_slide_byline.intersects(_inches(blob))
    assert not areas.title_slide_subtitle.intersects(_inches(blob))
    # shortened from below, not moved aside: they keep the title's left edge
    assert areas.title_slide_subtitle.left == plain.title_slide_subtitle.left
    assert areas.title_slide_byline.left == byline.left
    assert areas.title_slide_byline.height >= g.inches(0.4)
