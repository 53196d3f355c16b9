"""Unchanged slides taken from the last build instead of being laid out again.

A written slide is kept as plain data: its XML, its notes page's XML, the layout it is on, and
each relationship by rId with its target named by what it is — a picture by SHA-1, another slide
by its place in the deck ("database:0", the chapter's section slide), the notes page, a web
address. Added to a new deck, the same XML gets the same rIds pointing at that deck's parts, and
parts are named in the order a cold build names them (slides, notes pages and pictures are added
in deck order), so the deck's bytes are those of a cold build; tests/test_slide_reuse.py compares.
A slide related to anything else (a chart, a video) is not kept: it is always written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pptx
from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, _Relationship
from pptx.oxml import element_class_lookup
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.presentation import Presentation
from pptx.slide import Slide

from studydeck.layout import text
from studydeck.layout.planned import PlannedSlide
from studydeck.pptx.archive import Deflated
from studydeck.pptx.context import SlideResult
from studydeck.pptx.layout_roles import ROLES, Layouts
from studydeck.pptx.package import NOTES_TEMPLATE
from studydeck.source.fingerprint import digest, file_digests
from studydeck.source.kept_slides import SlideStore

# (rId, relationship type, what the target is, which one): "layout" "title"|"content",
# "notes" "", "image" SHA-1, "slide" label, "external" address
StoredRel = tuple[str, str, str, str]
# XML as a zip member holds it: (raw deflate, CRC-32, size); (b"", 0, 0) for none
StoredXml = tuple[bytes, int, int]
# (slide XML, layout, relationships, notes XML)
StoredSlide = tuple[StoredXml, str, list[StoredRel], StoredXml]
Written = tuple[PlannedSlide, Slide, SlideResult]

_PARSER = etree.XMLParser(resolve_entities=False)  # with python-pptx's element classes
_PARSER.set_element_class_lookup(element_class_lookup)
_EMPTY_NOTES = b'<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'


class _KeptXml:
    """A part saved as the bytes it was kept as (parsing and serializing them again is waste),
    deflated already (the zip takes them as they are: studydeck/pptx/archive.py).

    Its element is not what is saved: nothing may read or change a kept part's XML.
    """

    deflated = Deflated(b"\x03\x00", 0, 0)  # no bytes

    @property
    def blob(self) -> bytes:
        return self.deflated.plain()


class KeptSlidePart(_KeptXml, SlidePart):  # type: ignore[override]  # blob: read-only
    pass


class KeptNotesSlidePart(_KeptXml, NotesSlidePart):  # type: ignore[override]  # blob: read-only
    pass


def _keep_xml(part: Part, xml: Deflated) -> StoredXml:
    """Make `part` save `xml` from now on (its XML as serialized now, or as kept); give it as
    the store keeps it."""
    part.__class__ = KeptNotesSlidePart if isinstance(part, NotesSlidePart) else KeptSlidePart
    part.deflated = xml  # type: ignore[attr-defined]
    return xml.data, xml.crc, xml.size


@dataclass
class _Kept:
    """A slide as the store keeps it: its key, its data, the text widths its writing used."""

    key: str
    stored: StoredSlide | None  # None: written now, and not (yet) in a form that can be kept
    widths: dict[str, float]


@dataclass
class _Group:
    """A chapter's slides (or one of the deck's own) as this build has them, to keep."""

    name: str  # the chapter id, or for the deck's own slides "title@<the file's chapters>"
    key: str
    pictures: dict[str, Path]  # the pictures its slides may show, by SHA-1
    slides: list[_Kept]
    fresh: dict[int, Slide]  # the slides written now, by their index in the group


@dataclass
class ChapterReuse:
    """Writes a deck's slides chapter by chapter, taking unchanged slides from `store`.

    A chapter's slides are kept together (one entry per chapter), each under a key of its own
    (what the slide is made from): editing one slide, or a chapter's title, writes that slide
    (and the section slide, the agenda) again, not the whole chapter.
    """

    prs: Presentation
    layouts: Layouts
    store: SlideStore
    pictures_of: Callable[[PlannedSlide], list[Path]]
    # what else a slide is made from (a native diagram's layout, the agenda's chapters), for the key
    depends_on: Callable[[PlannedSlide], list[object]] = lambda item: []
    chapters_in_file: str = ""  # names the deck's own kept slides: a chapter's file has its own
    restored: set[Part] = field(default_factory=set)
    _labels: dict[str, Part] = field(default_factory=dict)
    _groups: list[_Group] = field(default_factory=list)
    _later: list[tuple[Part, StoredRel]] = field(default_factory=list)
    _digests: dict[int, tuple[object, str]] = field(default_factory=dict)
    _sha1s: dict[Path, str] = field(default_factory=dict)
    _measured_by_slides = 0  # how many text widths were known once every slide was added
    _master: Part | None = None

    def slides(self, group: Sequence[PlannedSlide],
               write: Callable[[PlannedSlide], Written]) -> list[Written]:
        """Give the group's slides: the kept ones where unchanged, else `write`'s."""
        kept, found = self._look_up(group)
        rows: list[Written] = []
        for index, item in enumerate(group):
            slide_key = self._slide_key(item)
            stored = found.get(slide_key)
            if stored is not None and stored.stored is not None:
                rows.append((item, self._restore(stored.stored, kept.pictures), SlideResult()))
                text.count_as_used(stored.widths)  # kept for the next build, as if measured now
                kept.slides.append(stored)
            else:
                measured = text.measured_count()
                rows.append(write(item))
                kept.slides.append(_Kept(slide_key, None, text.measured_since(measured)))
                kept.fresh[index] = rows[-1][1]
            self._labels[_label(group[0], index)] = rows[-1][1].part
        self._groups.append(kept)
        return rows

    def _look_up(self, group: Sequence[PlannedSlide]) -> tuple[_Group, dict[str, _Kept]]:
        """Give the group to fill for `group`'s slides, and its kept slides that can be
        restored, by key."""
        first = group[0]
        name = first.chapter.id if first.chapter else f"{first.kind}@{self.chapters_in_file}"
        files = [path for item in group for path in self.pictures_of(item)]
        by_sha1 = {sha1: path for path, sha1 in self._file_digests(files).items() if sha1}
        key = self.store.key(name)
        entry = self.store.load(name, key)
        found = {
            slide_key: _Kept(slide_key, stored, widths)
            for slide_key, stored, widths in (entry if entry and _well_formed(entry) else [])
            if _pictures_at_hand(stored, by_sha1)
        }
        return _Group(name, key, by_sha1, [], {}), found

    def _slide_key(self, item: PlannedSlide) -> str:
        """Give the key of one slide within its chapter's file (whose own key holds what every
        slide shares): what it shows and where, its pictures' bytes, and what else it is made
        from. A slide shows its chapter only through its planned title (a section slide's is
        the chapter's), so the chapter's title and slides are left out."""
        chapter = item.chapter
        facts = (chapter.id, chapter.minutes, chapter.objectives) if chapter else None
        files = sorted(self._file_digests(self.pictures_of(item)).items())
        made_from = [self._digest_once(thing) for thing in self.depends_on(item)]
        return digest(facts, _described(item), made_from, files)

    def _digest_once(self, thing: object) -> str:
        """Give digest(thing), worked out once per object (a diagram's steps share a layout)."""
        if id(thing) not in self._digests:
            self._digests[id(thing)] = (thing, digest(thing))  # held: its id stays its own
        return self._digests[id(thing)][1]

    def _file_digests(self, paths: list[Path]) -> dict[Path, str]:
        """Give file_digests(paths), reading each file once per build."""
        unread = [path for path in paths if path not in self._sha1s]
        self._sha1s.update(file_digests(unread))
        return {path: self._sha1s[path] for path in paths}

    def link_later_slides(self) -> None:
        """Add the kept slides' links to slides that came after them (all slides are in now)."""
        self._measured_by_slides = text.measured_count()
        for part, (rId, reltype, _, label) in self._later:
            part.rels._rels[rId] = _Relationship(part.rels._base_uri, rId, reltype, RTM.INTERNAL,
                                                  self._labels[label])
            # python-pptx walks relationships in the order they were added: keep rId order
            ordered = sorted(part.rels._rels.items(), key=lambda pair: _rId_number(pair[0]))
            part.rels._rels.clear()
            part.rels._rels.update(ordered)

    def keep_written(self, chapter_ids: Collection[str] | None = None) -> None:
        """Keep the slides of every chapter with a slide written in this build (or of those
        named). Call it once the slides are whole (links added): the slides are saved as kept.
        """
        parts = {part: label for label, part in self._labels.items()}
        # widths measured since, for links written on the new slides (e.g. "back to agenda")
        linking = text.measured_since(self._measured_by_slides)
        for group in self._groups:
            if not group.fresh or (chapter_ids is not None and group.name not in chapter_ids):
                continue
            for index, slide in group.fresh.items():
                kept = group.slides[index]
                kept.stored = self._stored(slide, parts, group.pictures)
                kept.widths.update(linking)
            entry = [(kept.key, kept.stored, kept.widths)
                     for kept in group.slides if kept.stored is not None]
            self.store.save(group.name, group.key, entry)

    def _notes_master(self) -> Part:
        """Give the deck's notes master, made as python-pptx makes it for the deck's first notes
        page if there is none yet (so ask only when a notes page is added)."""
        if self._master is None:
            self._master = self.prs.part.notes_master_part
        return self._master

    def _restore(self, stored: StoredSlide, by_sha1: dict[str, Path]) -> Slide:
        xml, layout_name, rels, notes_xml = stored
        layout = getattr(self.layouts, layout_name, self.layouts.content)
        slides: Any = self.prs.slides
        part = slides.add_slide(layout, placeholders=False).part
        _keep_xml(part, Deflated(*xml))  # an empty slide element, saved as the kept bytes
        self.restored.add(part)
        for rel in rels:
            rId, reltype, kind, ref = rel
            if kind == "layout":
                continue  # the new slide's rId1, as in every build
            if kind == "slide" and ref not in self._labels:
                self._later.append((part, rel))
                continue
            target: Part | str
            if kind == "image":
                target = part.package.get_or_add_image_part(str(by_sha1[ref]))
            elif kind == "notes":
                target = _notes_part(part, notes_xml, self._notes_master())
            elif kind == "slide":
                target = self._labels[ref]
            else:
                target = ref
            mode = RTM.EXTERNAL if kind == "external" else RTM.INTERNAL
            part.rels._rels[rId] = _Relationship(part.rels._base_uri, rId, reltype, mode, target)
        return Slide(part._element, part)  # an empty slide element: only the part is used

    def _stored(self, slide: Slide, labels: dict[Part, str],
                pictures: dict[str, Path]) -> StoredSlide | None:
        """Give `slide` as plain data; None when it relates to something this cannot restore."""
        layouts = {getattr(self.layouts, role).part: role for role in reversed(ROLES)}
        rels: list[StoredRel] = []
        notes_xml: StoredXml = (b"", 0, 0)
        for rId, rel in slide.part.rels.items():
            if rel.is_external:
                rels.append((rId, rel.reltype, "external", rel.target_ref))
                continue
            target = rel.target_part
            if rel.reltype == RT.SLIDE_LAYOUT and target in layouts and rId == "rId1":
                rels.append((rId, rel.reltype, "layout", layouts[target]))
            elif rel.reltype == RT.NOTES_SLIDE and _plain_notes(target, slide.part,
                                                                self._notes_master()):
                rels.append((rId, rel.reltype, "notes", ""))
                # saved as serialized here, not serialized again
                notes_xml = _keep_xml(target, Deflated.of(target.blob))
            elif rel.reltype == RT.IMAGE and getattr(target, "sha1", "") in pictures:
                rels.append((rId, rel.reltype, "image", target.sha1))  # type: ignore[attr-defined]
            elif rel.reltype == RT.SLIDE and target in labels:
                rels.append((rId, rel.reltype, "slide", labels[target]))
            else:
                return None
        if [kind for _, _, kind, _ in rels].count("layout") != 1:
            return None
        layout = next(ref for _, _, kind, ref in rels if kind == "layout")
        xml = _keep_xml(slide.part, Deflated.of(slide.part.blob))
        return xml, layout, rels, notes_xml


def _well_formed(entry: Any) -> bool:
    """Tell whether a kept entry has the shape this module writes (anything else is a miss):
    a list of (key, StoredSlide, text widths its writing measured)."""
    return isinstance(entry, list) and all(
        isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], str)
        and _well_formed_slide(kept[1]) and isinstance(kept[2], dict)
        for kept in entry)


def _well_formed_slide(slide: Any) -> bool:
    return (
        isinstance(slide, tuple) and len(slide) == 4 and _well_formed_xml(slide[0])
        and slide[1] in ROLES and _well_formed_xml(slide[3])
        and isinstance(slide[2], list)
        and all(isinstance(rel, tuple) and len(rel) == 4 and all(isinstance(v, str) for v in rel)
                and rel[2] in ("layout", "notes", "image", "slide", "external")
                for rel in slide[2]))


def _well_formed_xml(xml: Any) -> bool:
    return (isinstance(xml, tuple) and len(xml) == 3 and isinstance(xml[0], bytes)
            and isinstance(xml[1], int) and isinstance(xml[2], int))


def _pictures_at_hand(stored: StoredSlide, by_sha1: dict[str, Path]) -> bool:
    """Tell whether every picture the kept slide shows is at hand."""
    return all(ref in by_sha1 for _, _, kind, ref in stored[2] if kind == "image")


def writer_identity() -> str:
    """Give what written XML depends on besides studydeck: python-pptx's and lxml's versions."""
    return f"python-pptx {pptx.__version__} lxml {etree.__version__}"


def chapter_groups(planned: Sequence[PlannedSlide]) -> list[list[PlannedSlide]]:
    """Give the planned slides cut where the chapter changes (title and agenda each alone)."""
    groups: list[list[PlannedSlide]] = []
    for item in planned:
        if groups and _group_name(groups[-1][0]) == _group_name(item):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _described(item: PlannedSlide) -> list[object]:
    """Give what a planned slide holds, but its chapter (the key has the chapter once)."""
    return [getattr(item, name.name) for name in fields(item) if name.name != "chapter"]


def _group_name(item: PlannedSlide) -> str:
    return item.chapter.id if item.chapter else f":{item.kind}"  # no chapter id has a colon


def _label(first: PlannedSlide, index: int) -> str:
    """Name a slide by its place: the chapter id (or the first slide's kind) and its index."""
    return f"{first.chapter.id}:{index}" if first.chapter else f":{first.kind}:{index}"


def _rId_number(rId: str) -> int:
    return int(rId[3:]) if rId.startswith("rId") and rId[3:].isdigit() else 0


def _plain_notes(notes: Part, slide_part: Part, master: Part | None) -> bool:
    """Tell whether the notes page relates to the notes master and its slide, and nothing else."""
    found = [(rId, rel.reltype, None if rel.is_external else rel.target_part)
             for rId, rel in notes.rels.items()]
    return found == [("rId1", RT.NOTES_MASTER, master), ("rId2", RT.SLIDE, slide_part)]


def _notes_part(slide_part: Part, notes_xml: StoredXml, master: Part) -> NotesSlidePart:
    """Give a new notes page of `slide_part` holding `notes_xml`, related as a cold build does."""
    package = slide_part.package
    part = NotesSlidePart(package.next_partname(NOTES_TEMPLATE), CT.PML_NOTES_SLIDE, package,
                          etree.fromstring(_EMPTY_NOTES, _PARSER))
    part.relate_to(master, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    _keep_xml(part, Deflated(*notes_xml))  # an empty notes element, saved as the kept bytes
    return part
