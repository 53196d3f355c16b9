"""The sample deck's diagrams as plain Graphviz sources, to time `dot` alone on the same pictures.

Each picture (a diagram's base picture and one per walkthrough step) is built exactly as the
renderer builds it, then written as a .dot file; the icons it names stay in `folder`.
"""

from __future__ import annotations

import contextvars
from pathlib import Path

from studydeck.diagrams import render
from studydeck.project.loading import load_project
from studydeck.source.folder import find_project

FONT = "Noto Sans CJK KR"


def write_sources(project: Path, folder: Path) -> list[Path]:
    """Write one .dot file per picture the deck's diagrams draw; give them in order."""
    loaded = load_project(find_project(project))
    icons = folder / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, diagram in sorted(loaded.diagrams.items()):
        for step in [None, *range(len(diagram.spec.steps))]:
            # the renderer's own graph builder (private): the pictures must be the same ones
            graph = contextvars.copy_context().run(
                render._build_graph, diagram.spec, FONT, step, icons)
            source = folder / f"{name}{'' if step is None else f'.step-{step + 1}'}.dot"
            source.write_text(graph.source, encoding="utf-8")
            sources.append(source)
    return sources


def dot_commands(sources: list[Path]) -> list[list[str | Path]]:
    """Give the `dot` command lines drawing each source to PNG, as the renderer runs dot."""
    return [["dot", "-Kdot", "-Tpng", "-o", source.with_suffix(".png"), source]
            for source in sources]
