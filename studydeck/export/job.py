"""One export under way: where it writes, its options and progress, a scratch folder, its
LibreOffice workers, and the steps every kind of export shares (the click-states deck, the
pictures of the states)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.clicks import StateChoice, chosen_states
from studydeck.export.options import ExportOptions, ExportProgress
from studydeck.export.pictures import Renders, StatePicture, state_pictures
from studydeck.export.render_cache import RenderCache
from studydeck.export.workers import WorkerPool
from studydeck.pptx.render_key import RenderSlide
from studydeck.pptx.states import Page, write_states_deck
from studydeck.source.folder import ProjectFolder


@dataclass(frozen=True)
class ExportTargets:
    """Where the exports of one built deck go: beside it, or in a folder named after it."""

    deck: Path
    folder: Path
    output: Path  # output/, which holds the caches

    @property
    def pdf(self) -> Path:
        return self.deck.with_suffix(".pdf")

    @property
    def png_dir(self) -> Path:
        return self.folder / "png"

    @property
    def sheet(self) -> Path:
        return self.folder / "sheet.png"

    @property
    def clicks_pdf(self) -> Path:
        return self.deck.with_name(f"{self.deck.stem}-clicks.pdf")

    @property
    def handout_dir(self) -> Path:
        return self.folder / "handout"

    @property
    def html_dir(self) -> Path:
        return self.folder / "html"


def export_targets(paths: ProjectFolder, chapter: str | None) -> ExportTargets:
    """Give output/deck.* and output/…, or output/chapters/ID.* and output/chapters/ID/…."""
    if chapter is None:
        return ExportTargets(paths.deck_output, paths.output_dir, paths.output_dir)
    deck = paths.chapter_output(chapter)
    return ExportTargets(deck, deck.parent / chapter, paths.output_dir)


@dataclass
class ExportJob:
    """One export under way: where it writes, how, its progress display, a scratch folder."""

    targets: ExportTargets
    options: ExportOptions
    progress: ExportProgress
    work: Path
    pool: WorkerPool
    skipped: list[str] = field(default_factory=list)
    shown: list[Page] = field(default_factory=list)  # the pages of the last states deck
    rendered: int = 0  # click states LibreOffice rendered (the others were kept from before)
    states: int = 0  # click states the export shows

    def states_deck(self, choice: StateChoice | None = None) -> Path:
        """Give a deck of the click states the export shows (every click, or one per slide)."""
        choice = choice or self.choice
        self.progress.step("click states")
        target = self.work / choice.value / self.targets.deck.name
        target.parent.mkdir(exist_ok=True)
        self.shown = write_states_deck(self.targets.deck, target,
                                       functools.partial(chosen_states, choice=choice))
        return target

    @functools.cached_property
    def cache(self) -> RenderCache:
        """Give the pictures kept from earlier exports (output/.cache/renders/)."""
        return RenderCache(self.targets.output)

    @property
    def choice(self) -> StateChoice:
        return StateChoice.every_click if self.options.clicks else StateChoice.handout

    def pictures(self, dpi: float, choice: StateChoice | None = None,
                 slides: list[RenderSlide] | None = None) -> list[StatePicture]:
        """Give the pictures of the chosen states, rendering only those not kept from before."""
        self.progress.step("click states")
        renders = Renders(self.pool, self.cache, self.work / "renders", self.progress)
        found = state_pictures(self.targets.deck, choice or self.choice, dpi, renders, slides)
        self.rendered += renders.count
        self.states += len(found)
        return found
