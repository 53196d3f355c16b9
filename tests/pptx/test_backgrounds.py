"""What a template draws behind a box: the part of a picture under it, a group's parts, a
freeform's outline rather than its box, a gradient's colour where the box is along it, a
see-through fill mixed with what is below it, a pattern's colours, a gradient background; code
read on its own panel."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import run_cli, slide_title
from lxml import etree
from PIL import Image, ImageDraw
from pptx import Presentation
from test_template import templated_project

from studydeck.highlight import CODE_BACKGROUND, DEFAULT_COLOR, LINE_NUMBER_COLOR, TOKEN_COLORS
from studydeck.layout import geometry as g
from studydeck.layout.colors import contrast_ratio
from studydeck.pptx.backgrounds import (
    ESTIMATE_MARGIN,
    Drawn,
    background_fill,
    color_behind,
    read_behind,
)
from studydeck.pptx.fill_paints import Paint, Stop, fill_paint
from studydeck.pptx.fill_pictures import Picture

SLIDE = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT)
LEFT_HALF = g.Box(0, 0, g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT)
RIGHT_HALF = g.Box(g.SLIDE_WIDTH // 2, 0, g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT)


def _png(draw: str) -> bytes:
    """Give a 100×50 white PNG, its left half navy when `draw` is 'left', with a navy speck of
    2 % of its right half when it is 'speck'."""
    picture = Image.new("RGB", (100, 50), "white")
    pen = ImageDraw.Draw(picture)
    if draw == "left":
        pen.rectangle((0, 0, 49, 49), fill="#000080")
    if draw == "speck":
        pen.rectangle((60, 10, 64, 14), fill="#000080")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_a_picture_gives_the_colour_of_its_part_under_the_box() -> None:
    picture = Picture(_png("left"), SLIDE)
    assert picture.color_under(LEFT_HALF) == "000080"
    assert picture.color_under(RIGHT_HALF) == "FFFFFF"


def test_a_cropped_picture_is_read_in_its_own_pixels() -> None:
    # only the picture's left half is shown, stretched over the whole slide
    picture = Picture(_png("left"), SLIDE, shown=(0.0, 0.0, 0.5, 1.0))
    assert picture.color_under(RIGHT_HALF) == "000080"


def test_a_speck_does_not_make_the_part_dark() -> None:
    assert Picture(_png("speck"), SLIDE).color_under(RIGHT_HALF) == "FFFFFF"


def test_a_background_picture_is_read_under_the_box_with_a_margin() -> None:
    background = Picture(_png("left"), SLIDE)
    behind = color_behind(LEFT_HALF, [], "808080", background)
    # navy, told a little lighter: light text made readable on it keeps 4.5:1 on the photo
    assert _told_harder(behind, "000080", "FFFFFF")
    assert color_behind(RIGHT_HALF, [], "808080", background) != "808080"


def _told_harder(told: str, true: str, text: str) -> bool:
    """Tell whether text reads on `told` by the margin (a step more at most) worse than on the
    `true` colour."""
    margin = contrast_ratio(true, text) / contrast_ratio(told, text)
    return ESTIMATE_MARGIN - 0.005 <= margin <= ESTIMATE_MARGIN + 0.05


def test_a_freeform_counts_where_its_outline_is_not_its_box() -> None:
    # a triangle along the slide's top: its box covers the slide's middle, it does not
    corners = ((0, 0), (g.SLIDE_WIDTH, 0), (0, g.SLIDE_HEIGHT // 2))
    triangle = Drawn(SLIDE, "FF0000", outline=corners)
    middle = g.Box(g.SLIDE_WIDTH // 2 - 10, g.SLIDE_HEIGHT // 2 - 10, 20, 20)
    assert color_behind(middle, [triangle], "FFFFFF") == "FFFFFF"
    assert color_behind(g.Box(0, 0, 20, 20), [triangle], "FFFFFF") == "FF0000"


def test_a_group_shows_its_topmost_part_under_the_box() -> None:
    parts = (Drawn(LEFT_HALF, "00FF00"), Drawn(RIGHT_HALF, "0000FF"))
    group = Drawn(SLIDE, "", parts=parts)
    assert color_behind(g.Box(10, 10, 20, 20), [group], "FFFFFF") == "00FF00"
    assert color_behind(g.Box(g.SLIDE_WIDTH - 30, 10, 20, 20), [group], "FFFFFF") == "0000FF"


# --- gradients, see-through fills, patterns ---------------------------------------------------

NAVY_TO_WHITE = (Stop(0.0, "000080"), Stop(1.0, "FFFFFF"))
TOP_STRIP = g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT // 10)
BOTTOM_STRIP = g.Box(0, g.SLIDE_HEIGHT * 9 // 10, g.SLIDE_WIDTH, g.SLIDE_HEIGHT // 10)


def test_a_linear_gradient_gives_the_colour_where_a_point_lies_along_its_angle() -> None:
    down = Paint(NAVY_TO_WHITE, SLIDE, angle=90)  # 90°: from the top down
    assert down.at(g.SLIDE_WIDTH // 2, 0).color == "000080"
    assert down.at(g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT // 2).color == "8080C0"
    assert down.at(g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT).color == "FFFFFF"
    across = Paint(NAVY_TO_WHITE, SLIDE, angle=180)  # 180°: from the right to the left
    assert across.at(g.SLIDE_WIDTH, 0).color == "000080"
    assert across.at(0, 0).color == "FFFFFF"


def test_a_path_gradient_starts_at_its_focus() -> None:
    # LibreOffice's radial: its last stop half the box's diagonal away from the focus
    glow = Paint(NAVY_TO_WHITE, SLIDE, focus=(0.5, 1.0), path="circle")
    assert glow.at(g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT).color == "000080"
    assert glow.at(0, 0).color == "FFFFFF"
    ring = Paint(NAVY_TO_WHITE, SLIDE, focus=(0.5, 0.5), path="rect")
    assert ring.at(g.SLIDE_WIDTH // 2, g.SLIDE_HEIGHT // 4).color == "8080C0"


def test_text_on_a_gradient_is_read_on_the_part_under_it() -> None:
    gradient = Drawn(SLIDE, "000080", paint=Paint(NAVY_TO_WHITE, SLIDE, angle=90))
    on_top, at_bottom = (color_behind(box, [gradient], "FFFFFF")
                         for box in (TOP_STRIP, BOTTOM_STRIP))
    assert not _is_light(on_top) and _is_light(at_bottom)  # light text on top, dark below


def test_a_see_through_fill_is_mixed_with_what_is_below_it() -> None:
    veil = Drawn(SLIDE, "FFFFFF", paint=Paint((Stop(0.0, "FFFFFF", 0.25),), SLIDE))
    behind = color_behind(TOP_STRIP, [veil], "000000")
    # a quarter of white over black, told a little lighter (an estimate keeps a margin)
    assert _told_harder(behind, "404040", "FFFFFF")


def test_an_opaque_fill_hides_what_is_below_and_is_not_estimated() -> None:
    band = Drawn(SLIDE, "123456", paint=Paint((Stop(0.0, "123456"),), SLIDE))
    assert color_behind(TOP_STRIP, [band], "FFFFFF") == "123456"


def test_a_box_from_dark_to_light_is_told_uneven() -> None:
    across = Drawn(SLIDE, "000080", paint=Paint(NAVY_TO_WHITE, SLIDE, angle=0))
    behind = read_behind(g.Box(0, 0, g.SLIDE_WIDTH, g.SLIDE_HEIGHT // 4), [across], "FFFFFF")
    assert behind.uneven == ("000080", "FFFFFF")  # no text colour reads on all of it
    assert read_behind(TOP_STRIP, [Drawn(SLIDE, "000080")], "FFFFFF").uneven is None


def _is_light(color: str) -> bool:
    return contrast_ratio(color, "000000") >= contrast_ratio(color, "FFFFFF")


# --- fills read from a template's XML -----------------------------------------------------------

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def _shape_properties(fill: str) -> etree._Element:
    return etree.fromstring(f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:spPr>{fill}</p:spPr></p:sp>')


def test_a_gradient_fill_is_read_with_its_stops_angle_and_alpha() -> None:
    layout = Presentation().slide_layouts[0]
    element = _shape_properties(
        '<a:gradFill><a:gsLst><a:gs pos="30000"><a:srgbClr val="000032"/></a:gs>'
        '<a:gs pos="100000"><a:srgbClr val="F60063"><a:alpha val="50000"/></a:srgbClr></a:gs>'
        '</a:gsLst><a:lin ang="5400000"/></a:gradFill>')
    paint = fill_paint(element, layout, SLIDE)
    assert paint is not None and paint.angle == 90
    assert paint.stops == (Stop(0.3, "000032"), Stop(1.0, "F60063", 0.5))
    assert paint.at(0, 0).color == "000032"  # before its first stop: the first's colour


def test_a_pattern_is_its_background_with_a_share_of_its_foreground() -> None:
    layout = Presentation().slide_layouts[0]
    element = _shape_properties(
        '<a:pattFill prst="pct20"><a:fgClr><a:srgbClr val="000000"/></a:fgClr>'
        '<a:bgClr><a:srgbClr val="FFFFFF"/></a:bgClr></a:pattFill>')
    paint = fill_paint(element, layout, SLIDE)
    assert paint is not None and paint.at(0, 0).color == "CCCCCC"


def test_text_on_a_pattern_is_read_on_its_blend_with_a_margin() -> None:
    """A pattern's two colours blend as the renderer draws them at one zoom or another: Vivid's
    lgGrid (a third of its lines' blue) is told harder, as a gradient is (its dark subtitle
    read 4.3:1 where studydeck meant 4.5:1)."""
    layout = Presentation().slide_layouts[0]
    element = _shape_properties(
        '<a:pattFill prst="lgGrid"><a:fgClr><a:srgbClr val="3465A4"/></a:fgClr>'
        '<a:bgClr><a:srgbClr val="009EDA"/></a:bgClr></a:pattFill>')
    paint = fill_paint(element, layout, SLIDE)
    assert paint is not None and paint.estimated
    assert paint.at(0, 0).color == "118BC8"  # a third of the way to the lines' blue
    behind = color_behind(TOP_STRIP, [Drawn(SLIDE, "", paint=paint)], "FFFFFF")
    assert _told_harder(behind, "118BC8", "000000")


def test_a_gradient_background_is_read_under_the_box() -> None:
    prs = Presentation()
    layout = prs.slide_layouts[0]
    background = etree.fromstring(
        f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:gradFill><a:gsLst>'
        '<a:gs pos="0"><a:srgbClr val="000080"/></a:gs><a:gs pos="100000">'
        '<a:srgbClr val="FFFFFF"/></a:gs></a:gsLst><a:lin ang="5400000"/></a:gradFill>'
        '<a:effectLst/></p:bgPr></p:bg>')
    layout.slide_master._element.find(f"{{{P}}}cSld").insert(0, background)
    fill = background_fill(layout)
    assert isinstance(fill, Paint)
    on_top, at_bottom = (color_behind(box, [], "FFFFFF", fill)
                         for box in (TOP_STRIP, BOTTOM_STRIP))
    assert not _is_light(on_top) and _is_light(at_bottom)


# --- text on a panel of studydeck's own -------------------------------------------------------

CODE_CHAPTER = """\
id: code
title: Code
minutes: 5
slides:
  - type: code
    title: A health check
    language: python
    code: |
      def health(request):
          # one cheap query
          return Response("ok", status=200)
"""


def test_code_on_a_dark_slide_keeps_its_colours_readable_on_its_light_panel(
        mini_copy: Path) -> None:
    (mini_copy / "chapters" / "code.yaml").write_text(CODE_CHAPTER, encoding="utf-8")
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - code.yaml\n"
                    "theme:\n  colors:\n    background: '111111'\n    text: 'EEEEEE'\n",
                    encoding="utf-8")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    slide = next(slide for slide in Presentation(str(mini_copy / "output" / "deck.pptx")).slides
                 if slide_title(slide) == "A health check")
    written = {color.get("val") for shape in slide.shapes if shape.name in ("Code", "Line numbers")
               for color in shape._element.iter(f"{{{A}}}srgbClr")}
    # made readable on the panel they are drawn on, not lightened for the dark slide around it
    assert written and all(contrast_ratio(color, CODE_BACKGROUND) >= 4.5 for color in written)
    assert written <= {*TOKEN_COLORS.values(), DEFAULT_COLOR, LINE_NUMBER_COLOR}


BACKDROP = (
    '<p:sp xmlns:p="{p}" xmlns:a="{a}"><p:nvSpPr><p:cNvPr id="999" name="Backdrop"/>'
    '<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    '<a:gradFill rotWithShape="0"><a:gsLst><a:gs pos="0"><a:srgbClr val="000000"/></a:gs>'
    '<a:gs pos="100000"><a:srgbClr val="FFFFFF"/></a:gs></a:gsLst><a:lin ang="0"/>'
    '</a:gradFill></p:spPr></p:sp>')


def test_a_template_whose_backdrop_runs_from_dark_to_light_behind_the_body_is_told(
        tmp_path: Path) -> None:
    project = templated_project(tmp_path / "mini")
    template = project / "templates" / "company.pptx"
    prs = Presentation(str(template))
    for master in prs.slide_masters:  # a black-to-white backdrop under everything it draws
        backdrop = etree.fromstring(BACKDROP.format(p=P, a=A, cx=prs.slide_width,
                                                    cy=prs.slide_height))
        master.shapes._spTree.insert(2, backdrop)
    prs.save(str(template))
    result = run_cli("validate", "--project", project)
    assert result.exit_code == 0, result.output
    told = next(line for line in result.output.splitlines() if "runs from dark to light" in line)
    assert "no text colour reads at 4.5:1 on all of it" in told and "body (from" in told
    assert "hint: choose a template that puts its text on an even background" in result.output
