"""`export pdf|png|sheet|handout` on the mini fixture: the files a person opens afterwards."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, copy_project, run_cli, slide_notes, slide_title
from PIL import Image, ImageChops, ImageStat
from pptx import Presentation

from studydeck.errors import ToolFailedError
from studydeck.export.libreoffice import convert_to_pdf
from studydeck.export.sheet import GAP, LABEL_HEIGHT
from studydeck.source.files import staged_directory

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini project after `export pdf`, `png`, `sheet` and `handout`."""
    project = copy_project(MINI, tmp_path_factory.mktemp("export") / "mini")
    for kind in ("pdf", "png", "sheet", "handout"):
        result = run_cli("export", kind, "--project", project)
        assert result.exit_code == 0, result.output
    return project


def slide_count(deck: Path) -> int:
    return len(Presentation(str(deck)).slides)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    found = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert found is not None, info
    return int(found.group(1))


@pytest.mark.slow  # LibreOffice
def test_pdf_has_one_page_per_slide(exported: Path) -> None:
    output = exported / "output"
    assert pdf_pages(output / "deck.pdf") == slide_count(output / "deck.pptx") == 14


@pytest.mark.slow  # LibreOffice
def test_png_writes_one_full_size_picture_per_slide(exported: Path) -> None:
    pages = sorted((exported / "output" / "png").iterdir())
    assert [page.name for page in pages] == [f"slide-{n:03d}.png" for n in range(1, 15)]
    for page in pages:
        with Image.open(page) as image:
            # 13.333 × 7.5 in at the default 96 dpi
            assert abs(image.width - 1280) <= 1 and abs(image.height - 720) <= 1


@pytest.mark.slow  # LibreOffice
def test_sheet_is_a_grid_of_the_slides_in_order(exported: Path) -> None:
    output = exported / "output"
    with Image.open(output / "sheet.png") as opened:
        sheet = opened.convert("RGB")
    thumb_w, thumb_h = 320, 180
    cell_w, cell_h = thumb_w + GAP, thumb_h + LABEL_HEIGHT + GAP
    assert sheet.size == (6 * cell_w + GAP, 3 * cell_h + GAP)  # 14 slides: 6 + 6 + 2
    for number in (1, 5, 8, 14):
        index = number - 1
        left, top = GAP + index % 6 * cell_w, GAP + index // 6 * cell_h
        thumb = sheet.crop((left, top, left + thumb_w, top + thumb_h))
        with Image.open(output / "png" / f"slide-{number:03d}.png") as page:
            expected = page.convert("RGB").resize((thumb_w, thumb_h))
        assert mean_difference(thumb, expected) < 8, f"cell {number} is not slide {number}"
    # the gaps between the cells are plain background
    gap_column = sheet.crop((GAP + cell_w - GAP // 2, GAP, GAP + cell_w - GAP // 2 + 1,
                             GAP + thumb_h))
    assert all(low == high for low, high in gap_column.getextrema())


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(first, second).convert("L")).mean[0])


@pytest.mark.slow  # LibreOffice
def test_handout_has_every_title_text_picture_and_note(exported: Path) -> None:
    handout = exported / "output" / "handout"
    markdown = (handout / "handout.md").read_text(encoding="utf-8")
    deck = Presentation(str(exported / "output" / "deck.pptx"))
    for number, slide in enumerate(deck.slides, start=1):
        assert f"## {number}. {slide_title(slide)}" in markdown
        first_note_line = slide_notes(slide).splitlines()[0]
        assert f"> {first_note_line}" in markdown
    for words in ("첫째 항목", "  - 하위 항목", "| 상태 | stateful | stateless |", "해설"):
        assert words in markdown
    links = IMAGE_LINK.findall(markdown)
    assert len(links) >= 5  # the diagram, and each walkthrough step slide's picture
    for link in links:
        with Image.open(handout / link) as image:
            assert image.format == "PNG"
    assert "\n◀ 목차" not in markdown  # the link back to the agenda is no content


@pytest.mark.slow  # LibreOffice
def test_handout_pdf_shows_each_slide_with_its_notes(exported: Path) -> None:
    pdf = exported / "output" / "handout" / "handout.pdf"
    assert pdf_pages(pdf) == 14
    text = subprocess.run(["pdftotext", "-f", "4", "-l", "4", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    assert "글머리표" in text and "첫 문장입니다" in text


STAGING = (".export-", ".png.", ".handout.", ".sheet.png.", ".deck.pdf.")


@pytest.mark.slow  # LibreOffice
def test_exports_leave_no_temporary_files(exported: Path) -> None:
    leftovers = [p.name for p in (exported / "output").rglob(".*") if p.name.startswith(STAGING)]
    assert leftovers == []


@pytest.mark.slow  # LibreOffice
def test_a_chapter_exports_beside_its_deck(mini_copy: Path) -> None:
    result = run_cli("export", "pdf", "--chapter", "beta", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    chapters = mini_copy / "output" / "chapters"
    assert "wrote output/chapters/beta.pdf" in result.stdout
    assert pdf_pages(chapters / "beta.pdf") == slide_count(chapters / "beta.pptx")


def tools_without(tmp_path: Path, *missing: str) -> Path:
    """Give a folder of links to the programs a build and an export use, less `missing`."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("dot", "fc-match", "fc-list", "soffice", "pdftoppm", "pdfinfo"):
        found = shutil.which(tool) or ""
        if tool not in missing and found:
            (folder / tool).symlink_to(found)
    return folder


@pytest.mark.parametrize(("kind", "missing", "package"), [
    ("pdf", "soffice", "libreoffice-impress"),
    ("sheet", "pdftoppm", "poppler-utils"),
])
def test_a_missing_program_is_named_with_its_package(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    kind: str, missing: str, package: str,
) -> None:
    monkeypatch.setenv("PATH", str(tools_without(tmp_path, missing)))
    result = run_cli("export", kind, "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert f"sudo apt-get install {package}" in result.stderr
    assert "Traceback" not in result.output


def test_handout_without_libreoffice_still_writes_the_markdown(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tools_without(tmp_path, "soffice")))
    result = run_cli("export", "handout", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert (mini_copy / "output" / "handout" / "handout.md").is_file()
    assert not (mini_copy / "output" / "handout" / "handout.pdf").exists()
    assert "handout.pdf not written" in result.stderr and "libreoffice-impress" in result.stderr


def fake_soffice(tmp_path: Path, script: str) -> Path:
    folder = tools_without(tmp_path, "soffice")
    fake = folder / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(0o755)
    return folder


def test_a_failing_libreoffice_keeps_the_previous_pdf(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = mini_copy / "output" / "deck.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"%PDF-1.4 the previous export")
    # writes half a PDF where LibreOffice's macro would (basic_macro.py), then fails
    script = 'echo "%PDF-1.4 half" > "$STUDYDECK_PDF"; ' \
             'echo "Error: source file could not be loaded" >&2; exit 1'
    monkeypatch.setenv("PATH", str(fake_soffice(tmp_path, script)))
    result = run_cli("export", "pdf", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert "LibreOffice could not convert deck.pptx" in result.stderr
    assert "source file could not be loaded" in result.stderr
    assert "Traceback" not in result.output
    assert previous.read_bytes() == b"%PDF-1.4 the previous export"
    assert [p.name for p in previous.parent.iterdir() if p.name.startswith(STAGING)] == []


def test_libreoffice_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(fake_soffice(tmp_path, "/bin/sleep 30")))
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"")
    with pytest.raises(ToolFailedError, match="did not finish converting deck.pptx within 1 s"):
        convert_to_pdf(deck, tmp_path, timeout=1)


def test_a_staged_folder_replaces_the_old_one_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "png"
    target.mkdir()
    (target / "slide-099.png").write_bytes(b"old")
    with pytest.raises(RuntimeError), staged_directory(target) as staging:
        (staging / "slide-001.png").write_bytes(b"half")
        raise RuntimeError("pdftoppm died")
    assert [p.name for p in tmp_path.iterdir()] == ["png"]
    assert [p.name for p in target.iterdir()] == ["slide-099.png"]
    with staged_directory(target) as staging:
        (staging / "slide-001.png").write_bytes(b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["png"]
    assert [p.name for p in target.iterdir()] == ["slide-001.png"]  # no stale page left
