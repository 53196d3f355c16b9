"""Write compiled.json: studydeck's own notes templates compiled to Python by the notes sandbox.

Run by `make notes-templates` (python -m studydeck.notes.precompile) after editing a template in
studydeck/templates/notes/; studydeck.notes.compiled says why and how the code is used.
"""

from __future__ import annotations

from pathlib import Path

from studydeck.notes.compiled import PRECOMPILED, precompiled_text
from studydeck.notes.render import DEFAULT_TEMPLATES, notes_environment
from studydeck.source.files import write_atomically


def write_precompiled() -> Path:
    """Compile studydeck's own notes templates into compiled.json; give its path."""
    text = precompiled_text(notes_environment(DEFAULT_TEMPLATES), DEFAULT_TEMPLATES)
    return write_atomically(PRECOMPILED, text.encode("utf-8"))


if __name__ == "__main__":
    print(f"wrote {write_precompiled()}")
