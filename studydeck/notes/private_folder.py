"""Folders only this user can open: where a deck's notes templates are kept compiled."""

from __future__ import annotations

import os
import stat


def own_folder(path: str) -> str | None:
    """Give `path`, made (mode 700) if missing, if it is a real folder (not a link) of this
    user's that nobody else can open; None if it is not, or cannot be made."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        found = os.lstat(path)
    except OSError:
        return None
    private = (stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
               and stat.S_IMODE(found.st_mode) & 0o077 == 0)
    return path if private else None
