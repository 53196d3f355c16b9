"""Diagrams drawn as slide shapes: their Graphviz layouts, with labels sized to stay readable.

A layout is laid out again with larger text while its smallest label would be shown under
`MIN_LABEL_POINTS` on the slide, and cached beside the pictures under the pictures' own key
(plus the area it was fitted to), so editing one diagram lays out only that one again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studydeck.diagrams.cache import CACHE_DIR, diagram_key
from studydeck.diagrams.icons import icon_image
from studydeck.diagrams.layout import DiagramLayout, parse_layout
from studydeck.diagrams.render import GraphvizError, layout_json
from studydeck.errors import DeckError, Problem
from studydeck.layout import geometry as g
from studydeck.schema.models import DiagramFile
from studydeck.source.files import read_json_object, write_atomically

MIN_LABEL_POINTS = 14.0
MAX_TEXT_SCALE = 3.0
ATTEMPTS = 4
POINTS_PER_EMU = 1 / g.EMU_PER_POINT


@dataclass(frozen=True)
class NativeDiagram:
    """A diagram to draw as shapes: its layout and each node's icon image file."""

    name: str
    layout: DiagramLayout
    icons: dict[str, str | None]
    smallest_points: float  # the smallest label's size on the slide area it was fitted to


def fit_scale(layout: DiagramLayout, area: g.Box) -> float:
    """Give the factor from layout points to slide points that fits `layout` into `area`."""
    return min(area.width * POINTS_PER_EMU / layout.width,
               area.height * POINTS_PER_EMU / layout.height)


def lay_out_all(diagrams: Sequence[tuple[DiagramFile, g.Box]], out_dir: Path, *,
                font: str = "Noto Sans CJK KR") -> tuple[dict[str, NativeDiagram], list[Problem]]:
    """Give the native layout of each diagram fitted to its area, and warnings for small text."""
    found: dict[str, NativeDiagram] = {}
    warnings: list[Problem] = []
    failures: list[Problem] = []
    for (diagram, area), laid_out in zip(diagrams, _graphviz_layouts(diagrams, out_dir, font),
                                         strict=True):
        if isinstance(laid_out, GraphvizError):
            message = f"Graphviz could not lay out this diagram: {laid_out.message}"
            failures.append(Problem(diagram.path, 1, 1, message))
            continue
        native = _native(diagram, area, laid_out)
        found[diagram.name] = native
        if native.smallest_points < MIN_LABEL_POINTS - 0.05:
            warnings.append(_small_text_warning(diagram, native.smallest_points))
    if failures:
        raise DeckError(failures)
    return found, warnings


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
    return {"key": diagram_key(diagram.spec, font), "area": [area.width, area.height]}


def _layout_file(diagram: DiagramFile, out_dir: Path) -> Path:
    return out_dir / CACHE_DIR / f"{diagram.name}.layout.json"


def _kept_layout(diagram: DiagramFile, area: g.Box, out_dir: Path,
                 font: str) -> dict[str, Any] | None:
    cached = read_json_object(_layout_file(diagram, out_dir))
    stamp = _stamp(diagram, area, font)
    if cached is None or {k: cached.get(k) for k in stamp} != stamp:
        return None
    return cached


def _laid_out(diagram: DiagramFile, area: g.Box, out_dir: Path,
              font: str) -> dict[str, Any] | GraphvizError:
    """Lay the diagram out with Graphviz and keep the layout; the error if Graphviz failed."""
    try:
        graphviz, text_scale = _fitted_layout(diagram, area, font)
    except GraphvizError as error:
        return error
    laid_out = {**_stamp(diagram, area, font), "text_scale": text_scale, "graphviz": graphviz}
    text = json.dumps(laid_out, ensure_ascii=False, sort_keys=True)
    write_atomically(_layout_file(diagram, out_dir), text.encode("utf-8"))
    return laid_out


def _native(diagram: DiagramFile, area: g.Box, laid_out: dict[str, Any]) -> NativeDiagram:
    layout = parse_layout(laid_out["graphviz"], diagram.spec.edges, laid_out["text_scale"])
    icons = {node_id: icon_image(node.icon) for node_id, node in diagram.spec.nodes.items()}
    smallest = layout.smallest_text() * fit_scale(layout, area)
    return NativeDiagram(diagram.name, layout, icons, smallest)


def _small_text_warning(diagram: DiagramFile, reached: float) -> Problem:
    return Problem(
        diagram.path, 1, 1,
        f"the diagram's labels are {reached:.1f} pt on the slide, under {MIN_LABEL_POINTS:g} pt",
        "use fewer nodes or shorter labels, or `direction` to fit the slide's shape",
        severity="warning",
    )


def _fitted_layout(diagram: DiagramFile, area: g.Box, font: str) -> tuple[dict[str, Any], float]:
    """Give Graphviz's layout with text as large as needed to show at 14 pt, and its scale."""
    text_scale = 1.0
    for attempt in range(1, ATTEMPTS + 1):
        data: dict[str, Any] = json.loads(
            layout_json(diagram.spec, font=font, text_scale=text_scale)
        )
        layout = parse_layout(data, diagram.spec.edges, text_scale)
        reached = layout.smallest_text() * fit_scale(layout, area)
        if reached >= MIN_LABEL_POINTS or text_scale >= MAX_TEXT_SCALE or attempt == ATTEMPTS:
            return data, text_scale
        # larger text widens the layout too, so aim a little above the floor
        text_scale = min(MAX_TEXT_SCALE, text_scale * MIN_LABEL_POINTS / reached * 1.04)
    raise AssertionError("unreachable: the last attempt returns")
