"""A template's layouts by role, its places for content, the deck's own theme, Impress files.

The example template (examples/company/templates/company.pptx) has PowerPoint's Korean layouts;
LibreOffice's bundled Impress templates (.otp) are converted once for the session in the slow
test, each into a deck built on it.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, BuiltDeck, build, copy_project, run_cli, slide_title
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from test_readable import faint_rendered_texts

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
from studydeck.pptx.template_areas import drawn_shapes

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "examples" / "company" / "templates" / "company.pptx"
IMPRESS_TEMPLATES = sorted(Path("/usr/lib/libreoffice/share/template/common/presnt").glob("*.otp"))
CHAPTER_TITLES = ("첫째 챕터", "둘째 챕터")  # the mini deck's section slides
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


def _written(slide: Slide) -> list[BaseShape]:
    """Give the shapes studydeck drew on the slide but its title (nothing drawn: no size)."""
    return [shape for shape in slide.shapes
            if shape.width and shape.height and not shape.is_placeholder]


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


# Its body placeholder lies half over a large picture: cutting it clear would leave no room.
BODY_OVER_A_SHAPE = {"Grey_Elegant.otp"}
BUILT = ("Blue_Curve.otp", "Candy.otp", "Focus.otp", "Midnightblue.otp")  # built, not only read
RENDERED = ("Blue_Curve.otp", "Midnightblue.otp")  # bands behind titles and footers; dark pages


@pytest.mark.slow  # LibreOffice converts every bundled Impress template (one pass, ~10 s)
@pytest.mark.skipif(not IMPRESS_TEMPLATES, reason="no LibreOffice Impress templates here")
def test_every_impress_template_gives_content_a_place_clear_of_its_shapes(
        impress_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYDECK_CACHE_DIR", str(impress_cache))
    problems = []
    for otp in IMPRESS_TEMPLATES:
        layouts = template_roles(converted.presentation_file(otp))
        areas = template_page_areas(otp)
        if layouts.content.placeholders[0].placeholder_format.type is None:
            problems.append(f"{otp.name}: no content layout")
        for shape in drawn_shapes(layouts.content):
            if areas.body.intersects(shape.box) and otp.name not in BODY_OVER_A_SHAPE:
                problems.append(f"{otp.name}: body area {areas.body} over a shape {shape.box}")
        assert areas.body.width > g.inches(2.5) and areas.body.height > g.inches(2), otp.name
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def impress_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Give a cache folder (STUDYDECK_CACHE_DIR) holding every bundled Impress template
    converted, in one LibreOffice run for the module's tests."""
    folder = tmp_path_factory.mktemp("studydeck-cache")
    _convert_all(IMPRESS_TEMPLATES, folder / "templates")
    return folder


def _convert_all(templates: list[Path], cache: Path) -> None:
    """Convert every template in one LibreOffice run into the cache, as presentation_file would
    one by one (each LibreOffice start costs seconds)."""
    import hashlib
    import subprocess

    work = cache.parent / "work"
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pptx", "--outdir", str(work),
                    *map(str, templates)], capture_output=True, timeout=240, check=False)
    cache.mkdir(parents=True, exist_ok=True)
    for otp in templates:
        digest = hashlib.sha256(otp.read_bytes()).hexdigest()
        shutil.copyfile(work / f"{otp.stem}.pptx", cache / f"{digest}.pptx")


@pytest.mark.slow  # LibreOffice converts the templates
@pytest.mark.skipif(not IMPRESS_TEMPLATES, reason="no LibreOffice Impress templates here")
def test_decks_build_on_impress_templates_with_content_on_content_layouts(
        impress_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYDECK_CACHE_DIR", str(impress_cache))
    chosen = [otp for otp in IMPRESS_TEMPLATES if otp.name in BUILT]
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    deck = (project / "deck.yaml").read_text(encoding="utf-8")
    for otp in chosen:
        shutil.copy2(otp, project / "templates" / otp.name)
        (project / "deck.yaml").write_text(
            deck + f"theme:\n  template: templates/{otp.name}\n", encoding="utf-8")
        result = build(project)
        assert "error" not in result.stderr, result.stderr
        prs = Presentation(str(project / "output" / "deck.pptx"))
        wanted = template_roles(converted.presentation_file(otp)).content
        content = {slide.slide_layout.part.partname for slide in list(prs.slides)[1:]
                   if slide_title(slide) not in CHAPTER_TITLES}
        assert content == {wanted.part.partname}, otp.name
        areas = template_page_areas(project / "templates" / otp.name)
        obstacles = [shape.box for shape in drawn_shapes(wanted)]
        for slide in list(prs.slides)[1:]:
            if slide_title(slide) in CHAPTER_TITLES:
                continue
            for shape in _written(slide):
                box = g.Box(shape.left, shape.top, shape.width, shape.height)
                assert any(_within(box, area) for area in (
                    areas.body, areas.footer, areas.slide_number, areas.back_link)), (
                    otp.name, slide_title(slide), shape.name)
                if otp.name not in BODY_OVER_A_SHAPE and _within(box, areas.body):
                    assert not any(box.intersects(other) for other in obstacles), (
                        otp.name, slide_title(slide), shape.name)
        if otp.name in RENDERED:
            faint = faint_rendered_texts(project / "output" / "deck.pptx", tmp_path / otp.stem)
            assert faint == [], otp.name


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
