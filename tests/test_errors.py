"""Broken projects: every problem is reported as file:line:column with a hint, nothing is written.

Each folder under tests/fixtures/invalid/ holds the files that differ from tests/fixtures/mini
and `expected.txt`: the exact text `studydeck validate` prints on stderr, with the project's
folder left out of the paths. `make update-golden` (STUDYDECK_UPDATE_GOLDEN=1) rewrites them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, Result, copy_project, run_cli

INVALID = FIXTURES / "invalid"
EXPECTED = "expected.txt"
UPDATING = os.environ.get("STUDYDECK_UPDATE_GOLDEN") == "1"
# Notes templates are rendered by `build` only: `validate` does not look at them.
BUILD_ONLY = {"notes-undefined-variable"}
CASES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())


def broken_project(case: str, tmp_path: Path) -> Path:
    """Give a copy of the mini project with the case's files laid over it."""
    project = copy_project(MINI, tmp_path / case)
    shutil.copytree(INVALID / case, project, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(EXPECTED))
    return project


def shown(result: Result, project: Path) -> str:
    """Give stderr as it reads for a project at the current folder (paths without the tmp dir)."""
    text = result.stderr
    for folder in {str(project.resolve()), str(project)}:
        text = text.replace(folder + os.sep, "")
    return text


def assert_golden(case: str, result: Result, project: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    expected = INVALID / case / EXPECTED
    if UPDATING:
        expected.write_text(shown(result, project), encoding="utf-8")
    assert shown(result, project) == expected.read_text(encoding="utf-8")


def test_there_are_enough_cases_and_each_has_its_expected_text() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        text = (INVALID / case / EXPECTED).read_text(encoding="utf-8")
        assert ": error: " in text and "found" in text.splitlines()[-1], case
        assert [p for p in (INVALID / case).rglob("*") if p.name != EXPECTED], case


@pytest.mark.parametrize("case", sorted(set(CASES) - BUILD_ONLY))
def test_validate_prints_the_expected_problems(case: str, tmp_path: Path) -> None:
    project = broken_project(case, tmp_path)
    result = run_cli("validate", "--project", project)
    assert_golden(case, result, project)
    assert "ok:" not in result.stdout
    assert not (project / "output").exists()


@pytest.mark.parametrize("case", sorted(set(CASES) - BUILD_ONLY))
def test_build_prints_the_same_and_writes_nothing(case: str, tmp_path: Path) -> None:
    project = broken_project(case, tmp_path)
    result = run_cli("build", "--project", project)
    assert result.exit_code == 1, result.output
    expected = (INVALID / case / EXPECTED).read_text(encoding="utf-8")
    assert shown(result, project) == expected
    assert "wrote" not in result.stdout
    assert not (project / "output" / "deck.pptx").exists()


def test_an_undefined_variable_in_a_notes_template_names_the_template(tmp_path: Path) -> None:
    project = broken_project("notes-undefined-variable", tmp_path)
    result = run_cli("build", "--project", project)
    assert_golden("notes-undefined-variable", result, project)
    assert "wrote" not in result.stdout
    assert not (project / "output" / "deck.pptx").exists()


def test_problems_in_five_files_are_reported_in_one_run(tmp_path: Path) -> None:
    result = run_cli("validate", "--project", broken_project("five-files", tmp_path))
    files = {line.split(":")[0].rsplit(os.sep, 2)[-1] for line in result.stderr.splitlines()
             if ": error: " in line}
    assert files == {"deck.yaml", "alpha.yaml", "beta.yaml", "gamma.yaml", "flow.yaml"}


def test_lines_100_200_and_300_print_as_numbers_not_emoji(tmp_path: Path) -> None:
    project = broken_project("lines-100-200-300", tmp_path)
    text = shown(run_cli("validate", "--project", project), project)
    for line in (100, 200, 300):
        assert f"chapters/alpha.yaml:{line}:5: error: " in text
    assert "💯" not in text


def test_markup_and_emoji_codes_in_a_title_print_literally(tmp_path: Path) -> None:
    project = broken_project("markup-in-title", tmp_path)
    text = run_cli("validate", "--project", project).stderr
    assert "('[bold]Caching[/bold] :smile: [red]')" in text
    assert "😄" not in text


def test_past_one_hundred_problems_the_rest_are_counted(tmp_path: Path) -> None:
    project = broken_project("many-problems", tmp_path)
    text = run_cli("validate", "--project", project).stderr
    assert sum(": error: " in line for line in text.splitlines()) == 100
    assert "… and 20 more" in text
    assert text.splitlines()[-1] == "120 errors found"


def test_an_unused_diagram_that_cannot_be_read_only_warns(mini_copy: Path) -> None:
    (mini_copy / "diagrams" / "old.yaml").write_text("", encoding="utf-8")
    (mini_copy / "diagrams" / "draft.yaml").write_text("nodes: [a\n", encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "diagrams/draft.yaml:2:1: warning: YAML syntax error" in result.stderr
    assert "diagrams/old.yaml:1:1: warning: the file is empty" in result.stderr
    assert "no slide shows this diagram, so the build goes on without it" in result.stderr
    assert "problem" not in result.stderr
    built = run_cli("build", "--project", mini_copy)
    assert built.exit_code == 0, built.output
    assert "wrote output/deck.pptx" in built.stdout


def test_naming_an_unused_broken_diagram_shows_its_problem(mini_copy: Path) -> None:
    (mini_copy / "diagrams" / "old.yaml").write_text("", encoding="utf-8")
    result = run_cli("diagrams", "old", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert "diagrams/old.yaml:1:1: error: the file is empty" in result.stderr


def test_an_ampersand_at_the_start_of_a_bullet_warns_that_it_is_dropped(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "beta.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "bullets: [하나, 둘]", "bullets: [&amp 하나, 둘]"), encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert ("chapters/beta.yaml:23:15: warning: '&amp' at the start of a value is a YAML "
            "anchor: it is left out of the text") in result.stderr


def test_a_missing_project_folder_is_a_user_error(tmp_path: Path) -> None:
    result = run_cli("build", "--project", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "the project folder does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_without_deck_yaml_says_how_to_name_one(tmp_path: Path) -> None:
    result = run_cli("validate", "--project", tmp_path)
    assert result.exit_code == 1
    assert "deck.yaml:1:1: error: no deck.yaml in this folder" in result.stderr
    assert "--project DIR" in result.stderr
