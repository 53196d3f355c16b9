"""DiagramSpec → PNG: the one adapter around the diagrams package and Graphviz."""

from __future__ import annotations

import contextvars
import html
import importlib
import importlib.util
import itertools
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageEnhance

from studydeck.diagrams.icons import icon_class
from studydeck.diagrams.style import (
    ACCENT,
    BASE_EDGE,
    CIRCLED,
    CLUSTER_ATTR,
    EDGE_ATTR,
    EDGE_COLUMNS,
    EDGE_LABEL_MARGIN,
    FADED_EDGE,
    FADED_ICON_ALPHA,
    FADED_ICON_COLOUR,
    FADED_INK,
    GRAPH_ATTR,
    ICON_POINTS,
    INK,
    NO_BORDER,
    NODE_ATTR,
    NODE_COLUMNS,
    RANKED,
    SPACING,
    STRESSED_EDGE,
)
from studydeck.errors import ToolMissingError
from studydeck.schema.models import DiagramSpec, Edge, Group
from studydeck.source.files import write_atomically

# Bump when a change here or in style.py changes the pictures, so they are drawn again.
RENDERER_REVISION = "3"
DOT_SECONDS = 30  # a slide's diagram takes Graphviz well under a second (docs/format.md)


def _diagrams_version() -> str:
    """Give the installed diagrams package's version, from its dist-info folder's name."""
    # importlib.metadata.version() scans every path entry: 40 ms of every warm build
    spec = importlib.util.find_spec("diagrams")
    if spec is not None and spec.origin is not None:
        site = Path(spec.origin).parent.parent
        for found in site.glob("diagrams-*.dist-info"):
            return found.name.removeprefix("diagrams-").removesuffix(".dist-info")
    from importlib.metadata import version  # 20 ms: keeps every `build` fast (a rare fallback)

    return version("diagrams")


RENDERER_VERSION = f"studydeck-{RENDERER_REVISION}+diagrams-{_diagrams_version()}"

class GraphvizError(Exception):
    """Raised when Graphviz fails to draw a diagram; carries Graphviz's own message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Emphasis:
    """What one walkthrough picture stresses: the step's edges and nodes."""

    edges: frozenset[str]
    nodes: frozenset[str]
    involved: frozenset[str]  # drawn in full colour: the stressed nodes and the edges' ends


def render_diagram(
    spec: DiagramSpec, target: Path, *, font: str = "Noto Sans CJK KR", step: int | None = None,
    accent: str = ACCENT, graph_attr: dict[str, str] | None = None,
) -> None:
    """Draw `spec` as a PNG at `target`: the base picture, or walkthrough step `step` (0-based)
    with its edges and nodes stressed in `accent` (the deck's, as #RRGGBB), laid out with
    `graph_attr` (spacing, ratio, direction: its area's, as the native layout) if given."""
    require_graphviz()
    with tempfile.TemporaryDirectory(prefix="studydeck-icons-") as faded_icons:
        graph = contextvars.copy_context().run(_build_graph, spec, font, step, Path(faded_icons),
                                               graph_attr=graph_attr, accent=accent)
        write_atomically(target, _run_dot(graph))


def layout_json(spec: DiagramSpec, *, font: str = "Noto Sans CJK KR", text_scale: float = 1.0,
                graph_attr: dict[str, str] | None = None,
                edge_fontsize: str | None = None) -> bytes:
    """Give Graphviz's layout (`dot -Tjson`) of the base picture, its text sizes times `text_scale`
    and the graph attributes `graph_attr` (spacing, ratio, direction) set over the picture's,
    its edge labels at `edge_fontsize` if given.

    Without them the graph is the one `render_diagram` draws, so a native drawing of this
    layout puts everything where the picture has it.
    """
    require_graphviz()
    with tempfile.TemporaryDirectory(prefix="studydeck-icons-") as faded_icons:
        graph = contextvars.copy_context().run(
            _build_graph, spec, font, None, Path(faded_icons), text_scale, graph_attr or {},
            edge_fontsize
        )
        return _run_dot(graph, "json")




def require_graphviz() -> None:
    """Raise ToolMissingError when Graphviz's `dot` is not on PATH."""
    if shutil.which("dot") is None:
        raise ToolMissingError("Graphviz (dot)", "graphviz")


def step_emphasis(spec: DiagramSpec, step: int | None) -> Emphasis | None:
    """Give what walkthrough step `step` stresses, or None for the base picture."""
    if step is None:
        return None
    if not 0 <= step < len(spec.steps):
        raise IndexError(f"step {step} is not one of the {len(spec.steps)} steps")
    chosen = spec.steps[step]
    edges = frozenset(chosen.edges)
    ends = {end for e in spec.edges if e.key in edges for end in (e.source, e.target)}
    return Emphasis(edges, frozenset(chosen.nodes), frozenset(chosen.nodes) | ends)


# --- building the graph (runs in a copied context: diagrams' globals never leak) ----------


def _build_graph(spec: DiagramSpec, font: str, step: int | None, faded_icons: Path,
                 text_scale: float = 1.0, graph_attr: dict[str, str] | None = None,
                 edge_fontsize: str | None = None, accent: str = ACCENT) -> Any:
    """Give the graphviz.Digraph of one picture, built with the diagrams package."""
    diagrams = _diagrams()
    scaled = _TextSizes(text_scale)
    diagram = diagrams.Diagram(
        name="",
        direction=spec.direction,
        curvestyle="curved",
        show=False,
        graph_attr={
            **scaled(GRAPH_ATTR),
            **SPACING,
            **(RANKED if spec.ranks else {}),
            "fontname": font,
            "label": _html(spec.title),
            **(graph_attr or {}),
        },
        node_attr={**scaled(NODE_ATTR), "fontname": font},
        edge_attr={**scaled(EDGE_ATTR), "fontname": font},
    )
    diagrams.setdiagram(diagram)
    edge_size = edge_fontsize or scaled(EDGE_ATTR)["fontsize"]
    _Picture(spec, font, step_emphasis(spec, step), faded_icons, scaled, edge_size,
             accent).draw()
    return diagram.dot


@dataclass
class _Picture:
    """Draws one picture of a spec into the current diagrams context."""

    spec: DiagramSpec
    font: str
    emphasis: Emphasis | None
    faded_icons: Path
    scaled: _TextSizes
    edge_fontsize: str
    accent: str
    drawn: dict[str, Any] = field(default_factory=dict)
    cluster_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def draw(self) -> None:
        grouped = _grouped_node_ids(self.spec.groups)
        for node_id in self.spec.nodes:
            if node_id not in grouped:
                self.draw_node(node_id)
        self.draw_groups(self.spec.groups)
        self.draw_ranks()
        for edge in self.spec.edges:
            self.draw_edge(edge)

    def draw_groups(self, groups: list[Group]) -> None:
        """Draw each group as a cluster holding its nodes, then its own groups inside it."""
        for group in groups:
            label = _html(group.label)
            attrs = {**self.scaled(CLUSTER_ATTR), "fontname": self.font, "label": label}
            with _diagrams().Cluster(group.label, graph_attr=attrs) as cluster:
                # Graphviz names a cluster "cluster_" + label; labels repeat, numbers do not.
                cluster.dot.name = f"cluster_{next(self.cluster_numbers)}"
                for node_id in group.nodes:
                    if node_id in self.spec.nodes and node_id not in self.drawn:
                        self.draw_node(node_id)
                self.draw_groups(group.groups)

    def draw_ranks(self) -> None:
        """Line up each rank's nodes at one level, in the author's order, with a rank=same
        subgraph of the whole graph (dot puts an edge within a rank's tail before its head, so
        invisible edges between neighbours keep the order)."""
        graph = _diagrams().getdiagram().dot
        joined = {(edge.source, edge.target) for edge in self.spec.edges}
        for rank in self.spec.ranks:
            shown = [node_id for node_id in rank if node_id in self.drawn]
            with graph.subgraph() as same_level:
                same_level.attr(rank="same")
                for node_id in shown:
                    same_level.node(node_id)
            for before, after in zip(shown, shown[1:], strict=False):
                if (before, after) not in joined:
                    graph.edge(before, after, style="invis")

    def draw_node(self, node_id: str) -> None:
        """Draw one node: its icon above its label, in a border that only a step colours."""
        node = self.spec.nodes[node_id]
        cls = icon_class(node.icon)
        stressed = self.emphasis is not None and node_id in self.emphasis.nodes
        faded = self.emphasis is not None and node_id not in self.emphasis.involved
        # The icon goes into an HTML label so the node's box always fits icon and label.
        self.drawn[node_id] = cls(
            _node_label(self.icon_image(cls, faded=faded), node.label),
            nodeid=node_id,
            image="",
            shape="box",
            height="0",
            color=self.accent if stressed else NO_BORDER,
            fontcolor=FADED_INK if faded else INK,
        )

    def draw_edge(self, edge: Edge) -> None:
        """Draw one edge with its step numbers; only colours and pen differ between pictures."""
        numbers = [n for n, step in enumerate(self.spec.steps, start=1) if edge.key in step.edges]
        label = _edge_label(edge.label, numbers)
        # dot (2.43, rankdir=LR) draws the label of an edge within one rank across the edge;
        # an external label is placed beside it instead.
        beside = self.spec.direction == "LR" and _in_one_rank(self.spec, edge)
        line = _diagrams().Edge(
            self.drawn[edge.source],
            forward=True,
            label="" if beside else label,
            **({"xlabel": label} if beside else {}),
            style="dashed" if edge.style == "dashed" else "",
            # diagrams.Edge writes its own font onto every edge, over the graph's edge_attr.
            fontname=self.font,
            fontsize=self.edge_fontsize,
            **_edge_colours(edge.key, self.emphasis, self.accent),
        )
        self.drawn[edge.source].connect(self.drawn[edge.target], line)

    def icon_image(self, cls: type, *, faded: bool) -> str | None:
        """Give the image file of icon class `cls`, or a greyed copy of it when `faded`."""
        original = _icon_file(cls)
        if original is None or not faded:
            return original
        copy = self.faded_icons / f"{cls.__module__}.{cls.__qualname__}.png"
        if not copy.exists():
            _fade(Path(original), copy)
        return str(copy)


@dataclass(frozen=True)
class _TextSizes:
    """Scales the `fontsize` of Graphviz attributes; 1 leaves them as the pictures have them."""

    scale: float

    def __call__(self, attrs: dict[str, str]) -> dict[str, str]:
        if self.scale == 1 or "fontsize" not in attrs:
            return attrs
        return {**attrs, "fontsize": f"{float(attrs['fontsize']) * self.scale:.1f}"}


def _diagrams() -> Any:
    """Give the diagrams package, imported on first use to keep start-up fast."""
    return importlib.import_module("diagrams")


def _grouped_node_ids(groups: list[Group]) -> set[str]:
    return {node for g in groups for node in [*g.nodes, *_grouped_node_ids(g.groups)]}


def _in_one_rank(spec: DiagramSpec, edge: Edge) -> bool:
    return any(edge.source in rank and edge.target in rank for rank in spec.ranks)


def _icon_file(cls: type) -> str | None:
    """Give the icon image of a diagrams node class, found as diagrams' Node._load_icon does."""
    icon = getattr(cls, "_icon", None)
    icon_dir = getattr(cls, "_icon_dir", None)
    if not icon or not icon_dir:
        return None
    return str(Path(_diagrams().__file__).resolve().parent.parent / icon_dir / icon)


def _fade(source: Path, target: Path) -> None:
    """Write a paler, greyer copy of the icon `source` to `target`."""
    with Image.open(source) as opened:
        icon = opened.convert("RGBA")
    alpha = icon.getchannel("A").point(lambda a: int(a * FADED_ICON_ALPHA))
    grey = ImageEnhance.Color(icon.convert("RGB")).enhance(FADED_ICON_COLOUR)
    paler = Image.blend(grey, Image.new("RGB", grey.size, "white"), 0.35)
    paler.putalpha(alpha)
    paler.save(target)


def _edge_colours(key: str, emphasis: Emphasis | None, accent: str) -> dict[str, str]:
    if emphasis is None:
        return BASE_EDGE
    if key in emphasis.edges:
        return {**STRESSED_EDGE, "color": accent, "fontcolor": accent}
    return FADED_EDGE


# --- labels -----------------------------------------------------------------------------------


def _node_label(icon: str | None, text: str) -> str:
    rows = []
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
    if icon:
        rows.append(
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_POINTS}" HEIGHT="{ICON_POINTS}">'
            f'<IMG SRC="{html.escape(icon)}" SCALE="TRUE"/></TD></TR>'
        )
    if text or not rows:
        rows.append(f"<TR><TD>{_html_lines(_wrap(text, NODE_COLUMNS))}</TD></TR>")
    return f"<{table}{''.join(rows)}</TABLE>>"


def _edge_label(text: str, numbers: list[int]) -> str:
    """Give an edge's label: a step's edges show their step numbers, bold in every picture."""
    if not numbers:
        return _padded(_html_lines(text.splitlines())) if text else ""
    if not text.startswith(CIRCLED):  # else the author numbered it already
        text = f"{''.join(_circled(n) for n in numbers)} {text}".strip()
    return _padded(f"<B>{_html_lines(_wrap(text, EDGE_COLUMNS))}</B>")


def _padded(content: str) -> str:
    """Give an HTML-like label with a margin, so the edge it labels runs past it, not through."""
    cell = f'<TD CELLPADDING="{EDGE_LABEL_MARGIN}">{content}</TD>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0"><TR>{cell}</TR></TABLE>>'


def _circled(number: int) -> str:
    """Give ① … ⑳ for 1 … 20, and (21) beyond."""
    return CIRCLED[number - 1] if 1 <= number <= len(CIRCLED) else f"({number})"


def _html(text: str) -> str:
    """Give `text` as an HTML-like label, so Graphviz reads no escapes in it; "" stays ""."""
    return f"<{_html_lines(text.splitlines())}>" if text else ""


def _html_lines(lines: list[str]) -> str:
    return "<BR/>".join(html.escape(line, quote=False) for line in lines)


def _wrap(text: str, columns: int) -> list[str]:
    """Give `text` broken at spaces into lines of about `columns` columns."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and _columns(candidate) > columns:
                lines.append(current)
                candidate = word
            current = candidate
        lines.append(current)
    return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# --- running Graphviz and writing the file ---------------------------------------------------


def _run_dot(graph: Any, output_format: str = "png") -> bytes:
    """Give the bytes Graphviz writes for `graph` in `output_format` (png, json)."""
    import graphviz  # 20 ms: keeps a `build` fast whose pictures and layouts are all kept

    command = [graphviz.DOT_BINARY.name, f"-K{graph.engine}", f"-T{output_format}"]
    try:  # as graph.pipe runs it, but stopped after DOT_SECONDS (it has no time limit)
        done = subprocess.run(command, input=graph.source.encode(graph.encoding),
                              capture_output=True, timeout=DOT_SECONDS, check=True)
    except FileNotFoundError as error:
        raise ToolMissingError("Graphviz (dot)", "graphviz") from error
    except subprocess.TimeoutExpired as error:
        raise GraphvizError(f"Graphviz ran longer than {DOT_SECONDS} s and was stopped; draw"
                            " fewer nodes and edges") from error
    except subprocess.CalledProcessError as error:
        raise GraphvizError(_stderr_text(error)) from error
    data: bytes = done.stdout
    return data


def _stderr_text(error: subprocess.CalledProcessError) -> str:
    stderr = error.stderr or b""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr)
    return text.strip() or f"dot exited with status {error.returncode}"
