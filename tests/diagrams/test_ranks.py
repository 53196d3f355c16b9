"""Ranks: nodes side by side at one level, what Graphviz is given, how mistakes are told."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

import studydeck.diagrams.render as render
from studydeck.diagrams.render import render_diagram
from studydeck.schema.models import DiagramSpec

ICON = "aws.compute.EC2"


def chain_spec(direction: str = "LR", **changes: Any) -> DiagramSpec:
    """A chain a → b → c → d → e → f, folded into two rows of three (a snake) by its ranks."""
    ids = ["a", "b", "c", "d", "e", "f"]
    data: dict[str, Any] = {
        "direction": direction,
        "nodes": {node: {"icon": ICON, "label": node.upper()} for node in ids},
        "edges": [
            {"from": tail, "to": head, "label": f"{tail}{head}"}
            for tail, head in itertools.pairwise(ids)
        ],
        "steps": [{"edges": ["c->d"], "caption": "꺾어 내려간다"}],
        "ranks": [["a", "f"], ["b", "e"], ["c", "d"]],
    }
    data.update(changes)
    return DiagramSpec.model_validate(data)


class Layouts:
    """Records the dot source and the JSON layout of every picture Graphviz draws."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.layouts: list[dict[str, Any]] = []

    def centre(self, node: str, picture: int = 0) -> tuple[float, float]:
        found = next(o for o in self.layouts[picture]["objects"] if o.get("name") == node)
        x, y = found["pos"].split(",")
        return float(x), float(y)

    def cluster_box(self, label: str, picture: int = 0) -> tuple[float, ...]:
        found = next(o for o in self.layouts[picture]["objects"] if o.get("label") == label)
        return tuple(float(v) for v in found["bb"].split(","))


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Layouts]:
    recorder = Layouts()
    run_dot = render._run_dot

    def recording(graph: Any) -> bytes:
        recorder.sources.append(graph.source)
        recorder.layouts.append(json.loads(graph.pipe(format="json", encoding="utf-8", quiet=True)))
        return run_dot(graph)

    monkeypatch.setattr(render, "_run_dot", recording)
    yield recorder


def _rank_subgraphs(source: str) -> list[set[str]]:
    """Give the node sets of the `{ rank=same ... }` subgraphs in a dot source."""
    blocks = re.findall(r"\{\s*rank=same\s*([^{}]*)\}", source)
    return [{name.strip('"') for name in block.split()} for block in blocks]


# --- what Graphviz is given ---------------------------------------------------------------------


def test_each_rank_becomes_a_rank_same_subgraph(tmp_path: Path, drawn: Layouts) -> None:
    render_diagram(chain_spec(), tmp_path / "d.png")
    source = drawn.sources[0]
    assert _rank_subgraphs(source) == [{"a", "f"}, {"b", "e"}, {"c", "d"}]
    assert "newrank=true" in source


def test_a_diagram_without_ranks_gets_no_rank_subgraph(tmp_path: Path, drawn: Layouts) -> None:
    render_diagram(chain_spec(ranks=[]), tmp_path / "d.png")
    assert _rank_subgraphs(drawn.sources[0]) == []
    assert "newrank" not in drawn.sources[0]


# --- what the picture looks like ------------------------------------------------------------


def test_lr_ranks_fold_a_chain_into_a_snake(tmp_path: Path, drawn: Layouts) -> None:
    render_diagram(chain_spec("LR"), tmp_path / "d.png")
    (ax, ay), (fx, fy) = drawn.centre("a"), drawn.centre("f")
    (cx, cy), (dx, dy) = drawn.centre("c"), drawn.centre("d")
    assert ax == fx and cx == dx  # one column each
    assert ay == drawn.centre("b")[1] == cy  # the top row runs a, b, c
    assert fy == drawn.centre("e")[1] == dy < cy  # and the bottom row comes back below it
    assert ax < cx


def test_tb_ranks_are_rows(tmp_path: Path, drawn: Layouts) -> None:
    spec = chain_spec("TB", ranks=[["a", "b", "c"], ["d", "e", "f"]])
    render_diagram(spec, tmp_path / "d.png")
    rows = {node: drawn.centre(node)[1] for node in "abcdef"}
    assert rows["a"] == rows["b"] == rows["c"] > rows["d"] == rows["e"] == rows["f"]


def test_a_rank_lines_up_nodes_of_different_groups_and_keeps_the_groups(
    tmp_path: Path, drawn: Layouts
) -> None:
    groups = [{"label": "왼쪽", "nodes": ["a", "b"]}, {"label": "오른쪽", "nodes": ["e", "f"]}]
    render_diagram(chain_spec(groups=groups), tmp_path / "d.png")
    assert drawn.centre("a")[0] == drawn.centre("f")[0]
    for label, members in (("왼쪽", "ab"), ("오른쪽", "ef")):
        left, bottom, right, top = drawn.cluster_box(label)
        for node in members:
            x, y = drawn.centre(node)
            assert left < x < right and bottom < y < top, (label, node)


def test_in_lr_an_edge_within_a_rank_has_its_label_beside_it(
    tmp_path: Path, drawn: Layouts
) -> None:
    render_diagram(chain_spec("LR"), tmp_path / "lr.png")
    render_diagram(chain_spec("TB", ranks=[["a", "b", "c"]]), tmp_path / "tb.png")
    lr, tb = drawn.sources
    turn = next(line for line in lr.splitlines() if "c -> d" in line)
    assert "xlabel=" in turn and "① cd" in turn and not re.search(r"[\[ ]label=", turn)
    straight = next(line for line in lr.splitlines() if "a -> b" in line)
    assert re.search(r"[\[ ]label=", straight) and "xlabel" not in straight
    assert "xlabel" not in tb  # in TB dot gives such a label its own room


def test_step_pictures_of_a_ranked_diagram_keep_its_layout(
    tmp_path: Path, drawn: Layouts
) -> None:
    spec = chain_spec()
    render_diagram(spec, tmp_path / "base.png")
    render_diagram(spec, tmp_path / "step.png", step=0)
    for node in "abcdef":
        assert drawn.centre(node, 0) == drawn.centre(node, 1)


# --- validation -----------------------------------------------------------------------------

FLOW_WITH_RANKS = """\
direction: LR
nodes:
  users: {icon: onprem.client.Users, label: 사용자}
  dns: {icon: aws.network.Route53, label: Route 53}
  alb: {icon: aws.network.ElbApplicationLoadBalancer, label: 로드 밸런서}
  web: {icon: aws.compute.EC2, label: 웹 서버}
edges:
  - {from: users, to: dns}
  - {from: users, to: alb, id: request}
  - {from: alb, to: web}
steps:
  - {edges: [users->dns], caption: 이름을 IP로 바꾼다}
  - {edges: [request], caption: 그 IP로 요청한다}
  - {edges: [alb->web], caption: 웹 서버가 응답한다}
ranks:
  - [users, dns]
  - [alv, web]
  - [web, alb]
"""


def test_ranks_that_name_no_node_or_repeat_one_are_reported_with_their_place(
    mini_copy: Path,
) -> None:
    (mini_copy / "diagrams" / "flow.yaml").write_text(FLOW_WITH_RANKS, encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    unknown = next(n for n, line in enumerate(lines) if "rank lists unknown node" in line)
    assert lines[unknown].endswith("diagrams/flow.yaml:17:6: error: rank lists unknown node 'alv'")
    assert lines[unknown + 1].strip() == "hint: did you mean 'alb'?"
    assert "diagrams/flow.yaml:18:6: error: node 'web' is in more than one rank" in result.stderr
    assert "Traceback" not in result.output


def test_a_rank_of_one_node_is_refused(mini_copy: Path) -> None:
    flow = FLOW_WITH_RANKS.replace("  - [alv, web]\n  - [web, alb]\n", "  - [web]\n")
    (mini_copy / "diagrams" / "flow.yaml").write_text(flow, encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert re.search(r"diagrams/flow\.yaml:17:\d+: error: .*at least 2", result.stderr)


def test_a_project_with_valid_ranks_validates(mini_copy: Path) -> None:
    flow = FLOW_WITH_RANKS.replace("  - [alv, web]\n  - [web, alb]\n", "  - [alb, web]\n")
    (mini_copy / "diagrams" / "flow.yaml").write_text(flow, encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0, result.output
