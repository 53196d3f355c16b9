"""Every click state an export shows, as a picture: kept from an earlier render, or rendered now.

Missing states are split into one part per LibreOffice worker (contiguous slides, about as many
states each); every part is a deck of its own, converted to PDF and rasterized with PDFium. A
state renders alike in any part, so the pictures do not depend on how the work was split.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import asdict, astuple, dataclass
from pathlib import Path

from studydeck.clicks import StateChoice
from studydeck.export.options import ExportProgress
from studydeck.export.raster import SAVING_THREADS, pdf_pages, pdf_pages_elsewhere
from studydeck.export.render_cache import (
    RenderCache,
    Rendered,
    picture_key,
    render_environment,
)
from studydeck.export.workers import WorkerPool
from studydeck.pptx.read import DeckInfo, read_deck
from studydeck.pptx.render_key import RenderSlide, render_deck
from studydeck.pptx.states import Page, write_states_deck
from studydeck.pptx.written_deck import WrittenDeck, open_slides
from studydeck.preview.page import text_lines
from studydeck.source.fingerprint import digest, file_digests

MANY_PAGES = 30  # a part this long is drawn by a process of its own: 0.2 s to start it


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
    parts = split_evenly(missing, renders.pool.size)
    renders.pool.warm_up(len(parts))  # LibreOffice starts while the parts' decks are written
    written = renders.read if renders.read is not None else WrittenDeck(deck)
    done: dict[Page, Rendered] = {}

    def render_part(numbered: tuple[int, list[Page]]) -> Path:
        index, pages = numbered
        folder = renders.work / f"part-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        done.update(_render_part(written, pages, keys, dpi, folder, renders))
        return folder

    renders.pool.map(render_part, list(enumerate(parts)))
    renders.count += len(missing)
    return done


def _render_part(deck: WrittenDeck, pages: list[Page], keys: dict[Page, str], dpi: float,
                 folder: Path, renders: Renders) -> dict[Page, Rendered]:
    chosen: dict[int, list[int]] = {}
    for page in pages:
        chosen.setdefault(page.slide, []).append(page.state)
    part = folder / "states.pptx"
    shown = write_states_deck(open_slides(deck, chosen), part, chosen)
    pdf = renders.pool.to_pdf(part, folder, for_pictures=True)
    contents = read_deck(part)
    def page_done(number: int, total: int) -> None:
        renders.progress.advance(f"slide {shown[number - 1].slide}")

    cores = renders.pool.size  # --workers 1: one core, pages drawn and saved in turn
    if cores > 1 and len(shown) >= MANY_PAGES:
        pictures = pdf_pages_elsewhere(pdf, folder, dpi, page_done=page_done)
    else:
        pictures = pdf_pages(pdf, folder, dpi, page_done=page_done,
                             saving_threads=SAVING_THREADS if cores > 1 else 0)
    return {page: renders.cache.keep(keys[page], picture, content.title, text_lines(content))
            for page, picture, content in zip(shown, pictures, contents, strict=True)}


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
