"""Exports of the built deck: PDF, PNG pages, a contact sheet and a handout, via LibreOffice."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.build import BuildResult
from studydeck.clicks import StateChoice, chosen_states
from studydeck.errors import ToolMissingError
from studydeck.export import libreoffice as lo
from studydeck.export.options import ExportKind, ExportOptions, ExportProgress
from studydeck.export.raster import pdf_pages
from studydeck.layout.geometry import EMU_PER_INCH, SLIDE_WIDTH
from studydeck.pptx.states import Page
from studydeck.source.files import staged_directory
from studydeck.source.folder import ProjectFolder


@dataclass
class ExportResult:
    """What an export wrote, from which build, and what it had to leave out."""

    build: BuildResult
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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


def export(paths: ProjectFolder, kind: ExportKind, options: ExportOptions,
           progress: ExportProgress | None = None) -> ExportResult:
    """Bring the deck up to date, then write the `kind` export of it; give what was written."""
    from studydeck.build import build_deck

    progress = progress or ExportProgress()
    if kind is not ExportKind.handout:
        lo.require(lo.SOFFICE, "soffice")
    if kind in (ExportKind.png, ExportKind.sheet, ExportKind.html):
        lo.require(lo.PDFTOPPM, "pdftoppm")
    chapters = [options.chapter] if options.chapter else None
    built = build_deck(paths, chapters, progress=progress.for_build())[0]
    progress.count(0, "")  # the build's diagram bar is done
    with tempfile.TemporaryDirectory(prefix=".export-", dir=paths.output_dir) as work:
        job = ExportJob(export_targets(paths, options.chapter), options, progress, Path(work))
        written = WRITERS[kind](job)
    return ExportResult(built, written, job.skipped)


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
        from studydeck.pptx.states import write_states_deck

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


def _export_pdf(job: ExportJob) -> list[Path]:
    target = job.targets.clicks_pdf if job.options.clicks else job.targets.pdf
    os.replace(job.render_pdf(), target)
    return [target]


def _export_png(job: ExportJob) -> list[Path]:
    pdf = job.render_pdf()
    with staged_directory(job.targets.png_dir) as staging:
        for shown, page in zip(job.shown, job.pages(pdf, job.options.dpi, staging), strict=True):
            page.rename(staging / page_name(shown, job.options.clicks))
    return [job.targets.png_dir]


def page_name(shown: Page, clicks: bool) -> str:
    """Give slide-NNN.png, or slide-NNN-K.png for the state after K clicks."""
    state = f"-{shown.state}" if clicks else ""
    return f"slide-{shown.slide:03d}{state}.png"


def _export_sheet(job: ExportJob) -> list[Path]:
    from studydeck.export.sheet import SheetLayout, contact_sheet
    from studydeck.source.files import write_atomically

    pdf = job.render_pdf()
    # render at twice the thumbnail size, then scale down: sharper text than pdftoppm at 1:1
    dpi = 2 * job.options.thumb_width * EMU_PER_INCH / SLIDE_WIDTH
    pages = job.pages(pdf, dpi, job.work)
    job.progress.step("contact sheet")
    layout = SheetLayout(job.options.columns, job.options.thumb_width)
    return [write_atomically(job.targets.sheet, contact_sheet(pages, layout))]


def _export_handout(job: ExportJob) -> list[Path]:
    from studydeck.export.handout import write_handout
    from studydeck.pptx.read import read_deck

    deck = job.states_deck(StateChoice.handout)  # quizzes without their answers; notes kept
    job.progress.step("reading the deck")
    slides = read_deck(deck)
    title = slides[0].title if slides else job.targets.deck.stem
    folder = job.targets.handout_dir
    written = [folder / "handout.md"]
    with staged_directory(folder) as staging:
        job.progress.count(len(slides), "slides")
        write_handout(title, slides, staging,
                      slide_done=lambda number: job.progress.advance(f"slide {number}"))
        try:
            job.progress.step("LibreOffice: notes pages → PDF")
            pdf = lo.convert_to_pdf(deck, deck.parent, notes_pages=True,
                                    timeout=job.options.timeout)
            os.replace(pdf, staging / "handout.pdf")
            written.append(folder / "handout.pdf")
        except ToolMissingError as missing:
            job.skipped.append(f"handout.pdf not written: {missing}")
    return written


def _export_html(job: ExportJob) -> list[Path]:
    from studydeck.export.html import export_html

    return export_html(job)


WRITERS: dict[ExportKind, Callable[[ExportJob], list[Path]]] = {
    ExportKind.pdf: _export_pdf,
    ExportKind.png: _export_png,
    ExportKind.sheet: _export_sheet,
    ExportKind.handout: _export_handout,
    ExportKind.html: _export_html,
}
