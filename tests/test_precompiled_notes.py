"""studydeck's own notes templates run from Python compiled ahead, only for their own text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studydeck.notes import compiled as precompiled_notes
from studydeck.notes.compiled import PRECOMPILED, precompiled_text
from studydeck.notes.render import DEFAULT_TEMPLATES, OwnTemplatesLoader, notes_environment


def test_the_compiled_own_templates_are_current() -> None:
    fresh = precompiled_text(notes_environment(DEFAULT_TEMPLATES), DEFAULT_TEMPLATES)
    assert PRECOMPILED.read_text(encoding="utf-8") == fresh, (
        "run `make notes-templates` and commit studydeck/templates/notes/compiled.json")


def test_own_templates_are_not_parsed_when_a_deck_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = notes_environment(tmp_path)  # a project without templates of its own

    def no_parsing(*args: Any) -> None:
        raise AssertionError("parsed a template studydeck ships compiled")

    monkeypatch.setattr(environment, "_parse", no_parsing)
    text = environment.get_template("section.md.j2").render(
        deck={"language": "en"}, chapter={"title": "DNS", "minutes": 10, "objectives": ["Dig"]})
    assert text.splitlines()[0] == "DNS: planned for 10 minutes."
    assert "- Dig" in text


def test_an_own_template_whose_text_changed_is_compiled_from_that_text(tmp_path: Path) -> None:
    # studydeck's template edited in place (before `make notes-templates`): its text wins
    (tmp_path / "section.md.j2").write_text("EDITED {{ slide.title }}", encoding="utf-8")
    environment = notes_environment(tmp_path / "nothing")
    environment.loader = OwnTemplatesLoader(str(tmp_path))
    assert environment.get_template("section.md.j2").render(slide={"title": "DNS"}) == (
        "EDITED DNS")


def test_a_decks_own_template_of_the_same_name_replaces_studydecks(tmp_path: Path) -> None:
    (tmp_path / "section.md.j2").write_text("Mine: {{ slide.title }}", encoding="utf-8")
    environment = notes_environment(tmp_path)
    assert environment.get_template("section.md.j2").render(slide={"title": "DNS"}) == (
        "Mine: DNS")


def test_own_templates_compiled_by_another_jinja2_or_sandbox_are_compiled_from_their_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(precompiled_notes, "_compiler", lambda: "Jinja2 9.9 sandbox other")
    precompiled_notes._precompiled.cache_clear()
    try:
        environment = notes_environment(tmp_path)
        parsed: list[str | None] = []
        parse = environment._parse

        def noted_parse(source: str, name: str | None, filename: str | None) -> Any:
            parsed.append(name)
            return parse(source, name, filename)

        monkeypatch.setattr(environment, "_parse", noted_parse)
        environment.get_template("section.md.j2")
        assert parsed == ["section.md.j2"]
    finally:
        monkeypatch.undo()
        precompiled_notes._precompiled.cache_clear()
