"""Edit a deck in LibreOffice Impress itself, through UNO, and save it as .pptx.

Run by the system Python that has UNO (python3-uno), not studydeck's:
`python3 tests/impress_edit.py DECK TARGET PROFILE_DIR 'SLIDE|OLD|NEW' ...` replaces OLD by NEW
in the first text portion holding it on slide SLIDE (from 1; -1 is the last), or in its speaker
notes when OLD starts with `notes:`. Each portion keeps its look, as an edit in Impress does.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

PPTX_FILTER = "Impress MS PowerPoint 2007 XML"


def main() -> None:
    deck, target, profile = (Path(argument).resolve() for argument in sys.argv[1:4])
    pipe = f"studydeck-pull-{profile.name}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        document = _desktop(pipe).loadComponentFromURL(deck.as_uri(), "_blank", 0,
                                                        (_property("Hidden", True),))
        for edit in sys.argv[4:]:
            number, old, new = edit.split("|")
            pages = document.DrawPages
            page = pages.getByIndex(int(number) - 1 if int(number) > 0
                                    else pages.Count + int(number))
            notes = old.startswith("notes:")
            _replace(page.NotesPage if notes else page, old.removeprefix("notes:"), new)
        document.storeToURL(target.as_uri(), (_property("FilterName", PPTX_FILTER),))
        document.close(True)
    finally:
        office.terminate()
        office.wait(30)


def _desktop(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context)
        except Exception:  # LibreOffice is still starting
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start")


def _property(name: str, value: object) -> Any:
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def _shapes(container: Any) -> Iterator[Any]:
    for index in range(container.Count):
        shape = container.getByIndex(index)
        yield shape
        if shape.ShapeType == "com.sun.star.drawing.GroupShape":
            yield from _shapes(shape)


def _replace(container: Any, old: str, new: str) -> None:
    for shape in _shapes(container):
        if not hasattr(shape, "String") or old not in shape.String:
            continue
        paragraphs = shape.Text.createEnumeration()
        while paragraphs.hasMoreElements():
            portions = paragraphs.nextElement().createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                if old in portion.String:
                    portion.String = portion.String.replace(old, new, 1)
                    return
    raise SystemExit(f"'{old}' is on no shape of that slide")


if __name__ == "__main__":
    main()
