"""Diagrams drawn as shapes (`render: native`): where things land, glue, text, clicks, cache.

Every diagram of the sample deck and of tests/fixtures/native (nested clusters, dashed and
labelled edges, Korean and English labels, ranks, LR and TB, a cycle, a walkthrough) is built
both ways; the native slides are read back as a user's PowerPoint would show them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    FIXTURES,
    BuiltDeck,
    assert_valid_ooxml,
    build,
    copy_project,
    copy_sample,
    run_cli,
    soffice_convert,
)
from diagram_xml import add_crowded_diagram
from lxml import etree
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

import studydeck.diagrams.native as native_module
from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.native import LAYOUT
from studydeck.diagrams.render import layout_json
from studydeck.diagrams.style import NODE_ATTR
from studydeck.layout import geometry as g
from studydeck.pptx.diagram import LABEL_SLACK
from studydeck.schema.models import DiagramSpec
from studydeck.source.sealed import read_sealed_json

pytestmark = pytest.mark.slow  # the sample and native decks built twice, some through LibreOffice

NATIVE = FIXTURES / "native"
TOLERANCE = 0.02 * g.SLIDE_WIDTH
ODF = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "anim": "urn:oasis:names:tc:opendocument:xmlns:animation:1.0",
}
NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


def _with_render(project: Path, mode: str) -> Path:
    deck = project / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("render:")]
    deck.write_text("\n".join([*lines, f"render: {mode}"]) + "\n", encoding="utf-8")
    return project


def _built(project: Path) -> BuiltDeck:
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[BuiltDeck, BuiltDeck]]:
    """(native, picture) builds of the sample deck and of the native test deck."""
    root = tmp_path_factory.mktemp("native")
    found = []
    for name, make in (("sample", copy_sample), ("fixture", lambda t: copy_project(NATIVE, t))):
        native = _built(_with_render(make(root / f"{name}-native"), "native"))
        picture = _built(_with_render(make(root / f"{name}-picture"), "picture"))
        found.append((native, picture))
    return found


@dataclass
class DiagramOnSlide:
    """One native diagram slide, its picture twin, the spec and the layout it was drawn from."""

    deck: BuiltDeck
    number: int
    slide: Slide
    group: GroupShape
    twin: Slide
    spec: DiagramSpec
    layout_data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.group.name.removeprefix("diagram: ")


@pytest.fixture(scope="module")
def diagram_slides(pairs: list[tuple[BuiltDeck, BuiltDeck]]) -> list[DiagramOnSlide]:
    found = []
    for native, picture in pairs:
        twins = list(picture.open().slides)
        for number, slide in enumerate(native.open().slides, start=1):
            for shape in slide.shapes:
                if shape.name.startswith("diagram: "):
                    name = shape.name.removeprefix("diagram: ")
                    spec_file = native.project / "diagrams" / f"{name}.yaml"
                    spec = DiagramSpec.model_validate(yaml.safe_load(spec_file.read_text("utf-8")))
                    cache = native.project / "output" / "diagrams" / ".cache"
                    cached = cache / f"{name}.layout.json"
                    found.append(DiagramOnSlide(native, number, slide, shape, twins[number - 1],
                                                spec, read_sealed_json(cached, LAYOUT)))
    return found


def _walk(shapes: Any) -> Iterator[BaseShape]:
    for shape in shapes:
        yield shape
        if isinstance(shape, GroupShape):
            yield from _walk(shape.shapes)


def _centre(shape: BaseShape) -> tuple[float, float]:
    return shape.left + shape.width / 2, shape.top + shape.height / 2


def test_every_diagram_of_both_decks_is_drawn_natively(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    names = {d.name for d in diagram_slides}
    sample = {p.stem for p in (Path(__file__).parent.parent / "diagrams").glob("*.yaml")}
    assert sample <= names
    assert {"nested-tb", "nested-lr", "retry-cycle"} <= names
    assert "as-picture" not in names  # its own `render: picture` wins over the deck's


def test_icons_sit_where_graphviz_puts_their_nodes(diagram_slides: list[DiagramOnSlide]) -> None:
    """Laid out for its area (spacing, direction, aspect), each diagram's icons keep the
    arrangement Graphviz gives with those attributes, at one scale (a diagram laid out again
    with larger text and wider spacing: the arrangement Graphviz gave then, as kept)."""
    checked = 0
    for diagram in diagram_slides:
        raised = diagram.layout_data.get("raised")
        fresh = raised["graphviz"] if raised else json.loads(layout_json(
            diagram.spec, graph_attr=diagram.layout_data["graph_attr"],
            edge_fontsize=NODE_ATTR["fontsize"]))
        layout = parse_layout(fresh, diagram.spec.edges)
        icons = {s.name: s for s in _walk(diagram.group.shapes) if s.shape_type == 13}
        nodes = {k: v.box.centre for k, v in layout.nodes.items()}
        drawn = {k: _centre(icons[k]) for k in nodes}
        unit = (max(x for x, _ in drawn.values()) - min(x for x, _ in drawn.values())) / (
            max(p.x for p in nodes.values()) - min(p.x for p in nodes.values()))
        origin_x = min(x for x, _ in drawn.values()) - unit * min(p.x for p in nodes.values())
        origin_y = min(y for _, y in drawn.values()) - unit * min(p.y for p in nodes.values())
        for key, point in nodes.items():
            expected = (origin_x + unit * point.x, origin_y + unit * point.y)
            assert math.dist(expected, drawn[key]) < TOLERANCE, (diagram.name, key)
            checked += 1
    assert checked > 50


def test_every_edge_is_a_glued_connector_or_a_curve(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    """A straight route is a connector glued to its nodes; a bent one a freeform curve."""
    glued = curved = 0
    for diagram in diagram_slides:
        names = {s.shape_id: s.name for s in _walk(diagram.group.shapes)}
        connectors = {
            element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvPr")).get("name"): element
            for element in diagram.group._element.iter(qn("p:cxnSp"))
        }
        curves = [element.find(qn("p:nvSpPr")).find(qn("p:cNvPr")).get("name")
                  for element in diagram.group._element.iter(qn("p:sp"))
                  if element.find(qn("p:spPr")).find(qn("a:custGeom")) is not None]
        assert sorted([*connectors, *curves]) == sorted(diagram.spec.edge_keys()), diagram.name
        for edge in diagram.spec.edges:
            if edge.key not in connectors:
                continue
            glue = connectors[edge.key].find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
            start, end = glue.find(qn("a:stCxn")), glue.find(qn("a:endCxn"))
            assert start is not None and end is not None, (diagram.name, edge.key)
            assert names[int(start.get("id"))] in (edge.source, f"{edge.source}: label")
            assert names[int(end.get("id"))] in (edge.target, f"{edge.target}: label")
        glued, curved = glued + len(connectors), curved + len(curves)
    assert glued > curved > 0  # most routes are straight


def _text_extent(shape: BaseShape) -> g.Box:
    """Give the part of a label box its text fills: the box less the slack left for fonts."""
    width = round(shape.width / LABEL_SLACK)
    return g.Box(shape.left + (shape.width - width) // 2, shape.top, width, shape.height)


def test_labels_overlap_no_label_and_no_icon(diagram_slides: list[DiagramOnSlide]) -> None:
    for diagram in diagram_slides:
        shapes = list(_walk(diagram.group.shapes))
        labels = [(s.name, _text_extent(s)) for s in shapes
                  if s.name.endswith(": label") or s.name == "title"]
        icons = [(s.name, g.Box(s.left, s.top, s.width, s.height)) for s in shapes
                 if s.shape_type == 13]
        for index, (name, box) in enumerate(labels):
            for other, other_box in labels[index + 1:] + icons:
                assert not box.intersects(other_box), (diagram.name, name, other)


def test_diagram_text_is_at_least_14_points(diagram_slides: list[DiagramOnSlide]) -> None:
    for diagram in diagram_slides:
        sizes = [int(rpr.get("sz")) for rpr in diagram.group._element.iter(qn("a:rPr"))]
        assert sizes and min(sizes) >= 1400, (diagram.name, min(sizes))


def test_nothing_falls_outside_the_slide(diagram_slides: list[DiagramOnSlide]) -> None:
    for diagram in diagram_slides:
        for shape in [s for s in diagram.slide.shapes if s.name.startswith(("diagram", "step"))]:
            box = g.Box(shape.left, shape.top, shape.width, shape.height)
            assert box.inside(g.SLIDE), (diagram.name, shape.name)


def test_each_icon_image_is_stored_once(pairs: list[tuple[BuiltDeck, BuiltDeck]]) -> None:
    for native, _ in pairs:
        with zipfile.ZipFile(native.deck) as package:
            media = [n for n in package.namelist() if n.startswith("ppt/media/")]
            digests = [hashlib.sha1(package.read(n)).hexdigest() for n in media]
        assert len(digests) == len(set(digests))


def test_the_sample_deck_drawn_natively_is_under_1_5_mb(
    pairs: list[tuple[BuiltDeck, BuiltDeck]],
) -> None:
    native, picture = pairs[0]
    assert native.deck.stat().st_size < 1_500_000
    assert native.deck.stat().st_size < picture.deck.stat().st_size


def test_native_decks_are_valid_ooxml(pairs: list[tuple[BuiltDeck, BuiltDeck]]) -> None:
    for native, _ in pairs:
        assert_valid_ooxml(native.deck)


def _shape_ids(slide: Slide) -> list[int]:
    return [int(e.get("id")) for e in slide._element.iter(qn("p:cNvPr"))]


def test_every_shape_id_is_unique_and_every_reference_resolves(
    pairs: list[tuple[BuiltDeck, BuiltDeck]],
) -> None:
    checked = 0
    for native, _ in pairs:
        for number, slide in enumerate(native.open().slides, start=1):
            ids = _shape_ids(slide)
            assert len(ids) == len(set(ids)), (native.project.name, number)
            glued = [int(e.get("id")) for tag in ("a:stCxn", "a:endCxn")
                     for e in slide._element.iter(qn(tag))]
            animated = [int(e.get("spid")) for e in slide._element.iter(qn("p:spTgt"))]
            assert set(glued + animated) <= set(ids), (native.project.name, number)
            for blip in slide._element.iter(qn("a:blip")):
                related = slide.part.rels[blip.get(qn("r:embed"))]
                assert related.reltype.endswith("/image"), (native.project.name, number)
            checked += bool(glued)
    assert checked > 10


def _group_extent(group: etree._Element) -> tuple[int, ...]:
    xfrm = group.find(qn("p:grpSpPr")).find(qn("a:xfrm"))
    return tuple(int(xfrm.find(qn(tag)).get(name)) for tag, name in (
        ("a:off", "x"), ("a:off", "y"), ("a:ext", "cx"), ("a:ext", "cy")))


def _child_extent(shape: etree._Element) -> tuple[int, ...]:
    if shape.tag == qn("p:grpSp"):
        return _group_extent(shape)
    xfrm = shape.find(qn("p:spPr")).find(qn("a:xfrm"))
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    x, y, cx, cy = int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
    if int(xfrm.get("rot", "0")) in (5400000, 16200000):  # an elbow turned a quarter: as drawn
        return x + (cx - cy) // 2, y + (cy - cx) // 2, cy, cx
    return x, y, cx, cy


def test_each_group_spans_its_shapes_in_its_own_coordinates(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    for diagram in diagram_slides:
        groups = [e for e in diagram.slide._element.iter(qn("p:grpSp"))
                  if e.getparent().tag != qn("p:spTree") or e is diagram.group._element]
        for group in groups:
            children = [_child_extent(c) for c in group if c.tag in (
                qn("p:sp"), qn("p:pic"), qn("p:cxnSp"), qn("p:grpSp"))]
            left, top = min(c[0] for c in children), min(c[1] for c in children)
            right = max(c[0] + c[2] for c in children)
            bottom = max(c[1] + c[3] for c in children)
            assert _group_extent(group) == (left, top, right - left, bottom - top)
            xfrm = group.find(qn("p:grpSpPr")).find(qn("a:xfrm"))
            for child, same in (("a:chOff", "a:off"), ("a:chExt", "a:ext")):
                assert dict(xfrm.find(qn(child)).attrib) == dict(xfrm.find(qn(same)).attrib)


def _with_pictures_named(group: etree._Element, slide: Slide) -> bytes:
    """Give the group's XML with each picture's relationship id replaced by its image's name."""
    copied = etree.fromstring(etree.tostring(group))
    for blip in copied.iter(qn("a:blip")):
        blip.set(qn("r:embed"), str(slide.part.related_part(blip.get(qn("r:embed"))).partname))
    return bytes(etree.tostring(copied))


def test_step_slides_show_the_same_diagram_each_with_its_own_picture_links(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    by_title: dict[tuple[str, str], list[DiagramOnSlide]] = {}
    for diagram in diagram_slides:
        step = re.fullmatch(r"(.*) \(\d+/\d+\)", diagram.slide.shapes.title.text_frame.text)
        if step:  # a walkthrough's step slide: "Title (2/6)"
            by_title.setdefault((diagram.deck.project.name, step[1]), []).append(diagram)
    repeated = [slides for slides in by_title.values() if len(slides) > 1]
    assert len(repeated) >= 1  # the native deck's one-step-per-slide walkthrough
    for slides in repeated:
        first = slides[0]
        for other in slides[1:]:
            assert other.slide.part is not first.slide.part
            assert (_with_pictures_named(other.group._element, other.slide)
                    == _with_pictures_named(first.group._element, first.slide))


# --- walkthroughs ------------------------------------------------------------------------------


def _walkthrough(diagram_slides: list[DiagramOnSlide]) -> DiagramOnSlide:
    return next(d for d in diagram_slides
                if d.name == "retry-cycle" and any(s.name == "step 3" for s in d.slide.shapes))


def test_a_walkthrough_step_shows_its_highlight_and_hides_the_last(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    diagram = _walkthrough(diagram_slides)
    steps = {s.name: s.shape_id for s in diagram.slide.shapes if s.name.startswith("step ")}
    assert sorted(steps) == ["step 1", "step 2", "step 3"]
    assert not any(s.shape_type == 13 for s in diagram.slide.shapes)  # no step pictures
    clicks = diagram.slide._element.xpath(".//p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par")
    assert len(clicks) == 3
    for number, click in enumerate(clicks, start=1):
        shown = click.xpath(".//p:cTn[@presetClass='entr']//p:spTgt/@spid", namespaces=NS)
        hidden = click.xpath(".//p:cTn[@presetClass='exit']//p:spTgt/@spid", namespaces=NS)
        assert str(steps[f"step {number}"]) in shown
        assert hidden == ([str(steps[f"step {number - 1}"])] if number > 1 else [])
    # the step's edges, highlighted: glued copies of their connectors
    third = next(s for s in diagram.slide.shapes if s.name == "step 3")
    copies = [s.name for s in third.shapes
              if s.name.startswith("step 3: ") and "label" not in s.name]
    assert copies == ["step 3: retry", "step 3: done"]


def test_one_step_per_slide_shows_that_steps_highlight(
    diagram_slides: list[DiagramOnSlide],
) -> None:
    steps = [d for d in diagram_slides if d.name == "retry-cycle" and d is not _walkthrough(
        diagram_slides)]
    shown = [[s.name for s in d.slide.shapes if s.name.startswith("step ")] for d in steps]
    assert [names for names in shown if names] == [["step 1"], ["step 2"], ["step 3"]]


# --- incremental ------------------------------------------------------------------------------


def test_layouts_are_cached_and_only_an_edited_diagram_is_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    laid_out: list[str] = []
    original = native_module.layout_json

    def counting(spec: DiagramSpec, **options: Any) -> bytes:
        laid_out.append(next(iter(spec.nodes)))
        return original(spec, **options)

    monkeypatch.setattr(native_module, "layout_json", counting)
    build(project)
    assert laid_out
    laid_out.clear()
    build(project)
    assert laid_out == []
    cycle = project / "diagrams" / "retry-cycle.yaml"
    cycle.write_text(cycle.read_text("utf-8").replace("label: Worker", "label: Workers"), "utf-8")
    build(project)
    assert set(laid_out) == {"producer"}
    assert (project / "output" / "diagrams" / "retry-cycle.png").is_file()  # pictures still drawn


def test_text_that_cannot_reach_14_points_is_reported_at_the_diagram(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    add_crowded_diagram(project, "shapes")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert ("diagrams/crowded.yaml:2:1: warning: on slide 'Crowded' the diagram's labels are"
            in result.output)
    assert "under 14 pt" in result.output and "the picture" not in result.output


# --- as LibreOffice shows them ------------------------------------------------------------------
#
# Native diagrams are laid out for their areas (spacing, direction, aspect, one text size per
# deck), so they no longer look like their picture twins; where their lines and labels land is
# checked on the written XML (tests/test_diagram_geometry.py).


def test_libreoffice_keeps_glue_and_walkthrough_effects(
    pairs: list[tuple[BuiltDeck, BuiltDeck]], diagram_slides: list[DiagramOnSlide],
    tmp_path: Path,
) -> None:
    native = pairs[1][0]
    odp = soffice_convert(native.deck, "odp", tmp_path)
    with zipfile.ZipFile(odp) as package:
        content = etree.fromstring(package.read("content.xml"))
    pages = content.findall(f".//{{{ODF['draw']}}}page")
    for diagram in [d for d in diagram_slides if d.deck is native]:
        page = pages[diagram.number - 1]
        connectors = page.findall(f".//{{{ODF['draw']}}}connector")
        steps = sum(1 for s in diagram.slide.shapes if s.name.startswith("step "))
        written = list(diagram.slide._element.iter(qn("p:cxnSp")))  # the glued straight lines
        assert len(connectors) == len(written), diagram.name
        for connector in connectors:
            assert connector.get(f"{{{ODF['draw']}}}start-shape"), diagram.name
            assert connector.get(f"{{{ODF['draw']}}}end-shape"), diagram.name
        classes = [par.get(f"{{{ODF['presentation']}}}preset-class")
                   for par in page.iter(f"{{{ODF['anim']}}}par")]
        if steps > 1:
            assert classes.count("exit") == steps - 1, diagram.name
            assert classes.count("entrance") >= 2 * steps, diagram.name


def test_the_diagrams_command_still_draws_every_step_picture(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    build(project)
    pictures = project / "output" / "diagrams"
    assert (pictures / "retry-cycle.png").is_file()
    assert not (pictures / "retry-cycle.step-1.png").exists()  # the slides need no step pictures
    result = run_cli("diagrams", "--project", project)
    assert result.exit_code == 0, result.output
    assert [(pictures / f"retry-cycle.step-{n}.png").is_file() for n in (1, 2, 3)] == [True] * 3
