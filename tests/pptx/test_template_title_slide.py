"""A template's title slide: its lines on a card where no text colour reads on the template's
drawing behind them (a mid-tone picture), its title in a band drawn in its backdrop picture.

The templates are python-pptx's default layouts on a picture made here; the English fixture
deck is built on them.
"""

from __future__ import annotations

import io
from pathlib import Path

from conftest import FIXTURES, build, copy_project
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape
from test_template_marks import PIXELS_PER_INCH, _noise, _template

from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio
from studydeck.pptx.fill_pictures import Picture
from studydeck.pptx.template import template_page_areas, template_roles
from studydeck.pptx.template_card import CARD_NAME
from studydeck.pptx.template_marks import picture_band

TEAL = (38, 127, 157)  # Blueprint_Plans' mid-tone teal: black reads 4.6:1 on it, white 4.56:1
SKY = (150, 190, 230)  # a light ground …
NAVY = (40, 60, 110)  # … and a dark band on it
SIZE = (round(g.SLIDE_WIDTH / g.EMU_PER_INCH * PIXELS_PER_INCH),
        round(g.SLIDE_HEIGHT / g.EMU_PER_INCH * PIXELS_PER_INCH))


def _png(color: tuple[int, int, int], band: g.Box | None = None) -> bytes:
    picture = Image.new("RGB", SIZE, color)
    if band is not None:
        scale = PIXELS_PER_INCH / g.EMU_PER_INCH
        ImageDraw.Draw(picture).rectangle(
            (round(band.left * scale), round(band.top * scale), round(band.right * scale),
             round(band.bottom * scale)), fill=NAVY)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _built(template: Path, tmp_path: Path, title: str | None = None
           ) -> tuple[PresentationObject, str]:
    project = copy_project(FIXTURES / "template-en", tmp_path / "deck")
    (project / "templates").mkdir()
    (project / "templates" / template.name).write_bytes(template.read_bytes())
    deck = project / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    if title is not None:
        text = text.replace("title: Keeping a web service up when everyone arrives at once",
                            f"title: {title}")
    deck.write_text(text + f"theme:\n  template: templates/{template.name}\n", encoding="utf-8")
    result = build(project)
    return Presentation(str(project / "output" / "deck.pptx")), result.stderr


def _box(shape: BaseShape) -> g.Box:
    return g.Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _colors(shape: BaseShape) -> set[str]:
    return {str(run.font.color.rgb) for paragraph in shape.text_frame.paragraphs
            for run in paragraph.runs if run.font.color and run.font.color.type is not None}


def test_lines_on_a_mid_tone_picture_are_set_on_a_card(tmp_path: Path) -> None:
    template = _template(tmp_path / "t" / "teal.pptx", _png(TEAL))
    prs, stderr = _built(template, tmp_path)
    cover = prs.slides[0]
    card = cover.shapes[0]  # under everything the slide holds
    assert card.name == CARD_NAME
    assert str(card.fill.fore_color.rgb) == "FFFFFF"  # the content pages are as faint: white
    lines = [shape for shape in cover.shapes if shape.has_text_frame
             and shape.text_frame.text.strip()]
    assert {shape.text_frame.text for shape in lines} >= {
        "Keeping a web service up when everyone arrives at once", "A study group's notes",
        "A stranger"}
    for shape in lines:
        box = _box(shape)
        assert card.left <= box.left and box.left + g.inches(0.1) < card.left + card.width
        assert all(contrast_ratio(color, "FFFFFF") >= MINIMUM_RATIO for color in _colors(shape))
    title = _box(cover.shapes.title)
    assert card.top < title.bottom and card.top + card.height > max(
        _box(shape).top for shape in lines)
    assert not any(shape.name == CARD_NAME for slide in list(prs.slides)[1:]
                   for shape in slide.shapes)
    assert stderr.count("set on a card") == 1, stderr


def test_lines_on_a_light_picture_have_no_card(tmp_path: Path) -> None:
    template = _template(tmp_path / "t" / "sky.pptx", _png(SKY))
    prs, stderr = _built(template, tmp_path)
    assert not any(shape.name == CARD_NAME for shape in prs.slides[0].shapes)
    assert "card" not in stderr


def _banded(tmp_path: Path) -> tuple[Path, g.Box]:
    """Give a template whose backdrop picture draws a dark band under its title slide's title
    placeholder, and the band."""
    plain = _template(tmp_path / "plain" / "sky.pptx", _png(SKY))
    layout = template_roles(plain).title
    placeholder = next(shape for shape in layout.placeholders
                       if shape.placeholder_format.idx == 0)
    box = _box(placeholder)
    band = g.Box(box.left - g.inches(0.3), box.top + box.height // 4, box.width + g.inches(0.6),
                 box.height // 2)
    return _template(tmp_path / "t" / "band.pptx", _png(SKY, band)), band


def test_a_band_drawn_in_the_backdrop_holds_the_cover_title(tmp_path: Path) -> None:
    template, band = _banded(tmp_path)
    areas = template_page_areas(template)
    hero = areas.title_slide_title
    slack = g.inches(0.06)  # a cell of the picture's reading, give or take
    assert (band.left - slack <= hero.left and hero.right <= band.right + slack
            and band.top - slack <= hero.top and hero.bottom <= band.bottom + slack), (hero, band)
    long = "Keeping a web service up when everyone arrives at once, and who is on call for it"
    prs, stderr = _built(template, tmp_path, long)
    title = _box(prs.slides[0].shapes.title)
    assert title == hero
    # it shrinks there, and says so, in the lines the bar holds
    assert stderr.count("the deck title") == 1, stderr
    assert "is longer than 1 line at 32 pt" in stderr, stderr


def test_a_plain_or_busy_picture_gives_no_band() -> None:
    middle = g.Box(g.inches(3), g.inches(1), g.inches(6), g.inches(1))
    slide = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)
    assert picture_band(Picture(_png(SKY), slide), middle, g.inches(5)) is None  # its ground
    assert picture_band(Picture(_noise(), slide), middle, g.inches(5)) is None
    found = picture_band(Picture(_png(SKY, middle), slide), middle, g.inches(5))
    assert found is not None and abs(found.box.left - middle.left) < g.inches(0.1)


def test_a_grey_band_whose_tint_turns_from_warm_to_cool_is_read_whole() -> None:
    """Metropolis' banner runs from a*=-1 to a*=0: L*a*b* bytes read the wrong way round had
    put those a whole scale apart, and cut the band into letters."""
    picture = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(picture)
    band = g.Box(g.inches(3), g.inches(0.3), g.inches(7), g.inches(0.9))
    scale = PIXELS_PER_INCH / g.EMU_PER_INCH
    left, right = round(band.left * scale), round(band.right * scale)
    for x in range(left, right):
        share = (x - left) / (right - left)
        draw.line((x, round(band.top * scale), x, round(band.bottom * scale)),
                  fill=(round(62 - 4 * share), 60, round(58 + 4 * share)))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    found = picture_band(Picture(buffer.getvalue(), g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)),
                         band, round(0.8 * band.width))
    assert found is not None and found.box.width > band.width - g.inches(0.2), found
