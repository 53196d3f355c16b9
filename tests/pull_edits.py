"""Edits a reviewer makes to a built deck, made with python-pptx for the pull tests."""

from __future__ import annotations

import difflib

from conftest import slide_notes
from pptx import Presentation
from pptx.slide import Slide

from studydeck.pptx.source_marks import shape_texts

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def shape_named(slide: Slide, name: str):  # type: ignore[no-untyped-def]
    """Give the slide's (top-level) shape called `name`."""
    return next(shape for shape in slide.shapes if shape.name == name)


def texts(slide: Slide) -> list[str]:
    """Give the texts of the slide's text frames, then its notes."""
    shown = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    return [*shown, slide_notes(slide)]


def changed_lines(before: str, after: str) -> list[str]:
    """Give the lines a unified diff of the two texts removes and adds."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def set_paragraph(shape_element, index: int, old: str,  # type: ignore[no-untyped-def]
                  new: str) -> None:
    """Replace `old` by `new` in the paragraph's text, keeping its runs' looks."""
    paragraph = list(shape_element.iter(f"{{{A}}}p"))[index]
    for text in paragraph.iter(f"{{{A}}}t"):
        if old in (text.text or ""):
            text.text = text.text.replace(old, new)
            return
    raise AssertionError(f"'{old}' is not in paragraph {index}")


def edit_text(prs: Presentation, number: int, key: str, old: str, new: str) -> None:
    """Replace `old` by `new` in the first paragraph holding it, in the shape under `key`."""
    shape = next(shape for shape in shape_texts(prs.slides[number - 1]) if shape.key == key)
    index = next(i for i, text in enumerate(shape.texts) if old in text)
    tree = prs.slides[number - 1].shapes._spTree
    element = next(e for e in tree.iter(f"{{{P}}}sp", f"{{{P}}}graphicFrame")
                   if _key_of(e) == key)
    set_paragraph(element, index, old, new)


def _key_of(element) -> str:  # type: ignore[no-untyped-def]
    placeholder = element.find(f".//{{{P}}}ph")
    if placeholder is not None:
        kind = placeholder.get("type", "body")
        return f"placeholder:{'title' if kind == 'ctrTitle' else kind}"
    return str(element.find(f".//{{{P}}}cNvPr").get("name"))
