"""Writing output files so that a reader never sees half of one and a failure keeps the old,
only into real folders of the project; deleting only files studydeck wrote; reading files
without following a link.

A project comes from anyone, and links survive git, tar and zip: an `output/preview/slides` that
links to another folder would have studydeck write and delete there. So every folder written or
deleted in that lies inside a project (below a folder holding deck.yaml) must be reached without
a link (`real_folder`), and a deletion removes only a regular file, relative to the opened folder.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studydeck.errors import DeckError

DECK_FILE = "deck.yaml"  # what makes a folder a project's (source/folder.py names it too)
PART = ".part"
# `.deck.pptx.<pid>.<random>.part`: the pid tells whether the writer may still be running
LEFTOVER = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.part$")


def read_regular_file(path: Path, limit: int, *, folder: int | None = None) -> bytes | None:
    """Give the bytes of the regular file at `path` (relative to the open `folder` if given)
    if it holds at most `limit`; None if it is missing, unreadable, larger, or no regular file
    (a link, a FIFO, a device)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                         dir_fd=folder)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as file:
            found = os.fstat(file.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > limit:
                return None
            return file.read(limit + 1)[:limit]
    except OSError:
        return None


def real_folder(folder: Path) -> Path:
    """Give `folder`, made if missing, once no folder on the way to it inside a project is a
    link or a file; raises DeckError naming the link otherwise."""
    folder = Path(os.path.abspath(folder))
    project: Path | None = None
    for step in (*reversed(folder.parents), folder):
        try:
            found = os.lstat(step)
        except FileNotFoundError:
            break
        if project is not None and not stat.S_ISDIR(found.st_mode):
            raise _not_a_folder(step, project, found)
        if project is None and stat.S_ISDIR(found.st_mode) and os.path.lexists(step / DECK_FILE):
            project = step
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _not_a_folder(step: Path, project: Path, found: os.stat_result) -> DeckError:
    shown = step.relative_to(project).as_posix()
    if stat.S_ISLNK(found.st_mode):
        message = f"{shown} is a link to {os.readlink(step)}; remove it"
        hint = "studydeck writes only into real folders of the project, never through a link"
    else:
        message = f"{shown} is a file where studydeck keeps a folder; remove it"
        hint = "studydeck writes its outputs into that folder"
    return DeckError.single(step, message, hint=hint)


def delete_file(path: Path) -> None:
    """Delete `path` if it is a regular file in a real folder of the project; nothing else."""
    if not os.path.lexists(path.parent):
        return
    folder = os.open(real_folder(path.parent),
                     os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        found = os.stat(path.name, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISREG(found.st_mode):
            os.unlink(path.name, dir_fd=folder)
    except FileNotFoundError:
        pass
    finally:
        os.close(folder)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `target`, then move it into place; give `target`.

    Raises DeckError if `target`'s folder is reached through a link inside the project.
    """
    real_folder(target.parent)
    remove_leftovers(target.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=PART,
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            # mkstemp makes a private file; outputs get the mode any new file would get
            os.fchmod(file.fileno(), 0o666 & ~_umask())
            file.write(data)
        os.replace(temp_name, target)
    except OSError as error:  # a full disk fails the write to a file with no name: say which
        Path(temp_name).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(target)) from error
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def remove_leftovers(folder: Path) -> None:
    """Delete the temporary files of writers that were killed (their process is gone)."""
    for path in folder.iterdir():
        found = LEFTOVER.match(path.name)
        if found and not _running(int(found.group(1))):
            delete_file(path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Give an empty folder beside `target` that replaces `target` whole once the block ends.

    If the block fails, the folder is removed and `target` keeps what it had.
    """
    real_folder(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, retired / target.name)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
