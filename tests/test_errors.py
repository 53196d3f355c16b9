"""Broken projects: every problem is reported as file:line:column with a hint, nothing is written.

Each folder under tests/fixtures/invalid/ holds the files that differ from tests/fixtures/mini
and `expected.txt`: lines that must appear in the CLI's stderr.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, Result, copy_project, run_cli

INVALID = FIXTURES / "invalid"
# Notes templates are rendered by `build` only: `validate` does not look at them.
BUILD_ONLY = {"notes-undefined-variable"}
CASES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())


def broken_project(case: str, tmp_path: Path) -> Path:
    """Give a copy of the mini project with the case's files laid over it."""
    project = copy_project(MINI, tmp_path / case)
    shutil.copytree(INVALID / case, project, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected.txt"))
    return project


def expected_lines(case: str) -> list[str]:
    text = (INVALID / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def assert_reported(result: Result, case: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for line in expected_lines(case):
        assert line in result.stderr, f"missing {line!r} in:\n{result.stderr}"
    assert "problem" in result.stderr.splitlines()[-1]


def test_every_case_has_expectations() -> None:
    assert len(CASES) >= 11
    for case in CASES:
        assert expected_lines(case), case
        assert [p for p in (INVALID / case).rglob("*") if p.name != "expected.txt"], case


@pytest.mark.parametrize("case", sorted(set(CASES) - BUILD_ONLY))
def test_validate_lists_the_problem(case: str, tmp_path: Path) -> None:
    project = broken_project(case, tmp_path)
    result = run_cli("validate", "--project", project)
    assert_reported(result, case)
    assert "ok:" not in result.stdout
    assert not (project / "output").exists()


@pytest.mark.parametrize("case", sorted(set(CASES) - BUILD_ONLY))
def test_build_stops_before_writing_anything(case: str, tmp_path: Path) -> None:
    project = broken_project(case, tmp_path)
    result = run_cli("build", "--project", project)
    assert_reported(result, case)
    assert "wrote" not in result.stdout
    assert not (project / "output").exists()


def test_problems_in_two_files_are_reported_together(tmp_path: Path) -> None:
    result = run_cli("validate", "--project", broken_project("two-files", tmp_path))
    places = [line.split(":")[0].rsplit("/", 2)[-2:] for line in result.stderr.splitlines()
              if ": error: " in line]
    assert ["chapters", "alpha.yaml"] in places
    assert ["diagrams", "flow.yaml"] in places


def test_an_undefined_variable_in_a_notes_template_names_the_template(tmp_path: Path) -> None:
    project = broken_project("notes-undefined-variable", tmp_path)
    result = run_cli("build", "--project", project)
    assert_reported(result, "notes-undefined-variable")
    assert "wrote" not in result.stdout
    assert not (project / "output" / "deck.pptx").exists()


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
