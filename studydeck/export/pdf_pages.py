"""A PDF of the deck's chosen click states, put together from pages kept from earlier exports.

Each page is kept by its slide's look, its state and the slides its links go to. Only pages not
kept go through LibreOffice, as decks of their own whose links to other slides point at an
address (pptx/states.py, SLIDE_ADDRESS): a page renders alike whichever slides are beside it.
pypdf puts the pages in order; each such address is then pointed at its slide's page, the one
a whole-deck conversion links to (the slide's last state shown). Text stays text: pages are
copied, never drawn. The PDF kept for the next export still holds the addresses, with its keys.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from studydeck.clicks import StateChoice
from studydeck.export.pictures import Renders, deck_to_render, split_evenly
from studydeck.export.render_cache import RenderCache, render_environment
from studydeck.pptx.render_key import RenderSlide
from studydeck.pptx.states import SLIDE_ADDRESS, Page, write_states_deck
from studydeck.pptx.written_deck import WrittenDeck, open_slides
from studydeck.source.fingerprint import digest

PAGES_RECORD = "pdf-pages"  # the record of the last PDF put together: its file and page keys
_ADDRESS = re.compile(re.escape(SLIDE_ADDRESS).replace(r"\{number\}", r"(\d+)"))


@dataclass(frozen=True)
class PageSource:
    """Where a page of the PDF comes from: a PDF read, and the page's index in it."""

    reader: PdfReader
    index: int


def page_key(slide: RenderSlide, state: int) -> str:
    """Give the key of a PDF page: the slide's look, its state, where its links go."""
    return digest(render_environment(), "pdf page", slide.key, list(slide.links), state)[:32]


def assembled_pdf(deck: Path, choice: StateChoice, renders: Renders) -> tuple[bytes, int]:
    """Give the PDF of `deck`'s `choice` states, rendering only pages not kept from before;
    and its number of pages."""
    slides = deck_to_render(deck, renders.cache)[0]
    keys = {Page(number, state): page_key(slide, state)
            for number, slide in enumerate(slides, start=1) for state in slide.states(choice)}
    sources = _kept_pages(renders.cache, choice, set(keys.values()))
    missing = [page for page, key in keys.items() if key not in sources]
    if len(missing) * 2 > len(keys):  # most pages changed: one conversion of them all is faster
        missing, sources = list(keys), {}
    if missing:
        sources.update(_render(deck, missing, keys, renders))
    writer = PdfWriter()
    for key in keys.values():
        writer.add_page(sources[key].reader.pages[sources[key].index])
    first = sources[next(iter(keys.values()))].reader if keys else None
    if first is not None and first.metadata:
        writer.add_metadata(first.metadata)  # its title and producer, as LibreOffice wrote them
    marked = _pdf_bytes(writer)
    _keep_pages(renders.cache, choice, list(keys.values()), marked)
    _point_links_at_pages(writer, list(keys))
    return _pdf_bytes(writer), len(keys)


def _kept_pages(cache: RenderCache, choice: StateChoice, wanted: set[str]
                ) -> dict[str, PageSource]:
    """Give the pages of the PDF put together last time, by key, if it is kept whole."""
    record = cache.find_record(f"{PAGES_RECORD}-{choice.value}")
    if not isinstance(record, dict) or not isinstance(record.get("keys"), list):
        return {}
    data = cache.find_file(str(record.get("file")))
    if data is None or not wanted & set(record["keys"]):
        return {}
    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != len(record["keys"]):
        return {}
    return {key: PageSource(reader, index) for index, key in enumerate(record["keys"])}


def _keep_pages(cache: RenderCache, choice: StateChoice, keys: list[str], marked: bytes) -> None:
    name = f"{digest('pdf pages', keys)[:32]}.pdf"
    cache.keep_file(name, marked)
    cache.keep_record(f"{PAGES_RECORD}-{choice.value}", {"file": name, "keys": keys})


def _render(deck: Path, missing: list[Page], keys: dict[Page, str], renders: Renders
            ) -> dict[str, PageSource]:
    """Give the `missing` pages rendered now, in decks of their own (one per worker)."""
    renders.progress.step("LibreOffice: rendering changed pages")
    parts = split_evenly(missing, renders.pool.size)
    written = WrittenDeck(deck)  # each part opens only its own slides
    found: dict[str, PageSource] = {}

    def render_part(numbered: tuple[int, list[Page]]) -> Path:
        index, pages = numbered
        folder = renders.work / f"pdf-part-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        chosen: dict[int, list[int]] = {}
        for page in pages:
            chosen.setdefault(page.slide, []).append(page.state)
        part = folder / deck.name  # what LibreOffice names, in the PDF and when it fails
        shown = write_states_deck(open_slides(written, chosen), part, chosen,
                                  slide_links_as_addresses=True)
        reader = PdfReader(renders.pool.to_pdf(part, folder))
        found.update({keys[page]: PageSource(reader, number)
                      for number, page in enumerate(shown)})
        return part

    renders.pool.map(render_part, list(enumerate(parts)))
    renders.count += len(missing)
    return found


def _point_links_at_pages(writer: PdfWriter, pages: list[Page]) -> None:
    """Make each link to a slide's address a link to the slide's (last) page."""
    slide_page = {page.slide: index for index, page in enumerate(pages)}
    for page in writer.pages:
        for annotation in _annotations(page):
            action = annotation.get("/A")
            found = _ADDRESS.fullmatch(str(action.get_object().get("/URI", ""))) if action else None
            if found is None:
                continue
            del annotation[NameObject("/A")]
            target = slide_page.get(int(found.group(1)))
            if target is not None:  # else a slide of no page: a link that goes nowhere
                annotation[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[target].indirect_reference, NameObject("/Fit")])


def _annotations(page: DictionaryObject) -> list[DictionaryObject]:
    annotations = page.get("/Annots")
    if annotations is None:
        return []
    return [item.get_object() for item in annotations.get_object()]


def _pdf_bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
