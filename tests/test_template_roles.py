"""A template's layouts by role, its places for content, the deck's own theme, Impress files.

The example template (examples/company/templates/company.pptx) has PowerPoint's Korean layouts;
LibreOffice's bundled Impress templates (.otp) are built on in tests/test_template_impress.py.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, BuiltDeck, build, copy_project, run_cli
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio
from studydeck.pptx import converted
from studydeck.pptx.layout_roles import pick_layouts
from studydeck.pptx.template import (
    prepared_template,
    template_page_areas,
    template_problems,
    template_roles,
)
from studydeck.pptx.template_shapes import drawn_shapes

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "examples" / "company" / "templates" / "company.pptx"
ROLES = {"title": "제목 슬라이드", "content": "제목 및 내용", "section": "구역 머리글",
         "two_content": "콘텐츠 2개", "blank": "빈 화면"}


def test_layouts_are_picked_by_their_placeholders() -> None:
    prs, shown = prepared_template(TEMPLATE)
    layouts = pick_layouts(prs, shown)
    assert {role: getattr(layouts, role).name for role in ROLES} == ROLES


def test_layout_names_only_break_ties(tmp_path: Path) -> None:
    renamed = Presentation(str(TEMPLATE))
    for number, layout in enumerate(renamed.slide_layouts):
        layout.name = f"Mise en page {number}"
    for slide in list(renamed.slides):  # no sample slides to learn from either
        renamed.slides._sldIdLst.remove(renamed.slides._sldIdLst[0])
        del slide
    renamed.save(str(tmp_path / "renamed.pptx"))
    prs, shown = prepared_template(tmp_path / "renamed.pptx")
    layouts = pick_layouts(prs, shown)
    original = pick_layouts(*prepared_template(TEMPLATE))
    for role in ROLES:  # the same layouts, found by what they hold
        assert (getattr(layouts, role).slide_master.slide_layouts.index(getattr(layouts, role))
                == getattr(original, role).slide_master.slide_layouts.index(
                    getattr(original, role)))


def test_body_area_is_the_templates_and_clear_of_its_shapes() -> None:
    areas = template_page_areas(TEMPLATE)
    content = template_roles(TEMPLATE).content
    body = next(p for p in content.placeholders if p.placeholder_format.idx == 1)
    assert areas.body.inside(g.Box(body.left, body.top, body.width, body.height))
    assert areas.body != g.BODY
    for shape in drawn_shapes(content):
        assert not areas.body.intersects(shape.box)


def test_text_on_content_slides_lies_in_the_templates_areas(templated_en: BuiltDeck) -> None:
    areas = template_page_areas(templated_en.project / "templates" / "company.pptx")
    allowed = [areas.title, areas.body, areas.footer, areas.slide_number, areas.back_link]
    prs = templated_en.open()
    for slide in list(prs.slides)[1:]:
        if slide.slide_layout.name != ROLES["content"]:
            continue
        for shape in slide.shapes:
            box = g.Box(shape.left, shape.top, shape.width, shape.height)
            if box.width * box.height == 0:
                continue  # nothing drawn (a mark for the tools that read the deck)
            assert any(_within(box, area) for area in allowed), (shape.name, box)


def _within(box: g.Box, area: g.Box, slack: int = g.inches(0.02)) -> bool:
    return (box.left >= area.left - slack and box.top >= area.top - slack
            and box.right <= area.right + slack and box.bottom <= area.bottom + slack)


@pytest.fixture(scope="module")
def templated_en(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    project = copy_project(MINI, tmp_path_factory.mktemp("roles") / "mini")
    (project / "templates").mkdir()
    shutil.copy2(TEMPLATE, project / "templates" / "company.pptx")
    with (project / "deck.yaml").open("a", encoding="utf-8") as deck:
        deck.write("theme:\n  template: templates/company.pptx\n")
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


def test_the_written_theme_is_the_decks(mini: BuiltDeck) -> None:
    with zipfile.ZipFile(mini.deck) as package:
        theme = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    colors = {slot.tag.rpartition("}")[2]: slot[0].get("val") for slot in scheme}
    assert colors["accent1"] == "B85A1E" and colors["dk2"] == "1F4E79"
    assert colors["dk1"] == "1F2937" and colors["lt1"] == "FFFFFF"
    assert colors["hlink"] != "0000FF" and len({colors[f"accent{n}"] for n in range(1, 7)}) == 6
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    for tag in ("a:majorFont", "a:minorFont"):
        assert fonts.find(f"{qn(tag)}/{qn('a:latin')}").get("typeface") == "Malgun Gothic"
        assert fonts.find(f"{qn(tag)}/{qn('a:ea')}").get("typeface") == "Malgun Gothic"
    assert theme.get("name") == "작은 테스트 덱"
    prs = mini.open()  # text and fills in the theme's colours refer to them
    titles = [run for slide in prs.slides if slide.shapes.title is not None
              for run in slide.shapes.title._element.iter(qn("a:r"))]
    assert {run.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:schemeClr')}").get("val")
            for run in titles} == {"tx2"}
    header = next(shape.table.cell(0, 0) for slide in prs.slides for shape in slide.shapes
                  if shape.has_table)
    assert header._tc.tcPr.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").get("val") == "tx2"


def test_a_template_keeps_its_own_theme(templated_en: BuiltDeck) -> None:
    with zipfile.ZipFile(templated_en.deck) as built, zipfile.ZipFile(TEMPLATE) as source:
        assert built.read("ppt/theme/theme1.xml") == source.read("ppt/theme/theme1.xml")


def test_an_impress_template_without_libreoffice_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    otp = tmp_path / "Company.otp"
    otp.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setenv("STUDYDECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(converted.shutil, "which", lambda name: None)
    [(severity, message, hint)] = template_problems(otp)
    assert severity == "error" and "needs LibreOffice" in message
    assert "libreoffice-impress" in hint


def test_text_on_a_band_is_made_readable_with_one_warning(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    banded = Presentation(str(TEMPLATE))
    band = next(s for s in banded.slide_masters[0].shapes if s.name == "Brand band")
    band.height = g.inches(1.7)  # the navy band now lies under the titles, and over the body
    banded.save(str(project / "templates" / "banded.pptx"))
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8")
                    + "theme:\n  template: templates/banded.pptx\n", encoding="utf-8")
    line = len(deck.read_text(encoding="utf-8").splitlines())
    result = build(project)
    warnings = [text for text in result.stderr.splitlines() if "too faint" in text]
    assert len(warnings) == 1 and warnings[0].startswith(f"deck.yaml:{line}:13: warning: ")
    assert "primary 0B3C5D on 0B3C5D (title, 1.0:1) becomes" in warnings[0]
    areas = template_page_areas(project / "templates" / "banded.pptx")
    assert areas.body.top >= g.inches(1.7)  # the body keeps clear of the band
    prs = Presentation(str(project / "output" / "deck.pptx"))
    title = prs.slides[1].shapes.title
    color = title._element.find(f".//{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    assert contrast_ratio(color.get("val"), "0B3C5D") >= MINIMUM_RATIO


def test_validate_says_an_impress_template_needs_libreoffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    (project / "templates" / "Company.otp").write_bytes(b"PK\x03\x04 an Impress template")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8")
                    + "theme:\n  template: templates/Company.otp\n", encoding="utf-8")
    line = len(deck.read_text(encoding="utf-8").splitlines())
    monkeypatch.setenv("STUDYDECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = run_cli("validate", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"deck.yaml:{line}:13: error: template 'templates/Company.otp' is an Impress file " \
        "(.otp), and converting it needs LibreOffice" in result.stderr
    assert "Traceback" not in result.output
