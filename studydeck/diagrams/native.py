"""Diagrams drawn as slide shapes: their Graphviz layouts, node labels one size per deck.

Each diagram is laid out for the area it fills: Graphviz's spacing (and, unless the author set
it, direction) is chosen so the layout's shape comes near the area's, and the layout stretched
to the area's aspect. The deck's node labels then take one size on every slide: the size the
most crowded diagram reaches when it fills its area, at least `TARGET_NODE_POINTS` and at most
`LARGEST_NODE_POINTS`. A diagram that cannot reach it is laid out again with its text larger
than its icons (`text_scale`), and the space between its nodes as much larger (so a line
between two still holds its label), until it does; one that still cannot reach
`MIN_LABEL_POINTS` is drawn as large as it fits, and checks.legibility warns on each slide that
shows it. Layouts are cached beside the pictures under the pictures' own key plus the area
(and the deck's size, for a layout with larger text), so editing one diagram lays out only that
one again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studydeck.diagrams.cache import CACHE_DIR, diagram_key, shows_only_its_words
from studydeck.diagrams.icons import icon_image
from studydeck.diagrams.layout import DiagramLayout, parse_layout
from studydeck.diagrams.pins import pinned
from studydeck.diagrams.render import GraphvizError, layout_json
from studydeck.diagrams.style import NODE_ATTR
from studydeck.errors import DeckError, Problem
from studydeck.layout import geometry as g
from studydeck.schema.models import DiagramFile, DiagramSpec
from studydeck.source.sealed import read_sealed_json, write_sealed_json

MIN_LABEL_POINTS = 14.0
TARGET_NODE_POINTS = 16.0  # node labels are raised to this where a diagram's area allows
LARGEST_NODE_POINTS = 20.0  # slide points: a deck of small diagrams draws them no larger
MAX_TEXT_SCALE = 3.0
RAISE_ATTEMPTS = 6  # layouts with larger text tried, at most
POINTS_PER_EMU = 1 / g.EMU_PER_POINT
# Graphviz's spacing, tried in turn (the pictures' first): the closer one fits the area best
SPACINGS = ({"nodesep": "0.3", "ranksep": "0.35"}, {"nodesep": "0.15", "ranksep": "0.35"},
            {"nodesep": "0.3", "ranksep": "0.2"})
LAYOUT_REVISION = 8  # bump when the choice of layout changes, so kept layouts are made again
MAX_STRETCH = 1.5  # the layout is spread out to its area's shape by this much at most
LAYOUT = "diagram-layout"  # what the seal says a kept layout is


@dataclass(frozen=True)
class NativeDiagram:
    """A diagram to draw as shapes: its layout and each node's icon image file."""

    name: str
    layout: DiagramLayout
    icons: dict[str, str | None]
    scale: float  # slide points per layout point: the deck's scale, or less where it must

    @property
    def smallest_points(self) -> float:
        """Give the smallest label's size on the slide."""
        return self.layout.smallest_text() * self.scale


def fit_scale(layout: DiagramLayout, area: g.Box) -> float:
    """Give the factor from layout points to slide points that fits `layout` into `area`."""
    return min(area.width * POINTS_PER_EMU / layout.width,
               area.height * POINTS_PER_EMU / layout.height)


def lay_out_all(diagrams: Sequence[tuple[DiagramFile, g.Box]], out_dir: Path, *,
                font: str = "Noto Sans CJK KR") -> tuple[dict[str, NativeDiagram], list[Problem]]:
    """Give the native layout of each diagram fitted to its area, its node labels at the deck's
    one size where it can (checks.legibility says on which slides one cannot reach 14 pt)."""
    laid: list[tuple[DiagramFile, g.Box, dict[str, Any]]] = []
    failures: list[Problem] = []
    for (diagram, area), laid_out in zip(diagrams, _graphviz_layouts(diagrams, out_dir, font),
                                         strict=True):
        if isinstance(laid_out, GraphvizError):
            failures.append(_failure(diagram, laid_out))
        else:
            laid.append((diagram, area, laid_out))
    if failures:
        raise DeckError(failures)
    layouts = [(diagram, area, _parsed(diagram, laid_out["graphviz"], 1.0))
               for diagram, area, laid_out in laid]
    node_points = deck_node_points([(layout, area) for _, area, layout in layouts])
    found: dict[str, NativeDiagram] = {}
    for (diagram, area, layout), (_, _, laid_out) in zip(layouts, laid, strict=True):
        if layout.node_text() * fit_scale(layout, area) < node_points * 0.97:
            try:
                layout = _raised(diagram, area, laid_out, node_points, out_dir, font)
            except GraphvizError as error:
                raise DeckError([_failure(diagram, error)]) from error
        scale = min(fit_scale(layout, area), node_points / (layout.node_text() or 1))
        icons = {node_id: icon_image(node.icon) for node_id, node in diagram.spec.nodes.items()}
        found[diagram.name] = NativeDiagram(diagram.name, layout, icons, scale)
    return found, []


def fitted_attributes(diagrams: Sequence[tuple[DiagramFile, g.Box]], out_dir: Path, *,
                      font: str = "Noto Sans CJK KR") -> dict[str, dict[str, str]]:
    """Give the Graphviz attributes (spacing, direction, ratio) each diagram's layout is fitted
    to its area with: what its picture is drawn with, so a picture shows the layout the shapes
    would (a diagram Graphviz cannot lay out is left out: drawing it says why)."""
    return {diagram.name: laid_out["graph_attr"]
            for (diagram, _), laid_out in zip(diagrams, _graphviz_layouts(diagrams, out_dir, font),
                                              strict=True)
            if not isinstance(laid_out, GraphvizError)}


def deck_node_points(fits: Sequence[tuple[DiagramLayout, g.Box]]) -> float:
    """Give the size of a deck's node labels on the slide: what its most crowded diagram
    reaches filling its area, raised to TARGET_NODE_POINTS, at most LARGEST_NODE_POINTS."""
    reached = [layout.node_text() * fit_scale(layout, area) for layout, area in fits
               if layout.node_text()]
    return min(LARGEST_NODE_POINTS, max(TARGET_NODE_POINTS, min(reached, default=0.0)))


def _failure(diagram: DiagramFile, error: GraphvizError) -> Problem:
    return Problem(diagram.path, 1, 1, f"Graphviz could not lay out this diagram: {error.message}")


def _parsed(diagram: DiagramFile, graphviz: dict[str, Any], text_scale: float) -> DiagramLayout:
    return parse_layout(graphviz, diagram.spec.edges, text_scale)


def _raised(diagram: DiagramFile, area: g.Box, laid_out: dict[str, Any], node_points: float,
            out_dir: Path, font: str) -> DiagramLayout:
    """Give the diagram laid out with text large enough for its node labels to reach
    `node_points` in `area` (kept with its layout, for this size): with the space between its
    nodes grown as its text is (its labels a little under `node_points` if they must), unless
    that keeps them under MIN_LABEL_POINTS where Graphviz's own spacing does not."""
    kept = laid_out.get("raised")
    if isinstance(kept, dict) and kept.get("node_points") == node_points:
        return _parsed(diagram, kept["graphviz"], kept["text_scale"])
    found = _raising(diagram, area, laid_out, node_points, font, True)
    if _smallest(found[0], area, node_points) < MIN_LABEL_POINTS:  # not at legibility's cost
        found = max(found, _raising(diagram, area, laid_out, node_points, font, False),
                    key=lambda raised: _smallest(raised[0], area, node_points))
    layout, text_scale, graphviz = found
    if text_scale > 1:
        raised = {"node_points": node_points, "text_scale": text_scale, "graphviz": graphviz}
        write_sealed_json(_layout_file(diagram, out_dir), LAYOUT, {**laid_out, "raised": raised})
    return layout


def _smallest(layout: DiagramLayout, area: g.Box, node_points: float) -> float:
    """Give the size of the layout's smallest text on the slide, drawn as lay_out_all draws it."""
    return layout.smallest_text() * min(fit_scale(layout, area),
                                        node_points / (layout.node_text() or 1))


def _raising(diagram: DiagramFile, area: g.Box, laid_out: dict[str, Any], node_points: float,
             font: str, spaced: bool) -> tuple[DiagramLayout, float, dict[str, Any]]:
    """Give the diagram laid out with its text raised towards `node_points`, the text scale
    and Graphviz's layout (its nodes `spaced` as its text): the first that reaches it, else
    the one whose smallest text is largest on the slide (larger text widens the layout too,
    so a step may gain nothing)."""
    attrs: dict[str, str] = laid_out["graph_attr"]
    text_scale, graphviz = 1.0, laid_out["graphviz"]
    layout = _parsed(diagram, graphviz, 1.0)
    best = (layout, text_scale, graphviz)
    for _ in range(RAISE_ATTEMPTS):
        reached = layout.node_text() * fit_scale(layout, area)
        if reached >= node_points * 0.97 or text_scale >= MAX_TEXT_SCALE:
            break
        # larger text widens the layout too, so aim a little above
        text_scale = min(MAX_TEXT_SCALE, text_scale * node_points / reached * 1.04)
        graphviz = _graphviz(diagram.spec, font, _spaced(attrs, text_scale) if spaced else attrs,
                             text_scale)
        layout = _parsed(diagram, graphviz, text_scale)
        if _smallest(layout, area, node_points) >= _smallest(best[0], area, node_points):
            best = (layout, text_scale, graphviz)
    return best


def _graphviz_layouts(diagrams: Sequence[tuple[DiagramFile, g.Box]], out_dir: Path,
                      font: str) -> list[dict[str, Any] | GraphvizError]:
    """Give each diagram's kept Graphviz layout, laying out (with `dot`) those not kept."""
    kept = [_kept_layout(diagram, area, out_dir, font) for diagram, area in diagrams]
    missing = [index for index, layout in enumerate(kept) if layout is None]
    if len(missing) > 1:  # `dot` runs as a subprocess: threads lay diagrams out side by side
        with ThreadPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1)) as pool:
            made = list(pool.map(lambda index: _laid_out(*diagrams[index], out_dir, font),
                                 missing))
    else:
        made = [_laid_out(*diagrams[index], out_dir, font) for index in missing]
    found: list[dict[str, Any] | GraphvizError | None] = list(kept)
    for index, layout in zip(missing, made, strict=True):
        found[index] = layout
    return [layout for layout in found if layout is not None]


def _stamp(diagram: DiagramFile, area: g.Box, font: str) -> dict[str, Any]:
    return {"key": diagram_key(diagram.spec, font), "area": [area.width, area.height],
            "revision": LAYOUT_REVISION}


def _layout_file(diagram: DiagramFile, out_dir: Path) -> Path:
    return out_dir / CACHE_DIR / f"{diagram.name}.layout.json"


def _kept_layout(diagram: DiagramFile, area: g.Box, out_dir: Path,
                 font: str) -> dict[str, Any] | None:
    cached = read_sealed_json(_layout_file(diagram, out_dir), LAYOUT)  # only what we wrote
    stamp = _stamp(diagram, area, font)
    if cached is None or {k: cached.get(k) for k in stamp} != stamp:
        return None
    return cached if shows_only_its_words(cached.get("graphviz"), diagram.spec) else None


def _laid_out(diagram: DiagramFile, area: g.Box, out_dir: Path,
              font: str) -> dict[str, Any] | GraphvizError:
    """Lay the diagram out with Graphviz and keep the layout; the error if Graphviz failed."""
    try:
        graphviz, graph_attr = _fitted_layout(diagram, area, font)
    except GraphvizError as error:
        return error
    laid_out = {**_stamp(diagram, area, font), "text_scale": 1.0, "graph_attr": graph_attr,
                "graphviz": graphviz}
    write_sealed_json(_layout_file(diagram, out_dir), LAYOUT, laid_out)
    return laid_out


def _fitted_layout(diagram: DiagramFile, area: g.Box,
                   font: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Give the Graphviz layout that fills `area` best, stretched to its aspect, and the graph
    attributes it was laid out with (the pictures' own spacing first: the others are tried
    only while its node labels stay under LARGEST_NODE_POINTS)."""
    spec = diagram.spec
    directions = [spec.direction]
    if "direction" not in spec.model_fields_set:
        directions.append("TB" if spec.direction == "LR" else "LR")
    best: tuple[float, dict[str, str], dict[str, Any], DiagramLayout] | None = None
    for attrs in ({**spacing, "rankdir": direction}
                  for direction in directions for spacing in SPACINGS):
        data = _graphviz(spec, font, attrs)
        layout = _parsed(diagram, data, 1.0)
        fitted = fit_scale(layout, area)
        if best is None or fitted > best[0] * 1.02:  # the first, unless clearly worse
            best = (fitted, attrs, data, layout)
        if best[3].node_text() * best[0] >= LARGEST_NODE_POINTS:
            break  # as large as any deck draws it: no need to look further
    assert best is not None
    _, attrs, data, layout = best
    shape, aspect = layout.height / layout.width, area.height / area.width
    wanted = min(max(aspect, shape / MAX_STRETCH), shape * MAX_STRETCH)
    if abs(shape - wanted) <= 0.02 * wanted:
        return data, attrs
    attrs = {**attrs, "ratio": f"{wanted:.4f}"}
    return _graphviz(spec, font, attrs), attrs


def _spaced(attrs: dict[str, str], text_scale: float) -> dict[str, str]:
    """Give `attrs` with the space between nodes grown as the text is (Graphviz sets it in
    inches, whatever the text's size): lines between them stay long enough for their labels."""
    return {**attrs, **{name: f"{float(attrs[name]) * text_scale:.3f}"
                        for name in ("nodesep",) if name in attrs}}


def _graphviz(spec: DiagramSpec, font: str, attrs: dict[str, str],
              text_scale: float = 1.0) -> dict[str, Any]:
    """Give Graphviz's layout with `attrs`, edge labels as large as node labels (a slide's
    labels read at one size)."""
    edge_size = f"{float(NODE_ATTR['fontsize']) * text_scale:.1f}"
    data: dict[str, Any] = json.loads(layout_json(spec, font=font, graph_attr=attrs,
                                                  text_scale=text_scale,
                                                  edge_fontsize=edge_size))
    return pinned(data, spec)  # nodes the file pins (a node moved in the deck) go there
