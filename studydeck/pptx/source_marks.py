"""Source marks: each slide names the YAML it came from and a digest of every text it shows.

The mark is the name (`p:cNvPr/@name`) of a hidden, empty shape of no size at the end of the
slide's shape tree: PowerPoint keeps shape names and hidden shapes (the Selection Pane lists them),
and LibreOffice Impress keeps both through a save, where it drops alt text (`@descr`, `@title`),
custom tags (`p:custDataLst`), extension lists and the names of placeholders and notes shapes.
Nothing of it is drawn: the slideshow and every render stay as they were. `studydeck pull` reads
the marks to tell a text edited in the deck from one whose YAML changed since the build.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.slide import Slide

MARK_PREFIX = "studydeck-source"
MAX_NAME = 240  # characters in one mark; longer marks go on more hidden shapes
NOTES_KEY = "notes"
_SHAPE_TAGS = frozenset(qn(tag) for tag in ("p:sp", "p:graphicFrame", "p:cxnSp"))
_GROUP, _PARAGRAPH, _RUN, _BREAK, _TEXT = (
    qn(tag) for tag in ("p:grpSp", "a:p", "a:r", "a:br", "a:t"))
_PH, _CNVPR, _RPR, _LATIN, _LINK, _REL_ID, _XFRMS = (
    qn("p:ph"), qn("p:cNvPr"), qn("a:rPr"), qn("a:latin"), qn("a:hlinkClick"), qn("r:id"),
    (qn("a:xfrm"), qn("p:xfrm")))
# a shape's own non-visual properties (`p:nvSpPr`, `p:nvGraphicFramePr` …) hold its name and
# whether it is a placeholder
_OWN_PH, _OWN_CNVPR = f"*/{qn('p:nvPr')}/{_PH}", f"*/{_CNVPR}"
_SAME_PLACEHOLDER = {"ctrTitle": "title"}  # LibreOffice saves a title slide's title as "title"


@dataclass(frozen=True)
class RunText:
    """One run of a paragraph as it stands in a deck: its text and how it looks."""

    text: str
    bold: bool = False
    italic: bool = False
    typeface: str = ""
    link: str = ""  # the web address it opens


@dataclass(frozen=True)
class ShapeText:
    """A shape's paragraphs (a table's cells' paragraphs, row by row), and its box in EMU."""

    key: str
    paragraphs: tuple[tuple[RunText, ...], ...]
    box: tuple[int, int, int, int] | None = None

    @property
    def texts(self) -> list[str]:
        return [paragraph_text(runs) for runs in self.paragraphs]


@dataclass(frozen=True)
class SlideMark:
    """What a slide's mark says: where it came from and the digests of its texts as built."""

    source: str
    digests: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class MarkedSlide:
    """A slide of a deck as pull reads it: its mark (None: not studydeck's) and its texts."""

    mark: SlideMark | None
    shapes: list[ShapeText]

    def shape(self, key: str) -> ShapeText | None:
        return next((shape for shape in self.shapes if shape.key == key), None)


def read_marked_deck(path: Path) -> tuple[list[MarkedSlide], int]:
    """Give the deck's slides with their marks and texts, and its slide width (EMU); raises
    ValueError when the file is not a .pptx."""
    try:
        presentation = Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise ValueError(str(error)) from None
    slides = [MarkedSlide(read_mark(slide), shape_texts(slide)) for slide in presentation.slides]
    return slides, int(presentation.slide_width or 0)


def paragraph_text(runs: tuple[RunText, ...]) -> str:
    return "".join(run.text for run in runs)


def digest(text: str) -> str:
    """Give the short digest a mark keeps of one paragraph's text."""
    return blake2b(text.encode("utf-8"), digest_size=3).hexdigest()


def mark_slide(slide: Slide, source: str) -> None:
    """Add the hidden shapes that mark `slide` as written from `source` (for example
    `alpha/3`: slide 3 of chapter alpha's YAML, counting from 0)."""
    entries = [f"{quote(key, safe='')}={'.'.join(digest(text) for text in texts)}"
               for key, texts in _texts_to_mark(slide)]
    tree = slide.shapes._spTree
    next_id = max((int(e.get("id", "0")) for e in tree.iter(_CNVPR)), default=1) + 1
    for number, chunk in enumerate(_chunks(f"{MARK_PREFIX} {quote(source, safe='/')}", entries)):
        tree.append(_hidden_shape(next_id + number, chunk))


def _chunks(head: str, entries: list[str]) -> Iterator[str]:
    """Give the mark's names: the head, then as many entries as fit in MAX_NAME each."""
    current = head
    for entry in entries:
        if len(current) + 1 + len(entry) > MAX_NAME and current != head:
            yield current
            current = head
        current = f"{current} {entry}"
    yield current


def _hidden_shape(shape_id: int, name: str) -> etree._Element:
    """Give an `p:sp` that is hidden, empty and of no size, named `name`."""
    sp = deepcopy(_HIDDEN_SHAPE)
    properties = sp[0][0]
    properties.set("id", str(shape_id))
    properties.set("name", name)
    return sp


def _new_hidden_shape() -> etree._Element:
    """Give the hidden shape every mark is a copy of (its id and name are set on the copy)."""
    sp = etree.Element(qn("p:sp"))
    nv = etree.SubElement(sp, qn("p:nvSpPr"))
    etree.SubElement(nv, qn("p:cNvPr"), id="0", name="", hidden="1")
    etree.SubElement(nv, qn("p:cNvSpPr"))
    etree.SubElement(nv, qn("p:nvPr"))
    properties = etree.SubElement(sp, qn("p:spPr"))
    xfrm = etree.SubElement(properties, qn("a:xfrm"))
    etree.SubElement(xfrm, qn("a:off"), x="0", y="0")
    etree.SubElement(xfrm, qn("a:ext"), cx="0", cy="0")
    geometry = etree.SubElement(properties, qn("a:prstGeom"), prst="rect")
    etree.SubElement(geometry, qn("a:avLst"))
    etree.SubElement(properties, qn("a:noFill"))
    line = etree.SubElement(properties, qn("a:ln"))
    etree.SubElement(line, qn("a:noFill"))
    return sp


_HIDDEN_SHAPE = _new_hidden_shape()


def read_mark(slide: Slide) -> SlideMark | None:
    """Give the slide's mark, or None when it has none (a slide not written by studydeck)."""
    source = ""
    digests: dict[str, tuple[str, ...]] = {}
    for element in slide.shapes._spTree.iter(_CNVPR):
        words = element.get("name", "").split(" ")
        if words[0] != MARK_PREFIX or len(words) < 2:
            continue
        source = unquote(words[1])
        for entry in words[2:]:
            key, _, found = entry.partition("=")
            digests[unquote(key)] = tuple(found.split(".")) if found else ()
    return SlideMark(source, digests) if source else None


def shape_texts(slide: Slide, *, boxes: bool = True) -> list[ShapeText]:
    """Give the texts of the slide's shapes (groups' shapes too) and of its notes, each under a
    key that a save keeps: placeholders by type, other shapes by name, repeated names numbered."""
    found = [ShapeText(key, _paragraphs(element, slide.part), _box(element) if boxes else None)
             for key, element, _ in _text_shapes(slide)]
    notes = _notes_body(slide)
    if notes is not None:
        found.append(ShapeText(NOTES_KEY, _paragraphs(notes, slide.notes_slide.part)))
    return found


def _texts_to_mark(slide: Slide) -> Iterator[tuple[str, list[str]]]:
    """Give each text shape's key and its paragraphs' texts, as shape_texts gives them."""
    for key, _, texts in _text_shapes(slide):
        yield key, texts
    notes = _notes_body(slide)
    if notes is not None:
        yield NOTES_KEY, _paragraph_texts(notes)


def _text_shapes(slide: Slide) -> Iterator[tuple[str, etree._Element, list[str]]]:
    """Give each shape with text under its key (see shape_texts), with the text of each of its
    paragraphs."""
    seen: dict[str, int] = {}
    for element in _shapes(slide.shapes._spTree):
        texts = _paragraph_texts(element)
        key = _shape_key(element)
        if not any(texts) or key.startswith(MARK_PREFIX):
            continue  # no text: LibreOffice gives a connector an empty paragraph
        seen[key] = seen.get(key, 0) + 1
        yield key if seen[key] == 1 else f"{key}#{seen[key]}", element, texts


def _paragraph_texts(element: etree._Element) -> list[str]:
    """Give the text of each paragraph in `element`, as paragraph_text gives it of its runs
    (only the text is read: marking a slide reads every paragraph of it)."""
    return ["".join("\n" if child.tag == _BREAK
                    else "".join(t.text or "" for t in child.iter(_TEXT)) if child.tag == _RUN
                    else "" for child in paragraph)
            for paragraph in element.iter(_PARAGRAPH)]


def _notes_body(slide: Slide) -> etree._Element | None:
    """Give the notes page's body placeholder (what python-pptx's notes_placeholder gives,
    found directly: that property takes a third of the time of marking a slide)."""
    if not slide.has_notes_slide:
        return None
    for placeholder in slide.notes_slide._element.iter(_PH):
        if placeholder.get("type") == "body":
            return next(placeholder.iterancestors(qn("p:sp")), None)
    return None


def _shapes(tree: etree._Element) -> Iterator[etree._Element]:
    for child in tree:
        if child.tag == _GROUP:
            yield from _shapes(child)
        elif child.tag in _SHAPE_TAGS:
            yield child


def _shape_key(element: etree._Element) -> str:
    placeholder = element.find(_OWN_PH)
    if placeholder is not None:
        kind = placeholder.get("type", "body")
        return f"placeholder:{_SAME_PLACEHOLDER.get(kind, kind)}"
    properties = element.find(_OWN_CNVPR)
    return "" if properties is None else properties.get("name", "")


def _box(element: etree._Element) -> tuple[int, int, int, int] | None:
    """Give the shape's box on the slide (EMU): a grouped shape's through its groups' scales."""
    box = _own_box(element, "a:off", "a:ext")
    if box is None:
        return None
    x, y, cx, cy = (float(value) for value in box)
    for group in element.iterancestors(_GROUP):
        placed = _own_box(group, "a:off", "a:ext")
        inner = _own_box(group, "a:chOff", "a:chExt")
        if placed is None or inner is None:
            continue
        scale_x = placed[2] / inner[2] if inner[2] else 1.0
        scale_y = placed[3] / inner[3] if inner[3] else 1.0
        x, y = placed[0] + (x - inner[0]) * scale_x, placed[1] + (y - inner[1]) * scale_y
        cx, cy = cx * scale_x, cy * scale_y
    return round(x), round(y), round(cx), round(cy)


def _own_box(element: etree._Element, offset_tag: str,
             extent_tag: str) -> tuple[int, int, int, int] | None:
    xfrm = next(element.iter(*_XFRMS), None)
    offset = xfrm.find(qn(offset_tag)) if xfrm is not None else None
    extent = xfrm.find(qn(extent_tag)) if xfrm is not None else None
    if offset is None or extent is None:
        return None
    return (int(offset.get("x", "0")), int(offset.get("y", "0")),
            int(extent.get("cx", extent.get("x", "0"))),
            int(extent.get("cy", extent.get("y", "0"))))


def _paragraphs(element: etree._Element, part: Part) -> tuple[tuple[RunText, ...], ...]:
    return tuple(_runs(paragraph, part) for paragraph in element.iter(_PARAGRAPH))


def _runs(paragraph: etree._Element, part: Part) -> tuple[RunText, ...]:
    runs: list[RunText] = []
    for child in paragraph:
        if child.tag == _BREAK:
            runs.append(RunText("\n"))
        elif child.tag == _RUN:  # a field's text (the slide number) is the application's
            runs.append(_run(child, part))
    return tuple(runs)


def _run(run: etree._Element, part: Part) -> RunText:
    text = "".join(t.text or "" for t in run.iter(_TEXT))
    properties = run.find(_RPR)
    if properties is None:
        return RunText(text)
    latin = properties.find(_LATIN)
    link = properties.find(_LINK)
    return RunText(text, properties.get("b") in ("1", "true"),
                   properties.get("i") in ("1", "true"),
                   latin.get("typeface", "") if latin is not None else "",
                   _link_target(link, part) if link is not None else "")


def _link_target(link: etree._Element, part: Part) -> str:
    """Give the web address a run's link opens ("" for a jump within the deck)."""
    rel_id = link.get(_REL_ID, "")
    if rel_id not in part.rels or not part.rels[rel_id].is_external:
        return ""
    return str(part.rels[rel_id].target_ref)
