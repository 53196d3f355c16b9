"""Click animations: a slide's main sequence of "Appear" and "Disappear" effects, as PowerPoint
writes them."""

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
    '<p:par><p:cTn id="{effect}" presetID="1" presetClass="{preset_class}" presetSubtype="0"'
    ' fill="hold"'
    '{group} nodeType="{node_type}"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
    '<p:set><p:cBhvr><p:cTn id="{behaviour}" dur="1" fill="hold">'
    '<p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>'
    '<p:tgtEl><p:spTgt spid="{spid}">{text}</p:spTgt></p:tgtEl>'
    "<p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>"
    '<p:to><p:strVal val="{visibility}"/></p:to></p:set>'
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
class Disappear:
    """One shape, shown on an earlier click, disappearing."""

    shape_id: int


@dataclass(frozen=True)
class Click:
    """Everything that appears (or disappears) together on one click."""

    effects: tuple[Appear | Disappear, ...]


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
    groups = _effect_groups(clicks)
    shapes = {spid: _shape_element(slide, spid) for spid, _, _ in groups}
    for appear in (effect for click in clicks for effect in click.effects):
        if isinstance(appear, Appear):
            _check_target(shapes[appear.shape_id], appear)
    entries = {(spid, group): _build_entry(shapes[spid], spid, build, group)
               for spid, group, build in groups}
    # PowerPoint ties an effect to its p:bldP by grpId, and gives none to shapes without one.
    grouped = {key for key, entry in entries.items() if entry}
    ids = itertools.count(3)
    numbers = iter(group for _, group, _ in _each_effect_group(clicks))
    clicks_xml = "".join(_click_xml(click, numbers, grouped, ids) for click in clicks)
    bld_lst = f"<p:bldLst>{''.join(entries.values())}</p:bldLst>" if grouped else ""
    timing = parse_xml(_TIMING.format(ns=nsdecls("p"), clicks=clicks_xml, builds=bld_lst))
    _insert_before_ext_lst(sld, timing)


def _effect_groups(clicks: Sequence[Click]) -> list[tuple[int, int, Build]]:
    """Return (shape id, grpId, build) of every animation group, in order of first use."""
    return list(dict.fromkeys(_each_effect_group(clicks)))


def _each_effect_group(clicks: Sequence[Click]) -> Iterator[tuple[int, int, Build]]:
    """Yield (shape id, grpId, build) for each effect in order.

    A shape built by paragraphs has one group (0). A whole shape gets a new group for each
    effect, as PowerPoint numbers them: it may appear, disappear and appear again.
    """
    if any(not click.effects for click in clicks):
        raise ValueError("a click must make at least one shape appear")
    builds: dict[int, Build] = {}
    visible: dict[int, bool] = {}
    used: dict[int, int] = {}  # groups a whole shape's effects have taken
    for effect in (effect for click in clicks for effect in click.effects):
        spid = effect.shape_id
        build: Build = "p" if isinstance(effect, Appear) and effect.paragraphs else "whole"
        if builds.setdefault(spid, build) != build:
            raise ValueError(f"shape {spid} must appear once, or by paragraphs")
        if build == "p":
            yield spid, 0, build
            continue
        appears = isinstance(effect, Appear)
        if visible.get(spid, not appears) == appears:
            raise ValueError(f"shape {spid} must appear once, or by paragraphs"
                             if appears else f"shape {spid} is not shown, so cannot disappear")
        group = used.get(spid, 0)
        used[spid], visible[spid] = group + 1, appears
        yield spid, group, build


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


def _click_xml(click: Click, groups: Iterator[int], grouped: set[tuple[int, int]],
               ids: Iterator[int]) -> str:
    outer, inner = next(ids), next(ids)
    targets = [(spid, paragraph, exits, group)
               for effect, group in ((effect, next(groups)) for effect in click.effects)
               for spid, paragraph, exits in _targets(effect)]
    effects = "".join(
        _effect_xml(spid, paragraph, group if (spid, group) in grouped else None, n == 0, ids,
                    exits)
        for n, (spid, paragraph, exits, group) in enumerate(targets)
    )
    return _CLICK.format(outer=outer, inner=inner, effects=effects)


def _targets(effect: Appear | Disappear) -> list[tuple[int, int | None, bool]]:
    """Return (shape id, paragraph or None, exits) for each effect this one needs."""
    if isinstance(effect, Disappear):
        return [(effect.shape_id, None, True)]
    if effect.paragraphs is None:
        return [(effect.shape_id, None, False)]
    first, last = effect.paragraphs
    return [(effect.shape_id, index, False) for index in range(first, last + 1)]


def _effect_xml(spid: int, paragraph: int | None, group: int | None, on_click: bool,
                ids: Iterator[int], exits: bool) -> str:
    """Return one entrance ("Appear") or, when `exits`, exit ("Disappear") effect."""
    effect, behaviour = next(ids), next(ids)
    return _APPEAR.format(
        effect=effect,
        behaviour=behaviour,
        preset_class="exit" if exits else "entr",
        visibility="hidden" if exits else "visible",
        group="" if group is None else f' grpId="{group}"',
        node_type="clickEffect" if on_click else "withEffect",
        spid=spid,
        text="" if paragraph is None else _PARAGRAPH.format(index=paragraph),
    )


def _build_entry(shape: BaseOxmlElement, spid: int, build: Build, group: int = 0) -> str:
    """Return the `p:bldP` PowerPoint writes for one group of a text-capable shape's effects;
    pictures get none."""
    if shape.tag != qn("p:sp"):
        return ""
    if build == "p":
        return f'<p:bldP spid="{spid}" grpId="{group}" uiExpand="1" build="p"/>'
    background = ' animBg="1"' if _has_background(shape) else ""
    return f'<p:bldP spid="{spid}" grpId="{group}"{background}/>'


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
