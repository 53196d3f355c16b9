"""JSON Schemas of deck, chapter and diagram files, so editors complete and check them."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from studydeck.schema.models import Deck, DiagramSpec
from studydeck.slides import Chapter
from studydeck.source.files import write_atomically

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# file kind → (model, what the file is)
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "deck": (Deck, "studydeck deck.yaml"),
    "chapter": (Chapter, "studydeck chapter (chapters/*.yaml)"),
    "diagram": (DiagramSpec, "studydeck diagram (diagrams/*.yaml)"),
}


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_line(kind: str, depth: int = 1) -> str:
    """Give the yaml-language-server comment for a file `depth` folders below the project."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{schema_file_name(kind)}"


def schema_text(kind: str) -> str:
    """Give the JSON Schema of one kind of file, as the text written to schemas/."""
    model, title = KINDS[kind]
    schema = {"$schema": DIALECT, **model.model_json_schema(by_alias=True), "title": title}
    return json.dumps(_closed_key_patterns(schema), indent=2, ensure_ascii=False) + "\n"


def _closed_key_patterns(schema: Any) -> Any:
    """Give the schema with dicts whose keys have a pattern refusing other keys, as pydantic does.

    pydantic writes `patternProperties` for `dict[Annotated[str, pattern], ...]` but leaves
    `additionalProperties` open, so an editor would accept a node id validation refuses.
    """
    if isinstance(schema, list):
        return [_closed_key_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed_key_patterns(value) for key, value in schema.items()}
    if "patternProperties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


def packaged_schema(kind: str) -> bytes:
    """Give the schema shipped inside the package (studydeck/schemas/), made by `make schemas`."""
    return (resources.files("studydeck") / SCHEMA_DIR / schema_file_name(kind)).read_bytes()


def write_schemas(folder: Path) -> list[Path]:
    """Write every packaged schema into `folder`; give the files written."""
    return [write_atomically(folder / schema_file_name(kind), packaged_schema(kind))
            for kind in KINDS]


def regenerate(folders: list[Path]) -> None:
    """Write the schemas made from the models into each folder (`make schemas`)."""
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            write_atomically(folder / schema_file_name(kind), schema_text(kind).encode("utf-8"))


if __name__ == "__main__":
    regenerate([Path(arg) for arg in sys.argv[1:]])
