"""One LibreOffice kept running, converting decks to PDF on request (run by the system Python).

This file runs under the Python that has UNO (Debian's python3-uno), not studydeck's: it imports
nothing of studydeck. It starts its own `soffice` (in the process group it leads), then reads one
JSON request a line on stdin, `{"deck": PATH, "pdf": PATH, "notes": false, "pictures": false}`
(`pictures`: the PDF is only drawn as pictures, so its images need not be small), and answers each
with one JSON line on stdout, `{"ok": true}` or `{"error": "..."}`. When stdin closes (studydeck
is gone, however it ended), it ends LibreOffice and itself, and removes LibreOffice's profile and
the sockets it leaves in /tmp (their paths follow the pipe's name on its command line).

Every text's Asian–Latin autospacing is turned off before the PDF is written: LibreOffice
imports each paragraph of a .pptx with it on, and it puts spaces that are not in the text
between Hangul and Latin letters or punctuation ("DB 에서", "묻는다 ."). No paragraph of an
imported deck sets it (OOXML has no attribute for it): every text, in a text box, a placeholder,
a table cell, a group at any depth or a notes page, takes the document's default, so one call
turns it off everywhere (the Basic macro of plain `soffice` runs does the same: basic_macro.py).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]  # the system Python's

START_TIMEOUT = 90.0
AUTOSPACE = "ParaIsCharacterDistance"
NOTES_FILTER = {"ExportNotesPages": True, "ExportOnlyNotesPages": True}
# images kept as they are, not resampled and made JPEGs: a fifth faster, and sharper pictures
PICTURES_FILTER = {"ReduceImageResolution": False, "UseLosslessCompression": True}


def main() -> None:
    soffice, profile_url, pipe, *sockets = sys.argv[1:]
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile_url}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = _connect(pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        _answer({"ok": True, "ready": True})
        for line in sys.stdin:
            reply, document = _convert_request(desktop, json.loads(line))
            if "error" in reply and _ended(office):
                return  # LibreOffice died: this worker ends, and studydeck starts another
            _answer(reply)
            if document is not None:  # closed once studydeck has its PDF (or never, if it ends)
                document.close(True)
    finally:
        _end(office, uno.fileUrlToSystemPath(profile_url), sockets)


def _end(office: subprocess.Popen[bytes], profile: str, sockets: list[str]) -> None:
    """End LibreOffice and its helpers, remove its `profile` and the `sockets` it leaves in /tmp
    (studydeck removes them when it ends a worker, but not once it was killed), then end this
    process."""
    if os.getpgrp() != os.getpid():  # studydeck starts this in a session of its own
        office.kill()
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.killpg(0, signal.SIGTERM)  # LibreOffice ends at once, but leaves its sockets
    deadline = time.monotonic() + 5.0
    while _others_in_group() and time.monotonic() < deadline:  # none writes in the profile
        time.sleep(0.05)
    for socket in sockets:
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.lstat(socket).st_mode):
                os.unlink(socket)
    shutil.rmtree(profile, ignore_errors=True)
    os.killpg(0, signal.SIGKILL)  # whatever still runs, then this process


def _others_in_group() -> list[str]:
    """Give the other processes of this one's group that still run (not those ended)."""
    found = []
    for stat_file in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(stat_file, encoding="utf-8", errors="replace") as opened:
                fields = opened.read().rpartition(")")[2].split()
            pid = stat_file.split("/")[2]
            if fields[0] != "Z" and int(fields[2]) == os.getpid() and int(pid) != os.getpid():
                found.append(pid)
    return found


def _ended(office: subprocess.Popen[bytes]) -> bool:
    """Tell whether LibreOffice has ended (it may take a moment after its connection broke)."""
    try:
        office.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        return False
    return True


def _answer(reply: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def _connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert_request(desktop: Any, request: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Give the answer to `request`, and the document converted (still open), if any."""
    try:
        options = {**(NOTES_FILTER if request.get("notes") else {}),
                   **(PICTURES_FILTER if request.get("pictures") else {})}
        document = _convert(desktop, request["deck"], request["pdf"], options)
    except Exception as error:  # noqa: BLE001 - told to studydeck, which says it plainly
        return {"error": f"{type(error).__name__}: {getattr(error, 'Message', '') or error}"}, None
    return {"ok": True}, document


def _convert(desktop: Any, deck: str, pdf: str, options: dict[str, bool]) -> Any:
    """Write the PDF of `deck`; give the document, still open (closing it takes a tenth of a
    second studydeck need not wait for)."""
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(deck), "_blank", 0,
        _properties(Hidden=True, ReadOnly=True))
    try:
        _no_autospace(document)
        filter_data = _properties(**options)
        document.storeToURL(uno.systemPathToFileUrl(pdf), _properties(
            FilterName="impress_pdf_Export",
            FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)))
    except BaseException:
        document.close(True)
        raise
    return document


def _no_autospace(document: Any) -> None:
    """Turn Asian–Latin autospacing off in every text of `document`: all take its default."""
    document.createInstance("com.sun.star.drawing.Defaults").setPropertyValue(AUTOSPACE, False)


def _properties(**values: Any) -> tuple[Any, ...]:
    found = []
    for name, value in values.items():
        item = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        item.Name, item.Value = name, value
        found.append(item)
    return tuple(found)


if __name__ == "__main__":
    main()
