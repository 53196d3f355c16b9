"""`export html`: the deck as a static web page, every click state a picture, offline."""

from __future__ import annotations

from pathlib import Path

from studydeck.clicks import StateChoice
from studydeck.export.job import ExportJob
from studydeck.export.pictures import deck_to_render, write_pictures
from studydeck.pptx.states import Page
from studydeck.preview.page import ShownState, viewer_slides, write_viewer
from studydeck.source.files import staged_directory

SLIDES = "slides"


def state_image(page: Page) -> str:
    """Give the picture of a click state, relative to the page: slides/012-0.png."""
    return f"{SLIDES}/{page.slide:03d}-{page.state}.png"


def export_html(job: ExportJob) -> list[Path]:
    """Write output/html/: index.html, its script and style, and slides/NNN-K.png."""
    slides, info = deck_to_render(job.targets.deck, job.cache)
    pictures = job.pictures(job.options.dpi, StateChoice.every_click, slides)
    folder = job.targets.html_dir
    with staged_directory(folder) as staging:
        (staging / SLIDES).mkdir()
        write_pictures(pictures, staging, state_image)
        job.progress.step("web page")
        shown = [(picture.page, picture.rendered.title,
                  ShownState(state_image(picture.page), picture.rendered.lines))
                 for picture in pictures]
        thumbs = [slide.handout_state for slide in slides]
        write_viewer(staging, info, viewer_slides(info, shown, thumbs))
    return [folder / "index.html"]
