"""The sockets a LibreOffice leaves behind in /tmp when it is killed, found and removed.

Whatever TMPDIR says, LibreOffice binds its sockets in /tmp (in /var/tmp if /tmp is not
writable), as `OSL_PIPE_<uid>_<name>`: one to hand documents to a LibreOffice already running on
the same profile, named `SingleOfficeIPC_` and the MD5 of the profile's URL in UTF-16 (each byte
in hex, unpadded), and one per `--accept=pipe,name=…`. A LibreOffice that exits removes them; one
killed (as studydeck ends its group) leaves them, and each export would leave two or four.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))


def office_pipes(profile: Path, *accepted: str) -> list[Path]:
    """Give the paths of the sockets a LibreOffice on `profile` (run with
    `-env:UserInstallation=<profile.as_uri()>`) binds, with those it accepts connections on."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    names = ["SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest), *accepted]
    folder = next((path for path in PIPE_FOLDERS if os.access(path, os.W_OK)), PIPE_FOLDERS[0])
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return [folder / f"OSL_PIPE_{uid}_{name}" for name in names]


def remove_office_pipes(profile: Path, *accepted: str) -> None:
    """Remove those sockets that are left (only sockets: a file of that name is not ours)."""
    for path in office_pipes(profile, *accepted):
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(path.lstat().st_mode):
                path.unlink()
