"""Slides of unchanged chapters taken from the last build instead of being laid out again.

A written slide is kept as plain data: its XML, its notes page's XML, the layout it is on, and
each relationship by rId with its target named by what it is — a picture by SHA-1, another slide
by its place in the deck ("database:0", the chapter's section slide), the notes page, a web
address. Added to a new deck, the same XML gets the same rIds pointing at that deck's parts, and
parts are named in the order a cold build names them (slides, notes pages and pictures are added
in deck order), so the deck's bytes are those of a cold build; tests/test_slide_reuse.py compares.
A slide related to anything else (a chart, a video) is not kept: its chapter is always written.
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
from studydeck.pptx.context import SlideResult
from studydeck.pptx.package import NOTES_TEMPLATE
from studydeck.pptx.template import Layouts
from studydeck.source.fingerprint import file_digests
from studydeck.source.kept_slides import SlideStore

# (rId, relationship type, what the target is, which one): "layout" "title"|"content",
# "notes" "", "image" SHA-1, "slide" label, "external" address
StoredRel = tuple[str, str, str, str]
# (slide XML, layout, relationships, notes XML)
StoredSlide = tuple[bytes, str, list[StoredRel], bytes]
Written = tuple[PlannedSlide, Slide, SlideResult]

# python-pptx's element classes, but whitespace kept: a run of " " must come back as it went
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_PARSER.set_element_class_lookup(element_class_lookup)


class _KeptXml:
    """A part saved as the bytes it was kept as (parsing and serializing them again is waste).

    Its element is not what is saved: nothing may read or change a kept part's XML.
    """

    kept_xml = b""

    @property
    def blob(self) -> bytes:
        return self.kept_xml


class KeptSlidePart(_KeptXml, SlidePart):  # type: ignore[override]  # blob: read-only
    pass


class KeptNotesSlidePart(_KeptXml, NotesSlidePart):  # type: ignore[override]  # blob: read-only
    pass


def _keep_xml(part: Part, xml: bytes) -> None:
    """Make `part` save `xml` from now on (its XML as serialized now, or as kept)."""
    part.__class__ = KeptNotesSlidePart if isinstance(part, NotesSlidePart) else KeptSlidePart
    part.kept_xml = xml  # type: ignore[attr-defined]


@dataclass
class _Fresh:
    chapter_id: str
    key: str
    pictures: dict[str, Path]
    rows: list[Written]
    widths: dict[str, float]  # text widths first measured for these slides


@dataclass(frozen=True)
class Lookup:
    """A chapter's key, the pictures its slides show (by SHA-1), and what the store kept."""

    chapter_id: str  # or, for the deck's own slides, "title@<the file's chapters>"
    key: str
    pictures: dict[str, Path]
    kept: Any | None  # an entry that can be restored, or None


@dataclass
class ChapterReuse:
    """Writes a deck's slides chapter by chapter, taking unchanged chapters from `store`."""

    prs: Presentation
    layouts: Layouts
    store: SlideStore
    pictures_of: Callable[[PlannedSlide], list[Path]]
    # what else a slide is made from (a native diagram's layout, the agenda's chapters), for the key
    depends_on: Callable[[PlannedSlide], list[object]] = lambda item: []
    chapters_in_file: str = ""  # names the deck's own kept slides: a chapter's file has its own
    restored: set[Part] = field(default_factory=set)
    _labels: dict[str, Part] = field(default_factory=dict)
    _fresh: list[_Fresh] = field(default_factory=list)
    _later: list[tuple[Part, StoredRel]] = field(default_factory=list)
    _measured_by_slides = 0  # how many text widths were known once every slide was added
    _master: Part | None = None

    def _look_up(self, group: Sequence[PlannedSlide]) -> Lookup:
        """Give the key and kept entry of a chapter's slides, or of one of the deck's own."""
        first = group[0]
        made_from: list[object] = []
        if first.chapter is not None:
            name, made_from = first.chapter.id, [first.chapter]
        else:
            name = f"{first.kind}@{self.chapters_in_file}"
        files = [path for item in group for path in self.pictures_of(item)]
        made_from += [*map(_described, group), *map(self.depends_on, group)]
        key = self.store.key(name, made_from, files)
        by_sha1 = {sha1: path for path, sha1 in file_digests(files).items() if sha1}
        entry = self.store.load(name, key)
        usable = entry is not None and self._restorable(entry, len(group), by_sha1)
        return Lookup(name, key, by_sha1, entry if usable else None)

    def slides(self, group: Sequence[PlannedSlide],
               write: Callable[[PlannedSlide], Written]) -> list[Written]:
        """Give the group's slides: the kept ones when they are unchanged, else `write`'s."""
        lookup = self._look_up(group)
        if lookup.kept is not None:
            rows = [(item, self._restore(slide, lookup.pictures), SlideResult())
                    for item, slide in zip(group, lookup.kept[0], strict=True)]
            text.count_as_used(lookup.kept[1])  # kept for the next build, as if measured now
        else:
            measured = text.measured_count()
            rows = [write(item) for item in group]
            widths = text.measured_since(measured)
            self._fresh.append(_Fresh(lookup.chapter_id, lookup.key, lookup.pictures, rows,
                                      widths))
        for index, (_, slide, _) in enumerate(rows):
            self._labels[_label(group[0], index)] = slide.part
        return rows

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

    def _written_entries(self) -> dict[str, tuple[str, Any]]:
        """Give each chapter written here as the store keeps it: chapter id -> (key, entry).

        Call it once the slides are whole (links added): the slides are saved as kept. A
        chapter with a slide that cannot be kept is left out.
        """
        parts = {part: label for label, part in self._labels.items()}
        # widths measured since, for links written on the new slides (e.g. "back to agenda")
        linking = text.measured_since(self._measured_by_slides)
        entries: dict[str, tuple[str, Any]] = {}
        for fresh in self._fresh:
            fresh.widths.update(linking)
            stored = [self._stored(slide, parts, fresh.pictures) for _, slide, _ in fresh.rows]
            if all(entry is not None for entry in stored):
                entries[fresh.chapter_id] = (fresh.key, (stored, fresh.widths))
        return entries

    def keep_written(self, chapter_ids: Collection[str] | None = None) -> None:
        """Keep the slides of every chapter written in this build (or of those named).

        Call it once the slides are whole (links added): the slides are saved as kept.
        """
        for chapter_id, (key, entry) in self._written_entries().items():
            if chapter_ids is None or chapter_id in chapter_ids:
                self.store.save(chapter_id, key, entry)

    def _restorable(self, entry: Any, slide_count: int, by_sha1: dict[str, Path]) -> bool:
        return _well_formed(entry, slide_count) and self._pictures_at_hand(entry[0], by_sha1)

    @staticmethod
    def _pictures_at_hand(stored: Any, by_sha1: dict[str, Path]) -> bool:
        """Tell whether every picture the kept slides show is at hand.

        An entry is (slides, text widths their writing measured), each slide a StoredSlide.
        """
        return all(ref in by_sha1 for _, _, rels, _ in stored
                   for _, _, kind, ref in rels if kind == "image")

    def _notes_master(self) -> Part:
        """Give the deck's notes master, made as python-pptx makes it for the deck's first notes
        page if there is none yet (so ask only when a notes page is added)."""
        if self._master is None:
            self._master = self.prs.part.notes_master_part
        return self._master

    def _restore(self, stored: StoredSlide, by_sha1: dict[str, Path]) -> Slide:
        xml, layout_name, rels, notes_xml = stored
        layout = self.layouts.title if layout_name == "title" else self.layouts.content
        slides: Any = self.prs.slides
        part = slides.add_slide(layout, placeholders=False).part
        _keep_xml(part, xml)  # an empty slide element, saved as the kept bytes
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
        layouts = {self.layouts.title.part: "title", self.layouts.content.part: "content"}
        rels: list[StoredRel] = []
        notes_xml = b""
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
                notes_xml = target.blob
                _keep_xml(target, notes_xml)  # saved as serialized here, not serialized again
            elif rel.reltype == RT.IMAGE and getattr(target, "sha1", "") in pictures:
                rels.append((rId, rel.reltype, "image", target.sha1))  # type: ignore[attr-defined]
            elif rel.reltype == RT.SLIDE and target in labels:
                rels.append((rId, rel.reltype, "slide", labels[target]))
            else:
                return None
        if [kind for _, _, kind, _ in rels].count("layout") != 1:
            return None
        layout = next(ref for _, _, kind, ref in rels if kind == "layout")
        xml = slide.part.blob
        _keep_xml(slide.part, xml)
        return xml, layout, rels, notes_xml


def _well_formed(entry: Any, slide_count: int) -> bool:
    """Tell whether a kept entry has the shape this module writes (anything else is a miss)."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], list)
            and len(entry[0]) == slide_count and isinstance(entry[1], dict)):
        return False
    return all(
        isinstance(slide, tuple) and len(slide) == 4 and isinstance(slide[0], bytes)
        and slide[1] in ("title", "content") and isinstance(slide[3], bytes)
        and isinstance(slide[2], list)
        and all(isinstance(rel, tuple) and len(rel) == 4 and all(isinstance(v, str) for v in rel)
                and rel[2] in ("layout", "notes", "image", "slide", "external")
                for rel in slide[2])
        for slide in entry[0])


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


def _notes_part(slide_part: Part, notes_xml: bytes, master: Part) -> NotesSlidePart:
    """Give a new notes page of `slide_part` holding `notes_xml`, related as a cold build does."""
    package = slide_part.package
    part = NotesSlidePart(package.next_partname(NOTES_TEMPLATE), CT.PML_NOTES_SLIDE, package,
                          etree.fromstring(notes_xml, _PARSER))
    part.relate_to(master, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    _keep_xml(part, notes_xml)
    return part
