"""Exports of the built deck: PDF, PNG pages, a contact sheet, a handout or a web page."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.build import BuildResult, build_deck
from studydeck.clicks import StateChoice
from studydeck.errors import ToolMissingError
from studydeck.export import libreoffice as lo
from studydeck.export.handout import write_handout
from studydeck.export.html import export_html
from studydeck.export.job import ExportJob, export_targets
from studydeck.export.options import ExportKind, ExportOptions, ExportProgress
from studydeck.export.pictures import Renders, write_pictures
from studydeck.export.render_cache import render_environment
from studydeck.export.sheet import SheetLayout, contact_sheet
from studydeck.export.start import export_workers
from studydeck.export.workers import WorkerPool
from studydeck.layout.geometry import EMU_PER_INCH, SLIDE_WIDTH
from studydeck.pptx.read import read_deck
from studydeck.pptx.states import Page
from studydeck.source.files import real_folder, staged_directory, write_atomically
from studydeck.source.fingerprint import digest, file_digests
from studydeck.source.folder import ProjectFolder


@dataclass
class ExportResult:
    """What an export wrote, from which build, and what it had to leave out."""

    build: BuildResult
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rendered: int = 0  # click states LibreOffice rendered (the others were kept from before)
    states: int = 0  # click states the export shows


def export(paths: ProjectFolder, kind: ExportKind, options: ExportOptions,
           progress: ExportProgress | None = None, pool: WorkerPool | None = None
           ) -> ExportResult:
    """Bring the deck up to date, then write the `kind` export of it; give what was written.
    `pool`: its LibreOffice workers, if the caller started them (export_workers); closed here."""
    progress = progress or ExportProgress()
    if kind is not ExportKind.handout:
        lo.require(lo.SOFFICE, "soffice")
    if kind in (ExportKind.png, ExportKind.sheet, ExportKind.html):
        lo.require(lo.PDFTOPPM, "pdftoppm")
    chapters = [options.chapter] if options.chapter else None
    # LibreOffice starts while the deck is brought up to date, if the export will surely render
    with pool or export_workers(paths, kind, options) as pool:
        built = build_deck(paths, chapters, progress=progress.for_build())[0]
        progress.count(0, "")  # the build's diagram bar is done
        with _scratch_folder(paths.output_dir, pool) as work:
            job = ExportJob(export_targets(paths, options.chapter), options, progress, work,
                            pool)
            written = WRITERS[kind](job)
    return ExportResult(built, written, job.skipped, job.rendered, job.states)


@contextmanager
def _scratch_folder(output: Path, pool: WorkerPool) -> Iterator[Path]:
    """Give a new folder in output/, removed at the end once `pool` is closed (its jobs still
    running after Ctrl-C write nothing more into it)."""
    with tempfile.TemporaryDirectory(prefix=".export-", dir=real_folder(output)) as work:
        try:
            yield Path(work)
        finally:
            pool.close()


def _export_pdf(job: ExportJob) -> list[Path]:
    target = job.targets.clicks_pdf if job.options.clicks else job.targets.pdf
    cache = job.cache
    name = f"{digest(render_environment(), file_digests([job.targets.deck]), job.choice)[:32]}.pdf"
    kept = cache.find_file(name)
    if kept is None:
        from studydeck.export.pdf_pages import assembled_pdf  # pypdf: keeps `export` fast

        job.progress.step("click states")
        renders = Renders(job.pool, cache, job.work / "pdf", job.progress)
        try:
            kept, job.states = assembled_pdf(job.targets.deck, job.choice, renders)
        finally:
            job.rendered += renders.count
            cache.save()  # pages rendered before a failure or Ctrl-C are kept
        cache.keep_file(name, kept)
    cache.save()
    write_atomically(real_folder(target.parent) / target.name, kept)  # no link out
    return [target]


def _export_png(job: ExportJob) -> list[Path]:
    pictures = job.pictures(job.options.dpi)
    with staged_directory(job.targets.png_dir) as staging:
        write_pictures(pictures, staging, lambda page: page_name(page, job.options.clicks))
    return [job.targets.png_dir]


def page_name(shown: Page, clicks: bool) -> str:
    """Give slide-NNN.png, or slide-NNN-K.png for the state after K clicks."""
    state = f"-{shown.state}" if clicks else ""
    return f"slide-{shown.slide:03d}{state}.png"


def _export_sheet(job: ExportJob) -> list[Path]:
    # render at twice the thumbnail size, then scale down: sharper text than a render at 1:1
    dpi = 2 * job.options.thumb_width * EMU_PER_INCH / SLIDE_WIDTH
    pages = []
    for index, picture in enumerate(job.pictures(dpi, StateChoice.handout), start=1):
        pages.append(job.work / f"sheet-{index}.png")
        pages[-1].write_bytes(picture.rendered.picture)
    job.progress.step("contact sheet")
    layout = SheetLayout(job.options.columns, job.options.thumb_width)
    return [write_atomically(job.targets.sheet, contact_sheet(pages, layout))]


def _export_handout(job: ExportJob) -> list[Path]:
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
            pdf = job.pool.to_pdf(deck, deck.parent, notes_pages=True)
            os.replace(pdf, staging / "handout.pdf")
            written.append(folder / "handout.pdf")
        except ToolMissingError as missing:
            job.skipped.append(f"handout.pdf not written: {missing}")
    return written


WRITERS: dict[ExportKind, Callable[[ExportJob], list[Path]]] = {
    ExportKind.pdf: _export_pdf,
    ExportKind.png: _export_png,
    ExportKind.sheet: _export_sheet,
    ExportKind.handout: _export_handout,
    ExportKind.html: export_html,
}
