"""Click animations: a slide's main sequence of "Appear" effects, written as PowerPoint does."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.slide import Slide

Build = Literal["whole", "p"]

_TIMING = (
    "<p:timing {ns}><p:tnLst><p:par>"
    '<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>'
    '<p:seq concurrent="1" nextAc="seek">'
    '<p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
    "<p:childTnLst>{clicks}</p:childTnLst></p:cTn>"
    '<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>'
    "</p:prevCondLst>"
    '<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>'
    "</p:nextCondLst>"
    "</p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>{builds}</p:timing>"
)
_CLICK = (
    '<p:par><p:cTn id="{outer}" fill="hold">'
    '<p:stCondLst><p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>'
    '<p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst>'
    "<p:childTnLst>{effects}</p:childTnLst></p:cTn></p:par>"
    "</p:childTnLst></p:cTn></p:par>"
)
_APPEAR = (
    '<p:par><p:cTn id="{effect}" presetID="1" presetClass="entr" presetSubtype="0" fill="hold"'
    '{group} nodeType="{node_type}"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
    '<p:set><p:cBhvr><p:cTn id="{behaviour}" dur="1" fill="hold">'
    '<p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>'
    '<p:tgtEl><p:spTgt spid="{spid}">{text}</p:spTgt></p:tgtEl>'
    "<p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>"
    '<p:to><p:strVal val="visible"/></p:to></p:set>'
    "</p:childTnLst></p:cTn></p:par>"
)
_PARAGRAPH = '<p:txEl><p:pRg st="{index}" end="{index}"/></p:txEl>'
_FILLS = tuple(qn(f"a:{name}") for name in ("solidFill", "gradFill", "blipFill", "pattFill"))
_NO_FILL = qn("a:noFill")


@dataclass(frozen=True)
class Appear:
    """One shape (or a range of its paragraphs) appearing."""

    shape_id: int
    paragraphs: tuple[int, int] | None = None  # inclusive 0-based range; None = whole shape


@dataclass(frozen=True)
class Click:
    """Everything that appears together on one click."""

    effects: tuple[Appear, ...]


def write_click_sequence(slide: Slide, clicks: Sequence[Click]) -> None:
    """Replace the slide's animations with one click group per `Click`; none if `clicks` is empty.

    A paragraph range becomes one effect per paragraph, as PowerPoint's "By paragraph" writes
    it: LibreOffice reads only the first paragraph of a `p:pRg` range.
    """
    sld = slide._element
    for old in sld.findall(qn("p:timing")):
        sld.remove(old)
    if not clicks:
        return
    builds = _builds_by_shape(clicks)
    shapes = {shape_id: _shape_element(slide, shape_id) for shape_id in builds}
    for appear in (effect for click in clicks for effect in click.effects):
        _check_target(shapes[appear.shape_id], appear)
    entries = {i: _build_entry(shapes[i], i, build) for i, build in builds.items()}
    # PowerPoint ties an effect to its p:bldP by grpId, and gives none to shapes without one.
    grouped = {shape_id for shape_id, entry in entries.items() if entry}
    ids = itertools.count(3)
    groups = "".join(_click_xml(click, grouped, ids) for click in clicks)
    bld_lst = f"<p:bldLst>{''.join(entries.values())}</p:bldLst>" if grouped else ""
    timing = parse_xml(_TIMING.format(ns=nsdecls("p"), clicks=groups, builds=bld_lst))
    _insert_before_ext_lst(sld, timing)


def _builds_by_shape(clicks: Sequence[Click]) -> dict[int, Build]:
    """Return how each animated shape builds, in order of first appearance."""
    if any(not click.effects for click in clicks):
        raise ValueError("a click must make at least one shape appear")
    builds: dict[int, Build] = {}
    for appear in (effect for click in clicks for effect in click.effects):
        build: Build = "whole" if appear.paragraphs is None else "p"
        if builds.get(appear.shape_id, build) != build or (
            build == "whole" and appear.shape_id in builds
        ):
            raise ValueError(f"shape {appear.shape_id} must appear once, or by paragraphs")
        builds[appear.shape_id] = build
    return builds


def _shape_element(slide: Slide, shape_id: int) -> BaseOxmlElement:
    shape = find_shape(slide, shape_id)
    if shape is None:
        raise ValueError(f"the slide has no shape with id {shape_id}")
    return shape


def find_shape(slide: Slide, shape_id: int) -> BaseOxmlElement | None:
    """Return the `p:sp`, `p:pic`, ... element whose `p:cNvPr` has `shape_id`, if any."""
    found = slide._element.xpath(f"./p:cSld/p:spTree//p:cNvPr[@id='{shape_id}']")
    if not found:
        return None
    shape: BaseOxmlElement = found[0].getparent().getparent()
    return shape


def _check_target(shape: BaseOxmlElement, appear: Appear) -> None:
    if appear.paragraphs is None:
        return
    first, last = appear.paragraphs
    count = len(shape.xpath("./p:txBody/a:p"))
    if not 0 <= first <= last < count:
        raise ValueError(f"shape {appear.shape_id} has {count} paragraphs, not {first}..{last}")


def _click_xml(click: Click, grouped: set[int], ids: Iterator[int]) -> str:
    outer, inner = next(ids), next(ids)
    targets = [target for appear in click.effects for target in _targets(appear)]
    effects = "".join(
        _appear_xml(spid, paragraph, spid in grouped, n == 0, ids)
        for n, (spid, paragraph) in enumerate(targets)
    )
    return _CLICK.format(outer=outer, inner=inner, effects=effects)


def _targets(appear: Appear) -> list[tuple[int, int | None]]:
    """Return (shape id, paragraph or None) for each effect this `Appear` needs."""
    if appear.paragraphs is None:
        return [(appear.shape_id, None)]
    first, last = appear.paragraphs
    return [(appear.shape_id, index) for index in range(first, last + 1)]


def _appear_xml(
    spid: int, paragraph: int | None, grouped: bool, on_click: bool, ids: Iterator[int]
) -> str:
    effect, behaviour = next(ids), next(ids)
    return _APPEAR.format(
        effect=effect,
        behaviour=behaviour,
        group=' grpId="0"' if grouped else "",
        node_type="clickEffect" if on_click else "withEffect",
        spid=spid,
        text="" if paragraph is None else _PARAGRAPH.format(index=paragraph),
    )


def _build_entry(shape: BaseOxmlElement, spid: int, build: Build) -> str:
    """Return the `p:bldP` PowerPoint writes for a text-capable shape; pictures get none."""
    if shape.tag != qn("p:sp"):
        return ""
    if build == "p":
        return f'<p:bldP spid="{spid}" grpId="0" uiExpand="1" build="p"/>'
    background = ' animBg="1"' if _has_background(shape) else ""
    return f'<p:bldP spid="{spid}" grpId="0"{background}/>'


def _has_background(shape: BaseOxmlElement) -> bool:
    """Return whether the shape shows a fill or outline of its own, explicit or from its style."""
    sp_pr = shape.find(qn("p:spPr"))
    if sp_pr is None:
        return False
    line = sp_pr.find(qn("a:ln"))
    if line is not None and any(child.tag in _FILLS for child in line):
        return True
    if any(child.tag in _FILLS for child in sp_pr):
        return True
    return sp_pr.find(_NO_FILL) is None and shape.find(qn("p:style")) is not None


def _insert_before_ext_lst(sld: BaseOxmlElement, timing: BaseOxmlElement) -> None:
    """Put `p:timing` where CT_Slide wants it: after cSld, clrMapOvr, transition; before extLst."""
    ext_lst = sld.find(qn("p:extLst"))
    if ext_lst is None:
        sld.append(timing)
    else:
        ext_lst.addprevious(timing)
