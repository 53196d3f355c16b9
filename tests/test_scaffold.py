"""`new chapter` and `new diagram`: starter files that validate and build, never overwriting."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, slide_title
from pptx import Presentation

from studydeck.project.json_schema import schema_line


def test_a_new_chapter_is_listed_in_the_deck_and_builds(mini_copy: Path) -> None:
    result = run_cli("new", "chapter", "caching", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "wrote chapters/caching.yaml" in result.stdout
    assert "studydeck validate" in result.stdout
    chapter = mini_copy / "chapters" / "caching.yaml"
    assert chapter.read_text(encoding="utf-8").splitlines()[0] == schema_line("chapter")
    assert (mini_copy / "schemas" / "chapter.schema.json").is_file()
    deck_lines = (mini_copy / "deck.yaml").read_text(encoding="utf-8").splitlines()
    assert deck_lines[-3:] == ["  - alpha.yaml", "  - chapters/beta.yaml", "  - caching.yaml"]
    assert run_cli("validate", "--project", mini_copy).exit_code == 0
    built = run_cli("build", "--project", mini_copy)
    assert built.exit_code == 0, built.output
    titles = [slide_title(s) for s in Presentation(str(mini_copy / "output" / "deck.pptx")).slides]
    assert "caching" in titles and "The first idea" in titles


def test_a_new_diagram_validates_and_shows_on_a_slide(mini_copy: Path) -> None:
    result = run_cli("new", "diagram", "request-flow", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "diagram: request-flow" in result.stdout
    diagram = mini_copy / "diagrams" / "request-flow.yaml"
    assert diagram.read_text(encoding="utf-8").splitlines()[0] == schema_line("diagram")
    chapter = mini_copy / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8") + (
        "  - {type: diagram, title: 새 그림, diagram: request-flow}\n"), encoding="utf-8")
    built = run_cli("build", "--project", mini_copy)
    assert built.exit_code == 0, built.output
    assert (mini_copy / "output" / "diagrams" / "request-flow.png").is_file()


def test_an_existing_file_is_never_overwritten(mini_copy: Path) -> None:
    alpha = mini_copy / "chapters" / "alpha.yaml"
    before = alpha.read_bytes()
    deck_before = (mini_copy / "deck.yaml").read_bytes()
    result = run_cli("new", "chapter", "alpha", "--project", mini_copy)
    assert result.exit_code == 1
    assert "alpha.yaml:1:1: error: alpha.yaml already exists" in result.stderr
    assert alpha.read_bytes() == before
    assert (mini_copy / "deck.yaml").read_bytes() == deck_before
    result = run_cli("new", "diagram", "flow", "--project", mini_copy)
    assert result.exit_code == 1 and "flow.yaml already exists" in result.stderr


def test_a_name_that_is_not_an_id_is_refused(mini_copy: Path) -> None:
    for name in ("Bad Id", "../escape", "a.b", "x" * 61, "캐시", "_under"):
        result = run_cli("new", "chapter", name, "--project", mini_copy)
        assert result.exit_code == 1, name
        assert "is not a valid chapter id" in result.stderr
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (mini_copy / "chapters").iterdir()) == ["alpha.yaml",
                                                                         "beta.yaml"]
    result = run_cli("new", "diagram", "Flow/2", "--project", mini_copy)
    assert result.exit_code == 1 and "is not a valid diagram name" in result.stderr


def test_a_flow_style_chapter_list_is_left_to_the_user(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("chapters:\n  - alpha.yaml\n  - chapters/beta.yaml\n",
                                 "chapters: [alpha.yaml, chapters/beta.yaml]\n"), encoding="utf-8")
    before = deck.read_bytes()
    result = run_cli("new", "chapter", "extra", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "add '- extra.yaml' to the chapters list in deck.yaml" in result.stdout
    assert deck.read_bytes() == before
