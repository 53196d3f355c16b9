"""The viewer page: every slide's click states as pictures, their text, notes, chapter and clock.

`export html` writes it once as a static folder; `preview` writes it again after each rebuild.
The page is plain HTML whose sections carry the data, so it needs no server and no network.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from studydeck.pptx.read import DeckInfo, SlideContent
from studydeck.pptx.states import Page
from studydeck.source.files import write_atomically

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = ("viewer.js", "viewer.css")


@dataclass(frozen=True)
class ShownState:
    """One click state: its picture (a URL relative to the page) and the text it shows."""

    image: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ViewerSlide:
    number: int
    title: str
    states: tuple[ShownState, ...]
    thumb: int  # the state its thumbnail shows: a quiz's question, not its answer
    notes: tuple[str, ...]
    chapter: str = ""
    clock: str = ""


def viewer_slides(info: DeckInfo, shown: list[tuple[Page, str, ShownState]],
                  thumbs: list[int], clocks: dict[str, str] | None = None) -> list[ViewerSlide]:
    """Give the viewer's slides: the `shown` states (page, its slide's title, picture and text)
    grouped by slide.

    `clocks` gives a section's time slot ("19:00–19:10") by its name.
    """
    states: dict[int, list[ShownState]] = {}
    numbers: dict[int, list[int]] = {}  # the state each picture shows (a slide may lack some)
    titles: dict[int, str] = {}
    for page, title, state in shown:
        states.setdefault(page.slide, []).append(state)
        numbers.setdefault(page.slide, []).append(page.state)
        titles.setdefault(page.slide, title)
    clocks = clocks or {}
    return [
        ViewerSlide(number, titles[number], tuple(shown),
                    _place_of(thumbs[number - 1], numbers[number]),
                    note_lines(info.notes[number - 1]),
                    info.sections[number - 1], clocks.get(info.sections[number - 1], ""))
        for number, shown in states.items()
    ]


def _place_of(state: int, states: list[int]) -> int:
    """Give where `state` is among the `states` shown (the first, if it is not there)."""
    return states.index(state) if state in states else 0


def note_lines(notes: str) -> tuple[str, ...]:
    return tuple(line for line in notes.splitlines() if line.strip())


def text_lines(content: SlideContent) -> tuple[str, ...]:
    """Give the text a slide state shows, line by line: its text boxes, then its tables."""
    lines = [line.text for block in content.blocks for line in block]
    lines += [" | ".join(row) for table in content.tables for row in table]
    return tuple(lines)


@functools.cache  # compiled once a process: the preview writes the page after every save
def _page_template() -> Template:
    environment = Environment(loader=FileSystemLoader(STATIC),
                              autoescape=select_autoescape(["html", "j2"]))
    return environment.get_template("index.html.j2")


def write_viewer(folder: Path, info: DeckInfo, slides: list[ViewerSlide], *,
                 events: str = "", assets: str = "") -> Path:
    """Write index.html (and, unless `assets` points elsewhere, its script and style) to `folder`.

    `events` is the URL of a live server's event stream; empty for a static page.
    """
    page = _page_template().render(
        title=info.title, lang=info.language or "en", slides=slides, live=events, assets=assets)
    if not assets:
        for name in ASSETS:
            write_atomically(folder / name, (STATIC / name).read_bytes())  # a link: replaced
    return write_atomically(folder / "index.html", page.encode("utf-8"))
