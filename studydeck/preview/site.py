"""The preview's folder (output/preview/): the viewer page and every click state as a picture.

The pictures come from the render cache every export shares (output/.cache/renders/, see
studydeck.export.pictures): after a rebuild only states whose look changed go through
LibreOffice again, and a preview after an export (or an export after a preview) renders nothing.
Each picture is copied into the preview's folder under its key, the one folder the server serves.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studydeck.clicks import StateChoice
from studydeck.export.options import ExportProgress
from studydeck.export.pictures import Renders, StatePicture, state_pictures
from studydeck.export.render_cache import RenderCache
from studydeck.export.workers import WorkerPool
from studydeck.pptx.read import DeckInfo
from studydeck.pptx.render_key import open_deck, render_deck
from studydeck.preview.page import ShownState, viewer_slides, write_viewer
from studydeck.source.files import delete_file, real_folder, write_atomically
from studydeck.source.folder import ProjectFolder

SLIDES = "slides"
EVENTS = "/events"
# the names of the files the preview writes (and wrote before it shared the render cache)
OURS = re.compile(r"[0-9a-f]+(-\d+)?\.(png|json)")


@dataclass(frozen=True)
class Update:
    """What a rebuild changed in the page: the first changed slide, how many states were
    rendered (the others were kept from before)."""

    first_changed: int | None
    rendered: int


class PreviewSite:
    """Keeps output/preview/ up to date with the built deck, rendering only changed states."""

    def __init__(self, paths: ProjectFolder, pool: WorkerPool, *, dpi: float = 96,
                 clocks: Callable[[], dict[str, str]] = dict) -> None:
        self.folder = paths.output_dir / "preview"
        self.images = self.folder / SLIDES
        real_folder(self.images)  # never a link out of the project: its files get deleted
        self.cache = RenderCache(paths.output_dir)
        self.pool = pool
        self.dpi = dpi
        self.clocks = clocks
        self.shown: list[str] = []  # the keys of the slides the page shows now
        self.written: set[str] = set()  # pictures this preview wrote: the only ones it trusts
        self.pictures: set[str] = set()  # the pictures the page shows now

    def update(self, deck: Path, progress: ExportProgress | None = None) -> Update:
        """Render what changed in `deck`, rewrite the page; say what changed."""
        self.cache.now = time.time()  # what this update uses is what was used last
        opened = open_deck(deck)  # read once: for the keys, then for the states to render
        slides, info = render_deck(deck, opened)
        with tempfile.TemporaryDirectory(prefix=".render-", dir=self.folder) as work:
            renders = Renders(self.pool, self.cache, Path(work), progress or ExportProgress(),
                              opened=opened)
            pictures = state_pictures(deck, StateChoice.every_click, self.dpi, renders, slides)
        self._write_pictures(pictures)
        shown = [(picture.page, picture.rendered.title,
                  ShownState(f"{SLIDES}/{picture.key}.png", picture.rendered.lines))
                 for picture in pictures]
        thumbs = [slide.handout_state for slide in slides]
        write_viewer(self.folder, info, viewer_slides(info, shown, thumbs, self.clocks()),
                     events=EVENTS)
        keys = [slide.key for slide in slides]
        changed = [number for number, key in enumerate(keys, start=1)
                   if number > len(self.shown) or self.shown[number - 1] != key]
        if len(keys) < len(self.shown) and not changed:
            changed = [len(keys)]  # slides removed at the end
        names = {f"{picture.key}.png" for picture in pictures}
        self._forget_unused(names | self.pictures)  # an undo brings back those just replaced
        self.shown, self.pictures = keys, names
        return Update(changed[0] if changed else None, renders.count)

    def show_nothing(self) -> None:
        """Write an empty page (the first build failed): it still shows the problems."""
        empty = DeckInfo("studydeck preview", "", [], [])
        write_viewer(self.folder, empty, [], events=EVENTS)

    def _write_pictures(self, pictures: list[StatePicture]) -> None:
        """Write into the served folder each picture not written there by this preview yet."""
        for picture in pictures:
            name = f"{picture.key}.png"
            if name not in self.written:  # one found there from before may be anyone's
                write_atomically(self.images / name, picture.rendered.picture)
                self.written.add(name)

    def _forget_unused(self, kept: set[str]) -> None:
        """Delete the pictures of the preview's folder that are not in `kept`."""
        for file in real_folder(self.images).iterdir():
            if OURS.fullmatch(file.name) and file.name not in kept:
                delete_file(file)
                self.written.discard(file.name)
