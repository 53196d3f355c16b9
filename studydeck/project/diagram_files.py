"""Whether a diagram file holds together: known icons, and edges, groups, ranks and steps that
name nodes (and edges) the file has.

Part of validating the project, like a chapter naming a file that exists: a diagram that does
not hold together is left out of the project (a slide showing it is an error, an unused one only
warns), so this runs while loading, with the other problems of the files.
"""

from __future__ import annotations

from collections.abc import Iterator

from studydeck.diagrams.icons import UnknownIcon, check_icon
from studydeck.errors import Problem
from studydeck.schema.explain import suggest
from studydeck.schema.models import DiagramSpec, Edge, Group
from studydeck.source.yaml_reader import SourceFile

MAX_NODES = 300  # documented in docs/format.md: a diagram beyond these is refused
MAX_EDGES = 600


def diagram_problems(source: SourceFile, spec: DiagramSpec) -> list[Problem]:
    """Give the problems of one diagram file, each at its place in the YAML."""
    problems: list[Problem] = []

    def at(location: tuple[str | int, ...], message: str, hint: str = "") -> None:
        problems.append(Problem(source.path, *source.position(location), message, hint))

    for part, count, most in (("nodes", len(spec.nodes), MAX_NODES),
                              ("edges", len(spec.edges), MAX_EDGES)):
        if count > most:  # Graphviz takes minutes on thousands; a slide shows a few dozen
            at((part,), f"the diagram has {count} {part}; at most {most} are drawn",
               "split it into several diagrams, one idea each")
    if problems:
        return problems
    node_ids = sorted(spec.nodes)
    for node_id, node in spec.nodes.items():
        try:
            check_icon(node.icon)
        except UnknownIcon as err:
            hint = f"did you mean '{err.suggestions[0]}'?" if err.suggestions else (
                "write the class path below diagrams., e.g. aws.network.Route53")
            at(("nodes", node_id, "icon"), f"unknown icon '{node.icon}'", hint)
    for index, edge in enumerate(spec.edges):
        for end, node_id in (("from", edge.source), ("to", edge.target)):
            if node_id not in spec.nodes:
                at(("edges", index, end), f"edge {end} unknown node '{node_id}'",
                   suggest(node_id, node_ids))
    for location, node_id in _group_members(spec.groups, ("groups",)):
        if node_id not in spec.nodes:
            at(location, f"group lists unknown node '{node_id}'", suggest(node_id, node_ids))
    problems.extend(_check_group_membership(source, spec))
    problems.extend(_check_ranks(source, spec))
    edge_keys = spec.edge_keys()
    for index, step in enumerate(spec.steps):
        for position, key in enumerate(step.edges):
            if key not in edge_keys:
                at(("steps", index, "edges", position), f"step names unknown edge '{key}'",
                   _edge_hint(key, spec.edges))
        for position, node_id in enumerate(step.nodes):
            if node_id not in spec.nodes:
                at(("steps", index, "nodes", position), f"step names unknown node '{node_id}'",
                   suggest(node_id, node_ids))
    return problems


def _edge_hint(key: str, edges: list[Edge]) -> str:
    """Give the hint for a step's unknown edge: the id of the edge it means by from->to, a
    close name, and the names the diagram's edges go by (`pool: bouncer->primary`)."""
    named = [f"{edge.id}: {edge.source}->{edge.target}" if edge.id else edge.key
             for edge in edges]
    listed = f"the edges are: {', '.join(named)}" if named else "the diagram has no edges"
    meant = next((edge for edge in edges if edge.id and f"{edge.source}->{edge.target}" == key),
                 None)
    if meant is not None:
        return f"that edge has an id, and a step names it by it: '{meant.id}' ({listed})"
    close = suggest(key, [edge.key for edge in edges])
    return f"{close} ({listed})" if close else f"name an edge by its id, or as from->to; {listed}"


def _group_members(
    groups: list[Group], location: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for index, group in enumerate(groups):
        for position, node_id in enumerate(group.nodes):
            yield (*location, index, "nodes", position), node_id
        yield from _group_members(group.groups, (*location, index, "groups"))


def _check_ranks(source: SourceFile, spec: DiagramSpec) -> Iterator[Problem]:
    """Give a problem for each rank entry that is not a node or is already in a rank."""
    node_ids = sorted(spec.nodes)
    first_rank: dict[str, int] = {}
    for index, rank in enumerate(spec.ranks):
        for position, node_id in enumerate(rank):
            place = source.position(("ranks", index, position))
            if node_id not in spec.nodes:
                yield Problem(source.path, *place, f"rank lists unknown node '{node_id}'",
                              suggest(node_id, node_ids))
            elif node_id in first_rank:
                where = "twice in one rank" if first_rank[node_id] == index else (
                    "in more than one rank")
                yield Problem(source.path, *place, f"node '{node_id}' is {where}",
                              "a node sits at one level: list it in one rank only")
            else:
                first_rank[node_id] = index


def _check_group_membership(source: SourceFile, spec: DiagramSpec) -> Iterator[Problem]:
    seen: set[str] = set()
    for location, node_id in _group_members(spec.groups, ("groups",)):
        if node_id in seen:
            yield Problem(source.path, *source.position(location),
                          f"node '{node_id}' is in more than one group",
                          "a node belongs to one group; nest groups instead")
        seen.add(node_id)
