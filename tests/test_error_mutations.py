"""One mistake, one problem: valid projects with one key deleted, misspelt or of the wrong kind.

Each mutation edits one line of a valid project's YAML (a `key: value` line of a block mapping),
so the place is known: the project must then give exactly one error, at that line (a deleted
key: at the line of the mapping it was deleted from).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, copy_project
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from studydeck.errors import DeckError, Problem
from studydeck.project.loading import load_project
from studydeck.schema.models import Deck, DiagramSpec
from studydeck.schema.vocabulary import annotation_at, field_names
from studydeck.slides import Chapter
from studydeck.source.folder import ProjectFolder
from studydeck.source.yaml_reader import load_yaml

PROJECTS = [MINI, FIXTURES / "stress-en"]
# A `key: value` line of a block mapping (not a list item's first key, not a flow mapping).
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][\w-]*): (?P<value>\S.*)$")
MUTATIONS = ["delete", "misspell", "retype"]


@dataclass(frozen=True)
class KeyLine:
    """A line of a project file that holds one key and its value."""

    project: Path
    file: str
    number: int  # 1-based
    key: str
    value: str
    required: bool
    parent_line: int  # where the mapping holding the key starts
    valid_keys: tuple[str, ...]


def model_of(file: str) -> type[BaseModel]:
    if file == "deck.yaml":
        return Deck
    return Chapter if file.startswith("chapters/") else DiagramSpec


def key_lines(project: Path) -> list[KeyLine]:
    """Give every mutable `key: value` line of a project, with what the schema says of it."""
    found: list[KeyLine] = []
    files = ["deck.yaml", *(str(p.relative_to(project)) for p in
                            sorted(project.glob("chapters/*.yaml")) +
                            sorted(project.glob("diagrams/*.yaml")))]
    for file in files:
        source = load_yaml(project / file)
        by_line = {line: loc[:-1] for loc, (line, _) in source.positions.items()
                   if loc[-1:] == ("__key__",)}
        for number, text in enumerate((project / file).read_text("utf-8").splitlines(), 1):
            match = KEY_LINE.match(text)
            if not match or number not in by_line:
                continue
            location = by_line[number]
            owner = annotation_at(model_of(file), source.data, location[:-1])
            if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
                continue  # a free name (a node id), not a key of the schema
            info = next(i for n, i in owner.model_fields.items()
                        if match["key"] in (n, i.alias))
            found.append(KeyLine(project, file, number, match["key"], match["value"],
                                 info.is_required(), source.position(location[:-1])[0],
                                 tuple(field_names(owner))))
    return found


CANDIDATES = [line for project in PROJECTS for line in key_lines(project)]


def misspelt(key: str, where: int, how: str) -> str:
    """Give `key` with one slip of the finger at `where`: two letters swapped, one dropped."""
    where %= max(len(key) - 1, 1)
    if how == "swap" and key[where] != key[where + 1]:
        return key[:where] + key[where + 1] + key[where] + key[where + 2:]
    if how == "double":
        return key[:where] + key[where] + key[where:]
    return key[:where] + key[where + 1:]


def wrong_kind(value: str) -> str:
    """Give a value of another kind than `value`: text for a list or mapping, else a list."""
    return "some text" if value.startswith(("[", "{")) else "[some text]"


def errors_after(line: KeyLine, new_text: str | None) -> list[Problem]:
    """Give the errors of the project with `line` replaced (or deleted when None)."""
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(line.project, Path(folder) / "p")
        path = project / line.file
        lines = path.read_text("utf-8").splitlines(keepends=True)
        lines[line.number - 1] = "" if new_text is None else new_text + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        try:
            load_project(ProjectFolder(project.resolve()))
        except DeckError as err:
            return [p for p in err.problems if p.severity == "error"]
        finally:
            shutil.rmtree(project, ignore_errors=True)
    return []


def describe(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def test_there_are_many_lines_to_mutate() -> None:
    assert len(CANDIDATES) > 60
    assert sum(line.required for line in CANDIDATES) > 20


@settings(deadline=None, derandomize=True, database=None, max_examples=150)
@given(line=st.sampled_from(CANDIDATES), mutation=st.sampled_from(MUTATIONS),
       where=st.integers(0, 20), how=st.sampled_from(["swap", "drop", "double"]))
def test_one_mutation_gives_one_problem_at_its_line(line: KeyLine, mutation: str, where: int,
                                                    how: str) -> None:
    original = (line.project / line.file).read_text("utf-8").splitlines()[line.number - 1]
    indent = original[: len(original) - len(original.lstrip())]
    if mutation == "delete":
        if not line.required:
            return
        problems = errors_after(line, None)
        expected_line = line.parent_line
    elif mutation == "misspell":
        key = misspelt(line.key, where, how)
        if key == line.key or key in line.valid_keys:
            return
        problems = errors_after(line, f"{indent}{key}: {line.value}")
        expected_line = line.number
    else:
        problems = errors_after(line, f"{indent}{line.key}: {wrong_kind(line.value)}")
        expected_line = line.number
    place = f"{line.project.name}/{line.file}:{line.number} {mutation}"
    assert len(problems) == 1, f"{place}:\n{describe(problems)}"
    assert problems[0].line == expected_line, f"{place}:\n{describe(problems)}"
    assert problems[0].path.name == Path(line.file).name


@pytest.mark.parametrize("line", [c for c in CANDIDATES if c.required],
                         ids=lambda c: f"{c.project.name}/{c.file}:{c.number}")
def test_every_required_key_deleted_gives_one_missing_key(line: KeyLine) -> None:
    problems = errors_after(line, None)
    assert [p.message.rsplit(": ", 1)[-1] for p in problems] == [f"missing key '{line.key}'"], (
        describe(problems))
