"""One export under way: where it writes, its options and progress, a scratch folder, and the
steps every kind of export shares (the click-states deck, LibreOffice's PDF, PNG pages)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.clicks import StateChoice, chosen_states
from studydeck.export import libreoffice as lo
from studydeck.export.options import ExportOptions, ExportProgress
from studydeck.export.raster import pdf_pages
from studydeck.pptx.states import Page, write_states_deck
from studydeck.source.folder import ProjectFolder


@dataclass(frozen=True)
class ExportTargets:
    """Where the exports of one built deck go: beside it, or in a folder named after it."""

    deck: Path
    folder: Path

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
        return ExportTargets(paths.deck_output, paths.output_dir)
    deck = paths.chapter_output(chapter)
    return ExportTargets(deck, deck.parent / chapter)


@dataclass
class ExportJob:
    """One export under way: where it writes, how, its progress display, a scratch folder."""

    targets: ExportTargets
    options: ExportOptions
    progress: ExportProgress
    work: Path
    skipped: list[str] = field(default_factory=list)
    shown: list[Page] = field(default_factory=list)  # the pages of the last states deck

    def states_deck(self, choice: StateChoice | None = None) -> Path:
        """Give a deck of the click states the export shows (every click, or one per slide)."""
        if choice is None:
            choice = StateChoice.every_click if self.options.clicks else StateChoice.handout
        self.progress.step("click states")
        target = self.work / choice.value / self.targets.deck.name
        target.parent.mkdir(exist_ok=True)
        self.shown = write_states_deck(self.targets.deck, target,
                                       functools.partial(chosen_states, choice=choice))
        return target

    def render_pdf(self, deck: Path | None = None) -> Path:
        """Give the deck's chosen states as a PDF LibreOffice wrote into the scratch folder."""
        deck = deck or self.states_deck()
        self.progress.step(f"LibreOffice: {self.targets.deck.name} → PDF")
        return lo.convert_to_pdf(deck, deck.parent, timeout=self.options.timeout)

    def pages(self, pdf: Path, dpi: float, folder: Path, *,
              with_pdfium: bool = False) -> list[Path]:
        """Give the pages of `pdf` as PNGs in `folder`, advancing a bar page by page."""
        self.progress.step("pages")

        def page_done(page: int, total: int) -> None:
            if page == 1:
                self.progress.count(total, "pages")
            self.progress.advance(f"page {page} of {total}")

        if with_pdfium:  # several times faster than pdftoppm, for exports of many pages
            return pdf_pages(pdf, folder, dpi, page_done=page_done)
        return lo.pdf_to_pngs(pdf, folder, dpi, page_done=page_done)
