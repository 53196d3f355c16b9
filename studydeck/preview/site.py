"""The preview's folder (output/preview/): the viewer page and every click state as a picture.

Pictures are named by a hash of what their slide shows, so after a rebuild only slides whose
content changed go through LibreOffice again; the rest keep their pictures and text.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
from studydeck.source.files import write_atomically
from studydeck.source.folder import ProjectFolder

SLIDES = "slides"
EVENTS = "/events"


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
        self.images.mkdir(parents=True, exist_ok=True)
        self.renderer = renderer
        self.dpi = dpi
        self.clocks = clocks
        self.shown: list[str] = []  # the fingerprints the page shows now

    def update(self, deck: Path, *, on_render: Callable[[int], None] = lambda count: None
               ) -> Update:
        """Render what changed in `deck`, rewrite the page; say what changed."""
        info = read_deck_info(deck)
        missing = [number for number, fingerprint in enumerate(info.fingerprints, start=1)
                   if not self._cached(fingerprint).is_file()]
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
                write_atomically(self._cached(info.fingerprints[number - 1]),
                                 json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def _slide(self, number: int, fingerprint: str, info: DeckInfo,
               clocks: dict[str, str]) -> ViewerSlide:
        record = json.loads(self._cached(fingerprint).read_text(encoding="utf-8"))
        states = tuple(
            ShownState(f"{SLIDES}/{_picture_name(fingerprint, Page(number, state))}",
                       tuple(lines))
            for state, lines in enumerate(record["states"]))
        section = info.sections[number - 1]
        return ViewerSlide(number, record["title"], states, record["thumb"],
                           note_lines(info.notes[number - 1]),
                           section, clocks.get(section, ""))

    def _forget_unused(self, kept: set[str]) -> None:
        """Delete pictures of slides neither shown now nor just before (an undo brings those)."""
        for file in self.images.iterdir():
            if file.name.split("-")[0].split(".")[0] not in kept:
                file.unlink(missing_ok=True)


def _picture_name(fingerprint: str, page: Page) -> str:
    return f"{fingerprint}-{page.state}.png"


def _first_page(pages: list[Page], number: int) -> int:
    return next(index for index, page in enumerate(pages) if page.slide == number)
