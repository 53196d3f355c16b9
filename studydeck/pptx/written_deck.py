"""A written .pptx read from its zip, part by part, without opening it whole with python-pptx.

python-pptx parses every part of a deck to open it (a tenth of a second for the sample deck, on
every save the preview sees). The keys of the slides' looks (render_key.py) need only the parts'
bytes and relationships, and a deck of a few chosen slides (`open_slides`) needs only those
slides and what they use: both read here from the zip as they are asked for.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType

PACKAGE = "/"
CONTENT_TYPES = "[Content_Types].xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# what stands in for a slide that a chosen one links to: it is in no list of slides, and
# LibreOffice reads a link's target slide from its part's name
_STUB_SLIDE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>'
    b'<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    b"<p:grpSpPr/></p:spTree></p:cSld></p:sld>")


@dataclass(frozen=True)
class Rel:
    """One relationship of a part: its type and its target (a part's name, or an address)."""

    reltype: str
    target: str
    external: bool


class WrittenDeck:
    """The parts of the .pptx at `path`, read from its zip as they are asked for.

    The file is read once, at once: a build that replaces it meanwhile changes nothing here.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        self.names = set(self.zip.namelist())
        self._rels: dict[str, dict[str, Rel]] = {}
        self._lock = threading.Lock()  # parts of an export read it from threads

    def blob(self, part: str) -> bytes:
        """Give the bytes of the part named `part` ("/ppt/slides/slide1.xml")."""
        with self._lock:
            return self.zip.read(part.lstrip("/"))

    def rels(self, part: str) -> dict[str, Rel]:
        """Give the relationships of `part` (of the package for "/") by rId."""
        if part not in self._rels:
            member = _rels_member(part)
            found: dict[str, Rel] = {}
            if member in self.names:
                base = PackURI(part).baseURI
                for rel in etree.fromstring(self.blob(member), _PARSER):
                    external = rel.get("TargetMode") == RTM.EXTERNAL
                    target = rel.get("Target", "")
                    found[rel.get("Id", "")] = Rel(rel.get("Type", ""), target if external else
                                                   PackURI.from_rel_ref(base, target), external)
            self._rels[part] = found
        return self._rels[part]

    def target(self, part: str, reltype: str) -> str | None:
        """Give the part that `part`'s first relationship of `reltype` leads to, if any."""
        return next((rel.target for rel in self.rels(part).values()
                     if rel.reltype == reltype and not rel.external), None)

    @property
    def presentation(self) -> str:
        found = self.target(PACKAGE, RT.OFFICE_DOCUMENT)
        if found is None:
            raise ValueError(f"{self.path.name} holds no presentation")
        return found

    def presentation_xml(self) -> Any:
        """Give presentation.xml parsed (a new copy each time)."""
        return etree.fromstring(self.blob(self.presentation), _PARSER)

    def slide_parts(self) -> list[str]:
        """Give the name of every slide's part, in the deck's order."""
        rels = self.rels(self.presentation)
        listed = self.presentation_xml().find(qn("p:sldIdLst"))
        return [rels[entry.get(qn("r:id"))].target for entry in
                (listed if listed is not None else [])]


@dataclass
class OpenedSlides:
    """Some slides of a deck opened with python-pptx, and the number in the whole deck of each
    slide part (the slides they link to are there too, as stand-ins)."""

    prs: PresentationType
    numbers: dict[Part, int]


def open_slides(deck: WrittenDeck, chosen: Collection[int]) -> OpenedSlides:
    """Give the slides numbered `chosen` (and what they use) opened as a deck of their own."""
    slides = deck.slide_parts()
    dropped = {part for number, part in enumerate(slides, start=1) if number not in chosen}
    members = {CONTENT_TYPES: deck.blob(CONTENT_TYPES)}
    presentation = deck.presentation
    _add_reachable(deck, PACKAGE, dropped, members)
    members[presentation.lstrip("/")] = _listing_only_kept(deck, dropped)
    members[_rels_member(presentation)] = _rels_xml(
        {rId: rel for rId, rel in deck.rels(presentation).items() if rel.target not in dropped},
        presentation)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    out.seek(0)
    prs = Presentation(out)
    parts = {str(part.partname): part for part in prs.part.package.iter_parts()}
    numbers = {parts[name]: number for number, name in enumerate(slides, start=1)
               if name in parts}
    # python-pptx names the listed slides slide1.xml… anew whenever they are asked for: the
    # stand-ins must not be named so
    for index, name in enumerate(sorted(dropped & set(parts)), start=1):
        parts[name].partname = PackURI(f"/ppt/slides/linked{index}.xml")
    return OpenedSlides(prs, numbers)


def _add_reachable(deck: WrittenDeck, part: str, dropped: set[str],
                   members: dict[str, bytes]) -> None:
    """Add to `members` every part `part` leads to, as it is, or a stand-in for a dropped slide."""
    member = _rels_member(part)
    if member in deck.names:
        members[member] = deck.blob(member)
    for rel in deck.rels(part).values():
        name = rel.target.lstrip("/")
        if rel.external or name in members:
            continue
        if rel.target in dropped:
            members[name] = _STUB_SLIDE  # its own relationships are not followed
        elif name in deck.names:
            members[name] = deck.blob(rel.target)
            _add_reachable(deck, rel.target, dropped, members)


def _listing_only_kept(deck: WrittenDeck, dropped: set[str]) -> bytes:
    """Give presentation.xml listing only the slides not `dropped`."""
    root = deck.presentation_xml()
    rels = deck.rels(deck.presentation)
    listed = root.find(qn("p:sldIdLst"))
    for entry in list(listed if listed is not None else []):
        rel = rels.get(entry.get(qn("r:id")))
        if rel is None or rel.target in dropped:
            listed.remove(entry)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml


def _rels_xml(rels: dict[str, Rel], part: str) -> bytes:
    root = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    base = PackURI(part).baseURI
    for rId, rel in rels.items():
        attributes = {"Id": rId, "Type": rel.reltype,
                      "Target": rel.target if rel.external else
                      PackURI(rel.target).relative_ref(base)}
        if rel.external:
            attributes["TargetMode"] = RTM.EXTERNAL
        etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", attributes)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml


def _rels_member(part: str) -> str:
    """Give the zip member holding `part`'s relationships."""
    return str(PackURI(part).rels_uri.membername)
