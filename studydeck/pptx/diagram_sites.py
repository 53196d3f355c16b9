"""Where a native diagram's lines may meet its nodes: the connection sites of their shapes.

A node is its icon and its label; each is a rectangle whose four connection sites (OOXML
numbers them top, left, bottom, right) a glued connector ends on. The sites between icon and
label (the icon's bottom, the label's top) are left out: a line there would run through one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from studydeck.diagrams.elbows import Port
from studydeck.diagrams.labels import path_crosses
from studydeck.layout import geometry as g

TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3  # connection sites of a rectangle, as OOXML numbers them


@dataclass(frozen=True)
class NodePart:
    """One shape of a node: its icon picture or its label's text box, and where it goes."""

    kind: Literal["icon", "label"]
    box: g.Box


@dataclass(frozen=True)
class Site:
    """A connection site: the node, which of its parts, the site's number and where it is."""

    node: str
    part: int  # index into the node's parts
    index: int
    x: int
    y: int
    detour: int = 0  # EMU added to its distance when choosing sites: it is a worse place


def glue_sites(tail: list[Site], head: list[Site], start: tuple[int, int],
                end: tuple[int, int], used: set[frozenset[tuple[str, int, int]]],
                obstacles: list[g.Box]) -> tuple[Site, Site] | None:
    """Give the sites of the tail's and head's shapes nearest where Graphviz's route starts
    and ends whose straight line crosses no other node or cluster label, among pairs no
    other edge joins; None when every such line crosses something."""
    pairs = sorted(((a, b) for a in tail for b in head),
                   key=lambda pair: site_cost(pair[0], start) + site_cost(pair[1], end))
    chosen = next((pair for pair in pairs if joined(pair) not in used
                   and not _crosses_any(pair, obstacles)), None)
    if chosen is not None:
        used.add(joined(chosen))
    return chosen


def _crosses_any(pair: tuple[Site, Site], obstacles: list[g.Box]) -> bool:
    line = ((pair[0].x, pair[0].y), (pair[1].x, pair[1].y))
    return any(path_crosses(line, box) for box in obstacles)


def joined(pair: tuple[Site, Site]) -> frozenset[tuple[str, int, int]]:
    return frozenset((site.node, site.part, site.index) for site in pair)


def node_sites(node_id: str, parts: tuple[NodePart, ...]) -> list[Site]:
    """Give the connection sites a node's edges may use: where a line leaving them runs
    through neither the icon nor the label (an icon's bottom and a label's top lie between)."""
    if len(parts) < 2:
        return [site for index, part in enumerate(parts) for site in _sites(node_id, index, part)]
    icon, label = parts
    # edges meet the icon rather than the text where they can: a label's side counts as
    # half an icon farther
    detour = icon.box.height // 2
    return ([site for site in _sites(node_id, 0, icon) if site.index != BOTTOM]
            + [replace(site, detour=detour if site.index in (LEFT, RIGHT) else 0)
               for site in _sites(node_id, 1, label) if site.index != TOP])


_OUT = {TOP: (0, -1), LEFT: (-1, 0), BOTTOM: (0, 1), RIGHT: (1, 0)}


def port(site: Site) -> Port:
    """Give where a line meets `site` and the way out of its side."""
    return Port(site.x, site.y, _OUT[site.index])


def site_cost(site: Site, point: tuple[int, int]) -> float:
    """Give how far `site` is from where Graphviz's route touches the node, detour included."""
    return math.hypot(site.x - point[0], site.y - point[1]) + site.detour


def _sites(node_id: str, index: int, part: NodePart) -> list[Site]:
    left, top, width, height = part.box.left, part.box.top, part.box.width, part.box.height
    return [
        Site(node_id, index, TOP, left + width // 2, top),
        Site(node_id, index, LEFT, left, top + height // 2),
        Site(node_id, index, BOTTOM, left + width // 2, top + height),
        Site(node_id, index, RIGHT, left + width, top + height // 2),
    ]
