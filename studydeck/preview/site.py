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
from studydeck.pptx.render_key import RenderSlide, render_deck
from studydeck.pptx.states import Page
from studydeck.pptx.written_deck import WrittenDeck
from studydeck.preview.page import ShownState, viewer_slides, write_viewer
from studydeck.preview.server import PICTURES
from studydeck.source.files import delete_file, real_folder, write_atomically
from studydeck.source.folder import ProjectFolder

SLIDES = PICTURES  # served to be kept: a picture named by its key never changes
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

    def __init__(self, paths: ProjectFolder, pool: WorkerPool, *, dpi: float = 96) -> None:
        self.folder = paths.output_dir / "preview"
        self.images = self.folder / SLIDES
        real_folder(self.images)  # never a link out of the project: its files get deleted
        self.cache = RenderCache(paths.output_dir)
        self.pool = pool
        self.dpi = dpi
        self.shown: list[str] = []  # the keys of the slides the page shows now
        self.written: set[str] = set()  # pictures this preview wrote: the only ones it trusts
        self.pictures: set[str] = set()  # the pictures the page shows now
        self.last: list[StatePicture] = []  # and what they show

    def update(self, deck: Path, progress: ExportProgress | None = None,
               clocks: dict[str, str] | None = None, *,
               first_shown: Callable[[Update], None] | None = None) -> Update:
        """Render what changed in `deck`, rewrite the page (`clocks`: each chapter's time slot
        by its title); say what changed.

        With `first_shown`, when other slides changed too, the clicks of the slide the page
        turns to (the first changed) are rendered first and the page written with them (the
        other changed slides as they were), then `first_shown` is told, before the others are
        rendered.
        """
        self.cache.now = time.time()  # what this update uses is what was used last
        written = WrittenDeck(deck)  # read once: for the keys, then for the states to render
        slides, info = render_deck(written)
        keys = [slide.key for slide in slides]
        first_changed = self._first_changed(keys)
        with tempfile.TemporaryDirectory(prefix=".render-", dir=self.folder) as work:
            renders = Renders(self.pool, self.cache, Path(work), progress or ExportProgress(),
                              read=written, save_index=False)  # saved once the page shows it
            if first_shown is not None and first_changed is not None:
                turned_to = {Page(first_changed, state)
                             for state in range(slides[first_changed - 1].count + 1)}
                early = state_pictures(deck, StateChoice.every_click, self.dpi, renders, slides,
                                       wanted=turned_to)
                if renders.count and self._others_changed(slides, early, first_changed):
                    self._show(info, slides, self._as_before(early, len(slides)), clocks)
                    first_shown(Update(first_changed, renders.count))
            pictures = state_pictures(deck, StateChoice.every_click, self.dpi, renders, slides)
        names = self._show(info, slides, pictures, clocks)
        self._forget_unused(names | self.pictures)  # an undo brings back those just replaced
        self.shown, self.pictures, self.last = keys, names, pictures
        return Update(first_changed, renders.count)

    @staticmethod
    def _others_changed(slides: list[RenderSlide], found: list[StatePicture],
                        first_changed: int) -> bool:
        """Tell whether slides other than `first_changed` have states not `found`."""
        have = {(picture.page.slide, picture.page.state) for picture in found}
        return any((number, state) not in have
                   for number, slide in enumerate(slides, start=1) if number != first_changed
                   for state in range(slide.count + 1))

    def _as_before(self, found: list[StatePicture], count: int) -> list[StatePicture]:
        """Give `found`, and for each slide it has no picture of, the pictures it showed last."""
        have = {picture.page.slide for picture in found}
        before = [picture for picture in self.last
                  if picture.page.slide not in have and picture.page.slide <= count]
        return sorted([*found, *before], key=lambda picture: (picture.page.slide,
                                                              picture.page.state))

    def _first_changed(self, keys: list[str]) -> int | None:
        """Give the number of the first slide whose look is not the one the page shows."""
        changed = [number for number, key in enumerate(keys, start=1)
                   if number > len(self.shown) or self.shown[number - 1] != key]
        if len(keys) < len(self.shown) and not changed:
            changed = [len(keys)]  # slides removed at the end
        return changed[0] if changed else None

    def _show(self, info: DeckInfo, slides: list[RenderSlide], pictures: list[StatePicture],
              clocks: dict[str, str] | None) -> set[str]:
        """Write the pictures and the page showing them; give the pictures' file names."""
        self._write_pictures(pictures)
        shown = [(picture.page, picture.rendered.title,
                  ShownState(f"{SLIDES}/{picture.key}.png", picture.rendered.lines))
                 for picture in pictures]
        thumbs = [slide.handout_state for slide in slides]
        write_viewer(self.folder, info, viewer_slides(info, shown, thumbs, clocks),
                     events=EVENTS)
        return {f"{picture.key}.png" for picture in pictures}

    def keep_renders(self) -> None:
        """Save the render cache's index (after an update: the page need not wait for it)."""
        self.cache.save()

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
