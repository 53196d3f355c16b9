"""The preview's folder (output/preview/): the viewer page and every click state as a picture.

Pictures are named by a hash of what their slide shows, so after a rebuild only slides whose
content changed go through LibreOffice again; the rest keep their pictures and text.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studydeck.clicks import SlideClicks, StateChoice, chosen_states
from studydeck.export.raster import pdf_pages
from studydeck.pptx.read import DeckInfo, read_deck, read_deck_info
from studydeck.pptx.states import Page, write_states_deck
from studydeck.preview.page import (
    ShownState,
    ViewerSlide,
    note_lines,
    text_lines,
    write_viewer,
)
from studydeck.preview.warm import Renderer
from studydeck.source.files import delete_file, real_folder
from studydeck.source.folder import ProjectFolder
from studydeck.source.sealed import read_sealed_json, write_sealed_json

SLIDES = "slides"
RECORD = "preview-slide"  # what the seal says a slide's record is: only ours are read back
EVENTS = "/events"
OURS = re.compile(r"[0-9a-f]+(-\d+\.png|\.json)")  # the names of the files the preview writes


@dataclass(frozen=True)
class Update:
    """What a rebuild changed in the page: the first changed slide, how many were rendered."""

    first_changed: int | None
    rendered: int


class PreviewSite:
    """Keeps output/preview/ up to date with the built deck, rendering only changed slides."""

    def __init__(self, paths: ProjectFolder, renderer: Renderer, *, dpi: float = 96,
                 clocks: Callable[[], dict[str, str]] = dict) -> None:
        self.folder = paths.output_dir / "preview"
        self.images = self.folder / SLIDES
        real_folder(self.images)  # never a link out of the project: its files get deleted
        self.renderer = renderer
        self.dpi = dpi
        self.clocks = clocks
        self.shown: list[str] = []  # the fingerprints the page shows now

    def update(self, deck: Path, *, on_render: Callable[[int], None] = lambda count: None
               ) -> Update:
        """Render what changed in `deck`, rewrite the page; say what changed."""
        info = read_deck_info(deck)
        missing = [number for number, fingerprint in enumerate(info.fingerprints, start=1)
                   if self._record(fingerprint) is None]
        if missing:
            on_render(len(missing))
            self._render(deck, info, missing)
        clocks = self.clocks()
        slides = [self._slide(number, fingerprint, info, clocks)
                  for number, fingerprint in enumerate(info.fingerprints, start=1)]
        write_viewer(self.folder, info, slides, events=EVENTS)
        changed = [number for number, fingerprint in enumerate(info.fingerprints, start=1)
                   if number > len(self.shown) or self.shown[number - 1] != fingerprint]
        if len(info.fingerprints) < len(self.shown) and not changed:
            changed = [len(info.fingerprints)]  # slides removed at the end
        self._forget_unused(set(info.fingerprints) | set(self.shown))
        self.shown = info.fingerprints
        return Update(changed[0] if changed else None, len(missing))

    def show_nothing(self) -> None:
        """Write an empty page (the first build failed): it still shows the problems."""
        empty = DeckInfo("studydeck preview", "", [], [], [])
        write_viewer(self.folder, empty, [], events=EVENTS)

    def _cached(self, fingerprint: str) -> Path:
        return self.images / f"{fingerprint}.json"

    def _render(self, deck: Path, info: DeckInfo, numbers: list[int]) -> None:
        thumbs: list[int] = []

        def every_click(clicks: SlideClicks) -> list[int]:
            thumbs.append(clicks.handout_state)
            return chosen_states(clicks, StateChoice.every_click)

        with tempfile.TemporaryDirectory(prefix=".render-", dir=self.folder) as work:
            states = Path(work) / "deck.pptx"
            pages = write_states_deck(deck, states, every_click, slides=set(numbers))
            pdf = self.renderer.to_pdf(states, Path(work))
            pictures = pdf_pages(pdf, Path(work), self.dpi)
            contents = read_deck(states)
            texts: dict[int, list[list[str]]] = {}
            for page, picture, content in zip(pages, pictures, contents, strict=True):
                fingerprint = info.fingerprints[page.slide - 1]
                picture.replace(self.images / _picture_name(fingerprint, page))
                texts.setdefault(page.slide, []).append(list(text_lines(content)))
            for number, thumb in zip(numbers, thumbs, strict=True):
                record = {"title": contents[_first_page(pages, number)].title,
                          "states": texts[number], "thumb": thumb}
                write_sealed_json(self._cached(info.fingerprints[number - 1]), RECORD, record)

    def _slide(self, number: int, fingerprint: str, info: DeckInfo,
               clocks: dict[str, str]) -> ViewerSlide:
        record = self._record(fingerprint) or {"title": "", "states": [], "thumb": 0}
        states = tuple(
            ShownState(f"{SLIDES}/{_picture_name(fingerprint, Page(number, state))}",
                       tuple(lines))
            for state, lines in enumerate(record["states"]))
        section = info.sections[number - 1]
        return ViewerSlide(number, record["title"], states, record["thumb"],
                           note_lines(info.notes[number - 1]),
                           section, clocks.get(section, ""))

    def _record(self, fingerprint: str) -> dict[str, Any] | None:
        """Give the record this user's preview kept of a slide, if it is whole; else None."""
        record = read_sealed_json(self._cached(fingerprint), RECORD)
        if record is None or not isinstance(record.get("states"), list):
            return None
        return record

    def _forget_unused(self, kept: set[str]) -> None:
        """Delete pictures of slides neither shown now nor just before (an undo brings those)."""
        for file in real_folder(self.images).iterdir():
            if OURS.fullmatch(file.name) and file.name.split("-")[0].split(".")[0] not in kept:
                delete_file(file)


def _picture_name(fingerprint: str, page: Page) -> str:
    return f"{fingerprint}-{page.state}.png"


def _first_page(pages: list[Page], number: int) -> int:
    return next(index for index, page in enumerate(pages) if page.slide == number)
