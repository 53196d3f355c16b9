"""Every slide's shapes lie inside the slide, overlap only where designed, and hold their text.

Checked on the sample deck and on the stress decks (tests/fixtures/stress-ko, stress-en: long
titles, twelve bullets with sub-bullets, long table cells, long quiz choices, long Korean and
English words and URLs; stranger-ko, stranger-en: decks as a stranger writes them, with their own
font and a light accent, long chapter titles, twenty bullets, an emoji, a block-scalar bullet).
A text frame's text is measured again from what the .pptx says (sizes,
indents, spacing, insets), so text that spills out of a box that is itself in place fails too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from conftest import FIXTURES, BuiltDeck, build, copy_project, slide_title
from lxml import etree
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph, _Run

from studydeck.layout import geometry as g
from studydeck.layout.code_lines import CODE_LINE_HEIGHT
from studydeck.layout.fit import BODY_FLOOR, CAPTION_FLOOR, LINK_SIZE, TITLE_FLOOR
from studydeck.layout.fonts import Typefaces
from studydeck.layout.heights import paragraph_height
from studydeck.layout.text import FONT_LINE_HEIGHT, Paragraph, StyledRun, measuring_with

TOLERANCE = g.EMU_PER_POINT // 2  # rounding of sizes written in hundredths of a point
STRESS = ("stress-ko", "stress-en", "stranger-ko", "stranger-en")


@dataclass(frozen=True)
class Placed:
    """A shape on a slide: its name, kind and box."""

    name: str
    kind: str
    box: g.Box


def is_stacked_walkthrough_picture(a: Placed, b: Placed) -> bool:
    """A walkthrough stacks each step's picture exactly over the diagram, to appear on click."""
    return a.kind == b.kind == "picture" and a.box == b.box


CODE_PANEL_PARTS = ("Code panel", "Code", "Line numbers", "Dimmed lines")


def is_inside_a_code_panel(a: Placed, b: Placed) -> bool:
    """A code slide layers its highlight bands, code, line numbers and veils on its panel."""
    def part(shape: Placed) -> bool:
        return shape.name in CODE_PANEL_PARTS or (
            shape.name.startswith("Step ") and shape.name.endswith(" lines"))

    return part(a) and part(b)


def is_step_over_native_diagram(a: Placed, b: Placed) -> bool:
    """A native walkthrough lays each step's highlights over the diagram, one step at a time."""
    names = sorted((a.name.split(" ")[0], b.name.split(" ")[0]))
    return names in (["diagram:", "step"], ["step", "step"])


# The only overlaps studydeck designs. The back-to-agenda link sits in the bottom margin, below
# the body, so it is deliberately not listed: it must overlap nothing.
DESIGNED_OVERLAPS: dict[str, Callable[[Placed, Placed], bool]] = {
    "walkthrough step pictures stacked on the diagram": is_stacked_walkthrough_picture,
    "a code slide's layers on its panel": is_inside_a_code_panel,
    "walkthrough step highlights over a native diagram": is_step_over_native_diagram,
}


def placed(shape: BaseShape) -> Placed:
    kind = {MSO_SHAPE_TYPE.PICTURE: "picture", MSO_SHAPE_TYPE.TABLE: "table"}.get(
        shape.shape_type, "text" if shape.has_text_frame else "shape")
    return Placed(shape.name, kind, g.Box(shape.left, shape.top, shape.width, shape.height))


def overlaps(slide: Slide) -> list[tuple[str, str]]:
    """Give the pairs of shapes that overlap without being designed to."""
    shapes = [placed(shape) for shape in slide.shapes]
    found = []
    for index, a in enumerate(shapes):
        for b in shapes[index + 1:]:
            designed = any(allowed(a, b) for allowed in DESIGNED_OVERLAPS.values())
            if a.box.intersects(b.box) and not designed:
                found.append((a.name, b.name))
    return found


def _points(element: etree._Element | None, path: str) -> float:
    found = element.find(path) if element is not None else None
    return int(found.get("val", "0")) / 100 if found is not None else 0.0


def frame_text_height(frame: TextFrame, width: int) -> int:
    """Give the height (EMU) the frame's paragraphs take, measured from what the XML says."""
    total = 0.0
    for paragraph in frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
        if not sizes:
            continue
        size = max(sizes)
        p_pr = paragraph._p.pPr
        indent = int(p_pr.get("marL", "0")) if p_pr is not None else 0
        line = _points(p_pr, f"{qn('a:lnSpc')}/{qn('a:spcPts')}")
        code = all(run.font.name == "Consolas" for run in paragraph.runs)
        spacing = CODE_LINE_HEIGHT if code else FONT_LINE_HEIGHT  # code lines stand closer
        assert line == pytest.approx(size * spacing, abs=0.06), (
            f"'{paragraph.text[:30]}': line spacing {line} pt is not written for {size} pt")
        before = _points(p_pr, f"{qn('a:spcBef')}/{qn('a:spcPts')}")
        written = paragraph.runs
        if len(written) > 1 and written[1].text == "\t":  # a hanging label: lines start at marL
            written = written[2:]
        runs = tuple(StyledRun(run.text, bool(run.font.bold), run.font.name == "Consolas")
                     for run in written)  # each run with its own font, as written
        measure = Paragraph("".join(run.text for run in written), 1.0, indent, before / size,
                            runs=runs)
        with measuring_with(run_typefaces(paragraph.runs[0])):
            total += paragraph_height(measure, size, width) * spacing / FONT_LINE_HEIGHT
    return round(total * g.EMU_PER_POINT)


def run_typefaces(run: _Run) -> Typefaces:
    """Give the typefaces a run names, to measure it as studydeck did."""
    rpr = run._r.find(qn("a:rPr"))
    named = {tag: element.get("typeface", "") for tag in ("a:latin", "a:ea")
             if rpr is not None and (element := rpr.find(qn(tag))) is not None}
    return Typefaces(latin=named.get("a:latin", "Malgun Gothic"),
                     east_asian=named.get("a:ea", "Malgun Gothic"))


def run_floor(slide: Slide, shape: BaseShape, paragraph: _Paragraph) -> float:
    """Give the smallest size a run of this paragraph may have (docs/format.md, "Text sizes")."""
    if shape == slide.shapes.title:
        return TITLE_FLOOR
    if shape.name == "Back to agenda":
        return LINK_SIZE
    if shape.has_table or paragraph._p.find(f"{qn('a:pPr')}/{qn('a:buChar')}") is not None:
        return BODY_FLOOR
    return CAPTION_FLOOR


def runs_below_floor(prs: PresentationObject) -> Iterator[str]:
    """Give each run written smaller than its floor."""
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            frames = ([cell.text_frame for row in shape.table.rows for cell in row.cells]
                      if shape.has_table else [shape.text_frame] if shape.has_text_frame else [])
            for paragraph in (p for frame in frames for p in frame.paragraphs):
                floor = run_floor(slide, shape, paragraph)
                for run in paragraph.runs:
                    size = run.font.size.pt if run.font.size is not None else 0
                    if run.text.strip() and size < floor:
                        yield f"slide {number}: '{run.text[:30]}' at {size} pt < {floor} pt"


def text_spills(shape: BaseShape) -> list[str]:
    """Give what does not fit in the shape: its own text frame, or its table's cells."""
    spills = []
    if shape.has_text_frame and shape.text_frame.text.strip():
        frame = shape.text_frame
        body_pr = frame._txBody.bodyPr
        assert body_pr.find(qn("a:normAutofit")) is None, shape.name
        assert body_pr.find(qn("a:spAutoFit")) is None, shape.name
        width = shape.width - frame.margin_left - frame.margin_right
        room = shape.height - frame.margin_top - frame.margin_bottom
        needed = frame_text_height(frame, width)
        if needed > room + TOLERANCE:
            spills.append(f"{shape.name}: '{frame.text[:40]}' needs {needed} of {room} EMU")
    if shape.has_table:
        spills += table_spills(shape)
    return spills


def table_spills(shape: BaseShape) -> list[str]:
    table = shape.table
    spills = []
    for r, row in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            cell = table.cell(r, c)
            width = column.width - cell.margin_left - cell.margin_right
            room = row.height - cell.margin_top - cell.margin_bottom
            needed = frame_text_height(cell.text_frame, width)
            if needed > room + TOLERANCE:
                spills.append(f"{shape.name} cell {r},{c}: needs {needed} of {room} EMU")
    total = sum(row.height for row in table.rows)
    if total > shape.height + TOLERANCE:
        spills.append(f"{shape.name}: rows take {total} of {shape.height} EMU")
    return spills


def problems(prs: PresentationObject) -> Iterator[str]:
    """Give every shape outside its slide, unplanned overlap and spilling text in the deck."""
    for number, slide in enumerate(prs.slides, start=1):
        where = f"slide {number} '{slide_title(slide)[:40]}'"
        for shape in slide.shapes:
            box = placed(shape).box
            if not box.inside(g.SLIDE):
                yield f"{where}: {shape.name} lies outside the slide: {box}"
            yield from (f"{where}: {spill}" for spill in text_spills(shape))
        yield from (f"{where}: {a} overlaps {b}" for a, b in overlaps(slide))


@pytest.fixture(scope="module", params=STRESS)
def stress(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    """A stress deck, copied and built once per module."""
    name = str(request.param)
    project = copy_project(FIXTURES / name, tmp_path_factory.mktemp("stress") / name)
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


def test_the_sample_deck_keeps_every_shape_and_text_in_place(sample: BuiltDeck) -> None:
    assert list(problems(sample.open())) == []


@pytest.mark.slow  # builds the four stress and stranger decks
def test_the_stress_decks_keep_every_shape_and_text_in_place(stress: BuiltDeck) -> None:
    prs = stress.open()
    assert len(prs.slides) > 10
    assert list(problems(prs)) == []


@pytest.mark.slow  # builds the four stress and stranger decks
def test_every_run_is_written_at_least_at_its_floor(sample: BuiltDeck, stress: BuiltDeck) -> None:
    assert list(runs_below_floor(sample.open())) == []
    assert list(runs_below_floor(stress.open())) == []


def test_twelve_bullets_continue_rather_than_shrink_below_the_body_floor(
    stress: BuiltDeck,
) -> None:
    sizes = [run.font.size.pt for slide in stress.open().slides for shape in slide.shapes
             if shape.has_text_frame for p in shape.text_frame.paragraphs
             if p._p.find(f"{qn('a:pPr')}/{qn('a:buChar')}") is not None
             for run in p.runs if run.font.size is not None]
    assert sizes and min(sizes) >= BODY_FLOOR


def test_the_check_finds_overlaps_spills_and_shapes_off_the_slide(sample: BuiltDeck) -> None:
    prs = sample.open()
    slide = next(s for s in prs.slides if len(s.shapes) >= 3 and s.shapes[1].has_text_frame
                 and len(s.shapes[1].text_frame.paragraphs) > 2)
    body = slide.shapes[1]
    body.top = slide.shapes.title.top  # onto the title
    body.height = g.inches(0.5)  # too small for its bullets
    slide.shapes[-1].left = g.SLIDE_WIDTH - g.inches(0.2)  # the back link, off the right edge
    found = "\n".join(problems(prs))
    assert "overlaps" in found and "needs" in found and "outside the slide" in found


def test_a_walkthrough_stacks_its_step_pictures_and_nothing_else_overlaps(
    sample: BuiltDeck,
) -> None:
    stacked = 0
    for slide in sample.open().slides:
        pictures = [placed(s) for s in slide.shapes if placed(s).kind == "picture"]
        stacked += sum(1 for a in pictures[1:] if a.box == pictures[0].box)
        stacked += sum(1 for shape in slide.shapes if shape.name.startswith("step "))
        assert overlaps(slide) == []
    assert stacked > 0, "the sample deck has walkthroughs whose steps are stacked"
