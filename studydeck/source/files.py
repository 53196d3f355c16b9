"""Writing output files so that a reader never sees half of one and a failure keeps the old;
reading back the JSON caches they hold."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PART = ".part"
# `.deck.pptx.<pid>.<random>.part`: the pid tells whether the writer may still be running
LEFTOVER = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.part$")


def read_json_object(path: Path) -> dict[str, Any] | None:
    """Give the JSON object stored at `path`, or None if it is missing, unreadable or not one."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_atomically(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `target`, then move it into place; give `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=PART,
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            # mkstemp makes a private file; outputs get the mode any new file would get
            os.fchmod(file.fileno(), 0o666 & ~_umask())
            file.write(data)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def remove_leftovers(folder: Path) -> None:
    """Delete the temporary files of writers that were killed (their process is gone)."""
    for path in folder.iterdir():
        found = LEFTOVER.match(path.name)
        if found and not _running(int(found.group(1))):
            path.unlink(missing_ok=True)


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
    target.parent.mkdir(parents=True, exist_ok=True)
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
