"""The picture cache: what gets drawn again, where the files go, and how failures are told."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from studydeck.diagrams.cache import MANIFEST, DiagramImages, diagram_key, render_all
from studydeck.errors import DeckError, ToolMissingError
from studydeck.schema.models import DiagramFile, DiagramSpec
from studydeck.source.sealed import read_sealed_json

FONT = "Noto Sans CJK KR"


def make_diagram(name: str, label: str = "Route 53", steps: int = 2) -> DiagramFile:
    spec = DiagramSpec.model_validate(
        {
            "nodes": {
                "users": {"icon": "onprem.client.Users", "label": "사용자"},
                "dns": {"icon": "aws.network.Route53", "label": label},
                "web": {"icon": "aws.compute.EC2", "label": "웹 서버"},
            },
            "groups": [{"label": "VPC", "nodes": ["web"]}],
            "edges": [
                {"from": "users", "to": "dns", "label": "이름 질의"},
                {"from": "users", "to": "web", "label": "요청", "id": "request"},
            ],
            "steps": [
                {"edges": ["users->dns"], "caption": "이름을 묻는다"},
                {"edges": ["request"], "nodes": ["web"], "caption": "요청한다"},
            ][:steps],
        }
    )
    return DiagramFile(name=name, path=Path("diagrams") / f"{name}.yaml", spec=spec)


class Drawn:
    """Collects the names `render_all` reports as drawn."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, name: str) -> None:
        self.names.append(name)

    def take(self) -> list[str]:
        names, self.names = sorted(self.names), []
        return names


def draw(
    diagrams: list[DiagramFile], out: Path, drawn: Drawn, **options: Any
) -> dict[str, DiagramImages]:
    return render_all(diagrams, out, on_rendered=drawn, **options)


@pytest.fixture
def drawn() -> Drawn:
    return Drawn()


def test_pictures_are_written_with_a_manifest(tmp_path: Path, drawn: Drawn) -> None:
    images = draw([make_diagram("dns"), make_diagram("lb", steps=0)], tmp_path, drawn)
    assert drawn.take() == ["dns", "lb"]
    dns = images["dns"]
    assert dns == DiagramImages(
        "dns", tmp_path / "dns.png", [tmp_path / "dns.step-1.png", tmp_path / "dns.step-2.png"]
    )
    assert images["lb"].steps == []
    sizes = set()
    for path in [dns.base, *dns.steps]:
        with Image.open(path) as picture:
            sizes.add(picture.size)
    assert len(sizes) == 1
    manifest = read_sealed_json(tmp_path / ".cache" / "dns.json", MANIFEST)
    assert manifest is not None
    assert manifest["key"] == diagram_key(make_diagram("dns").spec, FONT)
    assert sorted(manifest["files"]) == ["dns.png", "dns.step-1.png", "dns.step-2.png"]


def test_a_second_run_draws_nothing(tmp_path: Path, drawn: Drawn) -> None:
    diagrams = [make_diagram("dns"), make_diagram("lb")]
    first = draw(diagrams, tmp_path, drawn)
    drawn.take()
    assert draw(diagrams, tmp_path, drawn) == first
    assert drawn.take() == []


def test_changing_a_label_draws_only_that_diagram(tmp_path: Path, drawn: Drawn) -> None:
    draw([make_diagram("dns"), make_diagram("lb")], tmp_path, drawn)
    drawn.take()
    before = (tmp_path / "lb.png").read_bytes()
    draw([make_diagram("dns"), make_diagram("lb", label="Route 53 Resolver")], tmp_path, drawn)
    assert drawn.take() == ["lb"]
    assert (tmp_path / "lb.png").read_bytes() != before


def test_a_corrupt_or_missing_picture_is_drawn_again(tmp_path: Path, drawn: Drawn) -> None:
    diagrams = [make_diagram("dns"), make_diagram("lb")]
    draw(diagrams, tmp_path, drawn)
    drawn.take()
    good = (tmp_path / "dns.step-1.png").read_bytes()
    (tmp_path / "dns.step-1.png").write_bytes(good[:100])
    (tmp_path / "lb.step-2.png").unlink()
    draw(diagrams, tmp_path, drawn)
    assert drawn.take() == ["dns", "lb"]
    assert (tmp_path / "dns.step-1.png").read_bytes() == good
    assert (tmp_path / "lb.step-2.png").is_file()


def test_a_damaged_manifest_means_drawing_again(tmp_path: Path, drawn: Drawn) -> None:
    draw([make_diagram("dns")], tmp_path, drawn)
    drawn.take()
    (tmp_path / ".cache" / "dns.json").write_text("{not json", encoding="utf-8")
    draw([make_diagram("dns")], tmp_path, drawn)
    assert drawn.take() == ["dns"]


def test_force_and_a_new_font_draw_everything_again(tmp_path: Path, drawn: Drawn) -> None:
    diagrams = [make_diagram("dns"), make_diagram("lb")]
    draw(diagrams, tmp_path, drawn)
    drawn.take()
    draw(diagrams, tmp_path, drawn, force=True)
    assert drawn.take() == ["dns", "lb"]
    draw(diagrams, tmp_path, drawn, font="Noto Serif CJK KR")
    assert drawn.take() == ["dns", "lb"]


def test_step_pictures_of_removed_steps_are_deleted(tmp_path: Path, drawn: Drawn) -> None:
    draw([make_diagram("dns")], tmp_path, drawn)
    images = draw([make_diagram("dns", steps=1)], tmp_path, drawn)
    assert images["dns"].steps == [tmp_path / "dns.step-1.png"]
    assert not (tmp_path / "dns.step-2.png").exists()
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["dns.png", "dns.step-1.png"]


def test_worker_processes_draw_the_same_bytes_as_one_process(tmp_path: Path, drawn: Drawn) -> None:
    diagrams = [make_diagram("dns"), make_diagram("lb", label="ELB")]
    draw(diagrams, tmp_path / "one", drawn, workers=1)
    draw(diagrams, tmp_path / "many", drawn, workers=3)
    assert drawn.take() == ["dns", "dns", "lb", "lb"]
    for name in ("dns.png", "dns.step-1.png", "lb.png", "lb.step-2.png"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_diagram_key_follows_the_spec_and_the_font() -> None:
    key = diagram_key(make_diagram("dns").spec, FONT)
    assert key == diagram_key(make_diagram("other").spec, FONT)
    assert key != diagram_key(make_diagram("dns", label="DNS").spec, FONT)
    assert key != diagram_key(make_diagram("dns").spec, "Noto Serif CJK KR")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_graphviz_failure_names_the_diagram_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: Drawn, workers: int
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text(
        f"#!/bin/sh\n{shutil.which('cat')} >/dev/null\n"
        "echo 'Error: syntax error in line 2' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    diagrams = [make_diagram("dns"), make_diagram("lb")]
    with pytest.raises(DeckError) as raised:
        draw(diagrams, tmp_path / "out", drawn, workers=workers)
    problems = raised.value.problems
    assert [problem.path for problem in problems] == [
        Path("diagrams/dns.yaml"),
        Path("diagrams/lb.yaml"),
    ]
    assert problems[0].message == (
        "Graphviz could not draw this diagram: Error: syntax error in line 2"
    )
    assert drawn.take() == []
    assert not (tmp_path / "out" / ".cache" / "dns.json").exists()


def test_missing_graphviz_passes_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: Drawn
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError):
        draw([make_diagram("dns")], tmp_path / "out", drawn)
