"""A built deck read back as plain values: each slide's title, text, tables, pictures and notes."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.picture import Picture as PictureShape
from pptx.slide import NotesSlide, Slide
from pptx.text.text import TextFrame

from studydeck.pptx.states import hidden_paragraph
from studydeck.pptx.written_deck import PACKAGE, WrittenDeck
from studydeck.pptx.xml import P14

BACK_LINK_NAME = "Back to agenda"  # the name writer.py gives the "◀ 목차" link on every slide


@dataclass(frozen=True)
class TextLine:
    """One paragraph: its text, its level, and whether it shows a bullet."""

    text: str
    level: int = 0
    bulleted: bool = False


@dataclass(frozen=True)
class Picture:
    """A picture on a slide: the image file's bytes, its extension and its box (EMU)."""

    data: bytes
    extension: str
    box: tuple[int, int, int, int]


@dataclass
class SlideContent:
    """What a reader of a handout needs from one slide."""

    number: int
    title: str
    blocks: list[list[TextLine]] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    notes: str = ""


@dataclass(frozen=True)
class DeckInfo:
    """The deck's title and language; per slide its section and its notes."""

    title: str
    language: str
    sections: list[str]
    notes: list[str]


def written_deck_info(deck: WrittenDeck) -> DeckInfo:
    """Give the title, language, sections and notes of the deck, read from its zip."""
    core = deck.target(PACKAGE, RT.CORE_PROPERTIES)
    properties = parse_xml(deck.blob(core)) if core is not None else None
    presentation = deck.presentation_xml()
    sections = _slide_sections(presentation)
    listed = presentation.find(qn("p:sldIdLst"))
    slide_ids = [int(entry.get("id")) for entry in (listed if listed is not None else [])]
    return DeckInfo((properties.title_text if properties is not None else "") or deck.path.stem,
                    properties.language_text if properties is not None else "",
                    [sections.get(slide_id, "") for slide_id in slide_ids],
                    [_written_notes(deck, part) for part in deck.slide_parts()])


def _slide_sections(presentation: etree._Element) -> dict[int, str]:
    found: dict[int, str] = {}
    for section in presentation.iter(f"{{{P14}}}section"):
        for entry in section.iter(f"{{{P14}}}sldId"):
            found[int(entry.get("id"))] = section.get("name", "")
    return found


def _written_notes(deck: WrittenDeck, slide: str) -> str:
    notes = deck.target(slide, RT.NOTES_SLIDE)
    return _notes_text(deck.blob(notes)) if notes is not None else ""


@functools.lru_cache(maxsize=4096)  # the preview asks after every save: most notes are as before
def _notes_text(xml: bytes) -> str:
    frame = NotesSlide(parse_xml(xml), None).notes_text_frame  # type: ignore[arg-type]
    return frame.text.strip() if frame is not None else ""


def read_deck(path: Path) -> list[SlideContent]:
    """Give every slide of the .pptx at `path`, in order."""
    return read_presentation(Presentation(str(path)))


def read_presentation(prs: PresentationType) -> list[SlideContent]:
    """Give every slide of the deck `prs`, opened (or made) with python-pptx, in order."""
    return [_read_slide(number, slide) for number, slide in enumerate(prs.slides, start=1)]


def _read_slide(number: int, slide: Slide) -> SlideContent:
    title_shape = slide.shapes.title
    title = title_shape.text_frame.text.strip() if title_shape is not None else ""
    title_id = title_shape.shape_id if title_shape is not None else None
    content = SlideContent(number, title, notes=_notes(slide))
    for shape in slide.shapes:
        if shape.shape_id == title_id or shape.name == BACK_LINK_NAME:
            continue
        _read_shape(shape, content)
    return content


def _read_shape(shape: BaseShape, content: SlideContent) -> None:
    if isinstance(shape, PictureShape):
        picture = _picture(shape)
        # a walkthrough stacks its step pictures on the base: the handout keeps the base
        if all(seen.box != picture.box for seen in content.pictures):
            content.pictures.append(picture)
    elif isinstance(shape, GraphicFrame) and shape.has_table:
        content.tables.append([[cell.text.strip() for cell in row.cells]
                               for row in shape.table.rows])
    elif isinstance(shape, Shape) and shape.has_text_frame:
        lines = _lines(shape.text_frame)
        if lines:
            content.blocks.append(lines)


def _picture(shape: PictureShape) -> Picture:
    image = shape.image
    box = (int(shape.left), int(shape.top), int(shape.width), int(shape.height))
    return Picture(image.blob, image.ext, box)


def _lines(frame: TextFrame) -> list[TextLine]:
    lines = []
    for paragraph in frame.paragraphs:
        text = "".join(run.text for run in paragraph.runs).strip()
        if not text or hidden_paragraph(paragraph._p):  # a click state's paragraph not shown yet
            continue
        properties = paragraph._p.pPr
        bulleted = properties is not None and properties.find(qn("a:buChar")) is not None
        lines.append(TextLine(text, paragraph.level, bulleted))
    return lines


def _notes(slide: Slide) -> str:
    if not slide.has_notes_slide:
        return ""
    frame = slide.notes_slide.notes_text_frame
    return frame.text.strip() if frame is not None else ""
