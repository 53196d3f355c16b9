"""Decks built on every Impress template LibreOffice ships: content in each template's places.

The 23 templates (.otp) are converted to .pptx in one LibreOffice run, the English fixture deck
`template-en` (one slide of each kind and a three-line title) is built on each in this process,
its slides are read from the XML against the template's areas and shapes, and the decks are
rendered by one LibreOffice run to measure the contrast of their text.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
from conftest import FIXTURES, FONTS_CONF, slide_title
from PIL import Image
from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from test_readable import DPI as READABLE_DPI
from test_readable import text_boxes

from studydeck.build import build_deck
from studydeck.checks.contrast import rendered_contrast
from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO
from studydeck.layout.titles import tall_title_area
from studydeck.pptx import converted
from studydeck.pptx.template import template_page_areas, template_roles
from studydeck.pptx.template_shapes import drawn_shapes
from studydeck.source.folder import find_project

# LibreOffice converts and renders the templates; a busy machine makes it wait for a core
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

IMPRESS_TEMPLATES = sorted(Path("/usr/lib/libreoffice/share/template/common/presnt").glob("*.otp"))
ENGLISH = FIXTURES / "template-en"
CHAPTER_TITLES = ("Load balancers and health checks", "Caches and replicas")
DPI = READABLE_DPI  # as test_readable measures: 12 pt digits keep pixels of their colour
SLACK = g.inches(0.02)
# Templates whose rendered text does not yet read at 4.5:1 everywhere, and why (issue 29): the
# test fails when another does, and when one of these is mended (take it out then).
STILL_FAINT: dict[str, str] = {
    "Candy.otp": "the slide number where two bands meet: its digit reads on the orange it is on, "
                 "the box's commonest colour is the purple",
    "Lights.otp": "its backdrop is a dark gradient shape the page's colours are not read from",
    "Metropolis.otp": "the code panel and titles on the light parts of its background photo",
    "Portfolio.otp": "code on its black body reads 4.3:1",
    "Sunset.otp": "the chapter label and the title slide's lines on its photo",
    "Vivid.otp": "titles on the picture band at its top",
}
# Templates where a written shape still lies over one of the template's, and where.
STILL_OVER: dict[str, str] = {
    "Focus.otp": "the title slide's subtitle: clear of the shapes it would be under 3 in wide",
    "Lights.otp": "the quiz explanation goes below the body area, over a shape of the footer",
    "Pencil.otp": "the title slide's title over the pencil line across the slide",
}


@dataclass(frozen=True)
class TemplatedDeck:
    """The English fixture deck built on one Impress template."""

    template: Path  # the .otp in the project's templates/
    deck: Path
    warnings: list[str]
    areas: g.PageAreas  # the template's, as the build used them
    content: str  # the part name of its content layout
    content_shapes: list[g.Box]  # its content layout's own shapes (not placeholders)

    @property
    def name(self) -> str:
        return self.template.name


@pytest.fixture(scope="module")
def impress_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Give a cache folder (STUDYDECK_CACHE_DIR, set meanwhile) holding every bundled Impress
    template converted, in one LibreOffice run (each start costs seconds)."""
    if not IMPRESS_TEMPLATES:
        pytest.skip("no LibreOffice Impress templates here")
    folder = tmp_path_factory.mktemp("studydeck-cache")
    work = folder / "work"
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pptx", "--outdir", str(work),
                    *map(str, IMPRESS_TEMPLATES)], capture_output=True, timeout=240, check=False)
    kept = folder / "templates"
    kept.mkdir()
    for otp in IMPRESS_TEMPLATES:  # where converted.presentation_file looks for them
        digest = hashlib.sha256(otp.read_bytes()).hexdigest()
        shutil.copyfile(work / f"{otp.stem}.pptx", kept / f"{digest}.pptx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STUDYDECK_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def templated(impress_cache: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> list[TemplatedDeck]:
    """Give the English deck built on each template, in this process."""
    root = tmp_path_factory.mktemp("impress")
    return [_built_on(otp, root / otp.stem) for otp in IMPRESS_TEMPLATES]


def _built_on(otp: Path, project: Path) -> TemplatedDeck:
    shutil.copytree(ENGLISH, project)
    (project / "templates").mkdir()
    shutil.copy2(otp, project / "templates" / otp.name)
    with (project / "deck.yaml").open("a", encoding="utf-8") as deck:
        deck.write(f"theme:\n  template: templates/{otp.name}\n")
    [result] = build_deck(find_project(project))
    template = project / "templates" / otp.name
    content = template_roles(converted.presentation_file(template)).content
    return TemplatedDeck(template, result.path, [problem.message for problem in result.warnings],
                         template_page_areas(template), str(content.part.partname),
                         [shape.box for shape in drawn_shapes(content)])


def test_every_impress_template_is_converted_and_built(templated: list[TemplatedDeck]) -> None:
    assert [deck.name for deck in templated] == [otp.name for otp in IMPRESS_TEMPLATES]
    assert len(templated) >= 20  # LibreOffice ships 23 today


def test_every_template_gives_the_body_room_clear_of_its_shapes(
        templated: list[TemplatedDeck]) -> None:
    found = []
    for built in templated:
        body = built.areas.body
        if body.width < g.inches(4) or body.height < g.inches(2.5):
            found.append(f"{built.name}: body area {body} too small")
        found += [f"{built.name}: body area {body} over a shape {shape}"
                  for shape in built.content_shapes
                  if _overlap(body, shape) and not _within(body, shape)]
    assert not found, "\n".join(found)


def test_content_slides_use_the_templates_content_layout(templated: list[TemplatedDeck]) -> None:
    wrong = [f"{built.name}: '{slide_title(slide)}' on {slide.slide_layout.name}"
             for built in templated for slide in _content_slides(built)
             if str(slide.slide_layout.part.partname) != built.content]
    assert not wrong, "\n".join(wrong)


def test_text_lies_in_the_templates_areas_clear_of_its_shapes(
        templated: list[TemplatedDeck]) -> None:
    found = []
    for built in templated:
        areas = built.areas
        with g.using_areas(areas):  # a title of three lines grows into the body's area
            tall = tall_title_area()
        allowed = (areas.title, tall, areas.body, areas.footer, areas.slide_number,
                   areas.back_link)
        for slide in _content_slides(built):
            for shape in _drawn(slide):
                box = _box(shape)
                if not any(_within(box, area) for area in allowed):
                    found.append(f"{built.name} '{slide_title(slide)}': {shape.name} {box} "
                                 "outside the title, body and footer areas")
        shapes_of: dict[str, list[g.Box]] = {}  # layout part name → its and its master's shapes
        for slide in Presentation(str(built.deck)).slides:
            layout = slide.slide_layout
            obstacles = shapes_of.setdefault(str(layout.part.partname),
                                             [drawn.box for drawn in drawn_shapes(layout)])
            for shape in _drawn(slide):
                # text may lie on a band or card (wholly), never partly over a shape
                over = [other for other in obstacles
                        if _overlap(_box(shape), other) and not _within(_box(shape), other)]
                if over:
                    found.append(f"{built.name} '{slide_title(slide)}': {shape.name} "
                                 f"{_box(shape)} over the template's shape {over[0]}")
    unexpected = [line for line in found if line.split(" ")[0] not in STILL_OVER]
    assert not unexpected, "\n".join(unexpected)
    mended = sorted(set(STILL_OVER) - {line.split(" ")[0] for line in found})
    assert not mended, f"these now keep clear: take them out of STILL_OVER: {mended}"


def test_a_title_on_a_band_stays_on_it(templated: list[TemplatedDeck]) -> None:
    for built in templated:
        if built.name not in ("Blue_Curve.otp", "Midnightblue.otp"):
            continue
        areas = built.areas
        band = next(shape for shape in built.content_shapes if _within(areas.title, shape))
        for slide in _content_slides(built):
            title = _box(slide.shapes.title)
            assert _within(title, band) and _within(title, areas.title), (built.name, title)


def test_rendered_text_reads_at_four_and_a_half_to_one(templated: list[TemplatedDeck],
                                                       tmp_path: Path) -> None:
    faint: dict[str, list[str]] = {}
    for built, pdf in zip(templated, _rendered(templated, tmp_path), strict=True):
        pages = _pages(pdf)
        for index, text, box in text_boxes(Presentation(str(built.deck))):
            ratio = rendered_contrast(pages[index], box)
            if ratio is not None and ratio < MINIMUM_RATIO:
                faint.setdefault(built.name, []).append(
                    f"slide {index + 1} '{text[:30]}': {ratio:.2f}:1")
    unexpected = {name: found for name, found in faint.items() if name not in STILL_FAINT}
    assert not unexpected, "\n".join(f"{name} {line}" for name, found in unexpected.items()
                                     for line in found)
    mended = sorted(set(STILL_FAINT) - set(faint))
    assert not mended, f"these now read at 4.5:1: take them out of STILL_FAINT: {mended}"


def _rendered(templated: list[TemplatedDeck], folder: Path) -> list[Path]:
    """Give each deck's PDF, all rendered by one LibreOffice run (its start is most of the cost;
    the decks are English: the export workers' Korean spacing fix is not needed)."""
    decks = []
    for built in templated:
        decks.append(folder / f"{built.template.stem}.pptx")
        shutil.copyfile(built.deck, decks[-1])
    environment = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder / "pdf"),
                    *map(str, decks)], env=environment, capture_output=True, timeout=600,
                   check=False)
    return [folder / "pdf" / f"{deck.stem}.pdf" for deck in decks]


# --- reading the decks ------------------------------------------------------------------------


def _content_slides(built: TemplatedDeck) -> list[Slide]:
    """Give the deck's content slides (neither the title slide nor a section slide)."""
    slides = list(Presentation(str(built.deck)).slides)[1:]
    return [slide for slide in slides if slide_title(slide) not in CHAPTER_TITLES]


def _drawn(slide: Slide) -> list[BaseShape]:
    """Give the shapes studydeck drew on the slide (a shape of no size draws nothing)."""
    return [shape for shape in slide.shapes if shape.width and shape.height]


def _box(shape: BaseShape) -> g.Box:
    return g.Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _within(box: g.Box, area: g.Box) -> bool:
    return (box.left >= area.left - SLACK and box.top >= area.top - SLACK
            and box.right <= area.right + SLACK and box.bottom <= area.bottom + SLACK)


def _overlap(first: g.Box, second: g.Box) -> bool:
    """Tell whether the boxes share more than the slack (touching edges do not count)."""
    width = min(first.right, second.right) - max(first.left, second.left)
    height = min(first.bottom, second.bottom) - max(first.top, second.top)
    return width > SLACK and height > SLACK


def _pages(pdf: Path) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[index].render(scale=DPI / 72).to_pil().convert("RGB")
                for index in range(len(document))]
    finally:
        document.close()
