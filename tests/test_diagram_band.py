"""Where a walkthrough's step captions go: beside the diagram, or one at a time in a band."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, run_cli
from diagram_xml import add_crowded_diagram

from studydeck.layout import geometry as g
from studydeck.layout.check import Sizes
from studydeck.layout.fit import frame_size
from studydeck.layout.text import Paragraph
from studydeck.slides.diagram import step_areas, step_label

SIZES = Sizes(body=28, title=36, floor=20)
AREA = g.caption_split(True)[0]


def test_short_captions_stand_beside_the_diagram() -> None:
    diagram, captions, band = step_areas(AREA, ["묻는다", "답한다"], SIZES)
    assert not band
    assert captions.left > diagram.right and captions.top == diagram.top


def test_captions_too_long_for_the_column_take_turns_in_a_band_under_the_diagram() -> None:
    steps = [f"리졸버가 {name} 서버에 다음 이름을 묻고 그 답을 받아 캐시에 넣는다"
             for name in ("루트", "TLD", "Route 53", "권한 있는", "캐시", "다른", "마지막", "끝")]
    diagram, caption, band = step_areas(AREA, steps, SIZES)
    assert band
    assert diagram.width == caption.width == AREA.width  # the diagram keeps the full width
    assert caption.top > diagram.bottom and caption.bottom <= AREA.bottom
    for number, text in enumerate(steps, start=1):  # each alone, at the body size
        assert frame_size([Paragraph(step_label(number, text))], caption, SIZES.body,
                          SIZES.body) == SIZES.body


@pytest.mark.slow  # Graphviz lays the diagrams out
def test_validate_says_what_build_says_about_a_native_diagram_too_small(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "diagram-routes", tmp_path / "routes")
    add_crowded_diagram(project, "routes")
    validated = run_cli("validate", "--project", project)
    built = run_cli("build", "--project", project)
    expected = "diagrams/crowded.yaml:2:1: warning: on slide 'Crowded' the diagram's labels are"
    for result in (validated, built):
        assert result.exit_code == 0, result.output
        assert result.output.count(expected) == 1
        assert "the picture scaled" not in result.output  # the slide shows the shapes
        assert "hint: try `direction: LR`" in result.output
