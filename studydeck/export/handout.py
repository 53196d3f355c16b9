"""A Markdown handout: each slide's title, text, tables, pictures and speaker notes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from studydeck.pptx.read import Picture, SlideContent, TextLine

IMAGES = "images"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def write_handout(title: str, slides: list[SlideContent], folder: Path, *,
                  slide_done: Callable[[int], None] = lambda number: None) -> Path:
    """Write handout.md and its pictures (images/) into `folder`; give the Markdown file."""
    (folder / IMAGES).mkdir(parents=True, exist_ok=True)
    parts = [f"# {escape(title)}\n"]
    images = ImageFiles(folder / IMAGES)
    for slide in slides:
        parts.append(_slide_markdown(slide, images))
        slide_done(slide.number)
    target = folder / "handout.md"
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


def escape(text: str) -> str:
    """Give `text` with the characters Markdown would read as markup backslash-escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


class ImageFiles:
    """The handout's pictures: each distinct image written once, under its first slide's name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: dict[bytes, str] = {}

    def name_for(self, picture: Picture, name: str) -> str:
        """Give the file name (in the folder) holding `picture`, writing it as `name` if new."""
        digest = hashlib.sha256(picture.data).digest()
        if digest not in self.names:
            (self.folder / name).write_bytes(picture.data)
            self.names[digest] = name
        return self.names[digest]


def _slide_markdown(slide: SlideContent, images: ImageFiles) -> str:
    lines = [f"## {slide.number}. {escape(slide.title)}", ""]
    for block in slide.blocks:
        lines.extend(_block(block))
        lines.append("")
    for table in slide.tables:
        lines.extend(_table(table))
        lines.append("")
    for index, picture in enumerate(slide.pictures, start=1):
        name = images.name_for(picture, f"slide-{slide.number:03d}-{index}.{picture.extension}")
        lines.extend([f"![{escape(slide.title)}]({IMAGES}/{name})", ""])
    if slide.notes:
        lines.extend(f"> {escape(line)}" if line.strip() else ">"
                     for line in slide.notes.splitlines())
        lines.append("")
    return "\n".join(lines)


def _block(block: list[TextLine]) -> list[str]:
    lines = []
    for line in block:
        if line.bulleted:
            lines.append(f"{'  ' * line.level}- {escape(line.text)}")
        else:
            # a hard line break keeps a heading and its text (a quiz's choices) apart
            lines.append(f"{escape(line.text)}  ")
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(escape(cell).replace("\n", " ") for cell in cells) + " |"

    head, *body = rows
    return [row(head), "|" + "---|" * len(head), *(row(cells) for cells in body)]
