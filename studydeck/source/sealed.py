"""Caches a project's output/ holds, sealed with this user's key: read back only what this user's
studydeck wrote.

A project folder comes from anyone, its output/ included, so a cache entry is not trusted for
being there: each one carries an HMAC-SHA256 over its kind and its bytes, keyed with 32 random
bytes kept in this user's own cache folder (`~/.cache/studydeck/cache-key`, mode 600; see
source/private_folder.py). An entry that does not verify (written by someone else, edited, cut
short, of an older format) is ignored before anything decodes it, and the build makes it again.
Where the user has no private cache folder, the key lives only as long as the process, and
caches are remade each run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import marshal
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from studydeck.source.files import read_regular_file, write_atomically
from studydeck.source.private_folder import (
    cache_home_names,
    open_private_folder,
    write_private_file,
)

MAGIC = b"studydeck-sealed-1 "  # then the tag in hex, a line break and the entry
KEY_FILE = "cache-key"
KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size
MAX_ENTRY = 256 * 1024 * 1024  # a cache file larger than this is not read (nor a link, a FIFO)


def seal(kind: str, data: bytes) -> bytes:
    """Give `data` after a line holding the tag that proves this user's studydeck wrote it as a
    `kind` entry (a JSON cache stays readable text)."""
    return MAGIC + _tag(kind, data).hex().encode("ascii") + b"\n" + data


def unseal(kind: str, sealed: bytes) -> bytes | None:
    """Give the bytes `seal(kind, …)` sealed; None if they were not sealed so by this user."""
    header = len(MAGIC) + 2 * TAG_BYTES + 1
    if not sealed.startswith(MAGIC) or sealed[header - 1:header] != b"\n":
        return None
    tag, data = sealed[len(MAGIC):header - 1], sealed[header:]
    return data if hmac.compare_digest(tag, _tag(kind, data).hex().encode("ascii")) else None


def read_sealed(path: Path, kind: str) -> bytes | None:
    """Give the bytes sealed in the file at `path` as a `kind` entry, or None."""
    found = read_regular_file(path, MAX_ENTRY)
    return None if found is None else unseal(kind, found)


def write_sealed(path: Path, kind: str, data: bytes) -> Path:
    """Keep `data` at `path` sealed as a `kind` entry (written whole or not at all)."""
    return write_atomically(path, seal(kind, data))


def read_sealed_json(path: Path, kind: str) -> dict[str, Any] | None:
    """Give the JSON object sealed at `path` as a `kind` entry, or None."""
    data = read_sealed(path, kind)
    if data is None:
        return None
    try:
        found = json.loads(data)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def write_sealed_json(path: Path, kind: str, value: dict[str, Any]) -> Path:
    """Keep the JSON object `value` at `path`, sealed as a `kind` entry."""
    return write_sealed(path, kind, json.dumps(value, ensure_ascii=False).encode("utf-8"))


Key = TypeVar("Key", str, bytes)


@dataclass
class KeptEntries(Generic[Key]):
    """A sealed table's entries as read, and those this command looked up or added (what it
    keeps for the next one)."""

    stored: dict[Key, bytes]
    used: dict[Key, bytes] = field(default_factory=dict)


def read_sealed_table(path: Path, kind: str, header: tuple[str | int, ...]) -> dict[Any, Any]:
    """Give the table `write_sealed_table` kept at `path` as a `kind` entry under the same
    `header` (its format, and whatever else must be the same for the table to hold), else {}."""
    data = read_sealed(path, kind)
    if data is None:
        return {}
    try:
        found = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(found, tuple) and len(found) == len(header) + 1
            and found[:-1] == header and isinstance(found[-1], dict)):
        return {}
    return found[-1]


def write_sealed_table(path: Path, kind: str, header: tuple[str | int, ...],
                       table: dict[Any, Any]) -> Path:
    """Keep `table` (plain data) at `path` with its `header`, sealed as a `kind` entry."""
    return write_sealed(path, kind, marshal.dumps((*header, table)))


def _tag(kind: str, data: bytes) -> bytes:
    signer = hmac.new(_key(cache_home_names()), kind.encode("utf-8") + b"\0", hashlib.sha256)
    signer.update(data)
    return signer.digest()


@functools.cache  # read once a process (per cache home, which tests change)
def _key(homes: tuple[str, str]) -> bytes:
    """Give this user's cache key, made at first use; a key for this process alone if there is
    no private folder to keep it in."""
    folder = open_private_folder()
    if folder is None:
        return secrets.token_bytes(KEY_BYTES)
    try:
        return _kept_key(folder) or secrets.token_bytes(KEY_BYTES)
    finally:
        os.close(folder)


def _kept_key(folder: int) -> bytes | None:
    found = read_regular_file(Path(KEY_FILE), KEY_BYTES, folder=folder)
    if found is None:
        fresh = f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        with contextlib.suppress(OSError):
            write_private_file(folder, fresh, secrets.token_bytes(KEY_BYTES))
            # a link never replaces a key another process made meanwhile: the first stays
            with contextlib.suppress(FileExistsError):
                os.link(fresh, KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder,
                        follow_symlinks=False)
        with contextlib.suppress(OSError):
            os.unlink(fresh, dir_fd=folder)
        found = read_regular_file(Path(KEY_FILE), KEY_BYTES, folder=folder)
    return found if found is not None and len(found) == KEY_BYTES else None
