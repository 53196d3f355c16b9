"""Native diagrams as a reader sees them, read back from the written XML (tests/diagram_xml.py).

Every native diagram of the sample deck and of tests/fixtures/diagram-routes (two labelled
edges between the same nodes, a self-loop, a 12-node left-to-right chain, nested clusters, a
walkthrough that outlines nodes, Korean and English labels): no line through a label or icon
it does not join, each edge label on its own line, no two edges drawn as one, highlights on
their edge's route, labels one size across a deck and never under 14 pt.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml
from conftest import (
    FIXTURES,
    BuiltDeck,
    assert_valid_ooxml,
    build,
    copy_project,
    soffice_convert,
)
from diagram_xml import (
    EMU_PER_POINT,
    Drawing,
    crosses,
    cubic_points,
    distance,
    drawings,
    problems,
)
from lxml import etree

from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.render import layout_json
from studydeck.schema.models import DiagramSpec

ROUTES = FIXTURES / "diagram-routes"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@pytest.fixture(scope="module")
def decks(sample: BuiltDeck, tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltDeck]:
    project = copy_project(ROUTES, tmp_path_factory.mktemp("routes") / "routes")
    result = build(project)
    return {"sample": sample,  # built once for the session
            "routes": BuiltDeck(project, project / "output" / "deck.pptx", result)}


@pytest.mark.slow
def test_curved_edges_and_bands_are_valid_ooxml(decks: dict[str, BuiltDeck]) -> None:
    assert_valid_ooxml(decks["routes"].deck)


def _drawings(deck: BuiltDeck) -> list[Drawing]:
    return drawings(deck.deck, deck.project)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sample", "routes"])
def test_lines_miss_every_label_and_labels_sit_on_their_lines(
        decks: dict[str, BuiltDeck], name: str) -> None:
    found = _drawings(decks[name])
    assert len(found) >= 5
    assert [problem for drawing in found for problem in problems(drawing)] == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sample", "routes"])
def test_node_labels_are_one_size_across_the_deck(decks: dict[str, BuiltDeck],
                                                  name: str) -> None:
    sizes = [size for drawing in _drawings(decks[name]) for size in drawing.node_label_sizes]
    assert min(sizes) >= 14
    assert max(sizes) <= 1.1 * min(sizes)


@pytest.mark.slow
def test_a_deck_of_full_width_diagrams_reads_at_16_points(decks: dict[str, BuiltDeck]) -> None:
    sizes = [size for drawing in _drawings(decks["routes"])
             for size in drawing.node_label_sizes]
    assert min(sizes) >= 16


@pytest.mark.slow
def test_two_edges_between_the_same_nodes_and_a_loop_are_drawn_apart(
        decks: dict[str, BuiltDeck]) -> None:
    by_name = {drawing.name: drawing for drawing in _drawings(decks["routes"])}
    parallel = by_name["parallel"]
    get, put = parallel.edge_labels["get"][0], parallel.edge_labels["set"][0]
    assert get[3] <= put[1] or put[3] <= get[1] or get[2] <= put[0] or put[2] <= get[0]
    loop = by_name["self-loop"].lines["retry"]
    worker = by_name["self-loop"].node_parts["worker"]
    right = max(box[2] for box in worker)
    assert max(x for x, _ in loop) > right  # it goes out beside the node and comes back
    assert min(x for x, _ in loop) >= min(box[0] for box in worker)


@pytest.mark.slow
def test_walkthrough_outlines_go_round_icon_and_label(decks: dict[str, BuiltDeck]) -> None:
    deck = decks["routes"]
    drawing = next(d for d in _drawings(deck) if d.name == "walk")
    slide = etree.fromstring(zipfile.ZipFile(deck.deck).read(
        f"ppt/slides/slide{drawing.slide}.xml"))
    outlines = [_box(shape) for shape in slide.iterfind(".//p:grpSp/p:sp", NS)
                if shape.find("p:spPr/a:prstGeom[@prst='roundRect']", NS) is not None
                and shape.find("p:spPr/a:noFill", NS) is not None]
    assert len(outlines) == 4  # the client; the balancer and the API; the cache
    for node in ("client", "lb", "api", "cache"):
        parts = drawing.node_parts[node]
        assert any(all(o[0] < p[0] and o[1] < p[1] and p[2] < o[2] and p[3] < o[3]
                       for p in parts) for o in outlines), node


@pytest.mark.slow
def test_the_check_finds_a_line_drawn_through_a_label(decks: dict[str, BuiltDeck],
                                                      tmp_path: Path) -> None:
    """A deliberately broken deck: one connector moved to run through another node's label."""
    deck = decks["routes"]
    broken = _broken_copy(deck, tmp_path)
    found = next(d for d in drawings(broken, deck.project) if d.name == "walk")
    assert "slide 8 (walk): the line of ask crosses node api" in list(problems(found))


def _broken_copy(deck: BuiltDeck, folder: Path) -> Path:
    """Give a copy of the routes deck whose edge `ask` runs through the label of node `api`."""
    drawing = next(d for d in _drawings(deck) if d.name == "walk")
    label = drawing.node_parts["api"][-1]
    broken = folder / "broken.pptx"
    name = f"ppt/slides/slide{drawing.slide}.xml"
    with zipfile.ZipFile(deck.deck) as source:
        slide = etree.fromstring(source.read(name))
        entries = {item.filename: source.read(item.filename) for item in source.infolist()}
    line = next(shape for shape in slide.iterfind(".//p:cxnSp", NS)
                if shape.find("*/p:cNvPr", NS).get("name") == "ask")
    off, ext = line.find("*/a:xfrm/a:off", NS), line.find("*/a:xfrm/a:ext", NS)
    start_x, start_y = int(off.get("x")), int(off.get("y"))
    ext.set("cx", str(round(2 * ((label[0] + label[2]) / 2 - start_x))))
    ext.set("cy", str(round(2 * ((label[1] + label[3]) / 2 - start_y))))
    line.find("*/a:xfrm", NS).attrib.pop("flipV", None)
    for glue in line.find("p:nvCxnSpPr/p:cNvCxnSpPr", NS):  # else LibreOffice draws it anew
        glue.getparent().remove(glue)
    entries[name] = etree.tostring(slide, xml_declaration=True, encoding="UTF-8",
                                   standalone=True)
    with zipfile.ZipFile(broken, "w") as target:
        for entry, data in entries.items():
            target.writestr(entry, data)
    return broken


def _box(shape: etree._Element) -> tuple[int, int, int, int]:
    off, ext = shape.find("*/a:xfrm/a:off", NS), shape.find("*/a:xfrm/a:ext", NS)
    left, top = int(off.get("x")), int(off.get("y"))
    return left, top, left + int(ext.get("cx")), top + int(ext.get("cy"))


@pytest.mark.slow
def test_the_samples_walkthroughs_play_on_one_slide_with_a_caption_band(
        decks: dict[str, BuiltDeck]) -> None:
    deck = decks["sample"]
    shown = [d for d in _drawings(deck)
             if d.name in ("dns-resolution", "rds-autoscale", "geo-routing")]
    assert sorted(d.name for d in shown) == ["dns-resolution", "geo-routing", "rds-autoscale"]
    for drawing in shown:
        slide = etree.fromstring(zipfile.ZipFile(deck.deck).read(
            f"ppt/slides/slide{drawing.slide}.xml"))
        diagram = next(g for g in slide.iterfind("p:cSld/p:spTree/p:grpSp", NS)
                       if g.find("*/p:cNvPr", NS).get("name").startswith("diagram: "))
        caption_shapes = [shape for shape in slide.iterfind("p:cSld/p:spTree/p:sp", NS)
                          if re.match(r"\d+\. \S", "".join(shape.itertext()))]
        captions = [_box(shape) for shape in caption_shapes]
        # each covers the one before: a viewer without the clicks (the editor, a plain PDF)
        # shows the last step's caption alone, not all of them run together
        assert [re.match(r"\d+", "".join(s.itertext()))[0] for s in caption_shapes] == [
            str(n) for n in range(1, len(caption_shapes) + 1)]
        assert all(shape.find("p:spPr/a:solidFill", NS) is not None for shape in caption_shapes)
        steps = [g for g in slide.iterfind("p:cSld/p:spTree/p:grpSp", NS)
                 if g.find("*/p:cNvPr", NS).get("name").startswith("step ")]
        assert len(captions) == len(steps) > 1
        assert len(set(captions)) == 1  # one place: each click replaces the last caption
        assert captions[0][1] >= _box(diagram)[3]  # under the diagram
        # every step caption appears on its click and leaves on the next
        timing = etree.tostring(slide.find("p:timing", NS)).decode()
        assert timing.count('presetClass="exit"') >= 2 * (len(captions) - 1)


def test_the_authors_order_within_a_rank_is_kept() -> None:
    spec = DiagramSpec.model_validate({
        "direction": "TB",
        "nodes": {name: {"icon": "aws.integration.SQS", "label": name.upper()}
                  for name in ("top", "q0", "q1", "q2")},
        "edges": [{"from": "top", "to": target} for target in ("q2", "q1", "q0")],
        "ranks": [["q0", "q1", "q2"]],
    })
    layout = parse_layout(json.loads(layout_json(spec)), spec.edges)
    xs = [layout.nodes[name].box.centre.x for name in ("q0", "q1", "q2")]
    assert xs == sorted(xs)
    assert len(layout.edges) == 3  # the edges that keep the order are not the diagram's



# --- as LibreOffice draws them ---------------------------------------------------------------
EDGE_GREY = (0x7B / 255, 0x88 / 255, 0x94 / 255)  # pptx.diagram.EDGE_COLOUR
INSIDE_POINTS = 1.5


def _strokes(page: Any) -> list[list[tuple[float, float]]]:
    """Give the page's grey edge lines as LibreOffice drew them, Bézier pieces flattened."""
    found = []
    for item in [*page.curves, *page.lines]:
        colour = item.get("stroking_color")
        if not item.get("stroke", True) or not isinstance(colour, tuple) or len(colour) != 3:
            continue
        if max(abs(a - b) for a, b in zip(colour, EDGE_GREY, strict=True)) > 0.02:
            continue
        points: list[tuple[float, float]] = []
        for operation, *corners in item.get("path") or []:
            if operation == "c" and points:
                points += cubic_points(points[-1], corners, 8)
            elif operation in ("m", "l"):
                points.append(corners[0])
        found.append(points)
    return found


def _label_words(drawing: Drawing, project: Path) -> tuple[set[str], str]:
    """Give the words of the diagram's node and group labels, and its edge labels' text."""
    spec = yaml.safe_load((project / "diagrams" / f"{drawing.name}.yaml").read_text("utf-8"))
    groups = list(spec.get("groups", []))
    group_labels = []
    while groups:
        group = groups.pop()
        group_labels.append(group.get("label", ""))
        groups += group.get("groups", [])
    still = " ".join([node.get("label", "") for node in spec["nodes"].values()] + group_labels)
    moving = " ".join(edge.get("label", "") for edge in spec.get("edges", []))
    return set(still.split()), moving


def _pdf_crossings(pptx: Path, deck: BuiltDeck, folder: Path) -> tuple[list[str], int]:
    """Give the words of node and group labels that a grey edge line runs through in
    LibreOffice's PDF of `pptx` (a deck built from `deck`'s project), and how many were tried."""
    return _crossings_in(soffice_convert(pptx, "pdf", folder), pptx, deck)


def _crossings_in(pdf: Path, pptx: Path, deck: BuiltDeck) -> tuple[list[str], int]:
    crossings, checked = [], 0
    with pdfplumber.open(pdf) as document:
        for drawing in drawings(pptx, deck.project):
            page = document.pages[drawing.slide - 1]
            still, moving = _label_words(drawing, deck.project)
            strokes = _strokes(page)
            assert strokes, drawing.name
            for word in page.extract_words():
                # LibreOffice may set `SG만` as two words: a word of an edge label is skipped
                if word["text"] not in still or word["text"] in moving:
                    continue
                box = (word["x0"], word["top"], word["x1"], word["bottom"])
                checked += 1
                if any(crosses(stroke, box, INSIDE_POINTS) and not _ends_at(stroke, box)
                       for stroke in strokes):
                    crossings.append(f"slide {drawing.slide} ({drawing.name}): {word['text']}")
    return crossings, checked


def _ends_at(stroke: list[tuple[float, float]], box: tuple[float, ...]) -> bool:
    """Tell whether the line ends on the label (its own node's, where it is glued)."""
    near = 4.0  # points: a font's ascent and descent reach past the label's box
    return any(box[0] - near <= x <= box[2] + near and box[1] - near <= y <= box[3] + near
               for x, y in (stroke[0], stroke[-1]))


def _elbows_drawn_elsewhere(pdf: Path, deck: BuiltDeck) -> tuple[list[str], int]:
    """Give the elbow connectors LibreOffice drew along a route of its own rather than their
    adjust values' (a point of the written route more than 5 pt from every grey line drawn;
    the last 12 pt left out, where the line stops short of its arrowhead's tip), and how many
    elbows were tried."""
    moved, tried = [], 0
    with pdfplumber.open(pdf) as document:
        for drawing in drawings(deck.deck, deck.project):
            strokes = _strokes(document.pages[drawing.slide - 1])
            for key in sorted(drawing.elbows):
                tried += 1
                route = [(x / EMU_PER_POINT, y / EMU_PER_POINT) for x, y in drawing.lines[key]]
                along = [(a[0] + (b[0] - a[0]) * n / 8, a[1] + (b[1] - a[1]) * n / 8)
                         for a, b in zip(route, route[1:], strict=False) for n in range(9)]
                along = [point for point in along if math.dist(point, route[-1]) > 12]
                if any(min(distance(stroke, point) for stroke in strokes) > 5 for point in along):
                    moved.append(f"slide {drawing.slide} ({drawing.name}): {key}")
    return moved, tried


@pytest.mark.slow  # LibreOffice
def test_libreoffice_draws_no_edge_through_a_node_or_group_label(
        decks: dict[str, BuiltDeck], sample_pdf: Path, tmp_path: Path) -> None:
    for name in ("sample", "routes"):
        pdf = sample_pdf if name == "sample" else soffice_convert(decks[name].deck, "pdf",
                                                                  tmp_path / name)
        crossings, checked = _crossings_in(pdf, decks[name].deck, decks[name])
        assert checked > 20, name
        assert crossings == [], name
        # LibreOffice re-routes some glued connectors on import: these it draws as written
        moved, elbows = _elbows_drawn_elsewhere(pdf, decks[name])
        assert elbows >= {"sample": 20, "routes": 2}[name], name
        assert moved == [], name
    crossings, _ = _pdf_crossings(_broken_copy(decks["routes"], tmp_path), decks["routes"],
                                  tmp_path / "broken")
    assert "slide 8 (walk): API" in crossings
