"""Raw OOXML helpers: click animations, slide jumps, sections and run fonts, read back as XML.

The study deck built here has four slides: a table of contents linking forward, four bullets
revealed one per click, a picture appearing with its caption, and a two-click quiz whose
"목차로" button links back. It is checked as python-pptx reads it, then after LibreOffice has
opened and re-saved it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide
from pptx.util import Inches

from studydeck.pptx.xml import (
    P14,
    SECTIONS_URI,
    Appear,
    Click,
    add_shape_jump,
    add_slide_jump,
    style_run_properties,
    write_click_sequence,
    write_sections,
)

SLIDE_JUMP = "ppaction://hlinksldjump"
PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
NAMESPACES = {"p": PML, "a": DML, "p14": P14}
PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}
KOREAN = {"latin": "Noto Sans", "east_asian": "Noto Sans CJK KR", "lang": "ko-KR"}
SECTIONS = [("목차", [0]), ("1장 개념", [1, 2]), ("퀴즈", [3])]

# ECMA-376 Part 1 content models; a tuple inside a sequence is a choice that counts once.
SCHEMA_SEQUENCES: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "p:sld": ("p:cSld", "p:clrMapOvr", "p:transition", "p:timing", "p:extLst"),
    "p:timing": ("p:tnLst", "p:bldLst", "p:extLst"),
    "p:seq": ("p:cTn", "p:prevCondLst", "p:nextCondLst"),
    "p:cTn": (
        "p:stCondLst",
        "p:endCondLst",
        "p:endSync",
        "p:iterate",
        "p:childTnLst",
        "p:subTnLst",
    ),
    "p:set": ("p:cBhvr", "p:to"),
    "p:cBhvr": ("p:cTn", "p:tgtEl", "p:attrNameLst"),
    "p:spTgt": (("p:bg", "p:subSp", "p:oleChartEl", "p:txEl", "p:graphicEl"),),
    "p:txEl": (("p:charRg", "p:pRg"),),
    "a:rPr": (
        "a:ln",
        ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill"),
        ("a:effectLst", "a:effectDag"),
        "a:highlight",
        ("a:uLnTx", "a:uLn"),
        ("a:uFillTx", "a:uFill"),
        "a:latin",
        "a:ea",
        "a:cs",
        "a:sym",
        "a:hlinkClick",
        "a:hlinkMouseOver",
        "a:rtl",
        "a:extLst",
    ),
    "p:presentation": (
        "p:sldMasterIdLst",
        "p:notesMasterIdLst",
        "p:handoutMasterIdLst",
        "p:sldIdLst",
        "p:sldSz",
        "p:notesSz",
        "p:smartTags",
        "p:embeddedFontLst",
        "p:custShowLst",
        "p:photoAlbum",
        "p:custDataLst",
        "p:kinsoku",
        "p:defaultTextStyle",
        "p:modifyVerifier",
        "p:extLst",
    ),
}


# -- building the deck ------------------------------------------------------------------------


def new_presentation() -> PresentationObject:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs


def add_text_box(slide: Slide, lines: list[str], top: float) -> int:
    box = slide.shapes.add_textbox(Inches(1), Inches(top), Inches(8), Inches(2))
    box.text_frame.text = lines[0]
    for line in lines[1:]:
        box.text_frame.add_paragraph().text = line
    return box.shape_id


def build_study_deck(folder: Path) -> Path:
    """Save the four-slide study deck in `folder` and return its path."""
    prs = new_presentation()
    toc, bullets, figure, quiz = (prs.slides.add_slide(prs.slide_layouts[6]) for _ in range(4))
    add_text_box(toc, ["1장 개념으로", "퀴즈로"], 1)
    add_slide_jump(toc.shapes[0].text_frame.paragraphs[0].runs[0], bullets)
    add_slide_jump(toc.shapes[0].text_frame.paragraphs[1].runs[0], quiz)
    points = add_text_box(bullets, ["하나", "둘", "셋", "넷"], 1)
    write_click_sequence(bullets, [Click((Appear(points, (i, i)),)) for i in range(4)])
    build_figure_slide(figure, folder)
    build_quiz_slide(quiz, toc)
    for slide in prs.slides:
        style_every_run(slide)
    write_sections(prs, [(name, [prs.slides[i] for i in idx]) for name, idx in SECTIONS])
    path = folder / "study.pptx"
    prs.save(str(path))
    return path


def build_figure_slide(slide: Slide, folder: Path) -> None:
    image = folder / "figure.png"
    Image.new("RGB", (320, 200), (40, 110, 190)).save(image)
    picture = slide.shapes.add_picture(str(image), Inches(1), Inches(1))
    caption = add_text_box(slide, ["그림 1. 구조"], 4.5)
    box = slide.shapes.add_shape(1, Inches(9), Inches(1), Inches(3), Inches(1))
    box.text_frame.text = "핵심"
    write_click_sequence(
        slide,
        [
            Click((Appear(picture.shape_id), Appear(caption, (0, 0)))),
            Click((Appear(box.shape_id),)),
        ],
    )


def build_quiz_slide(slide: Slide, toc: Slide) -> None:
    question = add_text_box(slide, ["질문: 맞는 것은?", "A", "B", "C"], 1)
    answer = add_text_box(slide, ["정답: B"], 4.5)
    back = slide.shapes.add_shape(1, Inches(11), Inches(6.5), Inches(2), Inches(0.6))
    back.text_frame.text = "목차로"
    add_shape_jump(back, toc)
    write_click_sequence(slide, [Click((Appear(question, (1, 3)),)), Click((Appear(answer),))])


def style_every_run(slide: Slide) -> None:
    for shape in slide.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    style_run_properties(run._r.get_or_add_rPr(), **KOREAN, size_pt=24)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_study_deck(tmp_path_factory.mktemp("deck"))


# -- reading it back --------------------------------------------------------------------------

Target = tuple[str, int | None]  # shape name, paragraph (None = whole shape)


def click_groups(slide: Slide) -> list[list[Target]]:
    """Return, per click of the main sequence, the (shape name, paragraph) of each effect."""
    names = {shape.shape_id: shape.name for shape in slide.shapes}
    main = "./p:timing/p:tnLst/p:par/p:cTn/p:childTnLst/p:seq/p:cTn[@nodeType='mainSeq']"
    groups = xpath(slide._element, f"{main}/p:childTnLst/p:par")
    return [[effect_target(e, names) for e in effects(group)] for group in groups]


def effects(group: etree._Element) -> list[etree._Element]:
    return xpath(group, "./p:cTn/p:childTnLst/p:par/p:cTn/p:childTnLst/p:par/p:cTn")


def effect_target(effect: etree._Element, names: dict[int, str]) -> Target:
    (target,) = xpath(effect, ".//p:set/p:cBhvr/p:tgtEl/p:spTgt")
    ranges = xpath(target, "./p:txEl/p:pRg")
    if not ranges:
        return names[int(target.get("spid"))], None
    (paragraph,) = ranges
    assert paragraph.get("st") == paragraph.get("end")
    return names[int(target.get("spid"))], int(paragraph.get("st"))


def node_types(slide: Slide) -> list[list[str]]:
    main = "./p:timing/p:tnLst/p:par/p:cTn/p:childTnLst/p:seq/p:cTn/p:childTnLst/p:par"
    return [[e.get("nodeType") for e in effects(g)] for g in xpath(slide._element, main)]


def builds(slide: Slide) -> dict[int, dict[str, str]]:
    return {
        int(b.get("spid")): {k: v for k, v in b.attrib.items() if k != "spid"}
        for b in xpath(slide._element, "./p:timing/p:bldLst/p:bldP")
    }


def jump_target(slide: Slide, link: etree._Element) -> Slide:
    assert link.get("action") == SLIDE_JUMP
    rel = slide.part.rels[link.get(qn("r:id"))]
    assert rel.reltype == RT.SLIDE
    target: Slide = rel.target_part.slide
    return target


def run_links(slide: Slide) -> list[etree._Element]:
    return xpath(slide._element, ".//a:r/a:rPr/a:hlinkClick")


def shape_links(slide: Slide) -> list[etree._Element]:
    return xpath(slide._element, ".//p:cNvPr/a:hlinkClick")


def section_slides(prs: PresentationObject) -> list[tuple[str, list[int]]]:
    path = f"./p:extLst/p:ext[@uri='{SECTIONS_URI}']/p14:sectionLst/p14:section"
    return [
        (section.get("name"), [int(i) for i in xpath(section, "./p14:sldIdLst/p14:sldId/@id")])
        for section in xpath(prs.part._element, path)
    ]


def xpath(element: etree._Element, path: str) -> list[etree._Element]:
    return list(etree.XPath(path, namespaces=NAMESPACES)(element))


def value(element: etree._Element, path: str) -> str:
    return str(etree.XPath(f"string({path})", namespaces=NAMESPACES)(element))


def expected_sections(prs: PresentationObject) -> list[tuple[str, list[int]]]:
    ids = [slide.slide_id for slide in prs.slides]
    return [(name, [ids[i] for i in idx]) for name, idx in SECTIONS]


def schema_order_errors(root: etree._Element) -> list[str]:
    """Return every element whose children break its ECMA-376 sequence."""
    errors = []
    for element in root.iter():
        model = SCHEMA_SEQUENCES.get(prefixed(element.tag))
        if model is None:
            continue
        ranks = [rank_in(model, prefixed(child.tag)) for child in element]
        known = [rank for rank in ranks if rank is not None]
        if len(known) < len(ranks) or known != sorted(set(known)):
            errors.append(f"{prefixed(element.tag)}: {[prefixed(c.tag) for c in element]}")
    return errors


def rank_in(model: tuple[str | tuple[str, ...], ...], tag: str) -> int | None:
    for rank, part in enumerate(model):
        if tag == part or isinstance(part, tuple) and tag in part:
            return rank
    return None


def prefixed(tag: object) -> str:
    """Return `{uri}name` as `prefix:name`, e.g. `a:latin`."""
    uri, _, name = str(tag).lstrip("{").partition("}")
    return f"{PREFIXES.get(uri, uri)}:{name}"


# -- click animations -------------------------------------------------------------------------


def test_bullets_appear_one_paragraph_per_click(deck: Path) -> None:
    slide = Presentation(str(deck)).slides[1]
    assert click_groups(slide) == [[("TextBox 1", i)] for i in range(4)]
    assert node_types(slide) == [["clickEffect"]] * 4


def test_picture_appears_with_its_caption_on_one_click(deck: Path) -> None:
    slide = Presentation(str(deck)).slides[2]
    assert click_groups(slide) == [
        [("Picture 1", None), ("TextBox 2", 0)],
        [("Rectangle 3", None)],
    ]
    assert node_types(slide) == [["clickEffect", "withEffect"], ["clickEffect"]]


def test_paragraph_range_becomes_one_effect_per_paragraph(deck: Path) -> None:
    slide = Presentation(str(deck)).slides[3]
    assert click_groups(slide) == [
        [("TextBox 1", 1), ("TextBox 1", 2), ("TextBox 1", 3)],
        [("TextBox 2", None)],
    ]
    assert node_types(slide) == [["clickEffect", "withEffect", "withEffect"], ["clickEffect"]]


def test_every_effect_is_an_appear_entrance(deck: Path) -> None:
    for slide in list(Presentation(str(deck)).slides)[1:]:
        effect_nodes = xpath(slide._element, ".//p:cTn[@presetClass]")
        assert effect_nodes
        for effect in effect_nodes:
            assert (effect.get("presetID"), effect.get("presetClass")) == ("1", "entr")
            assert value(effect, ".//p:attrName") == "style.visibility"
            assert value(effect, ".//p:to/p:strVal/@val") == "visible"


def test_time_node_ids_are_unique_and_in_document_order(deck: Path) -> None:
    for slide in list(Presentation(str(deck)).slides)[1:]:
        ids = [int(i) for i in xpath(slide._element, "./p:timing//p:cTn/@id")]
        assert ids == list(range(1, len(ids) + 1))


def test_build_list_matches_what_powerpoint_writes(deck: Path) -> None:
    slides = Presentation(str(deck)).slides
    by_paragraph = {"grpId": "0", "uiExpand": "1", "build": "p"}
    assert builds(slides[1]) == {2: by_paragraph}
    assert builds(slides[2]) == {3: by_paragraph, 4: {"grpId": "0", "animBg": "1"}}
    assert builds(slides[3]) == {2: by_paragraph, 3: {"grpId": "0"}}


def test_effects_carry_the_group_of_their_build_entry(deck: Path) -> None:
    for slide in list(Presentation(str(deck)).slides)[1:]:
        entries = builds(slide)
        for effect in xpath(slide._element, ".//p:cTn[@presetClass]"):
            spid = int(value(effect, ".//p:spTgt/@spid"))
            expected = entries[spid]["grpId"] if spid in entries else None
            assert effect.get("grpId") == expected


def test_slides_and_timing_follow_the_schema_order(deck: Path) -> None:
    prs = Presentation(str(deck))
    for slide in prs.slides:
        assert schema_order_errors(slide._element) == []
    assert schema_order_errors(prs.part._element) == []


def test_schema_check_catches_a_misplaced_child() -> None:
    rpr = etree.fromstring(
        f'<a:rPr xmlns:a="{DML}"><a:ea typeface="x"/><a:latin typeface="y"/></a:rPr>'
    )
    assert schema_order_errors(rpr) == ["a:rPr: ['a:ea', 'a:latin']"]


def test_timing_goes_between_transition_and_ext_lst() -> None:
    prs = new_presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    shape_id = add_text_box(slide, ["하나"], 1)
    slide._element.append(
        etree.fromstring(f'<p:transition xmlns:p="{PML}"><p:fade/></p:transition>')
    )
    slide._element.append(etree.fromstring(f'<p:extLst xmlns:p="{PML}"/>'))
    write_click_sequence(slide, [Click((Appear(shape_id),))])
    write_click_sequence(slide, [Click((Appear(shape_id),))])
    assert [prefixed(c.tag) for c in slide._element] == [
        "p:cSld",
        "p:clrMapOvr",
        "p:transition",
        "p:timing",
        "p:extLst",
    ]


def test_no_clicks_means_no_timing() -> None:
    prs = new_presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    write_click_sequence(slide, [Click((Appear(add_text_box(slide, ["하나"], 1)),))])
    write_click_sequence(slide, [])
    assert xpath(slide._element, "./p:timing") == []


@pytest.mark.parametrize(
    "clicks",
    [
        [Click((Appear(99),))],
        [Click((Appear(2, (0, 4)),))],
        [Click((Appear(2),)), Click((Appear(2),))],
        [Click((Appear(2),)), Click((Appear(2, (0, 0)),))],
        [Click(())],
    ],
    ids=[
        "unknown shape",
        "past last paragraph",
        "whole twice",
        "whole and by paragraph",
        "empty click",
    ],
)
def test_impossible_sequences_are_refused(clicks: list[Click]) -> None:
    prs = new_presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    assert add_text_box(slide, ["하나", "둘"], 1) == 2
    with pytest.raises(ValueError):
        write_click_sequence(slide, clicks)


# -- slide jumps ------------------------------------------------------------------------------


def test_text_links_jump_forward_to_their_slides(deck: Path) -> None:
    slides = Presentation(str(deck)).slides
    links = run_links(slides[0])
    assert [jump_target(slides[0], link).slide_id for link in links] == [
        slides[1].slide_id,
        slides[3].slide_id,
    ]


def test_shape_link_jumps_back_to_the_contents(deck: Path) -> None:
    slides = Presentation(str(deck)).slides
    (link,) = shape_links(slides[3])
    assert jump_target(slides[3], link).slide_id == slides[0].slide_id


# -- sections ---------------------------------------------------------------------------------


def test_sections_list_every_slide_once_in_order(deck: Path) -> None:
    prs = Presentation(str(deck))
    assert section_slides(prs) == expected_sections(prs)


def test_section_ids_are_guids_that_do_not_change_between_builds(tmp_path: Path) -> None:
    ids = []
    for build in ("first", "second"):
        (tmp_path / build).mkdir()
        ids.append(section_ids(Presentation(str(build_study_deck(tmp_path / build)))))
    assert ids[0] == ids[1]
    assert all(re.fullmatch(r"\{[0-9A-F-]{36}\}", i) and uuid.UUID(i) for i in ids[0])
    assert len(set(ids[0])) == len(SECTIONS)


def section_ids(prs: PresentationObject) -> list[str]:
    return [str(i) for i in xpath(prs.part._element, "//p14:section/@id")]


def test_writing_sections_again_replaces_them(deck: Path) -> None:
    prs = Presentation(str(deck))
    write_sections(prs, [("전부", list(prs.slides))])
    assert section_slides(prs) == [("전부", [s.slide_id for s in prs.slides])]
    assert len(xpath(prs.part._element, f"./p:extLst/p:ext[@uri='{SECTIONS_URI}']")) == 1


@pytest.mark.parametrize("order", [[0, 1, 2], [0, 1, 2, 3, 3], [1, 0, 2, 3]])
def test_sections_must_cover_the_deck_in_order(deck: Path, order: list[int]) -> None:
    prs = Presentation(str(deck))
    with pytest.raises(ValueError):
        write_sections(prs, [("하나", [prs.slides[i] for i in order])])


# -- run fonts --------------------------------------------------------------------------------


def test_every_run_has_language_and_both_typefaces_in_schema_order(deck: Path) -> None:
    for slide in Presentation(str(deck)).slides:
        for rpr in xpath(slide._element, ".//a:r/a:rPr"):
            language = (rpr.get("lang"), rpr.get("altLang"), rpr.get("sz"))
            assert language == ("ko-KR", "en-US", "2400")
            tags = [prefixed(c.tag) for c in rpr if prefixed(c.tag) in ("a:latin", "a:ea", "a:cs")]
            assert tags == ["a:latin", "a:ea", "a:cs"]
            assert rpr.find(qn("a:ea")).get("typeface") == "Noto Sans CJK KR"
        assert schema_order_errors(slide._element) == []


@pytest.mark.parametrize("fonts_first", [True, False])
def test_link_and_fonts_stay_in_schema_order_either_way(fonts_first: bool) -> None:
    prs = new_presentation()
    slide, target = (prs.slides.add_slide(prs.slide_layouts[6]) for _ in range(2))
    add_text_box(slide, ["다음으로"], 1)
    run = slide.shapes[0].text_frame.paragraphs[0].runs[0]
    steps = [
        lambda: style_run_properties(run._r.get_or_add_rPr(), **KOREAN, bold=True, color="1f4e79"),
        lambda: add_slide_jump(run, target),
    ]
    for step in steps if fonts_first else steps[::-1]:
        step()
    rpr = run._r.rPr
    assert [prefixed(c.tag) for c in rpr] == [
        "a:solidFill",
        "a:latin",
        "a:ea",
        "a:cs",
        "a:hlinkClick",
    ]
    assert value(rpr, "./a:solidFill/a:srgbClr/@val") == "1F4E79"
    assert rpr.get("b") == "1"


def test_restyling_a_run_replaces_its_fonts_and_colour() -> None:
    prs = new_presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_text_box(slide, ["text"], 1)
    run = slide.shapes[0].text_frame.paragraphs[0].runs[0]
    style_run_properties(run._r.get_or_add_rPr(), **KOREAN, color="FF0000")
    style_run_properties(run._r.get_or_add_rPr(), latin="Arial", east_asian="Malgun Gothic",
                         lang="en-US", color="00FF00")
    rpr = run._r.rPr
    assert [prefixed(c.tag) for c in rpr] == ["a:solidFill", "a:latin", "a:ea", "a:cs"]
    assert (rpr.get("lang"), rpr.get("altLang")) == ("en-US", None)
    assert rpr.find(qn("a:latin")).get("typeface") == "Arial"
    with pytest.raises(ValueError):
        style_run_properties(run._r.get_or_add_rPr(), **KOREAN, color="red")


# -- LibreOffice round trip ---------------------------------------------------------------------


def convert(source: Path, to: str, folder: Path) -> Path:
    """Return the file LibreOffice writes when it opens `source` and saves it as `to`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) must be installed for these tests"
    out = folder / to
    profile = folder / f"profile-{to}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out / f"{source.stem}.{to}"
    assert result.is_file(), f"LibreOffice wrote no {to} for {source.name}"
    return result


@pytest.fixture(scope="module")
def reopened(deck: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield convert(deck, "pptx", tmp_path_factory.mktemp("libreoffice"))


@pytest.mark.slow  # LibreOffice
def test_libreoffice_keeps_every_click_and_its_targets(deck: Path, reopened: Path) -> None:
    ours, theirs = Presentation(str(deck)).slides, Presentation(str(reopened)).slides
    assert len(theirs) == len(ours)
    for mine, saved in zip(ours, theirs, strict=True):
        assert click_groups(saved) == click_groups(mine)
        assert node_types(saved) == node_types(mine)


@pytest.mark.slow  # LibreOffice
def test_libreoffice_keeps_the_slide_jumps(reopened: Path) -> None:
    slides = Presentation(str(reopened)).slides
    forward = [jump_target(slides[0], link).slide_id for link in run_links(slides[0])]
    assert forward == [slides[1].slide_id, slides[3].slide_id]
    (back,) = shape_links(slides[3])
    assert jump_target(slides[3], back).slide_id == slides[0].slide_id


@pytest.mark.slow  # LibreOffice
def test_libreoffice_keeps_the_slide_order_the_sections_describe(
    deck: Path, reopened: Path
) -> None:
    prs = Presentation(str(reopened))
    # Impress has no sections: LibreOffice (7.4) drops p14:sectionLst whole and never garbles it.
    assert section_slides(prs) in ([], expected_sections(prs))
    assert first_shape_names(prs) == first_shape_names(Presentation(str(deck)))


def first_shape_names(prs: PresentationObject) -> list[str]:
    return [slide.shapes[0].name for slide in prs.slides]


@pytest.mark.slow  # LibreOffice
def test_libreoffice_renders_one_pdf_page_per_slide(deck: Path, tmp_path: Path) -> None:
    pdf = convert(deck, "pdf", tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert re.search(r"^Pages:\s+4$", info, re.MULTILINE)
