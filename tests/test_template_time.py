"""A notes template that runs too long stops with its file and line; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, slide_notes, slide_title
from pptx import Presentation

from studydeck.notes import render

SHORT_LIMIT = 0.5  # seconds: the limit is the same mechanism at any length; this one waits less

NESTED_LOOP = """{{ slide.title }}
{% for i in range(100000) %}
{% for j in range(100000) %}{% endfor %}
{% endfor %}
"""
BRANCHING_MACRO = """{% macro twice(n) %}
{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% endif %}
{% endmacro %}
{{ slide.title }}
{{ twice(60) }}
"""


def with_bullets_template(project: Path, text: str) -> Path:
    template = project / "templates" / "notes" / "bullets.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(text, encoding="utf-8")
    return template


@pytest.mark.slow  # each run waits out the notes' time limit
@pytest.mark.parametrize(("text", "line"), [(NESTED_LOOP, 3), (BRANCHING_MACRO, 2)],
                         ids=["nested-loop", "branching-macro"])
def test_a_template_that_runs_too_long_stops_at_its_line(
    mini_copy: Path, text: str, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "NOTES_SECONDS", SHORT_LIMIT)
    with_bullets_template(mini_copy, text)
    for command in ("build", "validate"):
        result = run_cli(command, "--project", mini_copy)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert (f"templates/notes/bullets.md.j2:{line}:1: error: notes template: rendering took "
                f"longer than {SHORT_LIMIT:g} s") in result.stderr, result.stderr
        assert "1 error found" in result.stderr
    assert not (mini_copy / "output" / "deck.pptx").exists()


def test_ordinary_loops_still_render(mini_copy: Path) -> None:
    with_bullets_template(mini_copy, (
        "{% for line in slide.lines %}{{ loop.index }}/{{ loop.length }} {{ line.text }}\n"
        "{% endfor %}{% for x in [] %}{{ x }}{% else %}(end){% endfor %}\n"))
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    deck = Presentation(str(mini_copy / "output" / "deck.pptx"))
    [notes] = [slide_notes(s) for s in deck.slides if slide_title(s) == "글머리표"]
    assert notes.splitlines() == ["1/6 첫째 항목", "2/6 하위 항목", "3/6 둘째 항목",
                                  "4/6 셋째 항목", "5/6 하위 a", "6/6 하위 b", "(end)"]
