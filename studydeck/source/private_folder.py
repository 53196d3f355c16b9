"""This user's own cache folder (where the cache key and compiled notes templates are kept), used
only when nobody else can change it; files in it are opened relative to its folder, never through
a link.

XDG_CACHE_HOME is used only when it is an absolute path; ~/.cache otherwise (the XDG rules). A
folder is this user's own when it and every folder above it belong to this user (or root) and
nobody else can write in them (a shared folder like /tmp only with its sticky bit, which keeps
others from renaming what is ours): after `su` without `-` or `sudo -E`, XDG_CACHE_HOME may name
a folder of another account, who could otherwise swap ours for theirs. No such folder: None, and
callers keep nothing between runs.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def cache_homes() -> list[Path]:
    """Give the cache folders to try, first the one the XDG rules name."""
    homes = []
    named = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(named):
        homes.append(Path(named))
    home = os.path.expanduser("~")
    if os.path.isabs(home):
        homes.append(Path(home) / ".cache")
    return homes


def cache_home_names() -> tuple[str, str]:
    """Give what names the cache homes (XDG_CACHE_HOME, HOME): a key for what is kept per home."""
    return os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")


def open_private_folder(*names: str) -> int | None:
    """Give an open descriptor of `<cache home>/studydeck/<names…>` (each made with mode 700),
    if the folder is this user's own; None if no cache home is. The caller closes it."""
    found = _open_private(names)
    return found[0] if found else None


def private_folder(*names: str) -> Path | None:
    """Give the path of that folder, for a caller that needs a path rather than a descriptor."""
    found = _open_private(names)
    if found is None:
        return None
    os.close(found[0])
    return found[1]


def _open_private(names: tuple[str, ...]) -> tuple[int, Path] | None:
    for home in cache_homes():
        folder = _open_trusted(home)
        for name in ("studydeck", *names):
            folder = _open_own_subfolder(folder, name) if folder is not None else None
        if folder is not None:
            return folder, home.joinpath("studydeck", *names)
    return None


def _open_trusted(home: Path) -> int | None:
    """Open `home` (made, mode 700, if missing) if nobody else can change it or what is above."""
    with contextlib.suppress(OSError):
        os.makedirs(home, 0o700, exist_ok=True)
    try:
        if not all(_nobody_else_writes(os.lstat(folder), leaf=folder == home)
                   for folder in (home, *home.parents)):
            return None
        return os.open(home, FOLDER_FLAGS)
    except OSError:
        return None


def _nobody_else_writes(found: os.stat_result, *, leaf: bool) -> bool:
    if not stat.S_ISDIR(found.st_mode) or found.st_uid not in (os.getuid(), 0):
        return False
    shared = stat.S_IMODE(found.st_mode) & 0o022
    return not shared or (not leaf and bool(found.st_mode & stat.S_ISVTX))


def _open_own_subfolder(parent: int, name: str) -> int | None:
    """Open `name` in `parent` (made if missing) if it is a real folder only this user opens;
    `parent` is closed either way."""
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=parent)
        folder = os.open(name, FOLDER_FLAGS, dir_fd=parent)
    except OSError:
        return None
    finally:
        os.close(parent)
    found = os.fstat(folder)
    if found.st_uid != os.getuid() or stat.S_IMODE(found.st_mode) & 0o077:
        os.close(folder)
        return None
    return folder


def write_private_file(folder: int, name: str, data: bytes) -> None:
    """Put `data` in `folder` as `name` (mode 600), whole or not at all; OSError if it cannot."""
    temporary = f".{name}.{os.getpid()}.part"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
                     | os.O_CLOEXEC, 0o600, dir_fd=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
