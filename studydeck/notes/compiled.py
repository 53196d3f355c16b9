"""studydeck's own notes templates, compiled to Python ahead of time and shipped beside them.

Jinja2 takes ~2 ms to turn a template into Python (parse, write the code), and every build and
`validate` does it for each slide type's template: ~20 ms a run. The Python of studydeck's own
templates (studydeck/templates/notes/) is written once, by `make notes-templates`
(studydeck.notes.precompile), into compiled.json next to them and ships with the package; a test
checks it is current. It is used only for the very template text it was made from, by the same
Jinja2 and the same sandbox (the source of studydeck.notes.render and studydeck.notes.clock,
which shape the code); anything else is compiled from its text, as a deck's own templates (the
project's templates/notes/) always are.

Not a cache in the project's output/: a compiled template runs as Python, outside the sandbox
that keeps notes templates harmless, and a deck from someone else can bring its own output/. A
deck's own templates are kept compiled (`SealedTemplates`) in this user's own cache folder, each
file sealed with the user's key: Jinja2 unpickles and unmarshals what it reads back, so it reads
only bytes this user's studydeck wrote, from a folder nobody else can change.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from studydeck.source.files import read_regular_file
from studydeck.source.private_folder import (
    cache_home_names,
    open_private_folder,
    write_private_file,
)
from studydeck.source.sealed import seal, unseal

PRECOMPILED = Path(__file__).parent.parent / "templates" / "notes" / "compiled.json"
COMPILER_MODULES = ("render.py", "clock.py", "bounds.py")  # the sandbox: what it intercepts, how
MAX_COMPILED = 16 * 1024 * 1024  # a kept compiled template larger than this is not read


def precompiled_code(name: str, source: str, filename: str) -> CodeType | None:
    """Give the code of studydeck's template `name` (read from `filename`) if it was compiled
    from `source`."""
    entry = _precompiled().get(name)
    if not entry or entry["source_sha256"] != _digest(source):
        return None
    return _compiled(entry["python"], filename)


@functools.cache
def _compiled(python: str, filename: str) -> CodeType:
    return compile(python, filename, "exec")  # as Jinja2 compiles what it writes



@functools.cache
def _precompiled() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(PRECOMPILED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("compiler") != _compiler():
        return {}  # another Jinja2 or sandbox writes other code: compile from the text
    templates = data.get("templates")
    return templates if isinstance(templates, dict) else {}


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@functools.cache
def _compiler() -> str:
    """Give what the compiled code depends on besides the template: Jinja2 and the sandbox."""
    folder = Path(__file__).parent
    sandbox = b"".join((folder / name).read_bytes() for name in COMPILER_MODULES)
    return f"Jinja2 {jinja2.__version__} sandbox {hashlib.sha256(sandbox).hexdigest()[:16]}"


def compiler_digest() -> str:
    """Give a short name of what compiles templates (Jinja2 and the sandbox): compiled code is
    kept only for the same."""
    return hashlib.sha256(_compiler().encode()).hexdigest()[:16]


def precompiled_text(environment: jinja2.Environment, folder: Path) -> str:
    """Give compiled.json's text for the templates in `folder`, compiled by `environment`."""
    templates = {}
    for path in sorted(folder.glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        templates[path.name] = {
            "source_sha256": _digest(source),
            "python": environment.compile(source, path.name, str(path), raw=True),
        }
    return json.dumps({"compiler": _compiler(), "templates": templates},
                      ensure_ascii=False, indent=1) + "\n"


class SealedTemplates(jinja2.BytecodeCache):
    """A deck's own templates kept compiled in this user's own cache folder, sealed."""

    def __init__(self, folder: int) -> None:
        self.folder = folder  # open for the process's life, as Jinja2 may ask at any render

    def load_bytecode(self, bucket: Bucket) -> None:
        found = read_regular_file(Path(_file_name(bucket)), MAX_COMPILED, folder=self.folder)
        code = unseal(_kind(bucket), found) if found is not None else None
        if code is not None:  # Jinja2 decodes (pickle, marshal) bytes this user's build wrote
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # not kept: compiled again next time
            write_private_file(self.folder, _file_name(bucket),
                               seal(_kind(bucket), bucket.bytecode_to_string()))


def sealed_templates() -> SealedTemplates | None:
    """Give the kept compiled templates of this Jinja2 and sandbox; None where this user has
    no private cache folder (templates are then compiled each run, ~3 ms each)."""
    return _sealed_templates(cache_home_names())


@functools.cache  # one open folder a process (per cache home, which tests change)
def _sealed_templates(homes: tuple[str, str]) -> SealedTemplates | None:
    folder = open_private_folder(f"notes-{compiler_digest()}")
    return SealedTemplates(folder) if folder is not None else None


def _file_name(bucket: Bucket) -> str:
    return f"{bucket.key}.sealed"


def _kind(bucket: Bucket) -> str:
    return f"notes-template {bucket.key}"

