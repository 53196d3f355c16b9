"""What each slide of a built deck looks like, as a key: equal keys render to equal pictures.

A slide's key covers its XML, every part it uses (pictures, its layout, that layout's master and
theme, the deck's table styles), the slide size and its own number where a field shows it. Links
to other slides are left out: inserting a slide elsewhere does not change how this one looks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.slide import Slide

from studydeck.clicks import StateChoice
from studydeck.pptx.read import DeckInfo, read_deck_info
from studydeck.pptx.states import read_clicks, slide_links

_NOT_LOOKS = (RT.SLIDE, RT.NOTES_SLIDE, RT.NOTES_MASTER)


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


def render_slides(deck: Path) -> list[RenderSlide]:
    """Give every slide of the .pptx at `deck`, in order, with its look's key and clicks."""
    return _render_slides(Presentation(str(deck)))


def render_deck(deck: Path, prs: Any = None) -> tuple[list[RenderSlide], DeckInfo]:
    """Give `render_slides(deck)` and the deck's info (title, sections, notes), read at once
    (from `prs`, the deck opened by open_deck, if given)."""
    prs = prs if prs is not None else open_deck(deck)
    return _render_slides(prs), read_deck_info(deck, prs)


def open_deck(deck: Path) -> Any:
    """Give the .pptx at `deck` opened (for render_deck, then write_states_deck)."""
    return Presentation(str(deck))


def _render_slides(prs: Any) -> list[RenderSlide]:
    shared = hashlib.sha256(_deck_wide_looks(prs))
    part_digests: dict[str, bytes] = {}
    numbers = {str(slide.part.partname): number for number, slide in enumerate(prs.slides, 1)}
    slides = []
    for number, slide in enumerate(prs.slides, start=1):
        digest = shared.copy()
        digest.update(etree.tostring(slide._element))
        if _shows_its_number(slide):
            digest.update(f"slide {number}".encode())
        _add_parts(digest, slide.part, part_digests, set())
        clicks = read_clicks(slide)
        slides.append(RenderSlide(digest.hexdigest()[:32], clicks.count, clicks.handout_state,
                                  _link_targets(slide, numbers)))
    return slides


def _link_targets(slide: Slide, numbers: dict[str, int]) -> tuple[int, ...]:
    """Give the number of the slide each of `slide`'s slide links goes to (0: none of the deck)."""
    targets = []
    for link in slide_links(slide._element):
        rel = slide.part.rels.get(link.get(qn("r:id"), ""))
        targets.append(0 if rel is None or rel.is_external
                       else numbers.get(str(rel.target_part.partname), 0))
    return tuple(targets)


def _deck_wide_looks(prs: Any) -> bytes:
    """Give what every slide's look shares from presentation.xml: its size and text styles."""
    element = prs.part._element
    found = [etree.tostring(child) for name in ("p:sldSz", "p:defaultTextStyle")
             for child in element.findall(qn(name))]
    for rel in prs.part.rels.values():
        if rel.reltype == RT.TABLE_STYLES:
            found.append(rel.target_part.blob)
    return b"".join(found)


def _shows_its_number(slide: Slide) -> bool:
    return any(field.get("type") == "slidenum" for field in slide._element.iter(qn("a:fld")))


def _add_parts(digest: Any, part: Any, known: dict[str, bytes], seen: set[str]) -> None:
    """Add to `digest` the parts `part` uses, and the parts they use (layout → master → theme)."""
    for rId, rel in sorted(part.rels.items()):
        a_masters_layout = rel.reltype == RT.SLIDE_LAYOUT and str(part.partname) in seen
        if rel.is_external or rel.reltype in _NOT_LOOKS or a_masters_layout:
            continue
        target = rel.target_part
        name = str(target.partname)
        digest.update(rId.encode())
        if name not in known:
            known[name] = hashlib.sha256(target.blob).digest()
        digest.update(known[name])
        if name not in seen and rel.reltype in (RT.SLIDE_LAYOUT, RT.SLIDE_MASTER):
            seen.add(name)
            _add_parts(digest, target, known, seen)
