"""The preview's page after a save, and the reading of a written deck it rests on, without
LibreOffice: a stand-in draws blank pages and counts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, run_cli
from PIL import Image
from pptx import Presentation

from studydeck.export.workers import WorkerPool
from studydeck.pptx.read import read_deck
from studydeck.pptx.render_key import render_deck
from studydeck.pptx.states import write_states_deck
from studydeck.pptx.written_deck import WrittenDeck, open_slides
from studydeck.preview.site import PreviewSite, Update
from studydeck.source.folder import find_project

EDITED_TITLE = "글머리표 ✏️ — a long title a stranger writes, with a typo, teh"


class CountingRenderer(WorkerPool):
    """Draws every slide of a deck as a blank page (LibreOffice's job), counting the pages."""

    def __init__(self) -> None:
        super().__init__(1)
        self.python = None  # no LibreOffice to start (warm_up)
        self.pages = 0

    def to_pdf(self, deck: Path, target_dir: Path, **options: bool) -> Path:
        count = len(Presentation(str(deck)).slides)
        self.pages += count
        pages = [Image.new("RGB", (64, 36), "white") for _ in range(count)]
        target = target_dir / "deck.pdf"
        pages[0].save(target, save_all=True, append_images=pages[1:])
        return target


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    return project


def _states_of(page: str) -> dict[str, int]:
    """Give each slide title of the written viewer page and how many clicks it lists."""
    sections = re.findall(r'<section id="slide-\d+".*?<h2>\d+\. (.*?)</h2>(.*?)</section>', page,
                          re.DOTALL)
    return {title: body.count('class="state"') for title, body in sections}


def _edit(project: Path, chapter: str, old: str, new: str) -> None:
    path = project / "chapters" / f"{chapter}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_an_edited_title_renders_that_slide_s_clicks_and_nothing_else(built: Path) -> None:
    deck = built / "output" / "deck.pptx"
    renderer = CountingRenderer()
    site = PreviewSite(find_project(built), renderer)
    site.update(deck)
    before = _states_of((site.folder / "index.html").read_text(encoding="utf-8"))
    clicks = before["글머리표"]
    assert clicks > 2
    _edit(built, "alpha", "title: 글머리표", f"title: {EDITED_TITLE}")
    assert run_cli("build", "--project", built).exit_code == 0
    renderer.pages = 0
    told: list[Update] = []

    update = site.update(deck, first_shown=told.append)

    assert not told  # one slide changed: its clicks are rendered at once, the page written once
    after = _states_of((site.folder / "index.html").read_text(encoding="utf-8"))
    assert after[EDITED_TITLE] == clicks
    assert update.rendered == clicks and renderer.pages == clicks  # that slide's clicks only
    assert {title: count for title, count in after.items() if title != EDITED_TITLE} == {
        title: count for title, count in before.items() if title != "글머리표"}


def test_with_two_slides_edited_the_first_is_shown_before_the_other_is_rendered(
        built: Path) -> None:
    deck = built / "output" / "deck.pptx"
    renderer = CountingRenderer()
    site = PreviewSite(find_project(built), renderer)
    site.update(deck)
    before = _states_of((site.folder / "index.html").read_text(encoding="utf-8"))
    _edit(built, "alpha", "title: 글머리표", f"title: {EDITED_TITLE}")
    _edit(built, "beta", "title: 정리", "title: Recap — 정리 🙂")
    assert run_cli("build", "--project", built).exit_code == 0
    first: list[tuple[Update, dict[str, int]]] = []

    def shown_first(update: Update) -> None:
        page = (site.folder / "index.html").read_text(encoding="utf-8")
        first.append((update, _states_of(page)))

    update = site.update(deck, first_shown=shown_first)

    [(early, early_states)] = first
    assert early.first_changed == update.first_changed
    assert early.rendered == before["글머리표"]  # the first edited slide's clicks, first
    assert early_states[EDITED_TITLE] == before["글머리표"]
    assert early_states["정리"] == before["정리"]  # the other one as it was, for a moment
    after = _states_of((site.folder / "index.html").read_text(encoding="utf-8"))
    assert "정리" not in after and after["Recap — 정리 🙂"] == before["정리"]
    assert update.rendered == before["글머리표"] + before["정리"]


def test_a_save_that_changes_nothing_renders_nothing_and_publishes_once(built: Path) -> None:
    deck = built / "output" / "deck.pptx"
    site = PreviewSite(find_project(built), CountingRenderer())
    site.update(deck)
    told: list[Update] = []
    update = site.update(deck, first_shown=told.append)
    assert update == Update(None, 0) and not told


@pytest.mark.parametrize("fixture", ["mini", "stranger-en", "stranger-ko"])
def test_the_deck_read_from_its_zip_says_what_python_pptx_reads(tmp_path: Path,
                                                                 fixture: str) -> None:
    project = copy_project(FIXTURES / fixture, tmp_path / fixture)
    assert run_cli("build", "--project", project).exit_code == 0
    deck = project / "output" / "deck.pptx"
    slides, info = render_deck(deck)
    prs = Presentation(str(deck))
    assert info.title == prs.core_properties.title
    assert info.language == prs.core_properties.language
    assert info.notes == [slide.notes_slide.notes_text_frame.text.strip()
                          if slide.has_notes_slide else "" for slide in prs.slides]
    assert len(slides) == len(prs.slides)
    assert len({slide.key for slide in slides}) == len(slides)  # no two slides look alike


def test_some_slides_opened_alone_give_the_states_deck_the_whole_deck_gives(
        tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    deck = project / "output" / "deck.pptx"
    slides, _ = render_deck(deck)
    chosen = {number: list(range(slide.count + 1)) for number, slide in enumerate(slides, 1)
              if number % 2 == 0 or slide.links}
    whole = write_states_deck(deck, tmp_path / "whole.pptx", chosen,
                              slide_links_as_addresses=True)
    alone = write_states_deck(open_slides(WrittenDeck(deck), chosen), tmp_path / "alone.pptx",
                              chosen, slide_links_as_addresses=True)
    assert alone == whole
    assert read_deck(tmp_path / "alone.pptx") == read_deck(tmp_path / "whole.pptx")
    assert _slide_xml(tmp_path / "alone.pptx") == _slide_xml(tmp_path / "whole.pptx")


def _slide_xml(deck: Path) -> list[tuple[bytes, list[tuple[str, str]]]]:
    """Give each slide's XML and where its relationships go (the layout by name)."""
    return [(slide.part.blob, sorted((rel.reltype, rel.target_ref if rel.is_external
                                      else rel.target_part.partname.split("/")[-2])
                                     for rel in slide.part.rels.values()))
            for slide in Presentation(str(deck)).slides]


def test_a_slide_added_and_removed_again_shows_every_slide_in_its_place(built: Path) -> None:
    deck = built / "output" / "deck.pptx"
    site = PreviewSite(find_project(built), CountingRenderer())
    site.update(deck)
    before = (site.folder / "index.html").read_text(encoding="utf-8")
    added_lines = "  - type: bullets\n    title: New first slide\n    bullets: [one, two]\n"
    _edit(built, "alpha", "slides:\n", f"slides:\n{added_lines}")
    assert run_cli("build", "--project", built).exit_code == 0
    told: list[Update] = []
    update = site.update(deck, first_shown=told.append)
    titles = re.findall(r"<h2>(\d+)\. (.*?)</h2>", (site.folder / "index.html").read_text(
        encoding="utf-8"))
    assert [number for number, _ in titles] == [str(n) for n in range(1, len(titles) + 1)]
    added = next(int(number) for number, title in titles if title == "New first slide")
    assert update.first_changed == added and told and told[0].first_changed == added
    _edit(built, "alpha", added_lines, "")
    assert run_cli("build", "--project", built).exit_code == 0
    site.update(deck, first_shown=told.append)
    assert _states_of((site.folder / "index.html").read_text(encoding="utf-8")) == _states_of(
        before)
