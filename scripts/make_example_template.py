"""Write the example corporate template, examples/company/templates/company.pptx.

    .venv/bin/python scripts/make_example_template.py [TARGET]

The template is what a company's design team would hand over: a 16:9 master with a navy band, a
teal bar beside the title and a footer; a title-slide layout of its own; Korean layout names (as
Korean PowerPoint writes them); a theme with its own colours and fonts (Noto Sans CJK KR, installed
with fonts-noto-cjk); and two sample slides, which studydeck removes when it builds on it.
The same script gives the same bytes every time.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import cast

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.shapes.shapetree import LayoutShapes, MasterShapes
from pptx.util import Emu, Pt

from studydeck.layout import geometry as g
from studydeck.pptx.package import package_bytes
from studydeck.pptx.template import fit_to_slide_size

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "examples" / "company" / "templates" / "company.pptx"
FONT = "Noto Sans CJK KR"
COMPANY = "하늘 클라우드 아카데미  |  Hanul Cloud Academy"
NAVY, TEAL, AMBER, FOOTER_GREY, RULE = "0B3C5D", "0F8B8D", "F2A93B", "7A8794", "D5DEE6"
COLORS = {
    "dk1": "1E2A36", "lt1": "FFFFFF", "dk2": NAVY, "lt2": "E9EEF3",
    "accent1": TEAL, "accent2": AMBER, "accent3": "5B7DB1", "accent4": "8C5E9E",
    "accent5": "D9594C", "accent6": "6A9F58", "hlink": TEAL, "folHlink": "6B4E9B",
}
# PowerPoint's Korean names for the default layouts, in python-pptx's order.
LAYOUT_NAMES = ("제목 슬라이드", "제목 및 내용", "구역 머리글", "콘텐츠 2개", "비교", "제목만",
                "빈 화면", "캡션 있는 콘텐츠", "캡션 있는 그림", "제목 및 세로 텍스트",
                "세로 제목 및 텍스트")
TITLE_SLIDE, TITLE_ONLY = 0, 5
FIXED_TIME = dt.datetime(2026, 1, 1)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    prs = Presentation()
    fit_to_slide_size(prs)
    write_theme(prs)
    design_master(prs)
    design_title_layout(prs)
    for layout, name in zip(prs.slide_layouts, LAYOUT_NAMES, strict=True):
        layout.name = name
    place(prs.slide_layouts[TITLE_ONLY].placeholders[0], g.TITLE)
    add_sample_slides(prs)
    properties = prs.core_properties
    properties.title, properties.author = "Hanul Cloud Academy template", "Hanul Design Team"
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(package_bytes(prs))
    print(f"wrote {target}")


def write_theme(prs: PresentationType) -> None:
    """Give the theme its own name, colour scheme and fonts."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.set("name", "Hanul")
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    scheme.set("name", "Hanul")
    for slot in scheme:
        slot_name = slot.tag.rpartition("}")[2]
        slot.clear()
        etree.SubElement(slot, qn("a:srgbClr"), val=COLORS[slot_name])
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    fonts.set("name", "Hanul")
    for group in (fonts.find(qn("a:majorFont")), fonts.find(qn("a:minorFont"))):
        group.find(qn("a:latin")).set("typeface", FONT)
        group.find(qn("a:ea")).set("typeface", FONT)
        for entry in group.findall(qn("a:font")):
            if entry.get("script") == "Hang":
                entry.set("typeface", FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def design_master(prs: PresentationType) -> None:
    """A navy band on top, a teal bar beside the title, a rule under it, a footer."""
    master = prs.slide_master
    title, body = master.placeholders[0], master.placeholders[1]
    place(title, g.TITLE)
    place(body, g.BODY)
    style = master._element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    style.set("algn", "l")
    run_style = style.find(qn("a:defRPr"))
    run_style.set("sz", "3200")
    run_style.set("b", "1")
    run_style.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").set("val", "tx2")
    shapes = master.shapes
    band(shapes, g.Box(0, 0, g.SLIDE_WIDTH, g.inches(0.14)), NAVY, "Brand band")
    band(shapes, g.Box(g.inches(0.32), g.inches(0.5), g.inches(0.08), g.inches(0.7)), TEAL,
         "Title bar")
    band(shapes, g.Box(g.MARGIN, g.inches(1.4), g.BODY.width, Pt(1)), RULE, "Title rule")
    band(shapes, g.Box(g.MARGIN, g.inches(7.09), g.inches(0.16), g.inches(0.16)), TEAL,
         "Logo mark")
    label(shapes, g.Box(g.inches(0.85), g.inches(6.99), g.inches(6.0), g.inches(0.36)), COMPANY,
          10, FOOTER_GREY, "Footer")
    _send_decoration_back(shapes)


def design_title_layout(prs: PresentationType) -> None:
    """The title slide: its own navy header and footer bands instead of the master's."""
    layout = prs.slide_layouts[TITLE_SLIDE]
    layout._element.set("showMasterSp", "0")
    place(layout.placeholders[0], g.TITLE_SLIDE_TITLE)
    place(layout.placeholders[1], g.Box(g.MARGIN, g.inches(3.85), g.BODY.width, g.inches(1.2)))
    shapes = layout.shapes
    band(shapes, g.Box(0, 0, g.SLIDE_WIDTH, g.inches(1.25)), NAVY, "Header band")
    band(shapes, g.Box(0, g.inches(1.25), g.SLIDE_WIDTH, g.inches(0.06)), AMBER, "Header rule")
    label(shapes, g.Box(g.MARGIN, g.inches(0.38), g.inches(9.0), g.inches(0.5)),
          "HANUL CLOUD ACADEMY", 20, "FFFFFF", "Company name", bold=True)
    band(shapes, g.Box(0, g.inches(6.95), g.SLIDE_WIDTH, g.inches(0.55)), NAVY, "Footer band")
    label(shapes, g.Box(g.MARGIN, g.inches(7.02), g.inches(9.0), g.inches(0.4)),
          "사내 교육 자료  ·  Internal training", 11, "C9D6E2", "Footer")
    _send_decoration_back(shapes)


def band(shapes: MasterShapes | LayoutShapes, box: g.Box, color: str, name: str) -> None:
    shape = shapes._spTree.add_autoshape(0, name, "rect",
                                         box.left, box.top, box.width, box.height)
    filled = cast(Shape, shapes._shape_factory(shape))
    filled.fill.solid()
    filled.fill.fore_color.rgb = rgb(color)
    filled.line.fill.background()
    filled.shadow.inherit = False


def label(shapes: MasterShapes | LayoutShapes, box: g.Box, text: str, size: int, color: str,
          name: str, *, bold: bool = False) -> None:
    element = shapes._spTree.add_textbox(0, name, box.left, box.top, box.width, box.height)
    frame = cast(Shape, shapes._shape_factory(element)).text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Emu(0)
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = rgb(color)
    run._r.get_or_add_rPr().append(etree.Element(qn("a:ea"), typeface=FONT))


def _send_decoration_back(shapes: MasterShapes | LayoutShapes) -> None:
    """Put the added shapes behind the placeholders and number every shape once."""
    tree = shapes._spTree
    drawn = [child for child in tree if child.tag == qn("p:sp") and child.find(
        f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}") is None]
    first = tree.find(qn("p:grpSpPr"))
    for child in reversed(drawn):
        first.addnext(child)
    for number, element in enumerate(tree.iter(qn("p:cNvPr")), start=2):
        element.set("id", str(number))


def rgb(color: str) -> RGBColor:
    return RGBColor(*(int(color[i:i + 2], 16) for i in (0, 2, 4)))  # type: ignore[no-untyped-call]


def place(shape: object, box: g.Box) -> None:
    shape.left, shape.top = Emu(box.left), Emu(box.top)  # type: ignore[attr-defined]
    shape.width, shape.height = Emu(box.width), Emu(box.height)  # type: ignore[attr-defined]


def add_sample_slides(prs: PresentationType) -> None:
    """Two slides a template usually ships with, to show its look (studydeck removes them)."""
    cover = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = "템플릿 사용 안내"
    cover.placeholders[1].text = "예시 슬라이드: 발표 자료를 만들 때 지워 주세요"
    sample = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    sample.shapes.title.text = "예시 슬라이드"
    body = sample.shapes.add_textbox(Emu(g.BODY.left), Emu(g.BODY.top), Emu(g.BODY.width),
                                     Emu(g.inches(1.0)))
    body.text_frame.text = "본문은 Noto Sans CJK KR, 제목은 남색(dk2), 강조는 청록(accent1)"
    sample.notes_slide.notes_text_frame.text = "템플릿의 예시 노트"


if __name__ == "__main__":
    main()
