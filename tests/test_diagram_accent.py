"""Walkthrough pictures (`render: picture`) stress each step in the deck's accent."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_project
from PIL import Image

from studydeck.diagrams.style import ACCENT

ROUTES = FIXTURES / "diagram-routes"
DECK_ACCENT = (0x7C, 0x3A, 0xED)  # tests/fixtures/diagram-routes/deck.yaml


def _pixels_near(picture: Path, colour: tuple[int, int, int]) -> int:
    with Image.open(picture) as opened:
        data = opened.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for pixel in pixels
               if sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 40)


@pytest.mark.slow  # draws every picture of a deck
def test_step_pictures_use_the_decks_accent_not_a_fixed_orange(tmp_path: Path) -> None:
    project = copy_project(ROUTES, tmp_path / "routes")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text("utf-8").replace("render: native", "render: picture"),
                    "utf-8")
    result = build(project)
    assert result.exit_code == 0, result.output
    step = project / "output" / "diagrams" / "walk.step-1.png"
    fixed = tuple(int(ACCENT[i:i + 2], 16) for i in (1, 3, 5))
    assert _pixels_near(step, DECK_ACCENT) > 200  # the stressed edge, its label, the outline
    assert _pixels_near(step, fixed) < 20  # the icons' own orange is not drawn in the step
