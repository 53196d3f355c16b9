"""A template's body placeholder fill drawn as a panel its body content sits on, and
LibreOffice's stand-ins for fields it did not export blanked.

The templates are made here with python-pptx: a dark master whose body placeholder has a
see-through white fill, with see-through ellipses ("bubbles") under the body, as LibreOffice's
Lights is; LibreOffice writes the content layout's body placeholder with `noFill` and says so in
docProps/app.xml, a template made elsewhere fills the layout's placeholder itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from conftest import MINI, build, copy_project, slide_title
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape
from pptx.slide import Slide, SlideLayout, SlideMaster
from pptx.util import Emu, Inches

from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, mix
from studydeck.pptx.template import prepared_template, template_page_areas, template_roles
from studydeck.pptx.template_panel import PANEL_MARGIN, PANEL_NAME, draw_body_panel
from studydeck.pptx.template_shapes import clear_of, drawn_shapes

BACKGROUND = "1A1A4A"  # a dark navy: light text reads on it, dark text on the panel over it
LIBREOFFICE = "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2"
POWERPOINT = "Microsoft Office PowerPoint"
BUBBLES = ((1.0, 2.0, 1.2, 1.2), (4.5, 4.4, 1.5, 1.2), (7.4, 2.2, 1.0, 1.0))  # inches
SLACK = g.inches(0.02)


def _panel_template(path: Path, *, master_fill: bool = True, layout_fill: str = "none",
                    application: str = LIBREOFFICE) -> Path:
    """Write a 16:9 template: a navy master with white bubbles (30 %) under its body, its body
    placeholder filled 50 % white when `master_fill`; the content layout's body placeholder
    with `layout_fill` 'none' (no fill of its own), 'noFill' or 'white'; a date stand-in and a
    slide-number field in text boxes of the master; docProps/app.xml naming `application`."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(g.SLIDE_WIDTH), Emu(g.SLIDE_HEIGHT)
    master = prs.slide_master
    _give_background(master)
    for number, (left, top, width, height) in enumerate(BUBBLES):
        _add_shape(master, f'<p:sp {nsdecls("a", "p")}><p:nvSpPr>'
                   f'<p:cNvPr id="{900 + number}" name="Bubble {number}"/><p:cNvSpPr/><p:nvPr/>'
                   f'</p:nvSpPr><p:spPr>{_xfrm(left, top, width, height)}'
                   '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>'
                   '<a:solidFill><a:srgbClr val="FFFFFF"><a:alpha val="30000"/></a:srgbClr>'
                   '</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')
    _add_shape(master, _text_box(910, "Date", (0.3, 6.9, 2.0, 0.4),
                                 "<a:r><a:rPr lang=\"en-US\"/><a:t>&lt;date/time&gt;</a:t></a:r>"))
    _add_shape(master, _text_box(911, "Number", (11.0, 6.9, 2.0, 0.4),
                                 '<a:fld id="{F07544FC-BACF-4B29-89A5-C5578D9F4820}" '
                                 'type="slidenum"><a:rPr lang="en-US"/><a:t>&lt;number&gt;</a:t>'
                                 "</a:fld>"))
    if master_fill:
        _fill_white(_body(master), 50)
    layout = _content_layout(prs)
    if layout_fill == "noFill":
        _body(layout).fill.background()
    elif layout_fill == "white":
        _fill_white(_body(layout), 50)
    buffer = io.BytesIO()
    prs.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_with_application(buffer.getvalue(), application))
    return path


def _give_background(master: SlideMaster) -> None:
    background = parse_xml(f'<p:bg {nsdecls("a", "p")}><p:bgPr><a:solidFill>'
                           f'<a:srgbClr val="{BACKGROUND}"/></a:solidFill><a:effectLst/>'
                           "</p:bgPr></p:bg>")
    slide_data = master._element.cSld
    for old in slide_data.findall(qn("p:bg")):
        slide_data.remove(old)
    slide_data.insert(0, background)


def _xfrm(left: float, top: float, width: float, height: float) -> str:
    return (f'<a:xfrm><a:off x="{Inches(left)}" y="{Inches(top)}"/>'
            f'<a:ext cx="{Inches(width)}" cy="{Inches(height)}"/></a:xfrm>')


def _text_box(shape_id: int, name: str, box: tuple[float, float, float, float],
              runs: str) -> str:
    return (f'<p:sp {nsdecls("a", "p")}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(*box)}'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p>{runs}</a:p></p:txBody></p:sp>')


def _add_shape(owner: SlideMaster, xml: str) -> None:
    owner.shapes._spTree.insert_element_before(parse_xml(xml), "p:extLst")


def _body(owner: SlideMaster | SlideLayout) -> Any:
    return next(placeholder for placeholder in owner.placeholders
                if placeholder.placeholder_format.type in (PP_PLACEHOLDER.BODY,
                                                           PP_PLACEHOLDER.OBJECT))


def _fill_white(placeholder: Any, percent: int) -> None:
    placeholder.fill.solid()
    placeholder.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    color = placeholder._element.spPr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
    color.append(parse_xml(f'<a:alpha {nsdecls("a")} val="{percent * 1000}"/>'))


def _content_layout(prs: PresentationObject) -> SlideLayout:
    return next(layout for layout in prs.slide_layouts if layout.name == "Title and Content")


def _with_application(data: bytes, application: str) -> bytes:
    """Give the package with docProps/app.xml's Application replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/app.xml":
                content = re.sub(rb"<Application>[^<]*</Application>",
                                 f"<Application>{application}</Application>".encode(), content)
            target.writestr(item, content)
    return buffer.getvalue()


def _built_on(template: Path, tmp_path: Path) -> tuple[PresentationObject, str]:
    """Give the mini deck built on `template` (opened) and what the build printed."""
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    (project / "templates" / template.name).write_bytes(template.read_bytes())
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8")
                    + f"theme:\n  template: templates/{template.name}\n", encoding="utf-8")
    result = build(project)
    return Presentation(str(project / "output" / "deck.pptx")), result.stderr


def _panels(layout: SlideLayout) -> list[etree._Element]:
    return [shape._element for shape in layout.shapes if shape.name == PANEL_NAME]


def _content_slides(prs: PresentationObject) -> list[Slide]:
    return [slide for slide in prs.slides
            if slide.slide_layout.name == "Title and Content"
            and slide_title(slide) not in ("첫째 챕터", "둘째 챕터")]


def _box(shape: BaseShape) -> g.Box:
    return g.Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _within(box: g.Box, area: g.Box) -> bool:
    return (box.left >= area.left - SLACK and box.top >= area.top - SLACK
            and box.right <= area.right + SLACK and box.bottom <= area.bottom + SLACK)


# --- the panel -------------------------------------------------------------------------------


def test_libreoffices_lost_body_fill_becomes_the_content_layouts_panel(tmp_path: Path) -> None:
    template = _panel_template(tmp_path / "t" / "lights.pptx", layout_fill="noFill")
    prs, printed = _built_on(template, tmp_path)
    slides = _content_slides(prs)
    assert slides
    layout = slides[0].slide_layout
    [panel] = _panels(layout)
    # the master's fill, where the template puts its body, over the layout's own shapes
    color = panel.find(f"{qn('p:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    assert color is not None and color.get("val").upper() == "FFFFFF"
    assert color.find(qn("a:alpha")).get("val") == "50000"
    panel_box = g.Box(*(int(panel.find(f".//{qn(tag)}").get(name)) for tag, name in
                        (("a:off", "x"), ("a:off", "y"), ("a:ext", "cx"), ("a:ext", "cy"))))
    assert panel_box == _box(_body(layout.slide_master))
    assert list(layout.shapes._spTree.iter_shape_elms())[-1] is panel  # drawn topmost
    # the placeholder does not show it a second time
    assert _body(layout)._element.spPr.find(qn("a:noFill")) is not None
    # the body area is the panel, set in a little, not cut short by the bubbles under it
    areas = template_page_areas(template)
    body = areas.body
    inside = g.Box(panel_box.left + PANEL_MARGIN, panel_box.top + PANEL_MARGIN,
                   panel_box.width - 2 * PANEL_MARGIN, panel_box.height - 2 * PANEL_MARGIN)
    assert body == inside
    bubbles = [shape.box for shape in drawn_shapes(layout) if shape.box != panel_box]
    assert len(bubbles) >= len(BUBBLES)
    assert clear_of(inside, bubbles).height < inside.height * 0.8  # what they would leave
    # every shape but the title and the footer's lies on the panel; its text is dark and reads
    foot = (areas.footer, areas.slide_number, areas.back_link)
    for slide in slides:
        for shape in slide.shapes:
            box = _box(shape)
            if (shape != slide.shapes.title and box.width and box.height
                    and not any(_within(box, area) for area in foot)):
                assert _within(box, panel_box), (slide_title(slide), shape.name)
    on_panel = mix(BACKGROUND, "FFFFFF", 0.5)
    colors = {run.font.color.rgb for shape in slides[0].shapes if shape.has_text_frame
              and shape != slides[0].shapes.title for paragraph in shape.text_frame.paragraphs
              for run in paragraph.runs if run.font.color and run.font.color.type is not None}
    assert colors and all(contrast_ratio(str(color), on_panel) >= MINIMUM_RATIO
                          for color in colors)
    # neither the body nor a title (which keeps off the panel) is told to have no colour that reads
    assert "no text colour reads" not in printed


def test_a_layouts_own_body_fill_becomes_the_panel(tmp_path: Path) -> None:
    # as Nature_Illustration: the layout's placeholder has the fill, whoever wrote the file
    template = _panel_template(tmp_path / "t" / "own.pptx", master_fill=False,
                               layout_fill="white", application=POWERPOINT)
    layout = template_roles(template).content
    [panel] = _panels(layout)
    assert panel.find(f".//{qn('a:alpha')}").get("val") == "50000"
    assert _body(layout)._element.spPr.find(qn("a:solidFill")) is None


def test_a_no_fill_written_by_powerpoint_holds(tmp_path: Path) -> None:
    # only LibreOffice's export loses the master's fill: a PowerPoint layout means its noFill
    template = _panel_template(tmp_path / "t" / "plain.pptx", layout_fill="noFill",
                               application=POWERPOINT)
    layout = template_roles(template).content
    assert not _panels(layout)
    place = _box(_body(layout.slide_master))
    assert template_page_areas(template).body.height < place.height * 0.8  # under the bubbles


def test_a_template_without_a_filled_body_placeholder_is_written_as_before(
        tmp_path: Path) -> None:
    template = _panel_template(tmp_path / "t" / "none.pptx", master_fill=False)
    original = Presentation(str(template))
    prs, _ = _built_on(template, tmp_path)
    layout = _content_slides(prs)[0].slide_layout
    assert not _panels(layout)
    assert layout.part.blob == _content_layout(original).part.blob  # byte for byte
    # the body keeps clear of the bubbles as it always did
    place = _box(_body(layout.slide_master))
    bubbles = [shape.box for shape in drawn_shapes(layout)]
    assert template_page_areas(template).body.height <= clear_of(place, bubbles).height


# --- LibreOffice's stand-ins -------------------------------------------------------------------


def test_field_stand_ins_are_blanked_and_the_slide_number_kept(tmp_path: Path) -> None:
    template = _panel_template(tmp_path / "t" / "fields.pptx")
    prs, _ = _built_on(template, tmp_path)
    for master in (prs.slide_master, template_roles(template).content.slide_master):
        texts = {shape.name: shape.text_frame.text for shape in master.shapes
                 if shape.has_text_frame and not shape.is_placeholder}
        assert texts["Date"] == ""
        assert texts["Number"] == "<number>"
        field = next(shape for shape in master.shapes if shape.name == "Number")._element
        assert next(field.iter(qn("a:fld"))).get("type") == "slidenum"
    shown = " ".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                     if shape.has_text_frame)
    assert "<date/time>" not in shown


def test_a_layouts_shapes_read_before_its_panel_was_drawn_are_read_again(tmp_path: Path) -> None:
    template = _panel_template(tmp_path / "t" / "early.pptx", layout_fill="noFill")
    prs, _ = prepared_template(template)
    layout = _content_layout(prs)
    before = list(drawn_shapes(layout))  # kept for the layout's part
    assert draw_body_panel(layout, _box(_body(layout.slide_master)))
    assert not draw_body_panel(layout, _box(_body(layout.slide_master)))  # once only
    after = list(drawn_shapes(layout))
    assert len(after) == len(before) + 1 and after[-1].box == _box(_body(layout.slide_master))


def test_a_picture_fill_of_the_masters_body_is_linked_from_the_layouts_panel(
        tmp_path: Path) -> None:
    paper = tmp_path / "paper.png"
    Image.new("RGB", (40, 30), "#F3E5C0").save(paper)
    template = _panel_template(tmp_path / "t" / "paper.pptx", master_fill=False,
                               layout_fill="noFill")
    prs = Presentation(str(template))
    master = prs.slide_master
    _, linked = master.part.get_or_add_image_part(str(paper))
    _body(master)._element.spPr.append(parse_xml(
        f'<a:blipFill {nsdecls("a", "r")}><a:blip r:embed="{linked}"/><a:stretch><a:fillRect/>'
        "</a:stretch></a:blipFill>"))
    prs.save(str(template))
    template.write_bytes(_with_application(template.read_bytes(), LIBREOFFICE))
    built, _ = _built_on(template, tmp_path)  # a valid deck (the build checks it)
    layout = _content_slides(built)[0].slide_layout
    [panel] = _panels(layout)
    blip = next(panel.iter(qn("a:blip")))
    shown = layout.part.related_part(blip.get(qn("r:embed")))
    assert shown.blob == paper.read_bytes()
