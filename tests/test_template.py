"""Decks built on a corporate template: its layouts, master, theme fonts and colours, no samples.

The template is the shipped example, examples/company/templates/company.pptx (written by
scripts/make_example_template.py): Korean layout names, a navy band and a footer on the master,
Noto Sans CJK KR as theme fonts, navy dk2 and teal accent1, and two sample slides.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import (
    MINI,
    REPO,
    BuiltDeck,
    build,
    copy_project,
    run_cli,
    slide_title,
    soffice_convert,
)
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide
from pptx.util import Emu

from studydeck.layout import geometry as g
from studydeck.layout.colors import readable
from studydeck.layout.fit import BODY_HARD_MIN, quiz_layout
from studydeck.layout.text import Paragraph
from studydeck.pptx.theme import template_typefaces
from studydeck.project.loading import load_project
from studydeck.source.folder import find_project

EXAMPLE = REPO / "examples" / "company"
TEMPLATE = EXAMPLE / "templates" / "company.pptx"
FONT = "Noto Sans CJK KR"
NAVY, TEAL, SLATE = "0B3C5D", "0F8B8D", "1E2A36"  # the template's dk2, accent1, dk1
TEAL_TEXT = readable(TEAL, "FFFFFF")  # text in the teal, darkened to read 4.5:1 on white
SAMPLE_TEXTS = ("템플릿 사용 안내", "예시 슬라이드")
MASTER_SHAPES = {"Brand band", "Title bar", "Title rule", "Logo mark", "Footer"}


def with_template(project: Path, entry: str, *extra_theme: str) -> int:
    """Name `entry` as the deck's template in deck.yaml; give the line it is written on."""
    deck = project / "deck.yaml"
    lines = deck.read_text(encoding="utf-8").splitlines()
    lines += ["theme:", *(f"  {line}" for line in extra_theme), f"  template: {entry}"]
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def templated_project(target: Path, *extra_theme: str) -> Path:
    """Give a copy of the mini project that builds on the example template."""
    project = copy_project(MINI, target)
    (project / "templates").mkdir(exist_ok=True)
    shutil.copy2(TEMPLATE, project / "templates" / "company.pptx")
    with_template(project, "templates/company.pptx", *extra_theme)
    return project


@pytest.fixture(scope="module")
def templated(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    project = templated_project(tmp_path_factory.mktemp("template") / "mini")
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


def runs(prs: PresentationObject) -> list[etree._Element]:
    return [run for slide in prs.slides for run in slide._element.iter(qn("a:r"))]


def run_color(run: etree._Element) -> str | None:
    color = run.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    return None if color is None else str(color.get("val"))


def typefaces(run: etree._Element) -> tuple[str | None, str | None]:
    rpr = run.find(qn("a:rPr"))
    assert rpr is not None
    latin, east_asian = rpr.find(qn("a:latin")), rpr.find(qn("a:ea"))
    return (None if latin is None else latin.get("typeface"),
            None if east_asian is None else east_asian.get("typeface"))


def title_runs(prs: PresentationObject) -> list[etree._Element]:
    return [run for slide in prs.slides if slide.shapes.title is not None
            for run in slide.shapes.title._element.iter(qn("a:r"))]


def test_slides_use_the_templates_layouts_by_role(templated: BuiltDeck) -> None:
    prs = templated.open()
    names = [slide.slide_layout.name for slide in prs.slides]
    kinds = [_kind(slide) for slide in prs.slides]
    assert names[0] == "제목 슬라이드"
    assert {name for name, kind in zip(names, kinds, strict=True) if kind == "section"} == {
        "구역 머리글"}
    assert {name for name, kind in zip(names[1:], kinds[1:], strict=True)
            if kind != "section"} == {"제목 및 내용"}


CHAPTER_TITLES = ("첫째 챕터", "둘째 챕터")  # the mini deck's section slides


def _kind(slide: Slide) -> str:
    return "section" if slide_title(slide) in CHAPTER_TITLES else "other"


def test_the_default_master_is_picked_by_role_too(mini: BuiltDeck) -> None:
    names = [slide.slide_layout.name for slide in mini.open().slides]
    assert names[0] == "Title Slide"
    assert set(names[1:]) <= {"Title and Content", "Section Header"}
    assert "Title and Content" in names


def test_the_templates_sample_slides_are_gone(templated: BuiltDeck, mini: BuiltDeck) -> None:
    prs = templated.open()
    assert len(prs.slides) == len(mini.open().slides)
    text = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                     if shape.has_text_frame)
    for sample in SAMPLE_TEXTS:
        assert sample not in text
    assert "템플릿의 예시 노트" not in "".join(
        slide.notes_slide.notes_text_frame.text for slide in prs.slides)


def test_the_package_has_no_orphan_or_duplicate_parts(templated: BuiltDeck) -> None:
    with zipfile.ZipFile(templated.deck) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
    assert len(names) == len(set(names))
    slide_count = len(templated.open().slides)
    slide_parts = [n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    notes_parts = [n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)]
    assert sorted(slide_parts) == sorted(f"ppt/slides/slide{n}.xml"
                                         for n in range(1, slide_count + 1))
    assert len(notes_parts) == slide_count
    for name in slide_parts + notes_parts:
        assert f'PartName="/{name}"' in types


def test_the_masters_own_shapes_are_kept(templated: BuiltDeck) -> None:
    prs = templated.open()
    master = prs.slides[1].slide_layout.slide_master
    assert {shape.name for shape in master.shapes} >= MASTER_SHAPES
    title_layout = prs.slides[0].slide_layout
    assert {"Header band", "Company name"} <= {shape.name for shape in title_layout.shapes}
    assert prs.slide_width == Emu(12_192_000) and prs.slide_height == Emu(6_858_000)


def test_placeholders_are_filled_by_idx_and_unused_ones_removed(templated: BuiltDeck) -> None:
    prs = templated.open()
    title_slide = prs.slides[0]
    filled = {shape.placeholder_format.idx: shape.text_frame.text
              for shape in title_slide.placeholders}
    assert filled == {0: "작은 테스트 덱", 1: "테스트용"}
    for slide in list(prs.slides)[1:]:
        assert [shape.placeholder_format.idx for shape in slide.placeholders] == [0]
        assert slide_title(slide)


def test_theme_fonts_and_colours_are_written_on_the_runs(templated: BuiltDeck) -> None:
    prs = templated.open()
    assert {typefaces(run) for run in runs(prs)} == {(FONT, FONT)}
    assert {run_color(run) for run in title_runs(prs)} == {NAVY}
    colors = {run_color(run) for run in runs(prs)}
    assert {SLATE, TEAL_TEXT} <= colors
    assert "1F4E79" not in colors  # studydeck's own primary colour is not used


def test_text_is_measured_with_the_template_fonts_it_is_written_in(
        templated: BuiltDeck) -> None:
    deck = load_project(find_project(templated.project)).deck
    measured = template_typefaces(templated.project / "templates" / "company.pptx", deck)
    written = {typefaces(run) for run in runs(templated.open())}
    assert written == {(measured.latin, measured.east_asian)}


def test_the_answer_mark_takes_the_templates_accent(templated: BuiltDeck) -> None:
    quiz = next(slide for slide in templated.open().slides
                if any(s.has_text_frame and "정답" in s.text_frame.text for s in slide.shapes))
    mark = next(s for s in quiz.shapes if s.has_text_frame and "✔" in s.text_frame.text)
    assert str(mark.fill.fore_color.rgb) == TEAL


def test_deck_yaml_settings_win_over_the_template(tmp_path: Path) -> None:
    project = templated_project(tmp_path / "mini", "font: {latin: DejaVu Sans}",
                                "colors: {primary: '8B0000'}")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    assert {typefaces(run) for run in runs(prs)} == {("DejaVu Sans", FONT)}
    assert {run_color(run) for run in title_runs(prs)} == {"8B0000"}
    assert TEAL_TEXT in {run_color(run) for run in runs(prs)}


@pytest.mark.slow  # LibreOffice
def test_the_templated_deck_renders_with_libreoffice(templated: BuiltDeck,
                                                     tmp_path: Path) -> None:
    pdf = soffice_convert(templated.deck, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) == len(templated.open().slides)
    assert "HANUL CLOUD ACADEMY" in pages[0]
    assert all("Hanul Cloud Academy" in page for page in pages[1:] if page.strip())
    for sample in SAMPLE_TEXTS:
        assert sample not in text


def test_titles_take_the_major_font_and_body_the_minor_one(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    major = (f'<a:majorFont><a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/>',
             # no a:ea: the Korean heading font comes from the Hang script entry
             '<a:majorFont><a:latin typeface="DejaVu Sans"/><a:ea typeface=""/>')
    hang = (f'<a:font script="Hang" typeface="{FONT}"/>',
            '<a:font script="Hang" typeface="Noto Serif CJK KR"/>')
    (project / "templates" / "fonts.pptx").write_bytes(_rewrite(
        TEMPLATE.read_bytes(), "ppt/theme/theme1.xml", major, hang))
    with_template(project, "templates/fonts.pptx")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    in_titles = title_runs(prs)
    assert {typefaces(run) for run in in_titles} == {("DejaVu Sans", "Noto Serif CJK KR")}
    assert {typefaces(run) for run in runs(prs) if run not in in_titles} == {(FONT, FONT)}


@pytest.mark.slow  # LibreOffice
def test_a_libreoffice_saved_template_works(tmp_path: Path) -> None:
    saved = soffice_convert(TEMPLATE, "pptx", tmp_path / "converted")
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    shutil.copy2(saved, project / "templates" / "lo.pptx")
    with_template(project, "templates/lo.pptx")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    assert all(slide_title(slide) for slide in prs.slides)
    # LibreOffice writes one master per master page, with the same layout names in each: the
    # template's sample slides tell which master is the title slide's and which the others'.
    masters = [slide.slide_layout.slide_master.part for slide in prs.slides]
    assert masters[0] is not masters[1] and all(m is masters[1] for m in masters[1:])
    assert "Footer" in {shape.name for shape in prs.slides[1].slide_layout.slide_master.shapes}
    assert not any(sample in slide_title(slide) for slide in prs.slides
                   for sample in SAMPLE_TEXTS)


def test_a_potx_template_works(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    potx = project / "templates" / "company.potx"
    potx.write_bytes(_as_potx(TEMPLATE.read_bytes()))
    with_template(project, "templates/company.potx")
    build(project)
    assert Presentation(str(project / "output" / "deck.pptx")).slides[0].slide_layout.name == (
        "제목 슬라이드")


def _as_potx(data: bytes) -> bytes:
    return _rewrite(data, "[Content_Types].xml", ("presentation.main+xml", "template.main+xml"))


def _rewrite(data: bytes, name: str, *changes: tuple[str, str]) -> bytes:
    """Give the package with text replaced in its member `name` (first occurrence each)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            for old, new in changes if item.filename == name else ():
                assert old.encode() in content, old
                content = content.replace(old.encode(), new.encode(), 1)
            target.writestr(item, content)
    return buffer.getvalue()


def test_a_4_3_template_is_stretched_to_16_9_with_a_warning(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    narrow = Presentation(str(TEMPLATE))
    narrow.slide_width = Emu(9_144_000)
    band = next(s for s in narrow.slide_masters[0].shapes if s.name == "Brand band")
    band.width = Emu(9_144_000)  # across the 4:3 slide
    paper, stamp = tmp_path / "paper.png", tmp_path / "stamp.png"
    Image.new("RGB", (400, 300), "#F3E5C0").save(paper)
    Image.new("RGB", (100, 100), "#8B0000").save(stamp)
    _master_picture(narrow, paper, "Paper", (0, 0, 9_144_000, 6_858_000), bottom=True)
    _master_picture(narrow, stamp, "Stamp", (8_000_000, 0, 900_000, 900_000))
    narrow.save(str(project / "templates" / "narrow.pptx"))
    line = with_template(project, "templates/narrow.pptx")
    result = build(project)
    assert f"deck.yaml:{line}:13: warning: template 'templates/narrow.pptx' is 10.00 × 7.50 in" \
        in result.stderr
    prs = Presentation(str(project / "output" / "deck.pptx"))
    assert prs.slide_width == Emu(12_192_000)
    band = next(s for s in prs.slide_masters[0].shapes if s.name == "Brand band")
    assert band.width == Emu(12_192_000)
    shapes = {shape.name: shape for shape in prs.slide_masters[0].shapes}
    # the paper under the whole slide still covers it, in proportion: a strip cut top and bottom
    paper = shapes["Paper"]
    assert (paper.left, paper.top, paper.width, paper.height) == (0, 0, 12_192_000, 6_858_000)
    assert paper.crop_top == pytest.approx(0.125) and paper.crop_bottom == pytest.approx(0.125)
    assert paper.crop_left == paper.crop_right == 0
    stamp = shapes["Stamp"]  # a picture on the slide keeps its proportions, uncropped
    assert stamp.width == stamp.height and stamp.crop_top == 0


def _master_picture(prs: PresentationObject, image: Path, name: str,
                    box: tuple[int, int, int, int], bottom: bool = False) -> None:
    """Put a picture on the first master (python-pptx adds pictures to slides only: one is
    added to a slide made for it, moved to the master with its image, and the slide dropped)."""
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    picture = slide.shapes.add_picture(str(image), *map(Emu, box))
    picture.name = name
    master = prs.slide_masters[0]
    blip = picture._element.blipFill.blip
    blip.rEmbed = master.part.relate_to(slide.part.related_part(blip.rEmbed), RT.IMAGE)
    tree = master.shapes._spTree
    tree.insert(2, picture._element) if bottom else tree.append(picture._element)
    slide_ids = prs.slides._sldIdLst
    dropped = slide_ids[-1]
    prs.part.drop_rel(dropped.rId)
    slide_ids.remove(dropped)


def test_a_master_linking_to_a_sample_slide_loses_the_link(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    linked = Presentation(str(TEMPLATE))
    logo = next(s for s in linked.slide_master.shapes if s.name == "Logo mark")
    logo.click_action.target_slide = linked.slides[1]  # the master links to a sample slide
    linked.save(str(project / "templates" / "linked.pptx"))
    with_template(project, "templates/linked.pptx")
    build(project)
    with zipfile.ZipFile(project / "output" / "deck.pptx") as package:
        names = package.namelist()
        master_rels = [package.read(n).decode() for n in names if "slideMasters/_rels" in n]
    assert len(names) == len(set(names))
    assert not any("relationships/slide\"" in rels for rels in master_rels)
    assert all(slide_title(slide) for slide in
               Presentation(str(project / "output" / "deck.pptx")).slides)


def test_the_example_project_builds(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE, tmp_path / "company")
    result = build(project)
    assert "warning" not in result.output
    prs = Presentation(str(project / "output" / "deck.pptx"))
    names = [slide.slide_layout.name for slide in prs.slides]
    assert names[:2] == ["제목 슬라이드", "제목 및 내용"]


BROKEN = {
    "missing": ("brand/corporate.pptx", "template 'brand/corporate.pptx' does not exist",
                "relative to the deck.yaml folder"),
    "misspelt": ("templates/note.pptx", "template 'templates/note.pptx' does not exist",
                 "did you mean 'templates/notes.pptx'?"),
    "outside": ("../company.pptx", "template '../company.pptx' lies outside the project",
                "copy it into the project"),
    "absolute": ("{outside}", "lies outside the project", "copy it into the project"),
    "not-a-pptx": ("templates/notes.pptx", "template 'templates/notes.pptx' cannot be read as a "
                   "PowerPoint file", "save it again as .pptx"),
    "wrong-suffix": ("templates/company.pdf", "template 'templates/company.pdf' is not a .pptx, "
                     ".potx, .otp or .odp file", "as .pptx"),
}


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_bad_template_is_reported_with_its_place(case: str, command: str,
                                                   tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    shutil.copy2(TEMPLATE, tmp_path / "company.pptx")  # beside the project, not in it
    (project / "templates" / "notes.pptx").write_text("not a zip", encoding="utf-8")
    shutil.copy2(TEMPLATE, project / "templates" / "company.pdf")
    entry, message, hint = BROKEN[case]
    line = with_template(project, entry.format(outside=tmp_path / "company.pptx"))
    result = run_cli(command, "--project", project)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"deck.yaml:{line}:13: error: " in result.stderr
    assert message in result.stderr
    assert "hint: " in result.stderr and hint in result.stderr
    assert not (project / "output").exists()


def test_a_quiz_in_a_short_body_area_stays_inside_it() -> None:
    """A template's body area may be short (Lights: 3.6 in under its bubbles): a quiz that does
    not fit there at the floor is written inside it all the same (it cannot continue on
    another slide), its boxes only as high as their text, not run below it over the footer."""
    question = Paragraph("The database CPU is at its limit; which change takes the most load "
                         "off it?", bold=True)
    choices = [Paragraph(f"{number}.  {choice}") for number, choice in enumerate(
        ["Send the reads to read replicas", "Double the web servers", "Lower the cache TTL"],
        start=1)]
    explain = Paragraph("Why  Replicas take the reads; the primary keeps only the writes.",
                        bold=True)
    body = g.Box(g.inches(1.67), g.inches(3.1), g.inches(8.09), g.inches(3.57))
    assert quiz_layout(question, choices, explain, body, 24, 20) is None
    written = quiz_layout(question, choices, explain, body, 24, 20, overflowing=True)
    assert written.explain is not None and written.size >= BODY_HARD_MIN
    assert all(box.inside(body) for box in (written.question, *written.choices, written.explain))
