"""What a reader sees of the written runs: contrast against what is behind them, line breaks."""

from __future__ import annotations

import ctypes
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import FIXTURES, BuiltDeck, build, copy_project, run_cli, soffice_convert
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from test_geometry import stress  # noqa: F401  (the stress and stranger decks, built once)

from studydeck.checks.contrast import rendered_contrast
from studydeck.layout.colors import (
    MINIMUM_RATIO,
    contrast_ratio,
    mix,
    readable,
    shade_of,
    transformed,
)
from studydeck.pptx.xml import AHYP

SLIDE_BACKGROUND = "FFFFFF"  # every deck tested here keeps the default background


SCHEME_SLOTS = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}  # the masters' clrMap
_THEME: dict[str, str] = {}  # the deck's theme colours by slot, while its runs are read


def _fill(element: etree._Element | None) -> str | None:
    """Give the colour of the element's `a:solidFill`: its own, or the theme's it refers to."""
    fill = element.find(qn("a:solidFill")) if element is not None else None
    if fill is None or not len(fill):
        return None
    return _resolved(fill[0], _THEME)


def _theme_colors(prs: PresentationObject) -> dict[str, str]:
    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    return {slot.tag.rpartition("}")[2]: slot[0].get("val") or slot[0].get("lastClr")
            for slot in scheme}


def run_contrasts(prs: PresentationObject) -> Iterator[tuple[str, float]]:
    """Give each run's text and its contrast against its shape's or cell's fill, or the slide."""
    _THEME.clear()
    _THEME.update(_theme_colors(prs))
    for slide in prs.slides:
        for shape in slide.shapes:
            behind = _fill(shape._element.find(qn("p:spPr"))) or SLIDE_BACKGROUND
            cells = ([(cell._tc, _fill(cell._tc.find(qn("a:tcPr"))) or behind)
                      for row in shape.table.rows for cell in row.cells] if shape.has_table
                     else [(shape._element, behind)])
            for element, background in cells:
                for run in element.iter(qn("a:r")):
                    color = _fill(run.find(qn("a:rPr")))
                    text = run.findtext(qn("a:t")) or ""
                    if text.strip():
                        assert color is not None, f"'{text}' has no colour of its own"
                        yield text, contrast_ratio(color, background)


@pytest.mark.slow  # builds the four stress and stranger decks
def test_every_run_reads_at_least_four_and_a_half_to_one(sample: BuiltDeck,
                                                          stress: BuiltDeck) -> None:  # noqa: F811
    for deck in (sample, stress):
        ratios = list(run_contrasts(deck.open()))
        assert ratios
        faint = [(text[:20], round(ratio, 2)) for text, ratio in ratios if ratio < MINIMUM_RATIO]
        assert faint == []


def test_a_faint_colour_is_darkened_for_text_and_the_build_says_so_once(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "stranger-en", tmp_path / "deck")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    warning = ("deck.yaml:13:13: warning: text in the accent colour F5A623 would have 2.0:1 "
               "contrast on FFFFFF; it is darkened to 9F6C17 for text (4.5:1), fills keep it")
    assert result.stderr.count(warning) == 1
    assert readable("F5A623", "FFFFFF") == "9F6C17"
    assert readable("FFFFFF", "F5A623") != "FFFFFF"  # white on a light fill turns dark
    assert readable("1F4E79", "FFFFFF") == "1F4E79"  # a colour that reads is kept


def test_lines_of_one_block_scalar_are_breaks_inside_one_paragraph(
        stress: BuiltDeck) -> None:  # noqa: F811
    prs = stress.open()
    texts = [t.text or "" for slide in prs.slides for t in slide._element.iter(qn("a:t"))]
    assert not [text for text in texts if "\n" in text]
    breaks = [p for slide in prs.slides for p in slide._element.iter(qn("a:p"))
              if p.find(qn("a:br")) is not None]
    if stress.project.name.startswith("stranger"):
        (paragraph,) = breaks
        lines = [r.findtext(qn("a:t")) for r in paragraph.iter(qn("a:r"))]
        assert len(lines) == 2 and lines[1] and not lines[1].endswith("\n")
        assert paragraph.getnext() is None or paragraph.getnext().find(qn("a:r")) is not None


def test_a_character_no_font_of_the_deck_has_is_a_warning_at_its_place(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "stranger-ko", tmp_path / "deck")
    result = run_cli("validate", "--project", project)
    assert result.exit_code == 0, result.output
    line = next(number for number, text in enumerate(
        (project / "chapters" / "traffic.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if "🚀" in text)
    column = (project / "chapters" / "traffic.yaml").read_text(
        encoding="utf-8").splitlines()[line - 1].index("🚀") + 1
    warnings = [text for text in result.stderr.splitlines() if "U+1F680" in text]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"chapters/traffic.yaml:{line}:{column}: warning: '🚀' "
                                  "(U+1F680 ROCKET) is in none of the deck's fonts")
    assert "empty box" in warnings[0]
    assert "U+" not in run_cli("validate", "--project", FIXTURES / "stress-ko").stderr



def test_a_diagrams_labels_read_on_their_clusters_on_a_dark_deck(tmp_path: Path) -> None:
    """On a dark background (a dark template's, or the deck's own) text is light; a node's or
    a cluster's label on a light cluster is made to read on the cluster (Metropolis's were
    near-white on pale blue, 1.1:1)."""
    project = copy_project(FIXTURES / "native", tmp_path / "deck")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        'colors: {accent: "#0F766E"}', 'colors: {accent: "#5EEAD4", text: "#F5F5F5", '
        'background: "#1E1E1E"}'), encoding="utf-8")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    _THEME.clear()
    _THEME.update(_theme_colors(prs))
    read = []
    for slide in prs.slides:
        for diagram in (shape for shape in slide.shapes if shape.name.startswith("diagram:")):
            shapes = list(_in_groups(diagram.shapes))
            clusters = [(shape, shape.fill.fore_color.rgb) for shape in shapes
                        if shape.name.startswith("cluster:") and ": label" not in shape.name]
            for label in (shape for shape in shapes if shape.name.endswith(": label")
                          and "->" not in shape.name):  # an edge's label has its own fill
                middle = (label.left + label.width // 2, label.top + label.height // 2)
                under = [(cluster.width * cluster.height, str(fill)) for cluster, fill in clusters
                         if cluster.left <= middle[0] <= cluster.left + cluster.width
                         and cluster.top <= middle[1] <= cluster.top + cluster.height]
                behind = min(under)[1] if under else "1E1E1E"
                color = _fill(next(label._element.iter(qn("a:rPr"))))
                assert color is not None
                read.append((label.text_frame.text, round(contrast_ratio(color, behind), 2)))
    assert len(read) > 10 and any(ratio for _, ratio in read)
    assert [(text, ratio) for text, ratio in read if ratio < MINIMUM_RATIO] == []


def _in_groups(shapes: Any) -> Iterator[Any]:
    """Give the shapes and those of their groups (a diagram's groups keep the slide's
    coordinates: their child offset is their own)."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _in_groups(shape.shapes)
        else:
            yield shape

# --- contrast on rendered pages, as an independent checker measures it -------------------------

DPI = 150


def rendered_pages(deck: Path, folder: Path) -> list[Image.Image]:
    """Give the deck's slides as LibreOffice renders them, one picture a slide."""
    pdf = soffice_convert(deck, "pdf", folder)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / "page")],
                   check=True, timeout=120, capture_output=True)
    return [Image.open(page) for page in sorted(folder.glob("page-*.png"))]


def text_boxes(prs: PresentationObject) -> Iterator[tuple[int, str, tuple[int, int, int, int]]]:
    """Give (slide index, text, pixel box) of each text frame and table cell with text, those
    of groups (a native diagram's labels) too."""
    def pixels(box: Box) -> tuple[int, int, int, int]:
        scale = DPI / 914_400
        left, top, width, height = box
        return (round(left * scale) + 1, round(top * scale) + 1,
                round((left + width) * scale) - 1, round((top + height) * scale) - 1)

    for index, slide in enumerate(prs.slides):
        for text, box in _texts_placed(slide.shapes, _UNMOVED):
            yield index, text, pixels(box)


Box = tuple[float, float, float, float]  # left, top, width, height in EMU
Placing = tuple[float, float, float, float, float, float]  # a group's child offset, its offset
_UNMOVED: Placing = (0, 0, 1, 1, 0, 0)  # … and scale: child x → (x - cx) * sx + x0


def _texts_placed(shapes: Any, placing: Placing) -> Iterator[tuple[str, Box]]:
    """Give the text and slide box of each text frame and table cell among `shapes` (whose
    coordinates `placing` maps onto the slide), in groups too."""
    def placed(left: float, top: float, width: float, height: float) -> Box:
        child_x, child_y, scale_x, scale_y, x, y = placing
        return ((left - child_x) * scale_x + x, (top - child_y) * scale_y + y,
                width * scale_x, height * scale_y)

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _texts_placed(shape.shapes, _group_placing(shape, placed))
        elif shape.has_table:
            top = shape.top
            for row in shape.table.rows:
                left = shape.left
                for column, cell in zip(shape.table.columns, row.cells, strict=True):
                    if cell.text.strip():
                        yield cell.text, placed(left, top, column.width, row.height)
                    left += column.width
                top += row.height
        elif shape.has_text_frame and shape.text_frame.text.strip():
            yield shape.text_frame.text, placed(shape.left, shape.top, shape.width, shape.height)


def _group_placing(group: Any, placed: Any) -> Placing:
    """Give how the group's children's coordinates map onto the slide (`placed`: its own)."""
    transform = group._element.grpSpPr.find(qn("a:xfrm"))
    child_offset, child_extent = transform.find(qn("a:chOff")), transform.find(qn("a:chExt"))
    left, top, width, height = placed(group.left, group.top, group.width, group.height)
    child_width = int(child_extent.get("cx")) or 1
    child_height = int(child_extent.get("cy")) or 1
    return (int(child_offset.get("x")), int(child_offset.get("y")), width / child_width,
            height / child_height, left, top)


def faint_rendered_texts(deck: Path, folder: Path) -> list[tuple[int, str, float]]:
    pages = rendered_pages(deck, folder)
    faint = []
    for index, text, box in text_boxes(Presentation(str(deck))):
        ratio = rendered_contrast(pages[index], box)
        if ratio is not None and ratio < MINIMUM_RATIO:
            faint.append((index + 1, text[:30], round(ratio, 2)))
    return faint


@pytest.mark.slow  # LibreOffice renders the decks
def test_rendered_text_reads_at_least_four_and_a_half_to_one(mini: BuiltDeck,
                                                              tmp_path: Path) -> None:
    assert faint_rendered_texts(mini.deck, tmp_path / "mini") == []


# --- every word of a rendered page, against what is drawn behind it ---------------------------

WORD_DPI = 100
APART = 40  # a pixel this far (in any channel) from a word's colour is not the word's


def rendered_words(pdf: Path) -> Iterator[tuple[int, str, str, Image.Image]]:
    """Give (page number, word, its colour as drawn, the rendered pixels round it) of every
    word LibreOffice wrote into the PDF, the page rendered as a reader's viewer draws it."""
    document = pdfium.PdfDocument(pdf)
    scale = WORD_DPI / 72
    for index in range(len(document)):
        page = document[index]
        picture = page.render(scale=scale).to_pil().convert("RGB")
        height = page.get_height()
        for word, color, (left, bottom, right, top) in page_words(page.get_textpage()):
            box = (max(0, int(left * scale) - 2), max(0, int((height - top) * scale) - 2),
                   int(right * scale) + 3, int((height - bottom) * scale) + 3)
            yield index + 1, word, color, picture.crop(box)


def page_words(text: Any) -> Iterator[tuple[str, str, list[float]]]:
    """Give the words of a page's text (pdfium's): runs of visible characters of one colour on
    one line, each with its colour (RRGGBB) and box in points (left, bottom, right, top)."""
    word, color, box = "", "", [0.0, 0.0, 0.0, 0.0]
    for index in range(text.count_chars()):
        channels = [ctypes.c_uint() for _ in range(4)]
        pdfium_c.FPDFText_GetFillColor(text.raw, index, *channels)
        red, green, blue, alpha = (channel.value for channel in channels)
        here = f"{red:02X}{green:02X}{blue:02X}"
        char = text.get_text_range(index, 1)
        left, bottom, right, top = text.get_charbox(index)
        apart = bool(word) and (here != color or bottom > box[3] or top < box[1]
                                or left > box[2] + (box[3] - box[1]) / 2)  # another line
        if word and (apart or not char.strip() or alpha == 0 or right <= left):
            yield word, color, box
            word = ""
        if not char.strip() or alpha == 0 or right <= left:
            continue
        if word:
            word += char
            box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        else:
            word, color, box = char, here, [left, bottom, right, top]
    if word:
        yield word, color, box


def behind(pixels: Image.Image, color: str) -> str | None:
    """Give the colour most drawn round a word that is not the word's own (None: only the
    word's colour is there)."""
    # no more colours than pixels (a larger limit makes Pillow clear a table that large)
    counted: list[tuple[int, Any]] = pixels.getcolors(pixels.width * pixels.height) or []
    wanted = [int(color[i:i + 2], 16) for i in (0, 2, 4)]
    for _, pixel in sorted(counted, key=lambda item: -item[0]):
        if max(abs(channel - target)
               for channel, target in zip(pixel, wanted, strict=True)) > APART:
            return "".join(f"{channel:02X}" for channel in pixel)
    return None


def faint_words(pdf: Path) -> list[tuple[int, str, float]]:
    """Give (page, word, contrast) of each rendered word under 4.5:1 against what is drawn
    behind it: fills composited, clusters, bands and label backgrounds as a viewer shows them."""
    faint = []
    for page, word, color, pixels in rendered_words(pdf):
        background = behind(pixels, color)
        if background is not None and contrast_ratio(color, background) < MINIMUM_RATIO:
            faint.append((page, word, round(contrast_ratio(color, background), 2)))
    return faint


@pytest.mark.slow  # LibreOffice renders the sample deck (once, shared with other tests)
def test_every_word_of_the_rendered_sample_reads_at_least_four_and_a_half_to_one(
        sample_pdf: Path) -> None:
    assert faint_words(sample_pdf) == []


# --- links and shapes in the theme's colours ---------------------------------------------------

LINKED_DECK = """\
title: Rate limiting for people who run APIs
author: Someone new
language: en
theme:
  colors:
    accent: 3DAA5C
chapters:
- limits.yaml
- 한국어.yaml
"""
LINKED_CHAPTER = """\
id: limits
title: Token buckets and where to put them
minutes: 10
slides:
- type: bullets
  title: Where to read more
  bullets:
  - The [IETF draft on RateLimit headers](https://datatracker.ietf.org/) says what to send
  - Stripe's [blog post](https://stripe.com/blog/rate-limiters) explains four kinds of limiter
- type: table
  title: Limits per plan
  columns: [Plan, "[Requests](https://example.com/rpm) per minute", Burst]
  rows:
  - [Free, "60", "10"]
  - [Team, "600", "100"]
  - [Business, "6000", "1000"]
- type: timeline
  title: What happens when a client goes over
  steps:
  - {label: Count, detail: the bucket loses a token}
  - {label: Refuse, detail: "429 with Retry-After"}
"""
KOREAN_CHAPTER = """\
id: ko
title: 토큰 버킷을 어디에 둘 것인가
minutes: 5
slides:
- type: bullets
  title: 더 읽을거리
  bullets:
  - 스트라이프의 [블로그 글](https://stripe.com/blog/rate-limiters)은 네 가지 제한 장치를 설명한다
"""
THEME_SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4",
               "accent5", "accent6", "hlink", "folHlink")
LINK_WORDS = {"IETF", "draft", "on", "RateLimit", "headers", "blog", "post", "블로그", "글"}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    """A stranger's deck with links (English and Korean), a light accent, a table, a timeline."""
    project = tmp_path_factory.mktemp("linked") / "deck"
    (project / "chapters").mkdir(parents=True)
    (project / "deck.yaml").write_text(LINKED_DECK, encoding="utf-8")
    (project / "chapters" / "limits.yaml").write_text(LINKED_CHAPTER, encoding="utf-8")
    (project / "chapters" / "한국어.yaml").write_text(KOREAN_CHAPTER, encoding="utf-8")
    return BuiltDeck(project, project / "output" / "deck.pptx", build(project))


def _slides(deck: Path) -> list[etree._Element]:
    with zipfile.ZipFile(deck) as package:
        names = sorted((name for name in package.namelist()
                        if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)),
                       key=lambda name: int(re.sub(r"\D", "", name)))
        return [etree.fromstring(package.read(name)) for name in names]


def _shape_named(slide: etree._Element, start: str) -> etree._Element:
    return next(shape for shape in slide.iter(qn("p:sp"))
                if shape.find(f".//{qn('p:cNvPr')}").get("name", "").startswith(start))


def _runs(slide: etree._Element, text: str) -> list[etree._Element]:
    return [run for run in slide.iter(qn("a:r")) if run.findtext(qn("a:t")) == text]


def test_links_and_shapes_are_written_in_the_themes_colours(linked: BuiltDeck) -> None:
    prs = linked.open()
    theme = _theme_colors(prs)
    assert theme["hlink"] == readable("3DAA5C", "FFFFFF") != "3DAA5C"  # the light accent, darkened
    slides = _slides(linked.deck)
    fixed = {color.get("val").upper() for slide in slides for color in slide.iter(qn("a:srgbClr"))
             if color.getparent().getparent().tag != qn("a:highlight")}
    assert fixed & {theme[slot].upper() for slot in THEME_SLOTS} == set()
    links = [run for slide in slides for text in ("blog post", "블로그 글")
             for run in _runs(slide, text)]
    assert len(links) == 2
    for run in links:  # drawn as viewers draw links: in the theme's link colour
        assert run.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:schemeClr')}").get(
            "val") == "hlink"
        assert run.find(f".//{qn('a:hlinkClick')}/{qn('a:extLst')}") is None
    (header_link,) = [run for slide in slides for run in _runs(slide, "Requests")]
    # on the dark header the link colour would not read: its own colour, kept by the viewers
    assert header_link.find(f".//{qn('a:schemeClr')}").get("val") == "bg1"
    assert header_link.find(f".//{qn('a:hlinkClick')}//{{{AHYP}}}hlinkClr").get("val") == "tx"
    band = _shape_named(slides[0], "Rectangle")  # the title slide's band, in the accent
    assert band.find(f"{qn('p:spPr')}/{qn('a:solidFill')}/{qn('a:schemeClr')}").get(
        "val") == "accent1"
    table = next(slide for slide in slides if _runs(slide, "Team"))
    rows = [cell for cell in table.iter(qn("a:tc"))
            if cell.findtext(f".//{qn('a:t')}") not in ("Plan", "Requests", "Burst")]
    tints = {_resolved(cell.find(f"{qn('a:tcPr')}/{qn('a:solidFill')}")[0], theme)
             for cell in rows}  # the rows' tints of the primary colour, made by the theme's
    expected = [mix(theme["dk2"], "FFFFFF", share) for share in (0.85, 0.93)]
    assert len(tints) == 2 and all(any(_close(tint, shade) for shade in expected)
                                   for tint in tints)


def _resolved(color: etree._Element, theme: dict[str, str]) -> str:
    """Give the RRGGBB a colour element stands for: its own, or the theme's transformed."""
    if color.tag == qn("a:srgbClr"):
        return str(color.get("val"))
    transforms = {child.tag.rpartition("}")[2]: int(child.get("val")) for child in color}
    base = theme[SCHEME_SLOTS.get(color.get("val"), color.get("val"))]
    return transformed(base, (transforms.get("satMod", 100_000),
                              transforms.get("lumMod", 100_000), transforms.get("lumOff", 0)))


def _close(first: str, second: str, apart: int = 2) -> bool:
    return all(abs(int(first[i:i + 2], 16) - int(second[i:i + 2], 16)) <= apart
               for i in (0, 2, 4))


def test_a_tint_or_shade_of_a_theme_colour_is_found_and_nothing_else() -> None:
    for base in ("1F4E79", "B85A1E", "3DAA5C", "F5A623"):
        for color in (mix(base, "FFFFFF", 0.6), mix(base, "FFFFFF", 0.93),
                      readable(base, "FFFFFF"), mix(base, "000000", 0.3)):
            shade = shade_of(base, color)
            assert shade is not None and _close(transformed(base, shade), color, 1)
        assert shade_of(base, "F3F4F6") is None  # a grey of its own, though near in hue
    assert shade_of("808080", "C0C0C0") is None  # every grey is a shade of a grey: none


def _with_theme(deck: Path, target: Path, colors: dict[str, str]) -> Path:
    """Write a copy of the deck whose theme has other colours in the given slots."""
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/theme/theme1.xml":
                theme = etree.fromstring(data)
                for slot, color in colors.items():
                    theme.find(f".//{qn('a:clrScheme')}/{qn('a:' + slot)}/{qn('a:srgbClr')}").set(
                        "val", color)
                data = etree.tostring(theme, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            copy.writestr(item, data)
    return target


def _link_colors(pdf: Path) -> set[str]:
    """Give the colours the link words are drawn in on the rendered pages (their pixels)."""
    found = set()
    for _, word, color, pixels in rendered_words(pdf):
        if word in LINK_WORDS:
            background = behind(pixels, color)
            counted = pixels.getcolors(pixels.width * pixels.height) or []
            drawn = [(count, pixel) for count, pixel in counted
                     if "".join(f"{c:02X}" for c in pixel) != background]
            found.add("".join(f"{c:02X}" for c in max(drawn)[1]))
    return found


@pytest.mark.slow  # LibreOffice renders the deck, and a copy with another theme
def test_links_render_in_the_themes_link_colour_and_a_new_theme_recolours_the_deck(
        linked: BuiltDeck, tmp_path: Path) -> None:
    theme = _theme_colors(linked.open())
    # a pale link colour, a dark red primary, a blue accent as light as the deck's green
    retheme = {"hlink": "FFB0B0", "dk2": "7A1F1F", "accent1": "4A90D9"}
    recoloured = _with_theme(linked.deck, tmp_path / "recoloured.pptx", retheme)
    pdf = soffice_convert(linked.deck, "pdf", tmp_path / "as-built")
    other = soffice_convert(recoloured, "pdf", tmp_path / "recoloured")
    assert all(_close(color, theme["hlink"], 3) for color in _link_colors(pdf))
    assert all(_close(color, "FFB0B0", 3) for color in _link_colors(other))
    assert faint_words(pdf) == []
    # on the pages with links, the pale link colour is what the rendered check finds
    pages = {page for page, word, _, _ in rendered_words(pdf) if word in LINK_WORDS}
    assert {word for page, word, _ in faint_words(other) if page in pages} == LINK_WORDS
    page = pdfium.PdfDocument(other)[0].render(scale=WORD_DPI / 72).to_pil().convert("RGB")
    band = _shape_named(_slides(linked.deck)[0], "Rectangle")
    offset, extent = band.find(f".//{qn('a:off')}"), band.find(f".//{qn('a:ext')}")
    middle = ((int(offset.get("x")) + int(extent.get("cx")) // 2) * WORD_DPI // 914_400,
              (int(offset.get("y")) + int(extent.get("cy")) // 2) * WORD_DPI // 914_400)
    assert _close("".join(f"{c:02X}" for c in page.getpixel(middle)), "4A90D9")
