"""Visual regression: the mini deck as LibreOffice renders it, page by page, against references.

The comparison tolerates what changes from one rendering to the next without anyone noticing
(antialiasing and hinting move glyph edges by a fraction of a pixel, all over the page) and fails
on what a person would notice (a shape moved or gone, a word changed), which changes many pixels
in one place. So: blur both images a little (edge noise fades, real shapes stay), count a pixel
as changed when a colour channel still differs by LEVEL or more, and fail the page when any
WINDOW × WINDOW square has more than MAX_SHARE of its pixels changed.

Measured on the mini deck at 60 dpi, in the densest 33 px square, rendered as `export png`
renders (PDFium): text antialiasing switched off entirely changes up to 13 % of it; two changed
syllables of body text change 24 %, a table moved by 0.3 in 89 %. The limit, 17 %, sits about
halfway between (on a ratio scale).
Refresh the references with `make update-golden`
(STUDYDECK_UPDATE_GOLDEN=1 pytest tests/test_visual.py).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2
import pytest
from conftest import MINI, copy_project, run_cli
from PIL import Image, ImageChops, ImageFilter
from pptx import Presentation
from pptx.util import Emu, Inches

from studydeck.clicks import StateChoice, chosen_states
from studydeck.export.workers import WorkerPool
from studydeck.pptx.states import write_states_deck

pytestmark = pytest.mark.slow  # LibreOffice

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"
DPI = 60
BLUR_RADIUS = 2  # px at 60 dpi: the width of a glyph's antialiased fringe
LEVEL = 32  # of 255, per colour channel, after blurring
WINDOW = 33  # px (about 0.55 in): the square in which changed pixels are counted
MAX_SHARE = 0.17
UPDATING = os.environ.get("STUDYDECK_UPDATE_GOLDEN") == "1"


@dataclass(frozen=True)
class PageDifference:
    """How one page compares with its reference: the densest share of changed pixels."""

    page: str
    share: float
    changed: Image.Image | None = None  # 255 where a pixel changed; None when sizes differ

    @property
    def passed(self) -> bool:
        return self.changed is not None and self.share <= MAX_SHARE


def compare(page: Path, reference: Path) -> PageDifference:
    """Give how much `page` differs from `reference` in its most changed square."""
    with Image.open(page) as seen, Image.open(reference) as expected:
        if seen.size != expected.size:
            return PageDifference(page.name, 1.0)
        changed = changed_pixels(seen.convert("RGB"), expected.convert("RGB"))
    # the mean of a box blur is the share of changed pixels in the square around each pixel
    density = changed.filter(ImageFilter.BoxBlur(WINDOW // 2))
    return PageDifference(page.name, density.getextrema()[1] / 255, changed)


def changed_pixels(seen: Image.Image, expected: Image.Image) -> Image.Image:
    blur = ImageFilter.GaussianBlur(BLUR_RADIUS)
    difference = ImageChops.difference(seen.filter(blur), expected.filter(blur))
    strongest = ImageChops.lighter(ImageChops.lighter(*difference.split()[:2]),
                                   difference.split()[2])
    return strongest.point(lambda value: 255 if value >= LEVEL else 0)


def diff_picture(difference: PageDifference, reference: Path, target: Path) -> Path:
    """Write the reference, faded, with the changed pixels in red; give its path."""
    with Image.open(reference) as opened:
        faded = Image.blend(opened.convert("RGB"), Image.new("RGB", opened.size, "white"), 0.7)
    if difference.changed is not None:
        faded.paste(Image.new("RGB", faded.size, (220, 0, 0)), mask=difference.changed)
    faded.save(target)
    return target


def render_pages(deck: Path, folder: Path, *, smooth: bool = True) -> list[Path]:
    """Give the pages of `deck` as `export png` renders them, as PNGs at DPI: each slide at its
    last click, a quiz without its answer (`smooth=False`: no antialiasing at all)."""
    shown = folder / "shown" / deck.name
    shown.parent.mkdir()
    write_states_deck(deck, shown, partial(chosen_states, choice=StateChoice.handout))
    with WorkerPool(1, timeout=120) as pool:  # as exports render (Korean autospacing off)
        pdf = pool.to_pdf(shown, folder, for_pictures=True)
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for index in range(len(document)):
        picture = document[index].render(scale=DPI / 72, no_smoothtext=not smooth,
                                         no_smoothimage=not smooth)
        pages.append(folder / f"slide-{index + 1:03d}.png")
        picture.to_pil().save(pages[-1])
    document.close()
    return pages


def failures(pages: list[Path], diff_folder: Path) -> dict[int, str]:
    """Give, for each page unlike its reference, a line naming its diff picture."""
    references = sorted(GOLDEN.glob("slide-*.png"))
    assert len(pages) == len(references), f"{len(pages)} pages, {len(references)} references"
    found = {}
    for number, (page, reference) in enumerate(zip(pages, references, strict=True), start=1):
        difference = compare(page, reference)
        if not difference.passed:
            shown = diff_picture(difference, reference, diff_folder / f"diff-{number:03d}.png")
            found[number] = f"page {number}: {difference.share:.0%} changed; see {shown}"
    return found


@pytest.fixture(scope="module")
def mini_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini project with `export png --dpi 60` done."""
    project = copy_project(MINI, tmp_path_factory.mktemp("visual") / "mini")
    result = run_cli("export", "png", "--dpi", str(DPI), "--project", project)
    assert result.exit_code == 0, result.output
    return project


def test_pages_look_like_the_references(mini_export: Path, tmp_path: Path) -> None:
    pages = sorted((mini_export / "output" / "png").glob("slide-*.png"))
    if UPDATING:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for page in pages:
            shutil.copy2(page, GOLDEN / page.name)
    found = failures(pages, tmp_path)
    assert not found, "pages differ from tests/golden/mini (make update-golden if meant):\n" \
        + "\n".join(found.values())


def test_antialiasing_noise_passes(mini_export: Path, tmp_path: Path) -> None:
    # the harshest rendering noise there is: no antialiasing of text at all
    pages = render_pages(mini_export / "output" / "deck.pptx", tmp_path, smooth=False)
    assert failures(pages, tmp_path) == {}


def test_moved_missing_and_changed_shapes_fail(mini_export: Path, tmp_path: Path) -> None:
    prs = Presentation(str(mini_export / "output" / "deck.pptx"))
    slides = list(prs.slides)
    bullets = next(s for s in slides[3].shapes if s.has_text_frame and "둘째" in s.text_frame.text)
    run = next(r for p in bullets.text_frame.paragraphs for r in p.runs if "둘째" in r.text)
    run.text = run.text.replace("둘째", "다섯")  # page 4: one word changed
    table = next(s for s in slides[7].shapes if s.has_table)
    table.top = Emu(table.top + Inches(0.3))  # page 8: the table moved down a little
    heading = next(s for s in slides[8].shapes
                   if s.has_text_frame and s.text_frame.text == "오른쪽")
    heading._element.getparent().remove(heading._element)  # page 9: a heading panel gone
    changed = tmp_path / "deck.pptx"
    prs.save(str(changed))
    found = failures(render_pages(changed, tmp_path), tmp_path)
    assert sorted(found) == [4, 8, 9], found
    assert all("see " in line and Path(line.rpartition("see ")[2]).is_file()
               for line in found.values())
