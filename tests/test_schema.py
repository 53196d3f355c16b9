"""JSON Schemas for editors: committed, up to date with the models, named by every sample file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import MINI, REPO, run_cli

from studydeck.project.json_schema import KINDS, schema_file_name, schema_text

SCHEMAS = REPO / "schemas"
PACKAGED = REPO / "studydeck" / "schemas"  # what the installed tool writes into projects
SCHEMA_LINE = "# yaml-language-server: $schema="


def sample_files() -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    for project in (REPO, MINI):
        files.append((project / "deck.yaml", "deck"))
        files += [(path, "chapter") for path in sorted((project / "chapters").glob("*.yaml"))]
        files += [(path, "diagram") for path in sorted((project / "diagrams").glob("*.yaml"))]
    return files


class EditorLoader(yaml.SafeLoader):
    """YAML as the editor's language server reads it (YAML 1.2: `2026-11-24` is text)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [pair for pair in resolvers if pair[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / schema_file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(kind: str, data: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("folder", [SCHEMAS, PACKAGED], ids=["schemas", "studydeck-schemas"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_committed_schemas_are_up_to_date(kind: str, folder: Path) -> None:
    committed = (folder / schema_file_name(kind)).read_text(encoding="utf-8")
    assert committed == schema_text(kind), f"run `make schemas` and commit {folder.name}/"


def test_the_schema_command_writes_the_same_files(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted(schema_file_name(kind) for kind in KINDS)
    for name in written:
        assert (tmp_path / "out" / name).read_bytes() == (SCHEMAS / name).read_bytes()


@pytest.mark.parametrize(("path", "kind"), sample_files(),
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_every_sample_file_names_its_schema_and_passes_it(path: Path, kind: str) -> None:
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    assert first.startswith(SCHEMA_LINE), path
    target = (path.parent / first.removeprefix(SCHEMA_LINE)).resolve()
    assert target == SCHEMAS / schema_file_name(kind)
    assert errors(kind, yaml.load(rest, Loader=EditorLoader)) == []


def test_the_schema_flags_what_validation_refuses() -> None:
    chapter = {"id": "x", "title": "t", "minutes": 5,
               "slides": [{"type": "bullets", "title": "t", "bulets": ["a"]}]}
    assert errors("chapter", chapter) != []
    assert errors("deck", {"title": "t", "chapters": []}) != []
    assert errors("diagram", {"nodes": {"Bad Id": {"icon": "aws.compute.EC2"}}}) != []


def test_numbers_in_table_cells_are_fine_for_the_editor_too() -> None:
    chapter = {"id": "x", "title": "t", "minutes": 5,
               "slides": [{"type": "table", "title": "t", "columns": ["port", 1],
                           "rows": [[80, True]]}]}
    assert errors("chapter", chapter) == []
