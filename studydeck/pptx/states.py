"""Click states read from a written deck's timing, and decks of chosen states for rendering.

Each outer `p:par` of the main sequence is one click; its entrance effects show shapes (or
paragraphs), its exit effects hide them. A slide "after k clicks" is a copy of the slide with the
shapes not visible yet, or no longer, taken out and such paragraphs drawn fully transparent (they
keep their space, as in the slideshow), so LibreOffice renders exactly what the audience sees.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, _Relationship
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.parts.slide import SlidePart
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide

from studydeck.clicks import ClickGroup, SlideClicks, Target
from studydeck.pptx.animation import find_shape
from studydeck.pptx.archive import package_bytes
from studydeck.pptx.written_deck import OpenedSlides
from studydeck.pptx.xml import P14, SLIDE_JUMP
from studydeck.source.files import write_atomically

# slides/quiz.py names the shapes that give a quiz's answer away (a handout stops before them)
ANSWER_NAMES = ("Quiz answer", "Quiz explanation")
_MAIN_SEQUENCE = "./p:timing/p:tnLst/p:par/p:cTn/p:childTnLst/p:seq/p:cTn[@nodeType='mainSeq']"
_EFFECTS = ".//p:cTn[@presetClass]"
_KINDS = {"entr": "appear", "exit": "disappear"}
_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
# where a link to slide N points in a states deck rendered to PDF in parts (export/pdf_pages.py
# points it back at the slide's page); .invalid names resolve nowhere (RFC 2606)
SLIDE_ADDRESS = "https://studydeck.invalid/slide/{number}"


@dataclass(frozen=True)
class Page:
    """One page of a states deck: which slide (1-based) and which of its click states."""

    slide: int
    state: int


def read_clicks(slide: Slide) -> SlideClicks:
    """Give the slide's click groups as its timing XML says."""
    sequences = slide._element.xpath(_MAIN_SEQUENCE)
    if not sequences:
        return SlideClicks()
    answers = _answer_shape_ids(slide)
    on_open = ClickGroup()
    groups: list[ClickGroup] = []
    for click in sequences[0].xpath("./p:childTnLst/p:par/p:cTn", namespaces=_NS):
        group = _click_group(click, answers)
        if _waits_for_click(click):
            groups.append(group)
        elif groups:  # runs on its own after the previous click's effects
            groups[-1] = _merged(groups[-1], group)
        else:
            on_open = _merged(on_open, group)
    return SlideClicks(tuple(groups), on_open)


def slide_clicks(deck: Path) -> list[SlideClicks]:
    """Give the click groups of every slide of the .pptx at `deck`, in order."""
    return [read_clicks(slide) for slide in Presentation(str(deck)).slides]


def write_states_deck(source: Path | PresentationType | OpenedSlides, target: Path,
                      states: Callable[[SlideClicks], list[int]] | dict[int, list[int]],
                      slides: set[int] | None = None, *,
                      slide_links_as_addresses: bool = False) -> list[Page]:
    """Write to `target` a deck of the `states` of each slide (or only the numbered `slides`).

    `states` chooses a slide's states from its clicks, or names them by slide number (and then
    the deck holds only the slides named). `slide_links_as_addresses`: a link to slide N
    becomes a link to the address SLIDE_ADDRESS names (a PDF of some slides keeps them all).
    `source` may be some slides of a deck (written_deck.open_slides): they keep their numbers.

    Give its pages in order. Slides shown in one state only keep their notes; animations go.
    A deck given open (`source`) is changed: it is of no use afterwards.
    """
    if isinstance(source, OpenedSlides):
        prs, numbers = source.prs, source.numbers
    else:
        prs = Presentation(str(source)) if isinstance(source, Path) else source
        numbers = _slide_numbers(prs)
    if not callable(states):
        slides = set(states)
    order: list[Any] = []
    pages: list[Page] = []
    for slide, entry in _slides_with_entries(prs):
        number = numbers[slide.part]
        if slides is not None and number not in slides:
            _drop_slide(prs, entry)
            continue
        if slide_links_as_addresses:
            _slide_links_as_addresses(slide, numbers)
        clicks = read_clicks(slide)
        chosen = states(clicks) if callable(states) else states[number]
        copies = [_copy_slide(prs, slide) for _ in chosen[:-1]] + [(slide, entry)]
        for (shown, shown_entry), state in zip(copies, chosen, strict=True):
            _show_state(shown, clicks, state)
            _fix_slide_number(shown, number)
            order.append(shown_entry)
            pages.append(Page(number, state))
    _reorder(prs, order)
    _drop_sections(prs)
    write_atomically(target, package_bytes(prs))
    return pages


def _slide_numbers(prs: PresentationType) -> dict[Part, int]:
    return {slide.part: number for number, slide in enumerate(prs.slides, start=1)}


def _slide_links_as_addresses(slide: Slide, numbers: dict[Part, int]) -> None:
    """Turn each link of `slide` to another slide into a link to that slide's SLIDE_ADDRESS."""
    part = slide.part
    replaced = set()
    for link in slide_links(slide._element):
        rel = part.rels.get(link.get(qn("r:id"), ""))
        number = None if rel is None or rel.is_external else numbers.get(rel.target_part)
        if rel is None or number is None:
            continue
        link.set(qn("r:id"), part.relate_to(SLIDE_ADDRESS.format(number=number), RT.HYPERLINK,
                                            is_external=True))
        del link.attrib["action"]
        replaced.add(rel.rId)
    for rId in replaced:  # dropped once no link uses them: new ones would take their ids
        if not part._rel_ref_count(rId):
            part.rels.pop(rId)


def slide_links(element: BaseOxmlElement) -> list[BaseOxmlElement]:
    """Give the links (`a:hlinkClick`, `a:hlinkMouseOver`) in `element` that go to a slide."""
    return [link for link in element.iter(qn("a:hlinkClick"), qn("a:hlinkMouseOver"))
            if link.get("action") == SLIDE_JUMP]


def _click_group(click: etree._Element, answers: set[int]) -> ClickGroup:
    found: dict[str, list[Target]] = {"appear": [], "disappear": []}
    for effect in click.xpath(_EFFECTS, namespaces=_NS):
        kind = _KINDS.get(effect.get("presetClass", ""))
        if kind is not None:
            found[kind].extend(_effect_targets(effect))
    shown = tuple(dict.fromkeys(found["appear"]))
    return ClickGroup(shown, tuple(dict.fromkeys(found["disappear"])),
                      reveals_answer=any(target.shape_id in answers for target in shown))


def _effect_targets(effect: etree._Element) -> Iterator[Target]:
    for target in effect.xpath(".//p:spTgt", namespaces=_NS)[:1]:
        spid = int(target.get("spid"))
        ranges = target.xpath("./p:txEl/p:pRg", namespaces=_NS)
        if not ranges:
            yield Target(spid)
        for paragraphs in ranges:
            for index in range(int(paragraphs.get("st")), int(paragraphs.get("end")) + 1):
                yield Target(spid, index)


def _waits_for_click(click: etree._Element) -> bool:
    conditions = click.xpath("./p:stCondLst/p:cond", namespaces=_NS)
    return any(cond.get("delay") == "indefinite" for cond in conditions)


def _merged(first: ClickGroup, then: ClickGroup) -> ClickGroup:
    return ClickGroup(first.appear + then.appear, first.disappear + then.disappear,
                      first.reveals_answer or then.reveals_answer)


def _answer_shape_ids(slide: Slide) -> set[int]:
    return {int(shape.shape_id) for shape in slide.shapes
            if shape.name.startswith(ANSWER_NAMES)}


def _slides_with_entries(prs: PresentationType) -> list[tuple[Slide, Any]]:
    part: Any = prs.part
    return [(part.related_part(entry.rId).slide, entry) for entry in prs.slides._sldIdLst]


def _copy_slide(prs: PresentationType, slide: Slide) -> tuple[Slide, Any]:
    """Give a copy of `slide` (same layout, pictures and links; no notes) and its list entry."""
    source = slide.part
    package = prs.part.package
    part = SlidePart(package.next_partname("/ppt/slides/slide%d.xml"), source.content_type,
                     package, copy.deepcopy(source._element))
    for rId, rel in source.rels.items():
        if rel.reltype != RT.NOTES_SLIDE:
            part.rels._rels[rId] = _Relationship(part.rels._base_uri, rId, rel.reltype,
                                                  rel._target_mode, rel._target)
    rId = prs.part.relate_to(part, RT.SLIDE)
    entry = prs.slides._sldIdLst.add_sldId(rId)
    return part.slide, entry


def _show_state(slide: Slide, clicks: SlideClicks, state: int) -> None:
    """Take out of `slide` what is hidden in `state`, and its animations."""
    hidden = clicks.hidden_after(state)
    paragraphs: dict[int, list[int]] = {}
    for target in hidden:
        shape = find_shape(slide, target.shape_id)
        if shape is None:
            continue
        if target.paragraph is None:
            shape.getparent().remove(shape)
        else:
            paragraphs.setdefault(target.shape_id, []).append(target.paragraph)
    for shape_id, indexes in paragraphs.items():
        shape = find_shape(slide, shape_id)
        if shape is not None:
            _hide_paragraphs(shape, indexes)
    for timing in slide._element.findall(qn("p:timing")):
        slide._element.remove(timing)


def _fix_slide_number(slide: Slide, number: int) -> None:
    """Turn slide-number fields into plain text: every state of slide 5 still says 5."""
    for field in slide._element.iter(qn("a:fld")):
        if field.get("type") == "slidenum":
            field.tag = qn("a:r")
            for name in ("id", "type"):
                field.attrib.pop(name, None)
            for child in field.findall(qn("a:pPr")):  # a run has no paragraph properties
                field.remove(child)
            text = field.find(qn("a:t"))
            if text is not None:
                text.text = str(number)


def _hide_paragraphs(shape: BaseOxmlElement, indexes: list[int]) -> None:
    body = shape.find(qn("p:txBody"))
    if body is None:
        return
    all_paragraphs = body.findall(qn("a:p"))
    for index in set(indexes):
        if index < len(all_paragraphs):
            _hide_paragraph(all_paragraphs[index])


def _hide_paragraph(paragraph: BaseOxmlElement) -> None:
    """Draw the paragraph's text and bullet fully transparent: same lines, same space, unseen."""
    for properties in _run_properties(paragraph):
        for name in _DRAWN_RUN_PARTS:
            for found in properties.findall(qn(name)):
                properties.remove(found)
        properties.insert(0, _transparent("a:solidFill"))  # the schema's place: first
    p_pr = paragraph.find(qn("a:pPr"))
    if p_pr is not None and p_pr.find(qn("a:buNone")) is None:
        for found in p_pr.findall(qn("a:buClrTx")) + p_pr.findall(qn("a:buClr")):
            p_pr.remove(found)
        place = 0
        for index, child in enumerate(p_pr):  # buClr follows lnSpc, spcBef, spcAft
            if child.tag in _BEFORE_BULLET_COLOUR:
                place = index + 1
        p_pr.insert(place, _transparent("a:buClr"))
        for bullet in p_pr.findall(qn("a:buChar")):  # a PDF would still hold its glyph as text
            bullet.set("char", "\u00a0")


def hidden_paragraph(paragraph: BaseOxmlElement) -> bool:
    """Tell whether every run of `paragraph` is drawn fully transparent (a hidden click state)."""
    runs = paragraph.findall(qn("a:r")) + paragraph.findall(qn("a:fld"))
    return bool(runs) and all(
        run.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}/{qn('a:alpha')}[@val='0']")
        is not None for run in runs)


def _run_properties(paragraph: BaseOxmlElement) -> list[BaseOxmlElement]:
    found = []
    for run in paragraph.findall(qn("a:r")) + paragraph.findall(qn("a:fld")):
        properties = run.find(qn("a:rPr"))
        if properties is None:
            properties = run.makeelement(qn("a:rPr"), {})
            run.insert(0, properties)
        found.append(properties)
    return found


def _transparent(tag: str) -> etree._Element:
    fill = etree.SubElement(etree.Element(qn("a:x")), qn(tag))
    colour = etree.SubElement(fill, qn("a:srgbClr"), val="FFFFFF")
    etree.SubElement(colour, qn("a:alpha"), val="0")
    return fill


# what draws a run besides its text colour: outline, other fills, effects, marks, its link
_DRAWN_RUN_PARTS = ("a:ln", "a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill",
                    "a:grpFill", "a:effectLst", "a:effectDag", "a:highlight", "a:uLnTx", "a:uLn",
                    "a:uFillTx", "a:uFill", "a:hlinkClick", "a:hlinkMouseOver")
_BEFORE_BULLET_COLOUR = {qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft")}


def _drop_slide(prs: PresentationType, entry: Any) -> None:
    prs.slides._sldIdLst.remove(entry)
    prs.part.drop_rel(entry.rId)


def _reorder(prs: PresentationType, entries: list[Any]) -> None:
    listing = prs.slides._sldIdLst
    for entry in entries:
        listing.append(entry)  # lxml moves an element appended again


def _drop_sections(prs: PresentationType) -> None:
    """Remove the slide sections: they list the slides by id, and the copies are in none."""
    for sections in list(prs.part._element.iter(f"{{{P14}}}sectionLst")):
        extension = sections.getparent()
        extension.getparent().remove(extension)
