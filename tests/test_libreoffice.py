"""The decks as LibreOffice renders them: one page per slide, the Korean font embedded, no tofu."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import BuiltDeck, soffice_convert

pytestmark = pytest.mark.slow  # LibreOffice

# Names a PDF gives a font that stands in for glyphs the requested one lacked.
FALLBACK_NAMES = re.compile(r"LastResort|Unifont|Fallback|Malgun|맑은", re.IGNORECASE)


def poppler(*args: str | Path) -> str:
    done = subprocess.run([str(arg) for arg in args], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


def page_count(pdf: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", pdf), re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """Give (name, embedded yes/no) of every font in the PDF, as pdffonts lists them."""
    lines = poppler("pdffonts", pdf).splitlines()[2:]
    listed = []
    for line in lines:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, generation
        name, *_, emb, _sub, _uni, _obj, _gen = line.split()
        listed.append((name, emb))
    return listed


# Each conversion gets its own LibreOffice profile: a second soffice started on a profile whose
# first instance is still shutting down hands its job over and may exit 255 without a PDF.
@pytest.fixture(scope="module")
def mini_pdf(mini: BuiltDeck, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return soffice_convert(mini.deck, "pdf", tmp_path_factory.mktemp("pdf"))


@pytest.fixture(params=["mini", "sample"])
def rendered(request: pytest.FixtureRequest) -> tuple[BuiltDeck, Path]:
    built: BuiltDeck = request.getfixturevalue(request.param)
    pdf: Path = request.getfixturevalue(f"{request.param}_pdf")
    return built, pdf


def test_one_page_per_slide(rendered: tuple[BuiltDeck, Path]) -> None:
    built, pdf = rendered
    assert page_count(pdf) == len(built.open().slides)


def test_the_korean_font_is_embedded_and_nothing_falls_back(
    rendered: tuple[BuiltDeck, Path],
) -> None:
    _, pdf = rendered
    listed = fonts(pdf)
    assert any("NotoSansCJK" in name and emb == "yes" for name, emb in listed), listed
    assert [name for name, emb in listed if emb != "yes"] == []
    assert [name for name, _ in listed if FALLBACK_NAMES.search(name)] == []


def test_korean_bullets_come_out_as_text(mini_pdf: Path) -> None:
    text = poppler("pdftotext", "-layout", "-f", "4", "-l", "4", mini_pdf, "-")
    for words in ("글머리표", "첫째 항목", "하위 항목", "둘째 항목", "셋째 항목", "하위 a"):
        assert words in text, text
    assert "\ufffd" not in text


def test_the_sample_title_page_reads_in_korean(sample_pdf: Path, sample: BuiltDeck) -> None:
    text = poppler("pdftotext", "-f", "1", "-l", "1", sample_pdf, "-")
    assert "대규모 트래픽을 견디는 웹 서비스 설계" in text
