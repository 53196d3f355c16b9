"""Click-state pictures kept between exports in output/.cache/renders/, found by how they look.

A picture's key covers its slide's look (pptx/render_key.py), its click state, the resolution and
what renders it: LibreOffice's version, the fonts it can find, the code that renders. The index,
sealed with this user's key like every cache (source/sealed.py), holds each picture's SHA-256 and
the text its state shows; a picture whose bytes do not match it is rendered again.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import studydeck
from studydeck.export import libreoffice as lo
from studydeck.source.files import delete_file, read_regular_file, real_folder, write_atomically
from studydeck.source.fingerprint import digest
from studydeck.source.sealed import read_sealed_json, write_sealed_json

CACHE_DIR = Path(".cache") / "renders"
INDEX_FILE = "index"
INDEX_KIND = "render-index-1"
LOCK_FILE = "index.lock"
LOCK_PATIENCE = 10.0  # seconds; a save takes milliseconds
KEEP = 3000  # files kept at most; those used longest ago go first
MAX_FILE = 512 * 1024 * 1024
# the code between a built deck and its pictures: a change elsewhere changes the deck, or nothing
RENDER_CODE = tuple(Path(studydeck.__file__).parent / name for name in (
    "pptx/states.py", "pptx/render_key.py", "export/uno_worker.py", "export/basic_macro.py",
    "export/raster.py", "export/pictures.py"))
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")


@dataclass(frozen=True)
class Rendered:
    """One click state as rendered: its PNG bytes, its slide's title and the text it shows."""

    picture: bytes
    title: str
    lines: tuple[str, ...]


def read_index(folder: Path) -> dict[str, Any]:
    """Give the render index this user's studydeck sealed in `folder`, or an empty one."""
    return read_sealed_json(folder / INDEX_FILE, INDEX_KIND) or {}


def write_index(folder: Path, index: dict[str, Any]) -> None:
    """Keep the render index in `folder`, sealed with this user's key."""
    write_sealed_json(folder / INDEX_FILE, INDEX_KIND, index)


def picture_key(slide_key: str, state: int, dpi: float) -> str:
    """Give the key of a slide's state rendered at `dpi` by this LibreOffice and these fonts."""
    return digest(render_environment(), slide_key, state, f"{dpi:g}")[:32]


@functools.cache  # one export asks hundreds of times; fonts do not change while it runs
def render_environment() -> str:
    """Give a digest of what renders a deck besides the deck: LibreOffice, fonts, studydeck."""
    soffice = os.path.realpath(lo.require(lo.SOFFICE, "soffice"))
    version = Path(soffice).with_name("versionrc")
    return digest(studydeck.__version__, [_file_text(code) for code in RENDER_CODE],
                  _file_text(version), os.stat(soffice).st_mtime_ns,
                  _file_text(lo.FONTS_CONF), _font_folders())


def _file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _font_folders() -> list[tuple[str, int]]:
    """Give every font folder and its time: adding or removing a font changes its folder's."""
    found = []
    for top in FONT_FOLDERS:
        for folder, _, _ in os.walk(os.path.expanduser(top)):
            found.append((folder, os.stat(folder).st_mtime_ns))
    return found


class RenderCache:
    """The pictures kept in output/.cache/renders/ and the index that vouches for them."""

    def __init__(self, output_dir: Path) -> None:
        self.folder = real_folder(output_dir / CACHE_DIR)  # made only if no link leads out
        index = read_index(self.folder)
        files = index.get("files") if isinstance(index, dict) else None
        self.entries: dict[str, Any] = files if isinstance(files, dict) else {}
        self.lock = threading.Lock()
        self.now = time.time()
        # pictures found or kept by this cache: a preview asks for every one after each save
        self.known: dict[str, Rendered] = {}

    def find(self, key: str) -> Rendered | None:
        """Give the picture kept under `key`, if its bytes are the ones the index vouches for."""
        if key in self.known:
            self.entries[f"{key}.png"]["used"] = self.now
            return self.known[key]
        picture = self.find_file(f"{key}.png")
        if picture is None:
            return None
        entry = self.entries[f"{key}.png"]
        self.known[key] = Rendered(picture, str(entry.get("title", "")),
                                   tuple(str(line) for line in entry.get("lines", [])))
        return self.known[key]

    def keep(self, key: str, picture: Path, title: str, lines: tuple[str, ...]) -> Rendered:
        """Move the rendered `picture` into the cache under `key`; give it."""
        data = picture.read_bytes()
        self.keep_file(f"{key}.png", data, title=title, lines=list(lines))
        with self.lock:
            self.known[key] = Rendered(data, title, lines)
        return self.known[key]

    def find_file(self, name: str) -> bytes | None:
        """Give the bytes of the file kept as `name`, if the index vouches for them."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict):
            return None
        data = read_regular_file(self.folder / name, MAX_FILE)
        if data is None or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            return None
        entry["used"] = self.now
        return data

    def keep_file(self, name: str, data: bytes, **about: Any) -> None:
        """Keep `data` as the file `name`, with what else the index says `about` it."""
        write_atomically(self.folder / name, data)
        with self.lock:
            self.entries[name] = {"sha256": hashlib.sha256(data).hexdigest(), "used": self.now,
                                  **about}

    def find_record(self, name: str) -> Any:
        """Give the value kept as `name` (see keep_record), or None."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or "record" not in entry:
            return None
        entry["used"] = self.now
        return entry["record"]

    def keep_record(self, name: str, record: Any) -> None:
        """Keep `record` (plain JSON data) in the index itself as `name`."""
        with self.lock:
            self.entries[name] = {"record": record, "used": self.now}

    def save(self) -> None:
        """Write the index, with what others (a preview and an export at once) kept in it since
        it was read, dropping (with their files) the pictures used longest ago."""
        with self.lock, _index_lock(self.folder):
            saved = read_index(self.folder)
            self._merge(saved.get("files") if isinstance(saved, dict) else None)
            by_use = sorted(self.entries, key=lambda key: _time_of(self.entries[key]),
                            reverse=True)
            for name in by_use[KEEP:]:
                del self.entries[name]
                self.known.pop(name.removesuffix(".png"), None)
                delete_file(self.folder / name)
            write_index(self.folder, {"files": self.entries})

    def _merge(self, theirs: Any) -> None:
        """Add to this index the entries of the index as saved now (`theirs`, vouched for by its
        seal); of a file both kept, the entry of the bytes that are there now."""
        if not isinstance(theirs, dict):
            return
        for name, entry in theirs.items():
            ours = self.entries.get(name)
            if not isinstance(entry, dict):
                continue
            if ours is None:
                self.entries[name] = entry
                continue
            used = max(_time_of(ours), _time_of(entry))
            if "sha256" in entry and ours.get("sha256") != entry["sha256"] and (
                    self._file_sha256(name) == entry["sha256"]):
                self.entries[name] = entry  # written after ours: the file is theirs
                self.known.pop(name.removesuffix(".png"), None)
            self.entries[name]["used"] = used

    def _file_sha256(self, name: str) -> str | None:
        data = read_regular_file(self.folder / name, MAX_FILE)
        return hashlib.sha256(data).hexdigest() if data is not None else None


def _time_of(entry: Any) -> float:
    used = entry.get("used", 0) if isinstance(entry, dict) else 0
    return float(used) if isinstance(used, int | float) else 0.0


@contextmanager
def _index_lock(folder: Path) -> Iterator[None]:
    """Hold the index's lock (a file beside it) in the block, so that two commands saving at
    once merge, one after the other. A lock file that is no plain file of the folder (a link
    shipped with the project) is not opened, and a lock held too long is not waited for: the
    index is then saved as before, without it."""
    try:
        handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                         | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except OSError:
        yield
        return
    try:
        if stat.S_ISREG(os.fstat(handle).st_mode):
            deadline = time.monotonic() + LOCK_PATIENCE
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.005)
        yield
    finally:
        os.close(handle)  # lets go of the lock
