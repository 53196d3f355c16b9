"""Raw OOXML that python-pptx has no API for: slide jumps, sections, East Asian run fonts.

Click animations live in `studydeck.pptx.animation` and are re-exported here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.presentation import Presentation
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run

from studydeck.pptx.animation import Appear, Click, write_click_sequence

__all__ = [
    "Appear",
    "Click",
    "add_shape_jump",
    "add_slide_jump",
    "style_run_properties",
    "write_click_sequence",
    "write_sections",
]

SLIDE_JUMP = "ppaction://hlinksldjump"
AHYP = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"
HYPERLINK_COLOR_URI = "{A12FA001-AC4F-418D-AE19-62706E023703}"
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
SECTIONS_URI = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
# Fixed so that a section's GUID depends only on its name and place: builds stay byte-stable.
_SECTION_GUIDS = uuid.UUID("5f0c3a52-7d4e-4c1b-9a57-2d6f1e8b9c30")
EAST_ASIAN = ("ko", "ja", "zh")
_CONTROL_CHARACTER = re.compile(r"([\x00-\x08\x0B-\x1F])")
_FILL_TAGS = ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill")
# CT_TextCharacterProperties' child sequence (ECMA-376 Part 1, 21.1.2.3.9).
_RPR_ORDER = tuple(
    qn(tag)
    for tag in (
        "a:ln",
        *_FILL_TAGS,
        "a:effectLst",
        "a:effectDag",
        "a:highlight",
        "a:uLnTx",
        "a:uLn",
        "a:uFillTx",
        "a:uFill",
        "a:latin",
        "a:ea",
        "a:cs",
        "a:sym",
        "a:hlinkClick",
        "a:hlinkMouseOver",
        "a:rtl",
        "a:extLst",
    )
)


def add_slide_jump(run: _Run, target: Slide) -> None:
    """Make the text run jump to `target` when clicked in the slideshow."""
    run.hyperlink.address = None  # drops an earlier link together with its relationship
    rel_id = run.part.relate_to(target.part, RT.SLIDE)
    link = run._r.get_or_add_rPr().add_hlinkClick(rel_id)
    link.action = SLIDE_JUMP
    keep_run_color(link)


def keep_run_color(link: etree._Element) -> None:
    """Have PowerPoint and LibreOffice draw the linked run (`a:hlinkClick`) in its own colour:
    both draw a link in the theme's hyperlink colour unless told so."""
    ext = etree.SubElement(etree.SubElement(link, qn("a:extLst")), qn("a:ext"),
                           uri=HYPERLINK_COLOR_URI)
    etree.SubElement(ext, f"{{{AHYP}}}hlinkClr", nsmap={"ahyp": AHYP}, val="tx")


def keep_letter_case(frame: TextFrame) -> None:
    """Show the frame's text in the letters it was written in, whatever capitals its layout
    asks for (`cap="all"`): text is measured, and the author wrote it, as it is."""
    for run_properties in frame._txBody.iter(qn("a:rPr")):
        run_properties.set("cap", "none")


def add_shape_jump(shape: BaseShape, target: Slide) -> None:
    """Make a whole shape jump to `target` when clicked in the slideshow."""
    shape.click_action.target_slide = target


def write_sections(prs: Presentation, sections: Sequence[tuple[str, Sequence[Slide]]]) -> None:
    """Replace the deck's sections; together they must list every slide once, in deck order."""
    listed = [slide.slide_id for _, slides in sections for slide in slides]
    if listed != [slide.slide_id for slide in prs.slides]:
        raise ValueError("sections must list every slide of the deck exactly once, in order")
    ext = etree.Element(qn("p:ext"), uri=SECTIONS_URI)
    ext.append(_section_list(sections))
    ext_lst = _get_or_add_ext_lst(prs.part._element)
    old = ext_lst.find(f"{qn('p:ext')}[@uri='{SECTIONS_URI}']")
    if old is not None:
        old.addprevious(ext)
        ext_lst.remove(old)
    else:
        ext_lst.insert(0, ext)


def _section_list(sections: Sequence[tuple[str, Sequence[Slide]]]) -> etree._Element:
    section_lst = etree.Element(f"{{{P14}}}sectionLst", nsmap={"p14": P14})
    for index, (name, slides) in enumerate(sections):
        guid = uuid.uuid5(_SECTION_GUIDS, f"{index}:{name}")
        section = etree.SubElement(
            section_lst, f"{{{P14}}}section", name=name, id=f"{{{str(guid).upper()}}}"
        )
        id_lst = etree.SubElement(section, f"{{{P14}}}sldIdLst")
        for slide in slides:
            etree.SubElement(id_lst, f"{{{P14}}}sldId", id=str(slide.slide_id))
    return section_lst


def _get_or_add_ext_lst(presentation: BaseOxmlElement) -> etree._Element:
    """Return `p:presentation/p:extLst`, which the schema puts last."""
    ext_lst = presentation.find(qn("p:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(presentation, qn("p:extLst"))
    return ext_lst


def style_run_properties(
    rpr: etree._Element,
    *,
    latin: str,
    east_asian: str,
    lang: str,
    size_pt: float | None = None,
    bold: bool | None = None,
    color: str | None = None,
    italic: bool | None = None,
    highlight: str | None = None,
    scheme: Mapping[str, str] | None = None,
) -> None:
    """Set a run's `a:rPr`: language, typefaces, optional size, weight, slant, colour and tint.

    Children go in schema order, so an `a:hlinkClick` written before or after stays valid.
    """
    rpr.set("lang", lang)
    if lang.split("-")[0] in EAST_ASIAN:
        rpr.set("altLang", "en-US")
    else:
        rpr.attrib.pop("altLang", None)
    if size_pt is not None:
        rpr.set("sz", str(round(size_pt * 100)))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if italic is not None:
        rpr.set("i", "1" if italic else "0")
    if color is not None:
        _put_in_order(rpr, solid_fill(color, scheme), replacing=_FILL_TAGS)
    if highlight is not None:
        tint = etree.Element(qn("a:highlight"))
        tint.append(solid_fill(highlight)[0])
        _put_in_order(rpr, tint, replacing=("a:highlight",))
    for tag, typeface in (("a:latin", latin), ("a:ea", east_asian), ("a:cs", latin)):
        _put_in_order(rpr, etree.Element(qn(tag), typeface=typeface), replacing=(tag,))


def solid_fill(color: str, scheme: Mapping[str, str] | None = None) -> etree._Element:
    """Give an `a:solidFill` of the RRGGBB colour: a reference to the theme's colour (`tx1` …)
    where `scheme` names the colour, else the colour itself."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        raise ValueError(f"colour must be six hex digits RRGGBB, not {color!r}")
    fill = etree.Element(qn("a:solidFill"))
    slot = (scheme or {}).get(color.upper())
    if slot:
        etree.SubElement(fill, qn("a:schemeClr"), val=slot)
    else:
        etree.SubElement(fill, qn("a:srgbClr"), val=color.upper())
    return fill


def escape_control_characters(text: str) -> str:
    """Give text with control characters written as `_xHHHH_`, as python-pptx's `run.text` does."""
    return _CONTROL_CHARACTER.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)


def _put_in_order(rpr: etree._Element, child: etree._Element, replacing: Sequence[str]) -> None:
    """Insert `child` into `a:rPr` at its schema place, dropping the elements it replaces."""
    for old in [c for c in rpr if c.tag in {qn(tag) for tag in replacing}]:
        rpr.remove(old)
    rank = _RPR_ORDER.index(child.tag)
    later = [c for c in rpr if c.tag in _RPR_ORDER and _RPR_ORDER.index(c.tag) > rank]
    if later:
        later[0].addprevious(child)
    else:
        rpr.append(child)
