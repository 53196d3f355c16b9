"""Nodes moved in a native diagram of the edited deck, as the pins that keep them there.

Where a slide shows a diagram is worked out from the deck the sources build now: its nodes'
icons (a label where a node has none) against the same nodes in the diagram's layout give the
drawing's scale and corner on that slide. A node whose icon the edited deck shows elsewhere is
pinned where it now stands, as shares of the drawing's width and height (diagrams/pins.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from studydeck.diagrams.layout import DiagramLayout, NodeLayout, Point
from studydeck.diagrams.native import NativeDiagram
from studydeck.pptx.edited import DrawnNode
from studydeck.pull.compare import MOVED, Conflict, Edit
from studydeck.schema.models import DiagramFile

Box = tuple[int, int, int, int]
DIGITS = 3  # a pin's shares are written to a thousandth of the drawing


@dataclass(frozen=True)
class _Placement:
    """Where a layout is on a slide: EMU per layout point and the layout's top-left corner."""

    scale: float
    left: float
    top: float


@dataclass
class MovedNodes:
    """The pins to write, the nodes moved differently on two slides, the labels moved alone."""

    edits: dict[tuple[str, str], Edit] = field(default_factory=dict)  # (diagram, node) → pin
    pins: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def judged_here(nodes: Mapping[str, DrawnNode],
                diagrams: Mapping[str, DiagramFile]) -> Callable[[str], bool]:
    """Give what tells the label shapes whose moves on a slide showing `nodes` are judged
    here, not kept: the nodes' labels, and where the diagram pins nodes, the edges' and
    groups' labels too (they go where the pinned layout puts them)."""
    names = {f"{node}: label" for node in nodes}
    pinned = False
    for diagram in (diagrams.get(drawn.diagram) for drawn in nodes.values()):
        if diagram is not None and any(n.pin for n in diagram.spec.nodes.values()):
            pinned = True
            names.update(f"{key}: label" for key in diagram.spec.edge_keys())

    def judged(key: str) -> bool:
        return key in names or pinned and key.startswith("cluster: ") and key.endswith(": label")

    return judged


def moved_nodes(unchanged: Sequence[tuple[int, int]], edited: Sequence[Mapping[str, DrawnNode]],
                current: Sequence[Mapping[str, DrawnNode]], natives: Mapping[str, NativeDiagram],
                diagrams: Mapping[str, DiagramFile], slide_width: int) -> MovedNodes:
    """Give the pins of the nodes moved on the edited slides whose YAML is as built."""
    found = MovedNodes()
    for edited_index, current_index in unchanged:
        now = current[current_index]
        names = {drawn.diagram for drawn in now.values()}
        if len(names) != 1 or names & set(natives) != names:
            continue
        name = names.pop()
        layout = natives[name].layout
        placement = _placement(now, layout)
        if placement is None:
            continue
        for node_id, drawn in edited[edited_index].items():
            if node_id in now and node_id in layout.nodes:
                _node(found, edited_index + 1, diagrams[name], layout, placement,
                      drawn, now[node_id], slide_width)
    return found


def _node(found: MovedNodes, number: int, diagram: DiagramFile, layout: DiagramLayout,
          placement: _Placement, drawn: DrawnNode, now: DrawnNode, slide_width: int) -> None:
    node = layout.nodes[drawn.node]
    reference = _reference(drawn, node)
    then = _reference(now, node)
    if reference is None or then is None:
        return
    (at, in_layout), (was, _) = reference, then
    if max(abs(at[0] - was[0]), abs(at[1] - was[1])) <= MOVED * slide_width:
        if drawn.label and now.label and _moved(drawn.label, now.label, slide_width):
            found.kept.append(f"slide {number}: moved or resized '{drawn.node}: label' "
                              "(kept only in the .pptx)")
        return
    centre = node.box.centre
    x = (at[0] - placement.left) / placement.scale + centre.x - in_layout.x
    y = (at[1] - placement.top) / placement.scale + centre.y - in_layout.y
    pin = [round(min(max(x / layout.width, 0.0), 1.0), DIGITS),
           round(min(max(y / layout.height, 0.0), 1.0), DIGITS)]
    _record(found, number, diagram, drawn.node, pin)


def _record(found: MovedNodes, number: int, diagram: DiagramFile, node_id: str,
            pin: list[float]) -> None:
    written = f"[{pin[0]:g}, {pin[1]:g}]"
    earlier = found.edits.get((diagram.name, node_id))
    location = ("nodes", node_id, "pin")
    if earlier is not None:
        first = found.pins[(diagram.name, node_id)]
        if max(abs(a - b) for a, b in zip(first, pin, strict=True)) > MOVED:
            found.conflicts.append(Conflict(diagram.path, location, (
                f"slide {number}: node '{node_id}' was moved to {earlier.new} on slide "
                f"{earlier.slide} and to {written} here: left as it is")))
        return
    old = diagram.spec.nodes[node_id].pin
    found.pins[(diagram.name, node_id)] = pin
    found.edits[(diagram.name, node_id)] = Edit(
        diagram.path, location, f"[{old[0]:g}, {old[1]:g}]" if old else "", written,
        f"pin of node '{node_id}'", number, kind="flow")


def _moved(box: Box, other: Box, slide_width: int) -> bool:
    return any(abs(a - b) > MOVED * slide_width for a, b in zip(box, other, strict=True))


def _reference(drawn: DrawnNode, node: NodeLayout) -> tuple[tuple[float, float], Point] | None:
    """Give the point of a drawn node that says where it is (its icon's middle, else its
    label's) and the same point in the layout."""
    if drawn.icon is not None and node.icon is not None:
        return _middle(drawn.icon), node.icon.centre
    if drawn.label is not None and node.label is not None:
        return _middle(drawn.label), node.label.box.centre
    return None


def _middle(box: Box) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def _placement(nodes: Mapping[str, DrawnNode], layout: DiagramLayout) -> _Placement | None:
    """Give where the layout is on the slide, fitted to its drawn nodes (least squares)."""
    pairs = [found for node_id, drawn in nodes.items() if node_id in layout.nodes
             for found in [_reference(drawn, layout.nodes[node_id])] if found is not None]
    if not pairs:
        return None
    count = len(pairs)
    mean_slide = (sum(p[0] for p, _ in pairs) / count, sum(p[1] for p, _ in pairs) / count)
    mean_layout = (sum(q.x for _, q in pairs) / count, sum(q.y for _, q in pairs) / count)
    spread = sum((q.x - mean_layout[0]) ** 2 + (q.y - mean_layout[1]) ** 2 for _, q in pairs)
    if spread > 1.0:
        scale = sum((q.x - mean_layout[0]) * (p[0] - mean_slide[0]) +
                    (q.y - mean_layout[1]) * (p[1] - mean_slide[1]) for p, q in pairs) / spread
    else:  # one node: its icon's size says the scale
        icon = next((d.icon for d in nodes.values() if d.icon is not None), None)
        side = next((n.icon.width for n in layout.nodes.values() if n.icon is not None), None)
        if icon is None or not side:
            return None
        scale = icon[2] / side
    if not math.isfinite(scale) or scale <= 0:
        return None
    return _Placement(scale, mean_slide[0] - scale * mean_layout[0],
                      mean_slide[1] - scale * mean_layout[1])
