"""`new chapter` and `new diagram`: starter files that validate, with their schema line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studydeck.errors import DeckError
from studydeck.project.json_schema import SCHEMA_DIR, schema_file_name, schema_line, write_schemas
from studydeck.schema.models import is_slug
from studydeck.source.files import write_atomically
from studydeck.source.folder import ProjectFolder
from studydeck.source.yaml_reader import load_yaml

MAX_ID_LENGTH = 60

CHAPTER = """\
{schema}
id: {id}
title: "{id}"
minutes: 10
objectives:
  - What people can do after this chapter
slides:
  - type: bullets
    title: The first idea
    bullets:
      - One point per line, at most seven
      - A nested list under a point holds its sub-points
      - - like this one
    notes: What to say on this slide, in two or three sentences.
  - type: quiz
    question: Which answer is right?
    choices: [This one, Not this one]
    answer: 1
    explain: Why the first choice is right.
"""

DIAGRAM = """\
{schema}
title: "{name}"
direction: LR
nodes:
  users: {{icon: onprem.client.Users, label: Users}}
  web: {{icon: aws.compute.EC2, label: Web server}}
# `studydeck icons WORD` lists the icon names, e.g. `studydeck icons database`
edges:
  - {{from: users, to: web, label: HTTPS}}
# steps turn the diagram into a walkthrough, one click per step:
# steps:
#   - {{edges: [users->web], caption: A request arrives}}
"""


@dataclass(frozen=True)
class Scaffolded:
    """A file `new` wrote, and what the user does next."""

    path: Path
    next_steps: list[str]


def new_chapter(paths: ProjectFolder, chapter_id: str) -> Scaffolded:
    """Write chapters/ID.yaml and list it in deck.yaml; give the file and the next steps."""
    target = paths.chapters_dir / f"{chapter_id}.yaml"
    _check_name(target, chapter_id, "chapter id")
    _create(paths, target, CHAPTER.format(schema=schema_line("chapter"), id=chapter_id))
    listed = _list_chapter(paths, target.name)
    steps = [f"edit {_shown(paths, target)}: title, objectives, slides"]
    if not listed:
        steps.insert(0, f"add '- {target.name}' to the chapters list in deck.yaml")
    return Scaffolded(target, [*steps, "studydeck validate, then studydeck build"])


def new_diagram(paths: ProjectFolder, name: str) -> Scaffolded:
    """Write diagrams/NAME.yaml; give the file and the next steps."""
    target = paths.diagram_file(name)
    _check_name(target, name, "diagram name")
    _create(paths, target, DIAGRAM.format(schema=schema_line("diagram"), name=name))
    return Scaffolded(target, [
        f"edit {_shown(paths, target)}: nodes, edges, steps",
        f"show it on a slide: '- {{type: diagram, title: ..., diagram: {name}}}'",
        f"studydeck diagrams {name} draws it into output/diagrams/",
    ])


def _check_name(target: Path, name: str, what: str) -> None:
    if not is_slug(name) or len(name) > MAX_ID_LENGTH:
        raise DeckError.single(
            target, f"'{name}' is not a valid {what}",
            hint=f"use lower-case letters, digits, '-' and '_' (at most {MAX_ID_LENGTH}),"
                 " starting with a letter or digit",
        )
    if target.exists():
        raise DeckError.single(target, f"{target.name} already exists",
                               hint=f"pick another {what}, or edit the file")


def _create(paths: ProjectFolder, target: Path, text: str) -> None:
    """Write a new file (never over an existing one) and the schemas its first line names."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:
        file.write(text)
    schemas = paths.root / SCHEMA_DIR
    if not all((schemas / schema_file_name(kind)).is_file() for kind in ("deck", "chapter",
                                                                         "diagram")):
        write_schemas(schemas)


def _list_chapter(paths: ProjectFolder, file_name: str) -> bool:
    """Append `file_name` to deck.yaml's block list of chapters; tell whether it was added."""
    try:
        source = load_yaml(paths.deck_file)
    except DeckError:
        return False  # validate will show what is wrong with deck.yaml
    chapters = source.data.get("chapters") if isinstance(source.data, dict) else None
    if not isinstance(chapters, list) or not chapters:
        return False
    if file_name in chapters or f"chapters/{file_name}" in chapters:
        return True
    line, column = source.position(("chapters", len(chapters) - 1))
    lines = paths.deck_file.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    prefix = lines[line - 1][: column - 1]
    if prefix.strip() != "-":
        return False  # a flow list [a, b] or an unusual layout: leave deck.yaml to the user
    ending = "" if lines[line - 1].endswith("\n") else "\n"
    lines[line - 1] += f"{ending}{prefix}{file_name}\n"
    write_atomically(paths.deck_file, "".join(lines).encode("utf-8"))
    return True


def _shown(paths: ProjectFolder, path: Path) -> str:
    return str(path.relative_to(paths.root))
