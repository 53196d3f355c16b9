"""The viewer page: every slide's click states as pictures, their text, notes, chapter and clock.

`export html` writes it once as a static folder; `preview` writes it again after each rebuild.
The page is plain HTML whose sections carry the data, so it needs no server and no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

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
    titles: dict[int, str] = {}
    for page, title, state in shown:
        states.setdefault(page.slide, []).append(state)
        titles.setdefault(page.slide, title)
    clocks = clocks or {}
    return [
        ViewerSlide(number, titles[number], tuple(shown), thumbs[number - 1],
                    note_lines(info.notes[number - 1]),
                    info.sections[number - 1], clocks.get(info.sections[number - 1], ""))
        for number, shown in states.items()
    ]


def note_lines(notes: str) -> tuple[str, ...]:
    return tuple(line for line in notes.splitlines() if line.strip())


def text_lines(content: SlideContent) -> tuple[str, ...]:
    """Give the text a slide state shows, line by line: its text boxes, then its tables."""
    lines = [line.text for block in content.blocks for line in block]
    lines += [" | ".join(row) for table in content.tables for row in table]
    return tuple(lines)


def write_viewer(folder: Path, info: DeckInfo, slides: list[ViewerSlide], *,
                 events: str = "", assets: str = "") -> Path:
    """Write index.html (and, unless `assets` points elsewhere, its script and style) to `folder`.

    `events` is the URL of a live server's event stream; empty for a static page.
    """
    environment = Environment(loader=FileSystemLoader(STATIC),
                              autoescape=select_autoescape(["html", "j2"]))
    page = environment.get_template("index.html.j2").render(
        title=info.title, lang=info.language or "en", slides=slides, live=events, assets=assets)
    if not assets:
        for name in ASSETS:
            write_atomically(folder / name, (STATIC / name).read_bytes())  # a link: replaced
    return write_atomically(folder / "index.html", page.encode("utf-8"))
