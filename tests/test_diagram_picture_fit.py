"""A picture is laid out for its area as the shapes are: switching `render` keeps the layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project
from PIL import Image
from pptx import Presentation
from pptx.shapes.picture import Picture

ROUTES = FIXTURES / "diagram-routes"


def _aspects(deck: Path) -> dict[str, float]:
    """Give the aspect (height / width) of what each diagram slide draws, by slide title: its
    group of shapes, or the inked part of its picture."""
    found = {}
    for slide in Presentation(str(deck)).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            if title in found:
                break
            if shape.name.startswith("diagram: "):
                found[title] = shape.height / shape.width
            elif isinstance(shape, Picture):
                with Image.open(io.BytesIO(shape.image.blob)) as opened:
                    picture = opened.convert("L")
                inked = picture.point(lambda value: 255 if value < 225 else 0).getbbox()
                assert inked is not None
                found[title] = (inked[3] - inked[1]) / (inked[2] - inked[0])
    return found


@pytest.mark.slow
def test_a_picture_has_the_shape_its_native_twin_has(tmp_path: Path) -> None:
    native = copy_project(ROUTES, tmp_path / "native")
    build(native)
    picture = copy_project(ROUTES, tmp_path / "picture")
    deck_yaml = picture / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text("utf-8").replace("render: native",
                                                              "render: picture"), "utf-8")
    build(picture)
    groups = _aspects(native / "output" / "deck.pptx")
    pictures = _aspects(picture / "output" / "deck.pptx")
    assert len(groups) >= 5
    for title, aspect in groups.items():  # a 12-node chain and a loop: 0.08 and 1.4 high
        assert pictures[title] == pytest.approx(aspect, rel=0.15), title
