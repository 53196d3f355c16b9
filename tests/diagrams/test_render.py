"""Icon lookup and drawing one diagram: what the pictures look like and how Graphviz is driven."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

import studydeck.diagrams.render as render
from studydeck.diagrams.icons import UnknownIcon, icon_class, suggest_icons
from studydeck.diagrams.render import GraphvizError, render_diagram
from studydeck.errors import ToolMissingError
from studydeck.schema.models import DiagramSpec

FONT = "Noto Sans CJK KR"


def make_spec(**changes: Any) -> DiagramSpec:
    data: dict[str, Any] = {
        "direction": "LR",
        "nodes": {
            "users": {"icon": "onprem.client.Users", "label": "사용자"},
            "dns": {"icon": "aws.network.Route53", "label": "Route 53"},
            "alb": {"icon": "aws.network.ElbApplicationLoadBalancer", "label": "ALB"},
            "web-a": {"icon": "aws.compute.EC2", "label": "웹 서버 A"},
            "web-c": {"icon": "aws.compute.EC2", "label": "웹 서버 C"},
        },
        "groups": [
            {
                "label": "VPC",
                "nodes": ["alb"],
                "groups": [
                    {"label": "가용 영역", "nodes": ["web-a"]},
                    {"label": "가용 영역", "nodes": ["web-c"]},
                ],
            }
        ],
        "edges": [
            {"from": "users", "to": "dns", "label": "이름 질의"},
            {"from": "users", "to": "alb", "label": "HTTPS 요청", "id": "request"},
            {"from": "alb", "to": "web-a", "label": "전달"},
            {"from": "alb", "to": "web-c", "style": "dashed"},
        ],
        "steps": [
            {"edges": ["users->dns"], "nodes": ["dns"], "caption": "이름을 IP로 바꾼다"},
            {"edges": ["request"], "nodes": ["alb"], "caption": "요청을 보낸다"},
            {"edges": ["alb->web-a"], "caption": "나눠 준다"},
        ],
    }
    data.update(changes)
    return DiagramSpec.model_validate(data)


class DotSpy:
    """Records the dot source and the layout (`-Tplain`) of every picture Graphviz draws."""

    def __init__(self, run_dot: Callable[[Any], bytes]) -> None:
        self.run_dot = run_dot
        self.sources: list[str] = []
        self.layouts: list[str] = []

    def __call__(self, graph: Any) -> bytes:
        self.sources.append(graph.source)
        self.layouts.append(graph.pipe(format="plain", encoding="utf-8"))
        return self.run_dot(graph)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[DotSpy]:
    recorder = DotSpy(render._run_dot)
    monkeypatch.setattr(render, "_run_dot", recorder)
    yield recorder


@pytest.fixture
def failing_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Put a `dot` on PATH that fails the way Graphviz does on a bad graph."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    message = "Error: <stdin>: syntax error in line 3 near '->'"
    fake = folder / "dot"
    fake.write_text(f'#!/bin/sh\n{shutil.which("cat")} >/dev/null\necho "{message}" >&2\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return message


# --- icons ------------------------------------------------------------------------------------


def test_icon_class_gives_the_class_of_the_diagrams_package() -> None:
    route53 = icon_class("aws.network.Route53")
    assert (route53.__module__, route53.__name__) == ("diagrams.aws.network", "Route53")
    assert icon_class("aws.network.ELB").__name__ == "ElasticLoadBalancing"


@pytest.mark.parametrize(
    ("misspelt", "meant"),
    [
        ("aws.network.Route35", "aws.network.Route53"),
        ("aws.compute.Ec2", "aws.compute.EC2"),
        ("aws.netwrok.Route53", "aws.network.Route53"),
    ],
)
def test_a_misspelt_icon_is_unknown_and_gets_the_right_suggestion(
    misspelt: str, meant: str
) -> None:
    with pytest.raises(UnknownIcon) as raised:
        icon_class(misspelt)
    assert isinstance(raised.value, LookupError)
    assert raised.value.path == misspelt
    assert raised.value.suggestions[0] == meant
    assert suggest_icons(misspelt)[0] == meant


def test_suggestions_include_aliases_and_respect_the_limit() -> None:
    assert "aws.network.ELB" in suggest_icons("aws.network.ELb", limit=5)
    assert len(suggest_icons("aws.network.Route35", limit=2)) <= 2


@pytest.mark.parametrize(
    "path",
    [
        "os.path.join",
        "aws.network",
        "aws.network.Route53.extra",
        "aws..Route53",
        "aws.network.__class__",
        "aws.__init__.Route53",
        "aws.network._Network",
        "aws.network.Node",
        "aws.network.Route 53",
    ],
)
def test_paths_that_are_not_icon_classes_are_refused(path: str) -> None:
    with pytest.raises(UnknownIcon):
        icon_class(path)


# --- pictures ---------------------------------------------------------------------------------


def test_render_writes_a_png_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    target = tmp_path / "out" / "dns.png"
    render_diagram(make_spec(), target)
    with Image.open(target) as image:
        assert image.format == "PNG"
        assert image.width > 600 and image.height > 300
    assert sorted(p.name for p in target.parent.iterdir()) == ["dns.png"]
    assert list(work.iterdir()) == []


def test_step_pictures_match_the_base_in_size_and_layout_but_not_in_colour(
    tmp_path: Path, spy: DotSpy
) -> None:
    spec = make_spec()
    render_diagram(spec, tmp_path / "base.png")
    for step in range(len(spec.steps)):
        render_diagram(spec, tmp_path / f"step-{step}.png", step=step)
    with Image.open(tmp_path / "base.png") as base:
        for step in range(len(spec.steps)):
            with Image.open(tmp_path / f"step-{step}.png") as picture:
                assert picture.size == base.size
                assert ImageChops.difference(picture.convert("RGB"), base.convert("RGB")).getbbox()
    assert len({_geometry(layout) for layout in spy.layouts}) == 1


def test_the_same_spec_gives_the_same_bytes(tmp_path: Path) -> None:
    for step in (None, 1):
        render_diagram(make_spec(), tmp_path / "first.png", step=step)
        render_diagram(make_spec(), tmp_path / "second.png", step=step)
        assert (tmp_path / "first.png").read_bytes() == (tmp_path / "second.png").read_bytes()


def test_the_font_is_set_on_graph_nodes_edges_and_clusters(tmp_path: Path, spy: DotSpy) -> None:
    render_diagram(make_spec(), tmp_path / "d.png", font=FONT)
    source = spy.sources[0]
    font = f'fontname="{FONT}"'
    for head in ("graph", "node", "edge"):
        assert re.search(rf"^\t{head} \[[^\n]*{font}", source, re.MULTILINE), head
    cluster_attrs = re.findall(r"subgraph cluster_\d+ \{\n\t*graph \[([^\n]*)\]", source)
    assert len(cluster_attrs) == 3 and all(font in attrs for attrs in cluster_attrs)
    edge_lines = [line for line in source.splitlines() if " -> " in line]
    assert len(edge_lines) == 4 and all(font in line for line in edge_lines)
    assert "사용자" in source


def test_nodes_keep_their_ids_and_clusters_get_unique_names(tmp_path: Path, spy: DotSpy) -> None:
    render_diagram(make_spec(), tmp_path / "d.png")
    source = spy.sources[0]
    assert re.findall(r"subgraph (cluster_\w+)", source) == ["cluster_1", "cluster_2", "cluster_3"]
    assert "users -> dns" in source and 'alb -> "web-a"' in source
    placed = {
        line.split()[1].strip('"')
        for line in spy.layouts[0].splitlines()
        if line.startswith("node ")
    }
    assert placed == {"users", "dns", "alb", "web-a", "web-c"}


def test_steps_are_numbered_in_every_picture_and_the_step_is_stressed(
    tmp_path: Path, spy: DotSpy
) -> None:
    render_diagram(make_spec(), tmp_path / "base.png")
    render_diagram(make_spec(), tmp_path / "step.png", step=1)
    base, step = spy.sources
    for source in (base, step):
        assert "① 이름 질의" in source and "② HTTPS 요청" in source and "③ 전달" in source
    request = next(line for line in step.splitlines() if "users -> alb" in line)
    assert 'color="#E97132"' in request and "penwidth=3.5" in request
    alb = next(line for line in step.splitlines() if line.strip().startswith("alb ["))
    assert 'color="#E97132"' in alb
    assert "#E97132" not in base


def test_an_edge_numbered_by_its_author_gets_no_second_number(tmp_path: Path, spy: DotSpy) -> None:
    edges = [{"from": "users", "to": "dns", "label": "① 이름 질의"}]
    spec = make_spec(edges=edges, steps=[{"edges": ["users->dns"], "caption": "묻는다"}])
    render_diagram(spec, tmp_path / "d.png")
    assert "<B>① 이름 질의</B>" in spy.sources[0]


def test_direction_title_and_dashed_edges_reach_graphviz(tmp_path: Path, spy: DotSpy) -> None:
    render_diagram(make_spec(direction="TB", title="요청의 흐름"), tmp_path / "titled.png")
    render_diagram(make_spec(), tmp_path / "untitled.png")
    titled, untitled = spy.sources
    assert "rankdir=TB" in titled and "label=<요청의 흐름>" in titled
    assert 'label=""' in untitled and "rankdir=LR" in untitled
    dashed = next(line for line in untitled.splitlines() if 'alb -> "web-c"' in line)
    assert "style=dashed" in dashed


def test_labels_are_drawn_as_written(tmp_path: Path, spy: DotSpy) -> None:
    nodes = {"a": {"icon": "onprem.client.Users", "label": r"<b>R&D \N"}}
    render_diagram(DiagramSpec.model_validate({"nodes": nodes}), tmp_path / "d.png")
    assert r"&lt;b&gt;R&amp;D \N" in spy.sources[0]


def test_rendering_leaves_no_diagrams_context_behind(tmp_path: Path) -> None:
    import diagrams

    render_diagram(make_spec(), tmp_path / "d.png", step=0)
    assert diagrams.getdiagram() is None
    assert diagrams.getcluster() is None


def test_a_step_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexError):
        render_diagram(make_spec(), tmp_path / "d.png", step=3)


def test_a_graphviz_failure_carries_its_message(tmp_path: Path, failing_dot: str) -> None:
    with pytest.raises(GraphvizError) as raised:
        render_diagram(make_spec(), tmp_path / "d.png")
    assert raised.value.message == failing_dot
    assert list(tmp_path.glob("*.png")) == [] and list(tmp_path.glob(".d.png*")) == []


def test_missing_graphviz_is_reported_as_a_missing_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError) as raised:
        render_diagram(make_spec(), tmp_path / "d.png")
    assert raised.value.package == "graphviz"


def _geometry(layout: str) -> str:
    """Give the positions and sizes in a `-Tplain` layout, without colours and styles."""
    kept = []
    for line in layout.splitlines():
        fields = line.split()
        if fields[0] == "node":
            kept.append(" ".join(fields[:6]))
        elif fields[0] == "edge":
            kept.append(" ".join(fields[: 4 + 2 * int(fields[3])]))
        else:
            kept.append(line)
    return "\n".join(kept)
