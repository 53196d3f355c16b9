"""One LibreOffice kept running, converting decks to PDF on request (run by the system Python).

This file runs under the Python that has UNO (Debian's python3-uno), not studydeck's: it imports
nothing of studydeck. It starts its own `soffice` (in the process group it leads), then reads one
JSON request a line on stdin, `{"deck": PATH, "pdf": PATH, "notes": false, "pictures": false}`
(`pictures`: the PDF is only drawn as pictures, so its images need not be small), and answers each
with one JSON line on stdout, `{"ok": true}` or `{"error": "..."}`. When stdin closes (studydeck
is gone, however it ended), it ends LibreOffice and itself.

Every text's Asian–Latin autospacing is turned off before the PDF is written: LibreOffice
imports each paragraph of a .pptx with it on, and it puts spaces that are not in the text
between Hangul and Latin letters or punctuation ("DB 에서", "묻는다 ."). The Basic macro that
studydeck put in the profile (basic_macro.py) does it inside LibreOffice, in one call: shape by
shape through UNO takes a call per property, a fifth of a small deck's conversion. Without the
macro, it is done from here.
"""

from __future__ import annotations

import json
import os
import signal
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
NO_AUTOSPACE_MACRO = ("vnd.sun.star.script:Standard.Module1.NoAutospaceOnPages"
                      "?language=Basic&location=application")


def main() -> None:
    soffice, profile_url, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile_url}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = _connect(pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        no_autospace = _macro(context, NO_AUTOSPACE_MACRO)
        _answer({"ok": True, "ready": True})
        for line in sys.stdin:
            _answer(_convert_request(desktop, no_autospace, json.loads(line)))
    finally:
        if os.getpgrp() == os.getpid():  # studydeck starts this in a session of its own
            os.killpg(0, signal.SIGKILL)  # LibreOffice and its helpers, then this process
        office.kill()


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


def _macro(context: Any, url: str) -> Any:
    """Give the Basic macro at `url` in the profile's own macros, or None if it is not there."""
    try:
        factory = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.provider.MasterScriptProviderFactory", context)
        return factory.createScriptProvider("").getScript(url)
    except Exception:  # noqa: BLE001 - no macro: the Python way below
        return None


def _convert_request(desktop: Any, no_autospace: Any,
                     request: dict[str, Any]) -> dict[str, Any]:
    try:
        options = {**(NOTES_FILTER if request.get("notes") else {}),
                   **(PICTURES_FILTER if request.get("pictures") else {})}
        _convert(desktop, no_autospace, request["deck"], request["pdf"], options)
    except Exception as error:  # noqa: BLE001 - told to studydeck, which says it plainly
        return {"error": f"{type(error).__name__}: {getattr(error, 'Message', '') or error}"}
    return {"ok": True}


def _convert(desktop: Any, no_autospace: Any, deck: str, pdf: str,
             options: dict[str, bool]) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(deck), "_blank", 0,
        _properties(Hidden=True, ReadOnly=True))
    notes = bool(options.get("ExportNotesPages"))
    try:
        if no_autospace is not None:
            for pages in (document.DrawPages, document.MasterPages):
                no_autospace.invoke((pages, notes), (), ())
        else:
            for page in _pages(document, notes=notes):
                _no_autospace(page)
        filter_data = _properties(**options)
        document.storeToURL(uno.systemPathToFileUrl(pdf), _properties(
            FilterName="impress_pdf_Export",
            FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)))
    finally:
        document.close(True)


def _pages(document: Any, notes: bool) -> list[Any]:
    """Give every page whose text the PDF shows: slides, their masters, notes pages if asked."""
    pages = []
    for collection in (document.DrawPages, document.MasterPages):
        for index in range(collection.Count):
            page = collection.getByIndex(index)
            pages.append(page)
            if notes:
                pages.append(page.NotesPage)
    return pages


def _no_autospace(shapes: Any) -> None:
    for index in range(shapes.Count):
        shape = shapes.getByIndex(index)
        if shape.supportsService("com.sun.star.drawing.GroupShape"):
            _no_autospace(shape)
        elif shape.supportsService("com.sun.star.drawing.TableShape"):
            _no_autospace_in_table(shape.Model)
        elif shape.getPropertySetInfo().hasPropertyByName(AUTOSPACE):
            shape.setPropertyValue(AUTOSPACE, False)


def _no_autospace_in_table(table: Any) -> None:
    for row in range(table.Rows.Count):
        for column in range(table.Columns.Count):
            table.getCellByPosition(column, row).setPropertyValue(AUTOSPACE, False)


def _properties(**values: Any) -> tuple[Any, ...]:
    found = []
    for name, value in values.items():
        item = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        item.Name, item.Value = name, value
        found.append(item)
    return tuple(found)


if __name__ == "__main__":
    main()
