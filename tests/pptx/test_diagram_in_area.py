"""A native diagram stays inside the area it is fitted to (studydeck/pptx/diagram_geometry.py):
label boxes are widened for the deck's font, and one at the layout's edge is shifted inward
rather than sticking out past the area (issue 29: past a template's body)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from diagram_xml import Drawing, drawings, problems
from pptx import Presentation
from pptx.util import Emu

import studydeck.pptx.diagram as diagram_module
from studydeck.diagrams.icons import icon_image
from studydeck.diagrams.layout import parse_layout
from studydeck.diagrams.native import MIN_LABEL_POINTS, NativeDiagram, lay_out_all
from studydeck.diagrams.render import layout_json
from studydeck.layout import geometry as g
from studydeck.pptx.diagram import add_native_diagram
from studydeck.pptx.diagram_geometry import OUTLINE_MARGIN, diagram_geometry, slack_box
from studydeck.pptx.style import deck_style
from studydeck.schema.models import Deck, DiagramFile, DiagramSpec


def _native(direction: str) -> NativeDiagram:
    spec = DiagramSpec.model_validate({
        "direction": direction,
        "nodes": {
            "client": {"icon": "aws.compute.EC2", "label": "A client with a long name"},
            "server": {"icon": "aws.compute.EC2", "label": "웹 서버 (오른쪽 끝의 긴 이름)"},
            "db": {"icon": "aws.database.RDS", "label": "DB 🗄️"},
        },
        "edges": [
            {"from": "client", "to": "server", "label": "asks over HTTPS", "id": "ask"},
            {"from": "server", "to": "db", "label": "queries", "id": "query"},
        ],
    })
    layout = parse_layout(json.loads(layout_json(spec)), spec.edges)
    icons = {node_id: icon_image(node.icon)
             for node_id, node in spec.nodes.items()}
    return NativeDiagram(f"edge-{direction}", layout, icons, 40.0)


@pytest.mark.parametrize(("direction", "area"), [
    ("LR", g.Box(700_000, 1_500_000, 5_000_000, 4_500_000)),  # fitted to the area's width
    ("TB", g.Box(700_000, 1_500_000, 2_000_000, 5_000_000)),
    ("TB", g.Box(700_000, 1_500_000, 5_000_000, 4_500_000)),  # to its height
])
def test_a_label_at_the_layouts_edge_keeps_the_group_inside_the_area(
    direction: str, area: g.Box, monkeypatch: pytest.MonkeyPatch,
) -> None:
    native = _native(direction)
    geometry = diagram_geometry(native, area)
    placement = geometry.placement
    # a label at the layout's edge, widened about its middle (or set a little past the
    # layout's box by Graphviz), would stick out of the area: it is shifted inward, its size
    # kept, and a label that fits where Graphviz set it stays there
    widened = {node_id: slack_box(placement.box(node.label.box))
               for node_id, node in native.layout.nodes.items() if node.label is not None}
    assert not all(box.inside(area) for box in widened.values())
    for node_id, box in widened.items():
        label = geometry.parts[node_id][-1].box
        assert (label.width, label.height) == (box.width, box.height)
        assert label == box or not box.inside(area)
    labels = [part.box for parts in geometry.parts.values() for part in parts
              if part.kind == "label"] + list(geometry.edge_labels.values())
    assert all(box.inside(area) for box in labels), labels

    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_diagram(slide, native, area, deck_style(Deck(title="t", chapters=["a.yaml"])))
    group = next(shape for shape in slide.shapes if shape.name.startswith("diagram:"))
    drawn = g.Box(group.left, group.top, group.width, group.height)
    assert drawn.inside(area), (drawn, area, Emu(area.left - drawn.left).inches,
                                Emu(drawn.right - area.right).inches)


@pytest.mark.parametrize(("direction", "area"), [
    ("LR", g.Box(700_000, 1_500_000, 5_000_000, 4_500_000)),
    ("TB", g.Box(700_000, 1_500_000, 2_000_000, 5_000_000)),
])
def test_a_walkthroughs_outline_of_a_node_at_the_edge_stays_in_the_area(
        direction: str, area: g.Box) -> None:
    """A step's outline stands off its node by a share of the icon; at the area's edge it comes
    closer instead of reaching past the area (over a template's shape), still round the node."""
    geometry = diagram_geometry(_native(direction), area)
    at_edge = 0
    for node_id, parts in geometry.parts.items():
        outline = geometry.outline(node_id)
        # a quarter of its margin may pass the area's edge, no more
        slack = math.ceil(max(part.box.height for part in parts) * OUTLINE_MARGIN / 4)
        grown = g.Box(area.left - slack, area.top - slack, area.width + 2 * slack,
                      area.height + 2 * slack)
        assert outline.inside(grown), (node_id, outline, area)
        assert all(outline.left < part.box.left and outline.top < part.box.top
                   and part.box.right < outline.right and part.box.bottom < outline.bottom
                   for part in parts), node_id
        at_edge += any(part.box.left - area.left < geometry.outline(node_id).width // 20
                       or area.right - part.box.right < geometry.outline(node_id).width // 20
                       for part in parts)
    assert at_edge  # the case: a node whose outline would have passed the area's edge


# body areas of LibreOffice's Impress templates (issue 29), in points: smaller than studydeck's
# own, so a diagram is drawn smaller while its labels keep the deck's size
FOCUS_BODY = (188.6, 154.3, 668.5, 196.6)
METROPOLIS_BODY = (48.0, 130.3, 863.9, 232.6)


@pytest.mark.parametrize(("name", "body"), [
    ("dns-resolution", FOCUS_BODY),  # parallel lines to Route 53: ⑦ lay over ⑥
    ("dns-resolution", METROPOLIS_BODY),  # parallel lines to .com TLD: ⑤ lay over ④
    ("rds-autoscale", FOCUS_BODY),  # 호출 between two nodes of a rank, over both
])
def test_edge_labels_keep_clear_of_each_other_in_a_templates_small_body(
        name: str, body: tuple[float, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's walkthrough diagrams in a template's body, read back from the written XML:
    no edge label over another or over a node, none crossed by another line, each on its own
    line, none under 14 pt (tests/diagram_xml.py)."""
    native, drawing = _drawn_alone(name, body, tmp_path, monkeypatch)
    assert native.smallest_points >= MIN_LABEL_POINTS
    assert len(drawing.edge_labels) == len(drawing.ends)  # every edge of these is labelled
    assert list(problems(drawing)) == []


# where the sample's diagrams are drawn on some of LibreOffice's templates (a walkthrough's
# area is the body less its caption), in points
FOCUS_WALKTHROUGH = (188.6, 154.3, 668.5, 161.6)
GREY_ELEGANT_WALKTHROUGH = (168.9, 171.4, 618.3, 149.1)
PROGRESS_WALKTHROUGH = (47.9, 144.3, 844.7, 144.6)
GREY_ELEGANT_DIAGRAM = (168.9, 171.4, 618.3, 269.9)
BLUEPRINT_DIAGRAM = (48.0, 144.0, 863.9, 252.3)


@pytest.mark.parametrize(("name", "body"), [
    ("geo-routing", FOCUS_WALKTHROUGH),  # Graphviz's curve ⑤ through 서울 리전's label
    ("geo-routing", GREY_ELEGANT_WALKTHROUGH),  # an elbow ④ through the other ④'s label
    ("observability", GREY_ELEGANT_DIAGRAM),  # 전달's curve through CloudWatch's label
    ("observability", BLUEPRINT_DIAGRAM),  # a long curve through JSON 로그
    ("sqs-scaling", PROGRESS_WALKTHROUGH),  # 대기 수 leaving its node through 급증
])
def test_lines_keep_clear_of_labels_drawn_after_them_in_a_templates_small_body(
        name: str, body: tuple[float, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A line routed (or kept as Graphviz curved it) before the labels near it were placed
    runs through none of them, nor through a cluster's label or a node it does not join, and
    still ends on its nodes with every label on its own line (issue 29, STILL_CROSSING)."""
    _, drawing = _drawn_alone(name, body, tmp_path, monkeypatch)
    assert [problem for problem in problems(drawing) if " a label at " not in problem] == []


YELLOW_IDEA_WALKTHROUGH = (48.0, 138.0, 863.9, 156.9)
GREY_ELEGANT_CLEAR_OF_DOTS = (174.7, 171.4, 606.8, 149.1)  # its body kept off the dots beside it


@pytest.mark.parametrize(("name", "body", "keys"), [
    # elbows that a label placed after them lay on: ② 서울로 on ⑤ 장애 시's, the upper ④ on
    # the lower ④'s, ② 키 조회 on ④ 저장+TTL's
    ("geo-routing", GREY_ELEGANT_WALKTHROUGH, ["kr-sel"]),
    ("geo-routing", GREY_ELEGANT_CLEAR_OF_DOTS, ["kr-sel"]),
    ("cache-aside", GREY_ELEGANT_CLEAR_OF_DOTS, ["lookup"]),
    ("geo-routing", YELLOW_IDEA_WALKTHROUGH, ["kr-sel"]),
    ("geo-routing", PROGRESS_WALKTHROUGH, ["check-sel"]),
    ("cache-aside", PROGRESS_WALKTHROUGH, ["lookup"]),
])
def test_a_connector_kept_clear_of_a_label_placed_after_it_stays_glued_to_its_nodes(
        name: str, body: tuple[float, ...], keys: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A connector that a later label lands on is routed again as a connector (an elbow, else a
    straight line) rather than bent into a freeform, so it still follows its nodes when someone
    moves one in PowerPoint: glued (stCxn, endCxn) to a shape of each of its own nodes, and
    crossing no label or node it does not join."""
    _, drawing = _drawn_alone(name, body, tmp_path, monkeypatch)
    for key in keys:
        assert drawing.glued.get(key) == drawing.ends[key], (key, drawing.glued)
    assert [problem for problem in problems(drawing) if " a label at " not in problem] == []


def _drawn_alone(name: str, body: tuple[float, ...], tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> tuple[NativeDiagram, Drawing]:
    """Give the sample's diagram `name` laid out alone for the area `body` (points) and drawn
    there on a slide, read back from the written XML."""
    area = g.Box(*(round(value * g.EMU_PER_POINT) for value in body))
    path = REPO / "diagrams" / f"{name}.yaml"
    diagram = DiagramFile(name=name, path=path,
                          spec=DiagramSpec.model_validate(yaml.safe_load(path.read_text("utf-8"))))
    natives, _ = lay_out_all([(diagram, area)], tmp_path)
    monkeypatch.setattr(diagram_module, "_DRAWINGS", {})
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_diagram(slide, natives[name], area,
                       deck_style(Deck(title="t", chapters=["a.yaml"])))
    prs.save(str(tmp_path / "deck.pptx"))
    [drawing] = drawings(tmp_path / "deck.pptx", REPO)
    return natives[name], drawing


CANDY_DIAGRAM = (309.1, 130.9, 633.7, 322.7)


@pytest.mark.parametrize(("name", "body"), [
    ("arch-overview", GREY_ELEGANT_DIAGRAM),  # 13.7 pt when the text was raised 4 times
    ("vpc-security", GREY_ELEGANT_DIAGRAM),  # 13.9 pt
    ("arch-overview", CANDY_DIAGRAM),  # 13.9 pt
])
def test_a_diagram_that_nearly_reaches_14_pt_in_a_small_body_is_raised_until_it_does(
        name: str, body: tuple[float, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Larger text widens the layout too, so each raise gains less: the text is raised until
    the labels read at 14 pt where that is near, and still nothing overlaps or crosses."""
    native, drawing = _drawn_alone(name, body, tmp_path, monkeypatch)
    assert native.smallest_points >= MIN_LABEL_POINTS
    assert list(problems(drawing)) == []
