"""Native diagrams read back from a written deck's XML, and what a reader would find wrong.

Independent of studydeck's own geometry: lines are read from the connectors' and freeforms'
XML (flips, adjust values and Bézier segments applied), labels from their text boxes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree
from pptx import Presentation

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU_PER_POINT = 12700
XY = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom
INSIDE = 1.5 * EMU_PER_POINT  # a line must pass this far inside a box to cross it
SAMPLES = 64  # points tried along each straight piece
MEETS = 3 * EMU_PER_POINT  # a line's end lies this near its node's icon or label, no farther
OVERLAP = 1 * EMU_PER_POINT  # two labels' boxes may share this much (rounding), no more


@dataclass
class Drawing:
    """One native diagram on one slide: its lines, labels and icons, by name."""

    slide: int
    name: str
    lines: dict[str, list[XY]] = field(default_factory=dict)  # edge key → the drawn path
    edge_labels: dict[str, tuple[Box, float]] = field(default_factory=dict)  # box, size pt
    node_parts: dict[str, list[Box]] = field(default_factory=dict)  # node id → icon, label
    node_label_sizes: list[float] = field(default_factory=list)
    other_labels: list[Box] = field(default_factory=list)  # clusters', the title
    sizes: list[float] = field(default_factory=list)  # every label's size, points
    highlights: dict[str, list[list[XY]]] = field(default_factory=dict)  # key → step copies
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)  # edge key → its nodes
    elbows: set[str] = field(default_factory=set)  # the keys of edges drawn as elbow connectors
    # edge key → the nodes its connector is glued to (stCxn, endCxn; None where it is not)
    glued: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def drawings(deck: Path, project: Path) -> list[Drawing]:
    """Give every native diagram of the deck, with its edges' ends from the diagram files."""
    found = []
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        tree = slide.shapes._spTree
        for group in tree.findall("p:grpSp", NS):
            name = _name(group)
            if name.startswith("diagram: "):
                drawing = _drawing(number, name.removeprefix("diagram: "), group, project)
                for step in tree.findall("p:grpSp", NS):
                    _add_highlights(drawing, step)
                found.append(drawing)
    return found


def _drawing(number: int, name: str, group: etree._Element, project: Path) -> Drawing:
    spec = yaml.safe_load((project / "diagrams" / f"{name}.yaml").read_text("utf-8"))
    drawing = Drawing(number, name)
    for edge in spec.get("edges", []):
        key = edge.get("id") or f"{edge['from']}->{edge['to']}"
        drawing.ends[key] = (edge["from"], edge["to"])
    owners = {str(part.find("*/p:cNvPr", NS).get("id")): _name(child).removesuffix(": node")
              for child in group if _name(child).endswith(": node")
              for part in child if _has_box(part)}  # a node's icon and label shapes
    for child in group:
        child_name = _name(child)
        if child.tag == f"{{{P}}}grpSp" and child_name.endswith(": node"):
            node = child_name.removesuffix(": node")
            drawing.node_parts[node] = [_box(part) for part in child if _has_box(part)]
            for part in child.findall("p:sp", NS):
                drawing.node_label_sizes += _sizes(part)
                drawing.sizes += _sizes(part)
        elif child.tag in (f"{{{P}}}cxnSp", f"{{{P}}}sp") and _is_line(child):
            drawing.lines[child_name] = line_path(child)
            if child.tag == f"{{{P}}}cxnSp":
                drawing.glued[child_name] = _glued(child, owners)
            if "bentConnector" in str(child.find("*/a:prstGeom", NS).get("prst")
                                      if child.find("*/a:prstGeom", NS) is not None else ""):
                drawing.elbows.add(child_name)
        elif child.tag == f"{{{P}}}sp" and _sizes(child):
            drawing.sizes += _sizes(child)
            key = child_name.removesuffix(": label")
            if key in drawing.ends:
                drawing.edge_labels[key] = (_box(child), min(_sizes(child)))
            else:
                drawing.other_labels.append(_box(child))
    return drawing


def _glued(connector: etree._Element, owners: dict[str, str]) -> tuple[str | None, str | None]:
    """Give the nodes whose shapes a connector's start and end are glued to."""
    ends = [connector.find(f"p:nvCxnSpPr/p:cNvCxnSpPr/a:{tag}", NS) for tag in ("stCxn",
                                                                              "endCxn")]
    start, end = (None if glue is None else owners.get(str(glue.get("id"))) for glue in ends)
    return start, end


def _add_highlights(drawing: Drawing, step: etree._Element) -> None:
    if not _name(step).startswith("step "):
        return
    for child in step:
        key = _name(child).split(": ", 1)[-1]
        if _is_line(child) and key in drawing.lines:
            drawing.highlights.setdefault(key, []).append(line_path(child))


def _name(element: etree._Element) -> str:
    found = element.find("*/p:cNvPr", NS)
    return "" if found is None else str(found.get("name"))


def _has_box(element: etree._Element) -> bool:
    return element.find("*/a:xfrm/a:off", NS) is not None


def _box(element: etree._Element) -> Box:
    off, ext = element.find("*/a:xfrm/a:off", NS), element.find("*/a:xfrm/a:ext", NS)
    assert off is not None and ext is not None
    left, top = int(off.get("x")), int(off.get("y"))
    return left, top, left + int(ext.get("cx")), top + int(ext.get("cy"))


def _sizes(element: etree._Element) -> list[float]:
    return [int(run.get("sz")) / 100 for run in element.iterfind(".//a:rPr", NS)
            if run.get("sz")]


def _is_line(element: etree._Element) -> bool:
    preset = element.find("*/a:prstGeom", NS)
    if preset is not None:
        return preset.get("prst") in ("line", "straightConnector1", *(
            f"bentConnector{n}" for n in range(2, 6)))
    return element.find("*/a:custGeom", NS) is not None


def line_path(element: etree._Element) -> list[XY]:
    """Give the points a connector or freeform line passes through, on the slide."""
    left, top, right, bottom = _box(element)
    width, height = right - left, bottom - top
    xfrm = element.find("*/a:xfrm", NS)
    assert xfrm is not None
    preset = element.find("*/a:prstGeom", NS)
    if preset is not None:
        local = _preset_path(preset, width, height)
    else:
        local = _custom_path(element, width, height)
    flip_h, flip_v = xfrm.get("flipH") == "1", xfrm.get("flipV") == "1"
    flipped = [(left + (width - x if flip_h else x), top + (height - y if flip_v else y))
               for x, y in local]
    return _turned(flipped, int(xfrm.get("rot", "0")), ((left + right) / 2, (top + bottom) / 2))


def _turned(points: list[XY], rotation: int, centre: XY) -> list[XY]:
    """Give `points` turned clockwise by `rotation` (60000ths of a degree) about `centre`, as
    DrawingML turns a shape after flipping it."""
    angle = math.radians(rotation / 60000)
    cos, sin = math.cos(angle), math.sin(angle)
    return [(centre[0] + (x - centre[0]) * cos - (y - centre[1]) * sin,
             centre[1] + (x - centre[0]) * sin + (y - centre[1]) * cos) for x, y in points]


def _preset_path(preset: etree._Element, width: float, height: float) -> list[XY]:
    """Give a connector preset's path in its own box, as presetShapeDefinitions.xml draws it:
    bentConnectorN's adjust values say where its middle pieces run (x, y, x)."""
    kind = preset.get("prst")
    if kind in ("straightConnector1", "line"):
        return [(0, 0), (width, height)]
    if kind is not None and kind.startswith("bentConnector") and kind[-1] in "2345":
        pieces = int(kind[-1])
        adjusts = [_adjust(preset, f"adj{n}") for n in range(1, pieces - 1)]
        x1 = width * adjusts[0] if pieces > 2 else width
        if pieces == 2:
            return [(0, 0), (width, 0), (width, height)]
        if pieces == 3:
            return [(0, 0), (x1, 0), (x1, height), (width, height)]
        y2 = height * adjusts[1]
        if pieces == 4:
            return [(0, 0), (x1, 0), (x1, y2), (width, y2), (width, height)]
        x3 = width * adjusts[2]
        return [(0, 0), (x1, 0), (x1, y2), (x3, y2), (x3, height), (width, height)]
    raise AssertionError(f"a connector this reader does not know: {kind}")


def _adjust(preset: etree._Element, name: str) -> float:
    """Give an adjust value as a share of the box (the preset's default, half, if unset)."""
    guide = preset.find(f"a:avLst/a:gd[@name='{name}']", NS)
    return 0.5 if guide is None else int(guide.get("fmla").split()[1]) / 100000


def _custom_path(element: etree._Element, width: float, height: float) -> list[XY]:
    path = element.find("*/a:custGeom/a:pathLst/a:path", NS)
    assert path is not None
    sx = width / max(1, int(path.get("w", width or 1)))
    sy = height / max(1, int(path.get("h", height or 1)))
    points: list[XY] = []
    for step in path:
        corners = [(int(pt.get("x")) * sx, int(pt.get("y")) * sy) for pt in step]
        tag = etree.QName(step).localname
        if tag == "cubicBezTo":
            points += cubic_points(points[-1], corners, 16)
        else:
            points += corners
    return points


def cubic_points(start: XY, controls: list[XY], pieces: int) -> list[XY]:
    """Give a cubic Bézier from `start` through its three `controls`, cut into `pieces` straight
    lines: their ends, `start` left out."""
    points = []
    for n in range(1, pieces + 1):
        t = n / pieces
        weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
        corners = (start, *controls)
        points.append((sum(w * c[0] for w, c in zip(weights, corners, strict=True)),
                       sum(w * c[1] for w, c in zip(weights, corners, strict=True))))
    return points


def add_crowded_diagram(project: Path, chapter: str) -> None:
    """Add a 12-node top-to-bottom chain, `crowded`, on a slide 'Crowded' at the end of
    chapters/`chapter`.yaml: too many labels for 14 pt."""
    nodes = "\n".join(f"  n{i}: {{icon: aws.compute.EC2, label: 서버 번호 {i}}}" for i in range(12))
    edges = "\n".join(f"  - {{from: n{i}, to: n{i + 1}, label: step {i}}}" for i in range(11))
    (project / "diagrams" / "crowded.yaml").write_text(
        f"direction: TB\nnodes:\n{nodes}\nedges:\n{edges}\n", "utf-8")
    path = project / "chapters" / f"{chapter}.yaml"
    path.write_text(path.read_text("utf-8") + (
        "  - type: diagram\n    title: Crowded\n    diagram: crowded\n"), "utf-8")


def crosses(path: list[XY], box: Box, inside: float = INSIDE) -> bool:
    """Tell whether the path passes more than `inside` into the box."""
    left, top, right, bottom = (box[0] + inside, box[1] + inside, box[2] - inside,
                                box[3] - inside)
    if left >= right or top >= bottom:
        return False
    for (ax, ay), (bx, by) in zip(path, path[1:], strict=False):
        for n in range(SAMPLES + 1):
            x, y = ax + (bx - ax) * n / SAMPLES, ay + (by - ay) * n / SAMPLES
            if left < x < right and top < y < bottom:
                return True
    return False


def distance(path: list[XY], point: XY) -> float:
    best = math.inf
    for (ax, ay), (bx, by) in zip(path, path[1:], strict=False):
        dx, dy = bx - ax, by - ay
        squared = dx * dx + dy * dy
        t = 0.0 if not squared else max(0.0, min(1.0, ((point[0] - ax) * dx
                                                       + (point[1] - ay) * dy) / squared))
        best = min(best, math.dist(point, (ax + dx * t, ay + dy * t)))
    return best


def problems(drawing: Drawing) -> Iterator[str]:
    """Give what is wrong with one drawing: lines through labels or icons, labels off their
    lines, lines stopping off their nodes, connectors glued to other shapes than their nodes',
    edge labels over each other or over a node, two lines drawn as one, highlights off
    their edge's route, text under 14 pt."""
    where = f"slide {drawing.slide} ({drawing.name})"
    for key, path in drawing.lines.items():
        ends = drawing.ends[key]
        boxes = [(f"node {node}", box) for node, parts in drawing.node_parts.items()
                 if node not in ends for box in parts]
        boxes += [(f"label of {other}", box) for other, (box, _) in drawing.edge_labels.items()
                  if other != key]
        boxes += [("a cluster label", box) for box in drawing.other_labels]
        for what, box in boxes:
            if crosses(path, box):
                yield f"{where}: the line of {key} crosses {what}"
    for key, (box, size) in drawing.edge_labels.items():
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        gap = distance(drawing.lines[key], centre)
        if gap > 0.6 * size * EMU_PER_POINT:
            yield f"{where}: the label of {key} is {gap / EMU_PER_POINT:.1f} pt off its line"
    yield from _overlaps(drawing, where)
    for key, path in drawing.lines.items():
        for end, node in zip((path[0], path[-1]), drawing.ends[key], strict=True):
            if node in drawing.node_parts and not any(
                    _gap(end, box) <= MEETS for box in drawing.node_parts[node]):
                yield f"{where}: the line of {key} stops off node {node}"
    for key, glued in drawing.glued.items():
        if glued != drawing.ends[key]:
            yield f"{where}: the connector of {key} is glued to {glued}, not {drawing.ends[key]}"
    keys = list(drawing.lines)
    for index, key in enumerate(keys):
        for other in keys[index + 1:]:
            if _same(drawing.lines[key], drawing.lines[other]):
                yield f"{where}: {key} and {other} are drawn along one path"
    for key, copies in drawing.highlights.items():
        for copy in copies:
            if not _same(copy, drawing.lines[key]):
                yield f"{where}: the highlight of {key} leaves the edge's route"
    for size in drawing.sizes:
        if size < 14:
            yield f"{where}: a label at {size} pt"


def _overlaps(drawing: Drawing, where: str) -> Iterator[str]:
    """Give each edge label that covers another edge label, or a node's icon or label, by more
    than OVERLAP each way."""
    labels = list(drawing.edge_labels.items())
    for index, (key, (box, _)) in enumerate(labels):
        others = [(f"the label of {other}", other_box) for other, (other_box, _) in
                  labels[index + 1:]]
        others += [(f"node {node}", part) for node, parts in drawing.node_parts.items()
                   for part in parts]
        for what, other in others:
            if _covers(box, other):
                yield f"{where}: the label of {key} covers {what}"


def _gap(point: XY, box: Box) -> float:
    """Give how far `point` lies outside `box` (0 inside it)."""
    return math.hypot(max(box[0] - point[0], 0.0, point[0] - box[2]),
                      max(box[1] - point[1], 0.0, point[1] - box[3]))


def _covers(a: Box, b: Box) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > OVERLAP
            and min(a[3], b[3]) - max(a[1], b[1]) > OVERLAP)


def _same(a: list[XY], b: list[XY]) -> bool:
    """Tell whether two paths run the same way within 2 pt everywhere."""
    near = 2 * EMU_PER_POINT
    return (all(distance(b, p) <= near for p in a) and all(distance(a, p) <= near for p in b))
