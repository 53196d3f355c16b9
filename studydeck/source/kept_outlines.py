"""Each chapter's planned slides as the last build planned them, kept in output/.cache/ so that a
rebuild after an edit plans again only the chapters whose plan could differ.

Planning a chapter (its titles' sizes, its text broken into lines, what continues on more
slides) is a tenth of an edited rebuild of the sample deck, and the same again for every chapter
left as it was. An entry is found by a key the outline makes (the chapter, its file's text and
everything deck-wide its plan depends on: studydeck/outline.py); what an entry holds is the
outline's business. Planned slides hold the chapter's models, so an entry is pickled; the file
is sealed with this user's key (source/sealed.py), so pickle decodes only bytes this user's
studydeck wrote, and even those may make no object but studydeck's own classes and paths.
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from studydeck.source.sealed import KeptEntries, read_sealed_table, write_sealed_table

CACHE_FILE = Path(".cache") / "planned-chapters.marshal"
KIND = "planned-chapters"  # what the seal says the file holds
FORMAT = 1  # raise when what an entry holds changes shape
PATH_CLASSES = ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")


_kept: KeptEntries[str] | None = None  # set while remembered_outlines is active


@contextmanager
def remembered_outlines(output_dir: Path, *, keep_all: bool = False,
                        read_only: bool = False) -> Iterator[None]:
    """Reuse the chapters' plans the last build kept; after a successful build, keep this one's.

    A whole-deck build keeps only the entries it used; a build of some chapters (`keep_all`)
    keeps the others too. A check that writes nothing (`validate`) only reads them (`read_only`).
    """
    global _kept
    cache = output_dir / CACHE_FILE
    stored = _read(cache)
    _kept = KeptEntries(stored)
    try:
        yield
        used = {**stored, **_kept.used} if keep_all else _kept.used
    finally:
        _kept = None
    if not read_only and used.keys() != stored.keys():
        write_sealed_table(cache, KIND, (FORMAT,), used)


def in_use() -> bool:
    """Tell whether plans are kept and looked up now (inside remembered_outlines)."""
    return _kept is not None


def recall(key: str) -> Any | None:
    """Give the entry kept under `key` (new objects at each call), or None."""
    if _kept is None:
        return None
    packed = _kept.used.get(key) or _kept.stored.get(key)
    if packed is None:
        return None
    try:
        entry = _OwnObjects(io.BytesIO(packed)).load()
    except Exception:  # noqa: BLE001 — whatever an entry cannot give is planned again
        return None
    _kept.used[key] = packed
    return entry


def keep(key: str, entry: Any) -> None:
    """Keep `entry` under `key` when plans are kept now and pickle can hold it."""
    if _kept is None:
        return
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        _kept.used[key] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


class _OwnObjects(pickle.Unpickler):
    """Unpickles only studydeck's own classes and paths (no function, no other module)."""

    def find_class(self, module: str, name: str) -> Any:
        if module in ("pathlib", "posixpath") and name in PATH_CLASSES:
            return getattr(pathlib, name)
        if module.startswith("studydeck.") and name.isidentifier():
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in a plan")


def _read(cache: Path) -> dict[str, bytes]:
    stored = read_sealed_table(cache, KIND, (FORMAT,))
    return {key: packed for key, packed in stored.items()
            if isinstance(key, str) and isinstance(packed, bytes)}
