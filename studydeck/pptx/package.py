"""The deck's package: new parts named, pictures reused and slides found in constant time.

python-pptx, used as is, scans every part of the package to name each new notes slide or image,
hashes every picture already added to reuse one, and reads every slide id and relationship of the
presentation for each new slide, so a deck's build time grows with the square of its slides.
`index_parts` replaces those look-ups on one presentation with indexes kept as parts are added;
`write_notes` copies the first notes page instead of cloning the notes master for every slide;
`cached_lookups` stops python-pptx compiling the same XPath expressions and qualified names
over and over.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import IO, Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import xmlchemy
from pptx.oxml.ns import _nsmap
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.parts.image import Image, ImagePart
from pptx.parts.slide import NotesSlidePart
from pptx.presentation import Presentation
from pptx.slide import Slide

IMAGE_TEMPLATE = "/ppt/media/image%d.%s"
NOTES_TEMPLATE = "/ppt/notesSlides/notesSlide%d.xml"
MIN_SLIDE_ID, MAX_SLIDE_ID = 256, 2147483647
# Per package: the first notes page, as python-pptx made it, before its text was written.
_NOTES_MODELS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_XPATHS: dict[str, Any] = {}  # expression → compiled etree.XPath


def index_parts(prs: Presentation) -> None:
    """Make naming new parts, reusing images and finding slide ids take constant time in `prs`."""
    package: Any = prs.part.package
    names = PartNames(package)
    images = ImageIndex(package)
    package.next_partname = names.next_partname
    package.next_image_partname = names.next_image_partname
    package.get_or_add_image_part = images.get_or_add_image_part
    presentation_part: Any = prs.part
    presentation_part.slide_id = SlideIds(presentation_part).slide_id
    presentation_part.rels.get_or_add = RelationIndex(presentation_part.rels).get_or_add
    slides: Any = prs.slides
    slides.add_slide = SlideList(slides).add_slide


@contextmanager
def cached_lookups() -> Iterator[None]:
    """Run python-pptx's element helpers without redoing the same work on every call.

    `BaseOxmlElement.xpath` compiles its expression each time (about four times the cost of
    evaluating it), and xmlchemy turns each `prefix:tag` into a qualified name each time it looks
    for a child; shape and text look-ups do both dozens of times per slide. Inside, compiled
    expressions and computed names are kept; the results are the same.
    """
    original = BaseOxmlElement.xpath
    if original is _compiled_xpath:  # already inside
        yield
        return
    qualified = xmlchemy.qn  # type: ignore[attr-defined]
    setattr(BaseOxmlElement, "xpath", _compiled_xpath)  # noqa: B010
    xmlchemy.qn = functools.cache(qualified)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        setattr(BaseOxmlElement, "xpath", original)  # noqa: B010
        xmlchemy.qn = qualified  # type: ignore[attr-defined]


def _compiled_xpath(element: Any, xpath_str: str) -> Any:
    compiled = _XPATHS.get(xpath_str)
    if compiled is None:
        compiled = _XPATHS[xpath_str] = etree.XPath(xpath_str, namespaces=_nsmap)
    return compiled(element)


def write_notes(slide: Slide, text: str) -> None:
    """Give `slide` speaker notes holding `text`; pages after the first copy the first one."""
    package = slide.part.package
    model = _NOTES_MODELS.get(package)
    if model is None or slide.has_notes_slide:
        notes = slide.notes_slide
        _NOTES_MODELS.setdefault(package, deepcopy(notes._element))
    else:
        notes = _copied_notes(slide.part, model)
    frame = notes.notes_text_frame
    if frame is None:
        raise ValueError("the notes master has no body placeholder to hold speaker notes")
    frame.text = text


def _copied_notes(slide_part: Any, model: Any) -> Any:
    """Give a new notes page of `slide_part` made from a copy of `model`, related as python-pptx
    relates one (cloning the notes master's placeholders for every slide is slow)."""
    package = slide_part.package
    part = NotesSlidePart(package.next_partname(NOTES_TEMPLATE), CT.PML_NOTES_SLIDE, package,
                          deepcopy(model))
    part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(part, RT.NOTES_SLIDE)
    return part.notes_slide


class PartNames:
    """Hands out free part names, scanning the package once instead of for every new part."""

    def __init__(self, package: Any) -> None:
        self._package = package
        self._taken: set[str] | None = None
        self._image_numbers: set[int] = set()
        self._next: dict[str, int] = {}

    def next_partname(self, template: str) -> PackURI:
        """Give the first free name `template % n` (e.g. '/ppt/notesSlides/notesSlide%d.xml')."""
        taken = self._taken_names()
        number = self._next.get(template, 1)
        while template % number in taken:
            number += 1
        self._next[template] = number + 1
        name = template % number
        taken.add(name)
        return PackURI(name)

    def next_image_partname(self, ext: str) -> PackURI:
        """Give the first free '/ppt/media/imageN.ext'; N counts images of every extension."""
        self._taken_names()
        number = self._next.get(IMAGE_TEMPLATE, 1)
        while number in self._image_numbers:
            number += 1
        self._next[IMAGE_TEMPLATE] = number + 1
        self._image_numbers.add(number)
        return PackURI(IMAGE_TEMPLATE % (number, ext))

    def _taken_names(self) -> set[str]:
        if self._taken is None:
            parts = list(self._package.iter_parts())
            self._taken = {str(part.partname) for part in parts}
            self._image_numbers = {
                part.partname.idx for part in parts
                if part.partname.startswith("/ppt/media/image") and part.partname.idx is not None
            }
        return self._taken


# (first bytes, python-pptx's extension and content type): what Image.ext and content_type give
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png", CT.PNG),
    (b"\xff\xd8\xff", "jpg", CT.JPEG),
    (b"GIF87a", "gif", CT.GIF),
    (b"GIF89a", "gif", CT.GIF),
)


class ImageIndex:
    """Finds the image part holding the same picture by its SHA-1, without hashing every part."""

    def __init__(self, package: Any) -> None:
        self._package = package
        self._by_sha1: dict[str, ImagePart] | None = None

    def get_or_add_image_part(self, image_file: str | IO[bytes]) -> ImagePart:
        """Give the package's part holding this picture, adding one if there is none yet."""
        image = Image.from_file(image_file)
        index = self._index()
        part = index.get(image.sha1)
        if part is None:
            part = self._new_part(image)
            index[image.sha1] = part
        return part

    def _new_part(self, image: Image) -> ImagePart:
        """Give a new part holding `image`, as ImagePart.new makes it; the format of a PNG,
        JPEG or GIF is read off its first bytes (Pillow would open the picture to tell)."""
        for signature, ext, content_type in _SIGNATURES:
            if image.blob.startswith(signature):
                return _SizedImagePart(self._package.next_image_partname(ext), content_type,
                                       self._package, image.blob, image.filename)
        return ImagePart.new(self._package, image)

    def _index(self) -> dict[str, ImagePart]:
        if self._by_sha1 is None:
            self._by_sha1 = {}
            for part in self._package.iter_parts():
                if isinstance(part, ImagePart):
                    self._by_sha1.setdefault(part.sha1, part)
        return self._by_sha1


class _SizedImagePart(ImagePart):
    """An image part that works its picture's size out once: python-pptx opens the picture
    with Pillow twice (pixels, then dots per inch) for every slide that shows it."""

    @functools.cached_property
    def _native_size(self) -> tuple[Any, Any]:
        size: tuple[Any, Any] = ImagePart._native_size.fget(self)  # type: ignore[attr-defined]
        return size


class SlideIds:
    """Gives a slide part's id from an index, rebuilt only when the slide list has changed."""

    def __init__(self, presentation_part: Any) -> None:
        self._part = presentation_part
        self._entries: dict[Part, Any] = {}

    def slide_id(self, slide_part: Part) -> int:
        entry = self._entries.get(slide_part)
        if entry is None or not self._still_listed(entry, slide_part):
            self._reindex()
            entry = self._entries.get(slide_part)
        if entry is None:
            raise ValueError("matching slide_part not found")
        return int(entry.id)

    def _still_listed(self, entry: Any, slide_part: Part) -> bool:
        listed = self._part._element.sldIdLst
        return bool(entry.getparent() is listed and
                    self._part.related_part(entry.rId) is slide_part)

    def _reindex(self) -> None:
        listed = self._part._element.sldIdLst
        entries = [] if listed is None else listed.sldId_lst
        self._entries = {self._part.related_part(entry.rId): entry for entry in entries}


class RelationIndex:
    """Finds a part's relationship to a target by (type, target) instead of scanning them all."""

    def __init__(self, rels: Any) -> None:
        self._rels = rels
        self._index: dict[tuple[str, Any], str] = {}
        self._size = -1

    def get_or_add(self, reltype: str, target_part: Part) -> str:
        """Give the rId of the `reltype` relationship to `target_part`, adding it if missing."""
        if len(self._rels) != self._size:
            self._reindex()
        rId = self._index.get((reltype, target_part))
        if rId is None or not self._still_related(rId, reltype, target_part):
            rId = self._rels._add_relationship(reltype, target_part)
            self._index[(reltype, target_part)] = rId
            self._size = len(self._rels)
        return rId

    def _still_related(self, rId: str, reltype: str, target_part: Part) -> bool:
        rel = self._rels.get(rId)
        return bool(rel is not None and not rel.is_external and rel.reltype == reltype
                    and rel.target_part is target_part)

    def _reindex(self) -> None:
        self._index = {(rel.reltype, rel.target_part): rId for rId, rel in self._rels.items()
                       if not rel.is_external}
        self._size = len(self._rels)


class SlideList:
    """Adds slides, taking the next slide id from a counter instead of reading every id."""

    def __init__(self, slides: Any) -> None:
        self._slides = slides
        self._next_id = 0
        self._size = -1
        self._placeholders: dict[Part, list[Any]] = {}

    def add_slide(self, slide_layout: Any, placeholders: bool = True) -> Slide:
        """Give a new slide on `slide_layout`, as python-pptx's `Slides.add_slide` does.

        Without `placeholders` the slide is left empty (its XML is about to be replaced).
        """
        rId, slide = self._slides.part.add_slide(slide_layout)
        if placeholders:
            self._clone_placeholders(slide, slide_layout)
        listed = self._slides._sldIdLst
        if len(listed) != self._size:
            self._next_id = max([MIN_SLIDE_ID - 1, *(int(e.id) for e in listed.sldId_lst)]) + 1
        if self._next_id > MAX_SLIDE_ID:
            listed.add_sldId(rId)  # python-pptx looks for a free id below the largest
        else:
            listed._add_sldId(id=self._next_id, rId=rId)
            self._next_id += 1
        self._size = len(listed)
        added: Slide = slide
        return added

    def _clone_placeholders(self, slide: Slide, slide_layout: Any) -> None:
        """Clone the layout's placeholders onto the new (empty) slide: the first time as
        python-pptx clones them, then as copies of those clones (the same XML: ids and names
        count from the empty slide's), without python-pptx looking through the layout again."""
        tree = slide.shapes._spTree
        clones = self._placeholders.get(slide_layout.part)
        if clones is None:
            before = len(tree)
            for placeholder in slide_layout.iter_cloneable_placeholders():
                slide.shapes.clone_placeholder(placeholder)
            self._placeholders[slide_layout.part] = [deepcopy(e) for e in tree[before:]]
            return
        for clone in clones:
            tree.insert_element_before(deepcopy(clone), "p:extLst")
