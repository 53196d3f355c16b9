"""Every click state an export shows, as a picture: kept from an earlier render, or rendered now.

Missing states are split into parts (contiguous slides, about as many states each); every part
is a deck of its own, converted to PDF and rasterized with PDFium. With one LibreOffice worker
there is one part. With several, the parts are shorter and more than the workers: a worker
converts the next part while the pages of the last one are drawn, and the workers end together
whichever parts cost more. A state renders alike in any part, so the pictures do not depend on
how the work was split.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, astuple, dataclass
from pathlib import Path

from studydeck.clicks import StateChoice
from studydeck.errors import ToolFailedError
from studydeck.export.options import ExportProgress
from studydeck.export.raster import SAVING_THREADS, pdf_pages
from studydeck.export.render_cache import (
    RenderCache,
    Rendered,
    picture_key,
    render_environment,
)
from studydeck.export.workers import WAIT_STEP, WorkerPool
from studydeck.pptx.read import DeckInfo, SlideContent, read_presentation
from studydeck.pptx.render_key import RenderSlide, render_deck
from studydeck.pptx.states import Page, write_states_deck
from studydeck.pptx.written_deck import WrittenDeck, open_slides
from studydeck.preview.page import text_lines
from studydeck.source.fingerprint import digest, file_digests

PART_PAGES = 40  # states in a part, with several workers: about 0.8 s of LibreOffice to convert
MOST_PARTS = 8  # per worker (a part is a thread, mostly waiting): longer parts past that


@dataclass(frozen=True)
class StatePicture:
    """One page of an export: which state of which slide, its picture and the picture's key."""

    page: Page
    rendered: Rendered
    key: str


@dataclass
class Renders:
    """What renders the missing states: the workers, the cache, a scratch folder, the display."""

    pool: WorkerPool
    cache: RenderCache
    work: Path
    progress: ExportProgress
    count: int = 0  # states rendered (the rest came from the cache)
    read: WrittenDeck | None = None  # the deck already read (for its keys): not read again
    save_index: bool = True  # False: the caller saves the cache's index (once it has shown)


def deck_to_render(deck: Path, cache: RenderCache) -> tuple[list[RenderSlide], DeckInfo]:
    """Give the slides of `deck` (their keys and states) and its info, as kept from the last
    export of the same file, or read now (and kept)."""
    name = f"deck-{digest(render_environment(), file_digests([deck])[deck])[:32]}"
    kept = cache.find_record(name)
    if kept is not None:
        with contextlib.suppress(TypeError, ValueError):
            return ([RenderSlide(key, count, handout, tuple(links))
                     for key, count, handout, links in kept["slides"]],
                    DeckInfo(**kept["info"]))
    slides, info = render_deck(deck)
    cache.keep_record(name, {"slides": [astuple(slide) for slide in slides],
                             "info": asdict(info)})
    return slides, info


def state_pictures(deck: Path, choice: StateChoice, dpi: float, renders: Renders,
                   slides: list[RenderSlide] | None = None, *,
                   wanted: set[Page] | None = None) -> list[StatePicture]:
    """Give the pictures of the `choice` states of every slide of `deck`, in order (of those
    not kept from before, only the `wanted` ones, if given)."""
    slides = slides if slides is not None else deck_to_render(deck, renders.cache)[0]
    keys = {Page(number, state): picture_key(slide.key, state, dpi)
            for number, slide in enumerate(slides, start=1)
            for state in slide.states(choice)}
    found = {page: renders.cache.find(key) for page, key in keys.items()}
    missing = [page for page, rendered in found.items()
               if rendered is None and (wanted is None or page in wanted)]
    try:
        if missing:
            found.update(_render(deck, missing, keys, dpi, renders))
    except BaseException:
        renders.cache.save()  # what was rendered before a failure or Ctrl-C is kept
        raise
    if renders.save_index:
        renders.cache.save()
    return [StatePicture(page, rendered, keys[page]) for page, rendered in found.items()
            if rendered is not None]


def _render(deck: Path, missing: list[Page], keys: dict[Page, str], dpi: float,
            renders: Renders) -> dict[Page, Rendered]:
    renders.progress.step("LibreOffice: rendering click states")
    renders.progress.count(len(missing), "states")
    parts = parts_for(missing, renders.pool.size)
    renders.pool.warm_up(len(parts))  # LibreOffice starts while the parts' decks are written
    written = renders.read if renders.read is not None else WrittenDeck(deck)
    done: dict[Page, Rendered] = {}
    writing = InOrder(1, lambda: renders.pool.closed)  # the first deck is soon ready
    converting = InOrder(renders.pool.size, lambda: renders.pool.closed)

    def render_part(numbered: tuple[int, list[Page]]) -> Path:
        index, pages = numbered
        folder = renders.work / f"part-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        with writing.turn(index):
            part = _states_deck(written, pages, folder)
        with converting.turn(index):
            pdf = renders.pool.to_pdf(part.path, folder, for_pictures=True)
        done.update(_part_pictures(part, pdf, keys, dpi, renders))
        return folder

    renders.pool.map(render_part, list(enumerate(parts)), len(parts))
    renders.count += len(missing)
    return done


def parts_for(missing: list[Page], workers: int) -> list[list[Page]]:
    """Give the parts `missing` states are rendered in by `workers` workers: one for one; else
    parts of about PART_PAGES states, the last `workers` of them cut in two, so that the
    workers end close together and the last pages are drawn soon after."""
    if workers <= 1:
        return [missing] if missing else []
    count = max(workers, min(math.ceil(len(missing) / PART_PAGES), MOST_PARTS * workers))
    parts = split_evenly(missing, count)
    if len(parts) <= workers:
        return parts
    last = [half for part in parts[-workers:] for half in split_evenly(part, 2)]
    return parts[:-workers] + last


class InOrder:
    """Lets numbered jobs (0, 1, 2 …) into a block in the order of their numbers, at most
    `size` inside at once."""

    def __init__(self, size: int, stopped: Callable[[], bool]) -> None:
        self.size = size
        self.next = 0  # the number of the next job let in
        self.inside = 0
        self.changed = threading.Condition()
        self.stopped = stopped

    @contextlib.contextmanager
    def turn(self, number: int) -> Iterator[None]:
        """Hold the block until the jobs numbered before `number` are let in and there is
        room; ToolFailedError if the export is stopped meanwhile."""
        with self.changed:
            while self.next != number or self.inside >= self.size:
                if self.stopped():
                    raise ToolFailedError("the export was stopped")
                self.changed.wait(WAIT_STEP)
            self.next += 1
            self.inside += 1
            self.changed.notify_all()
        try:
            yield
        finally:
            with self.changed:
                self.inside -= 1
                self.changed.notify_all()


@dataclass(frozen=True)
class StatesDeck:
    """A part's deck of states, written for LibreOffice: its file, pages and what they show."""

    path: Path
    pages: list[Page]
    contents: list[SlideContent]


def _states_deck(deck: WrittenDeck, pages: list[Page], folder: Path) -> StatesDeck:
    chosen: dict[int, list[int]] = {}
    for page in pages:
        chosen.setdefault(page.slide, []).append(page.state)
    opened = open_slides(deck, chosen)
    shown = write_states_deck(opened, folder / "states.pptx", chosen)
    # the deck as written, read from python-pptx's objects rather than from its file
    return StatesDeck(folder / "states.pptx", shown, read_presentation(opened.prs))


def _part_pictures(part: StatesDeck, pdf: Path, keys: dict[Page, str], dpi: float,
                   renders: Renders) -> dict[Page, Rendered]:
    shown = part.pages

    def page_done(number: int, total: int) -> None:
        renders.progress.advance(f"slide {shown[number - 1].slide}")

    cores = renders.pool.size  # --workers 1: one core, pages drawn and saved in turn
    pictures = pdf_pages(pdf, part.path.parent, dpi, page_done=page_done,
                         saving_threads=SAVING_THREADS if cores > 1 else 0)
    return {page: renders.cache.keep(keys[page], picture, content.title, text_lines(content))
            for page, picture, content in zip(shown, pictures, part.contents, strict=True)}


def split_evenly(pages: list[Page], parts: int) -> list[list[Page]]:
    """Give `pages` in up to `parts` runs of whole slides, each about as long as the others."""
    by_slide: dict[int, list[Page]] = {}
    for page in pages:
        by_slide.setdefault(page.slide, []).append(page)
    runs: list[list[Page]] = [[]]
    goal = len(pages) / max(1, min(parts, len(by_slide)))
    for slide_pages in by_slide.values():
        if runs[-1] and len(runs[-1]) + len(slide_pages) / 2 > goal and len(runs) < parts:
            runs.append([])
        runs[-1].extend(slide_pages)
    return runs


def write_pictures(pictures: list[StatePicture], folder: Path,
                   name: Callable[[Page], str]) -> None:
    """Write each picture into `folder` under `name(page)`."""
    for shown in pictures:
        (folder / name(shown.page)).write_bytes(shown.rendered.picture)
