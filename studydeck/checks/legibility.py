"""How large a diagram's labels end up on their slide, and whether a diagram fills its area.

Graphviz sets labels at a fixed size in points; the picture is then scaled to fit its area on
the slide, and the labels with it. A label below LABEL_FLOOR on the slide is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PIL import Image

from studydeck.diagrams.style import CLUSTER_ATTR, EDGE_ATTR, GRAPH_ATTR, NODE_ATTR
from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.fit import CAPTION_FLOOR
from studydeck.schema.models import DiagramFile
from studydeck.slides.diagram import DiagramSlide

if TYPE_CHECKING:  # the pictures' cache draws with Graphviz: `validate` never loads it
    from studydeck.diagrams.cache import DiagramImages

LABEL_FLOOR = CAPTION_FLOOR  # 14 pt: a label is a small caption
RENDER_DPI = float(GRAPH_ATTR["dpi"])
HINT = ("fold long chains with `ranks`, try the other `direction`, use fewer nodes, or give "
        "the diagram a slide of its own instead of a walkthrough")


class ShownDiagram(Protocol):
    """A planned slide as this check reads it (studydeck.outline's PlannedSlide)."""

    @property
    def slide(self) -> object: ...
    @property
    def diagram(self) -> DiagramFile | None: ...
    @property
    def step(self) -> int | None: ...
    @property
    def body(self) -> g.Box: ...  # below the slide's title, however many lines it takes


def smallest_label_points(diagram: DiagramFile) -> float:
    """Give the Graphviz size (points) of the diagram's smallest label."""
    spec = diagram.spec
    sizes = [float(NODE_ATTR["fontsize"])]
    if any(edge.label for edge in spec.edges):
        sizes.append(float(EDGE_ATTR["fontsize"]))
    if spec.groups:
        sizes.append(float(CLUSTER_ATTR["fontsize"]))
    return min(sizes)


def picture_area(slide: DiagramSlide, step: int | None, body: g.Box | None = None) -> g.Box:
    """Give the area a diagram slide's picture is fitted into (beside the captions, if any)."""
    area, _ = g.caption_split(bool(slide.caption), body)
    beside_steps = step is not None or slide.walkthrough is True
    return g.step_split(area)[0] if beside_steps else area


def scale_on_slide(picture: Path, area: g.Box) -> tuple[float, int, int]:
    """Give how much the picture is scaled (slide points per Graphviz point) and its size."""
    with Image.open(picture) as image:
        width, height = image.size
    box = area.fit(width, height)
    return box.width / g.EMU_PER_POINT / (width * 72 / RENDER_DPI), width, height


def legibility_problems(planned: Sequence[ShownDiagram], images: dict[str, DiagramImages],
                        native_sizes: Mapping[str, float] | None = None) -> list[Problem]:
    """Give a warning per diagram (and area) whose labels end up small or that comes out tall:
    for a diagram drawn as shapes, about the shapes (`native_sizes`: its smallest label on the
    slide), else about its picture."""
    native_sizes = native_sizes or {}
    problems: dict[tuple[str, g.Box], Problem] = {}
    tall: dict[str, Problem] = {}
    for item in planned:
        diagram, slide = item.diagram, item.slide
        if diagram is not None and diagram.name in native_sizes:
            native = native_problem(diagram, slide, native_sizes[diagram.name])
            if native is not None:
                problems.setdefault((diagram.name, g.Box(0, 0, 0, 0)), native)
            continue
        if diagram is None or not isinstance(slide, DiagramSlide) or diagram.name not in images:
            continue
        area = picture_area(slide, item.step, item.body)
        scale, width, height = scale_on_slide(images[diagram.name].base, area)
        size = smallest_label_points(diagram) * scale
        if size < LABEL_FLOOR and (diagram.name, area) not in problems:
            problems[(diagram.name, area)] = Problem(
                diagram.path, _line_of(diagram.path, "nodes"), 1,
                f"on slide '{slide.title}' the diagram's labels end up at {size:.1f} pt "
                f"(drawn at {smallest_label_points(diagram):g} pt, the picture scaled to "
                f"{scale:.0%}), below {LABEL_FLOOR} pt", HINT, "warning")
        if diagram.spec.direction == "LR" and height > width and diagram.name not in tall:
            tall[diagram.name] = Problem(
                diagram.path, _line_of(diagram.path, "direction"), 1,
                f"the left-to-right diagram comes out taller than wide ({width}×{height} px), "
                "so it leaves its area's sides empty and its labels small",
                "try `direction: TB`, or fold it with `ranks`", "warning")
    return [*problems.values(), *tall.values()]


def native_problem(diagram: DiagramFile, slide: object, size: float) -> Problem | None:
    """Give the warning for a diagram drawn as shapes whose smallest label is `size` points on
    `slide` when that is under LABEL_FLOOR, with the change that gives it more room."""
    if size >= LABEL_FLOOR - 0.05 or not isinstance(slide, DiagramSlide):
        return None
    room = LABEL_FLOOR / size
    if slide.bullets:
        change = "move the slide's bullets to a slide of their own (the diagram gets the width)"
    elif slide.walkthrough is True:
        change = "shorten the step captions or write `walkthrough: slides`"
    elif "direction" not in diagram.spec.model_fields_set:
        change = "fold long chains with `ranks`, or split the diagram in two"
    else:
        change = (f"try `direction: {'TB' if diagram.spec.direction == 'LR' else 'LR'}`, fold "
                  "long chains with `ranks`, or split the diagram in two")
    return Problem(
        diagram.path, _line_of(diagram.path, "nodes"), 1,
        f"on slide '{slide.title}' the diagram's labels are {size:.1f} pt, under {LABEL_FLOOR} pt: "
        f"it would need {room:.1f}× the room its area has", change, "warning")


def _line_of(path: Path, key: str) -> int:
    """Give the line of the top-level `key:` in the YAML file (1 when it is not there)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), 1)
