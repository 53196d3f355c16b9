"""The pre-commit hook studydeck offers (.pre-commit-hooks.yaml) parses and runs a real command."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, run_cli


def offered_hook() -> dict[str, Any]:
    """Give the one hook .pre-commit-hooks.yaml offers."""
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return dict(hook)


def test_the_hook_validates_the_whole_project_once_per_commit() -> None:
    hook = offered_hook()
    assert hook["id"] == "studydeck-validate"
    assert hook["language"] == "python"  # pre-commit installs studydeck from this repository
    assert hook["pass_filenames"] is False


def test_the_hooks_entry_is_a_command_of_the_installed_tool(mini_copy: Path) -> None:
    program, *arguments = shlex.split(offered_hook()["entry"])
    with (REPO / "pyproject.toml").open("rb") as pyproject:
        assert program in tomllib.load(pyproject)["project"]["scripts"]
    assert arguments == ["validate"]
    result = run_cli(*arguments, "--project", mini_copy)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("changed", "validated"), [
    ("deck.yaml", True),
    ("chapters/01-basics.yaml", True),
    ("diagrams/request-flow.yaml", True),
    ("templates/notes/bullets.md.j2", True),
    ("README.md", False),
    ("docs/deck.yaml", False),
    ("output/deck.pptx", False),
])
def test_the_hook_runs_when_a_file_of_the_deck_changes(changed: str, validated: bool) -> None:
    assert bool(re.search(offered_hook()["files"], changed)) is validated
