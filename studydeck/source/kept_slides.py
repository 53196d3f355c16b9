"""Each chapter's written slides, kept from the last build and reused while their sources stay.

A rebuild after an edit writes only the slides it changed again; the others come from
output/.cache/slides/, one file per chapter. A file is used only under the key it was kept with:
the deck's settings and look (theme, words, reveal, the template file's bytes), the order and
clock times of the chapters, the fonts text is measured with, and studydeck's own code and
version; in it, each slide has a key of its own (its planned slide, pictures and what else it is
made from: studydeck/pptx/reuse.py). Anything else — a missing, unreadable or stale entry — is a
miss, and the slide is written as a cold build writes it. What an entry holds is the writer's
business: here it is plain data kept with `marshal`, each file sealed with this user's key
(source/sealed.py) so that marshal decodes only what this user's studydeck wrote."""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from studydeck.source.fingerprint import code_fingerprint, digest
from studydeck.source.sealed import read_sealed, write_sealed

CACHE_DIR = Path(".cache") / "slides"
FORMAT = 2  # raise when what an entry holds changes shape
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


class SlideStore:
    """Entries of one kind of output ("deck" or "chapter") in one folder, under a shared key.

    A chapter's slides differ between the whole deck and the chapter's own file (its number,
    the agenda), so the two keep separate entries and do not evict each other.
    """

    def __init__(self, folder: Path, slot: str) -> None:
        self.folder = folder
        self.slot = slot
        self.shared = ""  # what every chapter depends on; set by `depend_on`
        self._expected: Collection[str] = ()
        self._ready: Callable[[], object] = lambda: None

    def depend_on(self, *things: object) -> None:
        """Make every key also depend on `things` (given as their repr), on top of the code."""
        self.shared = digest(code_fingerprint(), *things)

    def key(self, chapter_id: str) -> str:
        """Give the key a chapter's file is kept under: the shared key and the chapter."""
        return digest(self.shared, chapter_id)

    def expect(self, chapter_ids: Collection[str], ready: Callable[[], object]) -> None:
        """Say that the entries of `chapter_ids` are being kept by someone else (a helper
        process): loading one of them first waits for `ready` to return."""
        self._expected, self._ready = chapter_ids, ready

    def has_entry(self, chapter_id: str) -> bool:
        """Tell whether anything is kept for `chapter_id` (current or not)."""
        return self._path(chapter_id).is_file()

    def load(self, chapter_id: str, key: str) -> Any | None:
        """Give the data kept for `chapter_id` under `key`; None when there is none."""
        if chapter_id in self._expected:
            self._ready()
        sealed = read_sealed(self._path(chapter_id), self.slot)
        if sealed is None:
            return None
        try:
            stored = marshal.loads(sealed)
        except (EOFError, ValueError, TypeError):
            return None
        if not (isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, key)):
            return None
        return stored[2]

    def save(self, chapter_id: str, key: str, data: Any) -> None:
        """Keep `data` as the slides of `chapter_id` under `key` (replacing what was kept)."""
        write_sealed(self._path(chapter_id), self.slot, marshal.dumps((FORMAT, key, data)))

    def _path(self, chapter_id: str) -> Path:
        # chapter ids are slugs; anything else is named by its hash rather than trusted as a name
        name = chapter_id if SAFE_NAME.fullmatch(chapter_id) else digest(chapter_id)[:24]
        return self.folder / f"{name}.{self.slot}"
