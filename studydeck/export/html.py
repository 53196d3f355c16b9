"""`export html`: the deck as a static web page, every click state a picture, offline."""

from __future__ import annotations

from pathlib import Path

from studydeck.clicks import StateChoice
from studydeck.export.job import ExportJob
from studydeck.pptx.read import read_deck, read_deck_info
from studydeck.pptx.states import Page, slide_clicks
from studydeck.preview.page import viewer_slides, write_viewer
from studydeck.source.files import staged_directory

SLIDES = "slides"


def state_image(page: Page) -> str:
    """Give the picture of a click state, relative to the page: slides/012-0.png."""
    return f"{SLIDES}/{page.slide:03d}-{page.state}.png"


def export_html(job: ExportJob) -> list[Path]:
    """Write output/html/: index.html, its script and style, and slides/NNN-K.png."""
    deck = job.states_deck(StateChoice.every_click)
    shown = job.shown
    pdf = job.render_pdf(deck)
    folder = job.targets.html_dir
    with staged_directory(folder) as staging:
        (staging / SLIDES).mkdir()
        pictures = job.pages(pdf, job.options.dpi, staging / SLIDES, with_pdfium=True)
        for page, picture in zip(shown, pictures, strict=True):
            picture.rename(staging / state_image(page))
        job.progress.step("web page")
        original = job.targets.deck
        info = read_deck_info(original)
        thumbs = [clicks.handout_state for clicks in slide_clicks(original)]
        slides = viewer_slides(info, shown, read_deck(deck), state_image, thumbs)
        write_viewer(staging, info, slides)
    return [folder / "index.html"]
