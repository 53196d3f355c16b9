"""YAML files as the last build parsed them, kept in output/.cache/ so that an unchanged file is
not parsed again.

Parsing a file with the position of every value is most of what checking a deck costs: ~15 ms
for the sample's twenty files, each build, as much as writing a dozen slides. Reading the parse
back costs a tenth of that. An entry is found by the file's bytes; the whole cache holds only while
the parser is the same (studydeck's code, PyYAML's version, libyaml or not). Entries are plain data
kept with `marshal`, the file sealed with this user's key (source/sealed.py): marshal decodes
only bytes this user's studydeck wrote, never a file that came with the project (11 bytes of it
can crash the interpreter). What a file parses to (data, positions, warnings) is load.py's
business.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from studydeck.source.sealed import KeptEntries, read_sealed_table, write_sealed_table

CACHE_FILE = Path(".cache") / "parsed-yaml.marshal"
KIND = "parsed-yaml"  # what the seal says the file holds
FORMAT = 1  # raise when what an entry holds changes shape


_kept: KeptEntries[bytes] | None = None  # set while remembered_parses is active


@contextmanager
def remembered_parses(output_dir: Path, parser: str, *, read_only: bool = False
                      ) -> Iterator[None]:
    """Reuse the parses the last build kept; after a successful build, keep this one's.

    `parser` names the parser (entries of another are not reused). A check that writes nothing
    (`validate`) only reads them (`read_only`).
    """
    global _kept
    cache = output_dir / CACHE_FILE
    stored = _read(cache, parser)
    _kept = KeptEntries(stored)
    try:
        yield
        used = _kept.used
    finally:
        _kept = None
    if not read_only and used.keys() != stored.keys():
        write_sealed_table(cache, KIND, (FORMAT, parser), used)


def recall(key: bytes) -> Any | None:
    """Give the entry kept under `key` (new objects at each call), or None."""
    if _kept is None:
        return None
    packed = _kept.stored.get(key)
    if packed is None:
        return None
    try:
        entry = marshal.loads(packed)
    except (EOFError, ValueError, TypeError):
        return None
    _kept.used[key] = packed
    return entry


def keep(key: bytes, entry: Any) -> None:
    """Keep `entry` under `key` when a cache is in use and `entry` is plain data."""
    if _kept is None:
        return
    with contextlib.suppress(ValueError):  # a value marshal cannot hold (load.py turns dates
        _kept.used[key] = marshal.dumps(entry)  # into text): that file is parsed again next time


def _read(cache: Path, parser: str) -> dict[bytes, bytes]:
    stored = read_sealed_table(cache, KIND, (FORMAT, parser))
    return {key: packed for key, packed in stored.items()
            if isinstance(key, bytes) and isinstance(packed, bytes)}
