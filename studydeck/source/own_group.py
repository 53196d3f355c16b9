"""Programs (LibreOffice) run in a process group of their own, ended with everything they started,
and the folders they wrote in removed only once none of them runs.

`soffice` starts `soffice.bin`, which goes on converting (and writing its profile) after `soffice`
is killed: a group of its own is ended with one signal, and a terminal's Ctrl-C reaches only
studydeck, which ends it. Killed processes are not gone at once: one still ending could write
in a folder just removed, so the removal waits until every one of them has ended. Those that
ended but that their parent has not collected yet (zombies, held by init for up to seconds)
write nothing and are not waited for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

ENDING_PATIENCE = 5.0  # seconds killed processes may take to end before their folder is removed


def environment_with_temp_in(folder: Path, **extra: str) -> dict[str, str]:
    """Give this process's environment (and `extra`) with TMPDIR a new folder inside `folder`:
    what a killed LibreOffice leaves in its temporary folder (lu*.tmp) goes with `folder`."""
    temp = folder / "tmp"
    temp.mkdir(exist_ok=True)
    return {**os.environ, **extra, "TMPDIR": str(temp)}


def run_in_own_group(command: list[str], *, env: dict[str, str], timeout: float,
                     ) -> tuple[int, list[str]]:
    """Give the exit code and output lines (stdout and stderr) of `command`, run in a group of
    its own; on timeout (subprocess.TimeoutExpired), Ctrl-C or SIGTERM its group is ended."""
    with subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          start_new_session=True) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except BaseException:
            end_group(process)
            raise
    return process.returncode, output.strip().splitlines()


def end_group(process: subprocess.Popen[Any], patience: float = ENDING_PATIENCE) -> None:
    """Kill `process` and every process of the group it leads; return once none of them runs
    (or after `patience` seconds)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):  # ValueError: pipes closed
        process.communicate(timeout=patience)  # its output read to the end, its pipes closed
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=patience)
    deadline = time.monotonic() + patience
    while _group_runs(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def remove_folder(folder: Path) -> None:
    """Remove `folder` and everything in it, if it is there; a file that appears meanwhile does
    not stop it, nor does a folder removed already."""
    for _ in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.05)


def _group_runs(group: int) -> bool:
    """Tell whether a process of `group` still runs (one ended but not collected does not)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the number was taken by another user's group: ours ended
        return False
    if not Path("/proc").is_dir():  # no /proc (macOS): only the group's end tells
        return True
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # pid (name) state ppid pgrp …: the name may hold spaces and parentheses
            state, _, process_group = stat.read_text().rpartition(")")[2].split()[:3]
            if int(process_group) == group and state not in ("Z", "X"):
                return True
    return False
