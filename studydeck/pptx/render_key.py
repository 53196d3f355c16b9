"""What each slide of a built deck looks like, as a key: equal keys render to equal pictures.

A slide's key covers its XML, every part it uses (pictures, its layout, that layout's master and
theme, the deck's table styles), the slide size and its own number where a field shows it. Links
to other slides are left out: inserting a slide elsewhere does not change how this one looks.

The deck is read from its zip (written_deck.py), not opened whole; what is read of a slide's XML
(its clicks, links, whether it shows its number) is remembered by the XML's digest, so a warm
process (the preview) parses again only the slides a save changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.slide import Slide

from studydeck.clicks import StateChoice
from studydeck.pptx.read import DeckInfo, written_deck_info
from studydeck.pptx.states import read_clicks, slide_links
from studydeck.pptx.written_deck import WrittenDeck

_NOT_LOOKS = (RT.SLIDE, RT.NOTES_SLIDE, RT.NOTES_MASTER)
_KNOWN_SLIDES = 20_000  # slides' facts remembered at most (then forgotten all at once)


@dataclass(frozen=True)
class RenderSlide:
    """One slide of a deck: the key of how it looks, its clicks, the state a handout shows, and
    the numbers of the slides its links go to (not in `key`: a PDF page's key adds them)."""

    key: str
    count: int
    handout_state: int
    links: tuple[int, ...]

    def states(self, choice: StateChoice) -> list[int]:
        """Give the states an export with `choice` shows (as clicks.chosen_states does)."""
        if choice is StateChoice.every_click:
            return list(range(self.count + 1))
        return [self.handout_state]


@dataclass(frozen=True)
class _SlideFacts:
    """What a slide's XML alone says: its clicks, the rIds of its slide links, its number."""

    count: int
    handout_state: int
    link_ids: tuple[str, ...]
    shows_its_number: bool


_FACTS: dict[bytes, _SlideFacts] = {}


def render_slides(deck: Path) -> list[RenderSlide]:
    """Give every slide of the .pptx at `deck`, in order, with its look's key and clicks."""
    return _render_slides(WrittenDeck(deck))


def render_deck(deck: Path | WrittenDeck) -> tuple[list[RenderSlide], DeckInfo]:
    """Give `render_slides(deck)` and the deck's info (title, sections, notes), read at once."""
    written = deck if isinstance(deck, WrittenDeck) else WrittenDeck(deck)
    return _render_slides(written), written_deck_info(written)


def _render_slides(deck: WrittenDeck) -> list[RenderSlide]:
    shared = hashlib.sha256(_deck_wide_looks(deck))
    part_digests: dict[str, bytes] = {}
    parts = deck.slide_parts()
    numbers = {part: number for number, part in enumerate(parts, start=1)}
    slides = []
    for number, part in enumerate(parts, start=1):
        xml = deck.blob(part)
        xml_digest = hashlib.sha256(xml).digest()
        facts = _slide_facts(xml_digest, xml)
        digest = shared.copy()
        digest.update(xml_digest)
        if facts.shows_its_number:
            digest.update(f"slide {number}".encode())
        _add_parts(digest, deck, part, part_digests, set())
        rels = deck.rels(part)
        links = tuple(0 if (rel := rels.get(rId)) is None or rel.external
                      else numbers.get(rel.target, 0) for rId in facts.link_ids)
        slides.append(RenderSlide(digest.hexdigest()[:32], facts.count, facts.handout_state,
                                  links))
    return slides


def _slide_facts(xml_digest: bytes, xml: bytes) -> _SlideFacts:
    """Give what the slide XML `xml` says (remembered by its digest)."""
    if xml_digest not in _FACTS:
        if len(_FACTS) >= _KNOWN_SLIDES:
            _FACTS.clear()
        slide = Slide(parse_xml(xml), None)  # type: ignore[arg-type]  # its part is not read
        clicks = read_clicks(slide)
        _FACTS[xml_digest] = _SlideFacts(
            clicks.count, clicks.handout_state,
            tuple(link.get(qn("r:id"), "") for link in slide_links(slide._element)),
            any(field.get("type") == "slidenum" for field in slide._element.iter(qn("a:fld"))))
    return _FACTS[xml_digest]


def _deck_wide_looks(deck: WrittenDeck) -> bytes:
    """Give what every slide's look shares from presentation.xml: its size and text styles."""
    element = deck.presentation_xml()
    found = [etree.tostring(child) for name in ("p:sldSz", "p:defaultTextStyle")
             for child in element.findall(qn(name))]
    for rel in deck.rels(deck.presentation).values():
        if rel.reltype == RT.TABLE_STYLES and not rel.external:
            found.append(deck.blob(rel.target))
    return b"".join(found)


def _add_parts(digest: Any, deck: WrittenDeck, part: str, known: dict[str, bytes],
               seen: set[str]) -> None:
    """Add to `digest` the parts `part` uses, and the parts they use (layout → master → theme)."""
    for rId, rel in sorted(deck.rels(part).items()):
        a_masters_layout = rel.reltype == RT.SLIDE_LAYOUT and part in seen
        if rel.external or rel.reltype in _NOT_LOOKS or a_masters_layout:
            continue
        name = rel.target
        digest.update(rId.encode())
        if name not in known:
            known[name] = hashlib.sha256(deck.blob(name)).digest()
        digest.update(known[name])
        if name not in seen and rel.reltype in (RT.SLIDE_LAYOUT, RT.SLIDE_MASTER):
            seen.add(name)
            _add_parts(digest, deck, name, known, seen)
