"""A diagram's labels as large as they end up on their slide; a diagram leaving its area empty."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, BuiltDeck, copy_project, run_cli
from PIL import Image

from studydeck.checks.legibility import legibility_problems
from studydeck.diagrams.cache import DiagramImages
from studydeck.layout.planned import PlannedSlide
from studydeck.schema.models import DiagramFile, DiagramSpec
from studydeck.slides import Chapter
from studydeck.slides.diagram import DiagramSlide


def test_a_wide_diagram_beside_walkthrough_captions_warns_with_its_label_size(
        tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "stranger-en", tmp_path / "deck")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    line = (project / "diagrams" / "wide.yaml").read_text(encoding="utf-8").splitlines().index(
        "nodes:") + 1
    assert (f"diagrams/wide.yaml:{line}:1: warning: on slide 'A request from the browser to the "
            "database and back again' the diagram's labels end up at 13.9 pt (drawn at 19 pt, "
            "the picture scaled to 73%), below 14 pt") in result.stderr  # laid out for its area
    assert "slide of its own instead of a walkthrough" in result.stderr


def test_the_sample_deck_has_no_diagram_with_small_labels(sample: BuiltDeck) -> None:
    assert "labels end up at" not in sample.result.stderr
    assert "taller than wide" not in sample.result.stderr


def test_a_left_to_right_diagram_that_comes_out_tall_is_reported(tmp_path: Path) -> None:
    picture = tmp_path / "tall.png"
    Image.new("RGB", (400, 1400), "white").save(picture)
    path = tmp_path / "tall.yaml"
    path.write_text("direction: LR\nnodes:\n  a: {icon: aws.compute.EC2}\n", encoding="utf-8")
    spec = DiagramSpec.model_validate({"direction": "LR",
                                      "nodes": {"a": {"icon": "aws.compute.EC2"}}})
    diagram = DiagramFile(name="tall", path=path, spec=spec)
    slide = DiagramSlide(type="diagram", title="Tall", diagram="tall")
    chapter = Chapter(id="c", title="C", minutes=5, slides=[slide])
    planned = [PlannedSlide(kind="diagram", title="Tall", chapter=chapter, slide=slide,
                            diagram=diagram)]
    found = legibility_problems(planned, {"tall": DiagramImages("tall", picture, [])})
    messages = [(p.line, p.message) for p in found]
    assert (1, "the left-to-right diagram comes out taller than wide (400×1400 px), so it "
               "leaves its area's sides empty and its labels small") in messages
    assert any("labels end up at" in message for _, message in messages)
