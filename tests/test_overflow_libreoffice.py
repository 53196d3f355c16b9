"""studydeck's text measure agrees with LibreOffice: text stays inside exactly the frames it fits.

Each case is one text frame on its own slide, sized by studydeck's own measure to be just large
enough for its text (by a few points) or just too small (by a few points, or a few per cent of
the width). The deck is written with studydeck's writer, rendered with LibreOffice, and the text
positions read back from the PDF: the last line stays inside the frame exactly when studydeck
said the text fits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import soffice_convert
from pptx import Presentation
from pptx.util import Emu

from studydeck.layout import geometry as g
from studydeck.layout.fit import frame_size
from studydeck.layout.fonts import Typefaces
from studydeck.layout.heights import text_height
from studydeck.layout.text import (
    FONT_LINE_HEIGHT,
    measuring_with,
    text_width_em,
    wrap,
)
from studydeck.pptx.style import deck_style
from studydeck.pptx.text import TextBlock, add_text_box, bullet_paragraphs, measured, plain
from studydeck.schema.models import BulletLine, Deck

pytestmark = pytest.mark.slow  # LibreOffice

MARGIN_PT = 4.0  # how far inside or outside the fit a frame is made
TOLERANCE_PT = 2.0  # how far LibreOffice may differ from the measure
WIDTH_MARGIN = 0.02  # a one-line frame this much wider or narrower than its text
# What LibreOffice draws the cases with through studydeck's fonts.conf: the measure is held to
# that one face here (a build measures with the widest of every face a viewer may use).
RENDERED = Typefaces("Noto Sans CJK KR", "Noto Sans CJK KR", substitutes=False)


@pytest.fixture(autouse=True, scope="module")
def measure_as_rendered() -> Iterator[None]:
    with measuring_with(RENDERED):
        yield

KO = ("트래픽이 늘어나면 로드 밸런서가 요청을 여러 서버에 나누어 보내고, "
      "오토 스케일링 그룹은 서버 수를 늘린다")
EN = ("When traffic grows, the load balancer spreads requests over more servers, "
      "and the group adds some")
URL = ("자세한 설정은 https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
       "target-group-health-checks.html 참고")
LONG_WORD = ("로드밸런서와오토스케일링그룹과데이터베이스읽기전용복제본과"
             "캐시클러스터를한단어로쓴경우 끝")


@dataclass(frozen=True)
class Case:
    """A frame to render: its paragraphs, size, box, and whether studydeck says they fit."""

    name: str
    block: TextBlock
    size: float
    box: g.Box
    fits: bool


def _block(texts: list[str], bold: bool = False) -> TextBlock:
    return TextBlock([plain(text, bold=bold) for text in texts])


def _bullets() -> TextBlock:
    lines = [BulletLine(text=text, level=level) for text, level in
             ((KO, 0), (EN, 1), ("짧은 요점", 0), (EN, 0), ("하위 항목: 헬스 체크 주기", 1))]
    return TextBlock(bullet_paragraphs(lines))


def _height_case(name: str, block: TextBlock, size: float, fits: bool) -> Case:
    width = g.inches(5.5)
    inner = [replace(p, indent=p.indent + 2 * g.FRAME_INSET) for p in measured(block)]
    needed = text_height(inner, size, width) + 2 * g.FRAME_INSET
    change = round(MARGIN_PT * g.EMU_PER_POINT) * (1 if fits else -1)
    return Case(f"{name}-{'in' if fits else 'out'}", block, size,
                g.Box(g.inches(0.5), g.inches(0.5), width, needed + change), fits)


def _width_case(name: str, text: str, size: float, fits: bool) -> Case:
    text_width = text_width_em(text) * size * g.EMU_PER_POINT
    width = round(text_width * (1 + (WIDTH_MARGIN if fits else -WIDTH_MARGIN))) + 2 * g.FRAME_INSET
    line = round(size * FONT_LINE_HEIGHT * g.EMU_PER_POINT)
    height = line + 2 * g.FRAME_INSET + round(MARGIN_PT * g.EMU_PER_POINT)
    return Case(f"{name}-{'in' if fits else 'out'}", _block([text]), size,
                g.Box(g.inches(0.5), g.inches(0.5), width, height), fits)


def cases() -> list[Case]:
    found: list[Case] = []
    for fits in (True, False):
        found += [
            _height_case("ko-16", _block([KO, KO, KO]), 16, fits),
            _height_case("en-24", _block([EN, EN]), 24, fits),
            _height_case("bold-title-30", _block([KO + " " + EN], bold=True), 30, fits),
            _height_case("bullets-20", _bullets(), 20, fits),
            _height_case("url-18", _block([URL, EN]), 18, fits),
            _height_case("long-word-20", _block([LONG_WORD]), 20, fits),
            _width_case("width-ko-20", "로드 밸런서가 요청을 나눈다", 20, fits),
            _width_case("width-en-24", "The load balancer spreads requests", 24, fits),
            _width_case("width-mixed-20", "EventBridge 규칙이 Lambda를 부른다 (I/O나 CPU)", 20,
                        fits),
            _height_case("mixed-20", _block(["1. I/O나 CPU가 임계값을 넘어 경보가 울린다",
                                             "2. 경보의 상태 변경이 EventBridge 이벤트가 된다",
                                             KO + " " + EN]), 20, fits),
        ]
    return found


def write_cases(target: Path, found: list[Case]) -> Path:
    """Write one slide per case with studydeck's own text writer; give the deck's path."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(g.SLIDE_WIDTH), Emu(g.SLIDE_HEIGHT)
    style = deck_style(Deck(title="measure", chapters=["a.yaml"]))
    for case in found:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        block = TextBlock(case.block.paragraphs, case.size, case.size)
        add_text_box(slide, case.box, block, style)
    prs.save(str(target))
    return target


def last_line_bottom(page: pdfplumber.page.Page) -> float:
    """Give where the last line of text on the page ends, in points from the top."""
    return max(char["top"] + char["size"] * FONT_LINE_HEIGHT for char in page.chars
               if char["text"].strip())


def right_edge(page: pdfplumber.page.Page) -> float:
    return max(char["x1"] for char in page.chars if char["text"].strip())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], Path]:
    folder = tmp_path_factory.mktemp("overflow")
    found = cases()
    return found, soffice_convert(write_cases(folder / "frames.pptx", found), "pdf", folder)


def test_the_cases_are_just_inside_or_just_outside_by_studydecks_measure() -> None:
    for case in cases():
        paragraphs = measured(case.block)
        said = frame_size(paragraphs, case.box, case.size, case.size) is not None
        assert said == case.fits, case.name


def test_text_stays_inside_the_frame_exactly_when_studydeck_says_it_fits(
    rendered: tuple[list[Case], Path],
) -> None:
    found, pdf = rendered
    outcomes = []
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(found)
        for case, page in zip(found, document.pages, strict=True):
            inner_bottom = (case.box.bottom - g.FRAME_INSET) / g.EMU_PER_POINT
            bottom = last_line_bottom(page)
            inside = bottom <= inner_bottom + TOLERANCE_PT
            outcomes.append((case.name, case.fits, inside, round(bottom - inner_bottom, 1)))
            assert right_edge(page) <= (case.box.right - g.FRAME_INSET) / g.EMU_PER_POINT + 1
    disagreeing = [outcome for outcome in outcomes if outcome[1] != outcome[2]]
    assert not disagreeing, f"(case, studydeck fits, LibreOffice inside, overshoot pt): {outcomes}"


# Where LibreOffice breaks lines, probed with it: Korean by words, hyphens, a URL that opens the
# paragraph (breaks after slashes) and one later in it (breaks between characters).
WRAP_PROBES = [
    ("한국어 문장은 띄어쓰기 단위로 줄이 바뀌는지 음절 단위로 바뀌는지 확인하는 문장 "
     "로드밸런서와오토스케일링그룹과데이터베이스", 3.0),
    ("설정은 load-balancer-target-group-health-check-settings-and-more", 3.0),
    ("4. Lambda가 읽기 복제본을 만들고 복제가 시작되면 EventBridge 규칙이 I/O나 CPU를 본다", 3.3),
    ("the settings of load-balancer target/group/health/check are here", 3.0),
    ("https://a.com/elasticloadbalancing/latest/application/target/group", 3.0),
    ("see https://a.com/elasticloadbalancing/latest/application/target/group", 3.0),
    ("https://example.com/very/long/path/that/should/wrap/somewhere/in/the/middle/of/the/url"
     "?query=1 and more", 3.8),
    ("supercalifragilisticexpialidocious-antidisestablishmentarianism-pneumonoultramicroscopic"
     " words", 3.8),
]
PROBE_SIZE = 18


def write_probes(target: Path) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(g.SLIDE_WIDTH), Emu(g.SLIDE_HEIGHT)
    style = deck_style(Deck(title="wrap", chapters=["a.yaml"]))
    for text, inches in WRAP_PROBES:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        box = g.Box(g.inches(0.5), g.inches(0.3), g.inches(inches) + 2 * g.FRAME_INSET,
                    g.inches(5))
        add_text_box(slide, box, TextBlock([plain(text)], PROBE_SIZE, PROBE_SIZE), style)
    prs.save(str(target))
    return target


def rendered_lines(page: pdfplumber.page.Page) -> list[str]:
    """Give the text of each rendered line, without spaces."""
    lines: dict[int, list[tuple[float, str]]] = {}
    for char in page.chars:
        lines.setdefault(round(char["top"]), []).append((char["x0"], char["text"]))
    return ["".join(text for _, text in sorted(chars)).replace(" ", "")
            for _, chars in sorted(lines.items())]


def test_lines_break_where_libreoffice_breaks_them(tmp_path: Path) -> None:
    pdf = soffice_convert(write_probes(tmp_path / "wrap.pptx"), "pdf", tmp_path)
    with pdfplumber.open(pdf) as document:
        for (text, inches), page in zip(WRAP_PROBES, document.pages, strict=True):
            measured_lines = [line.replace(" ", "") for line in
                              wrap(text, inches * 72 / PROBE_SIZE)]
            assert rendered_lines(page) == measured_lines, text
