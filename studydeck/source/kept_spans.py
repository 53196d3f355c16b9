"""The inline Markdown of a deck's texts as the last build read it, kept in output/.cache/ so that
a rebuild reads again only texts it has not seen.

A text without Markdown marks is one plain span, read without a parser; the others go through
markdown-it-py, whose import alone costs a rebuild after an edit about a twentieth of its time
although the edited chapter rarely holds a marked-up text that is new. An entry is a text and
its spans (studydeck/richtext.py); the whole cache holds only while studydeck's code and
markdown-it-py are the same. Entries are plain data kept with `marshal`, the file sealed with
this user's key (source/sealed.py), as the parses are (source/parse_cache.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studydeck import richtext
from studydeck.richtext import Span
from studydeck.source.fingerprint import code_fingerprint
from studydeck.source.sealed import read_sealed_table, write_sealed_table

CACHE_FILE = Path(".cache") / "inline-markdown.marshal"
KIND = "inline-markdown"  # what the seal says the file holds
FORMAT = 1  # raise when what an entry holds changes shape
Stored = list[tuple[str, bool, bool, bool, "str | None"]]


@contextmanager
def remembered_spans(output_dir: Path, *, keep_all: bool = False,
                     read_only: bool = False) -> Iterator[None]:
    """Reuse the spans the last build kept; after a successful build, keep this one's.

    A whole-deck build keeps the texts it used; a build of some chapters (`keep_all`) keeps the
    others too. A check that writes nothing (`validate`) only reads them (`read_only`).
    """
    cache = output_dir / CACHE_FILE
    reader = reader_identity()
    stored = _read(cache, reader)
    richtext.remember_spans({text: tuple(Span(*span) for span in found)
                             for text, found in stored.items()})
    yield
    if read_only:
        return
    used: dict[str, Stored] = {text: [(span.text, span.bold, span.italic, span.code, span.link)
                                      for span in found]
                               for text, found in richtext.used_spans().items()}
    kept = {**stored, **used} if keep_all else used
    if kept.keys() != stored.keys():
        write_sealed_table(cache, KIND, (FORMAT, reader), kept)


def reader_identity() -> str:
    """Name what reads the Markdown: studydeck's code and markdown-it-py's (its package's
    first file, which holds its version), found without importing it."""
    spec = importlib.util.find_spec("markdown_it")
    origin = spec.origin if spec is not None else None
    try:
        parser = hashlib.sha256(Path(origin).read_bytes()).hexdigest() if origin else "none"
    except OSError:
        parser = "unreadable"
    return f"{code_fingerprint()} markdown-it-py {parser}"


def _read(cache: Path, reader: str) -> dict[str, Stored]:
    stored = read_sealed_table(cache, KIND, (FORMAT, reader))
    return {text: found for text, found in stored.items()
            if isinstance(text, str) and _well_formed(found)}


def _well_formed(found: object) -> bool:
    return isinstance(found, list) and all(
        isinstance(span, tuple) and len(span) == 5 and isinstance(span[0], str)
        and all(isinstance(flag, bool) for flag in span[1:4])
        and (span[4] is None or isinstance(span[4], str)) for span in found)
