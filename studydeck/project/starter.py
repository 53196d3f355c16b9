"""`new deck`: a small project that builds at once and shows every slide type.

The starter files are package data (studydeck/starter/): `shared/` for every language, then one
folder per deck language. `__TITLE__` in deck.yaml and README.md becomes the deck's title.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from studydeck.errors import DeckError
from studydeck.source.files import write_atomically

if TYPE_CHECKING:  # `--help` imports this module for `Language`; only `new deck` reads files
    from importlib.resources.abc import Traversable

Language = Literal["ko", "en"]
DEFAULT_TITLES: dict[str, str] = {"ko": "우리 스터디", "en": "Our study session"}
TITLE_MARK = "__TITLE__"
MAX_TITLE = 5000  # what the model allows for any text
# Package data loses dot-files in some tools, so they are kept under a plain name.
RENAMED = {"gitignore": ".gitignore"}


@dataclass(frozen=True)
class StartedDeck:
    """The project `new deck` wrote: its folder, the files in it, and what the user does next."""

    folder: Path
    files: list[Path]
    next_steps: list[str]


def new_deck(folder: Path, language: Language, title: str | None = None,
             force: bool = False) -> StartedDeck:
    """Write the starter project into `folder` (refusing a non-empty one unless `force`)."""
    # the schemas come from the models (pydantic): keeps `--help` fast, which lists `new`
    from studydeck.project.json_schema import SCHEMA_DIR, write_schemas

    title = DEFAULT_TITLES[language] if title is None else title
    _check_folder(folder, force)
    _check_title(folder, title)
    written = [write_atomically(folder / name, _filled(name, data, title))
               for name, data in starter_files(language).items()]
    written += write_schemas(folder / SCHEMA_DIR)
    return StartedDeck(folder, sorted(written), _next_steps(folder))


def starter_files(language: Language) -> dict[str, bytes]:
    """Give the starter project's files, path inside the project → contents."""
    from importlib import resources  # 8 ms: keeps `--help` fast, which imports this module

    starter = resources.files("studydeck") / "starter"
    files: dict[str, bytes] = {}
    for part in ("shared", language):
        files.update(_walk(starter / part, PurePosixPath()))
    return dict(sorted(files.items()))


def _walk(folder: Traversable, prefix: PurePosixPath) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in folder.iterdir():
        name = RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            found.update(_walk(entry, prefix / name))
        elif not entry.name.startswith("."):
            found[str(prefix / name)] = entry.read_bytes()
    return found


def _filled(name: str, data: bytes, title: str) -> bytes:
    if name == "deck.yaml":  # a YAML double-quoted scalar is a JSON string
        return data.replace(TITLE_MARK.encode(), json.dumps(title, ensure_ascii=False).encode())
    if name == "README.md":
        return data.replace(TITLE_MARK.encode(), " ".join(title.split()).encode("utf-8"))
    return data


def _check_folder(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise DeckError.single(folder, "this is a file, not a folder",
                               hint="name a new folder for the deck")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise DeckError.single(
            folder, "the folder is not empty",
            hint="name a new folder, or add --force to write the starter files into it"
                 " (files of the same name are replaced)")


def _check_title(folder: Path, title: str) -> None:
    problem = ("the title is empty" if not title.strip()
               else f"the title is longer than {MAX_TITLE} characters" if len(title) > MAX_TITLE
               else "")
    if problem:
        raise DeckError.single(folder / "deck.yaml", problem, hint="give --title a short text")


def _next_steps(folder: Path) -> list[str]:
    go = [] if folder.resolve() == Path.cwd().resolve() else [f"cd {_shell_word(folder)}"]
    return [*go,
            "studydeck build          (writes output/deck.pptx)",
            "studydeck watch          (builds again on every save; Ctrl-C stops)",
            "edit deck.yaml and chapters/*.yaml; README.md tells what is where"]


def _shell_word(path: Path) -> str:
    """Give the path as a shell would need it typed (quoted when it holds spaces or quotes)."""
    return shlex.quote(str(path))
