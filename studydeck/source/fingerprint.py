"""Digests that key what a build keeps: of values, of files, and of studydeck's own code."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISREG

import studydeck


def digest(*things: object) -> str:
    """Give a SHA-256 over the reprs of `things` (models, dataclasses, paths and text)."""
    hashed = hashlib.sha256()
    for thing in things:
        hashed.update(repr(thing).encode("utf-8", "surrogatepass"))
        hashed.update(b"\x00")
    return hashed.hexdigest()


def file_digests(paths: Iterable[Path]) -> dict[Path, str]:
    """Give each file's SHA-1 (as python-pptx names a picture); an unreadable file gives ''."""
    found: dict[Path, str] = {}
    for path in paths:
        try:
            found[path] = hashlib.sha1(path.read_bytes()).hexdigest()
        except OSError:
            found[path] = ""
    return found


@functools.cache  # the code a process runs does not change while it runs
def code_fingerprint() -> str:
    """Give studydeck's version and the name, size and time of each of its files.

    An installed release changes only with its version, but a working copy changes as it is
    edited: either way slides written by other code are not reused.
    """
    return digest(studydeck.__version__, _package_files())


def _package_files() -> list[tuple[str, int, int]]:
    """Give the name (inside the package), size and time of every file of studydeck."""
    package = os.path.dirname(studydeck.__file__)
    found = []
    # os.walk and plain strings: a fifth of what Path.rglob takes, on every build's start
    for folder, folders, files in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        inside = os.path.relpath(folder, package).replace(os.sep, "/")
        for name in files:
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            if S_ISREG(stat.st_mode):
                found.append((name if inside == "." else f"{inside}/{name}", stat.st_size,
                              stat.st_mtime_ns))
    return sorted(found)
