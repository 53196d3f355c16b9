"""What an edited deck shows beyond its texts: where its native diagram nodes are, how its
texts look (colour, size) and where its pictures are, for `pull` to compare with a build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide

DIAGRAM_GROUP, NODE_GROUP = "diagram: ", ": node"  # the names pptx/diagram.py gives its groups
_GROUP_TAG, _PICTURE_TAG, _SHAPE_TAG = qn("p:grpSp"), qn("p:pic"), qn("p:sp")


@dataclass(frozen=True)
class DrawnNode:
    """A native diagram's node as a slide shows it: its icon's and its label's boxes (EMU)."""

    diagram: str
    node: str
    icon: tuple[int, int, int, int] | None
    label: tuple[int, int, int, int] | None


@dataclass(frozen=True)
class SlideSeen:
    """What `pull` compares of a slide beyond its texts: its native diagram's nodes by id (the
    first diagram's, if several), its text shapes' looks and its pictures' boxes, by name."""

    nodes: dict[str, DrawnNode]
    looks: dict[str, list[Runs]]
    pictures: dict[str, tuple[int, int, int, int]]


def read_slides_seen(path: Path) -> list[SlideSeen]:
    """Give what each slide of the deck at `path` shows beyond its texts."""
    prs = Presentation(str(path))
    theme = _theme_colours(prs)
    return [SlideSeen(_drawn_nodes(slide), *_looks(slide, theme)) for slide in prs.slides]


def _drawn_nodes(slide: Slide) -> dict[str, DrawnNode]:
    found: dict[str, DrawnNode] = {}
    for group in slide.shapes._spTree.iter(_GROUP_TAG):
        name = _name(group)
        if not name.endswith(NODE_GROUP):
            continue
        diagram = next((_name(g) for g in group.iterancestors(_GROUP_TAG)
                        if _name(g).startswith(DIAGRAM_GROUP)), None)
        node = name.removesuffix(NODE_GROUP)
        if diagram is None or node in found:
            continue
        icon = next((_slide_box(e) for e in group.iter(_PICTURE_TAG)), None)
        label = next((_slide_box(e) for e in group.iter(_SHAPE_TAG)), None)
        found[node] = DrawnNode(diagram.removeprefix(DIAGRAM_GROUP), node, icon, label)
    return found


def _name(element: etree._Element) -> str:
    properties = next(element.iter(qn("p:cNvPr")), None)
    return "" if properties is None else str(properties.get("name", ""))


def _slide_box(element: etree._Element) -> tuple[int, int, int, int] | None:
    """Give a shape's box on the slide (EMU), through the scales of the groups it is in."""
    xfrm = next(element.iter(qn("a:xfrm")), None)
    if xfrm is None or xfrm.find(qn("a:off")) is None or xfrm.find(qn("a:ext")) is None:
        return None
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    x, y = float(off.get("x", 0)), float(off.get("y", 0))
    right, bottom = x + float(ext.get("cx", 0)), y + float(ext.get("cy", 0))
    for group in element.iterancestors(_GROUP_TAG):
        frame = group.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
        if frame is None or frame.find(qn("a:chExt")) is None:
            continue
        (gx, gy), (gw, gh), (cx, cy), (cw, ch) = (
            (float(frame.find(qn(tag)).get(a, 0)), float(frame.find(qn(tag)).get(b, 0)))
            for tag, a, b in (("a:off", "x", "y"), ("a:ext", "cx", "cy"),
                              ("a:chOff", "x", "y"), ("a:chExt", "cx", "cy")))
        sx, sy = gw / cw if cw else 1.0, gh / ch if ch else 1.0
        x, right = gx + (x - cx) * sx, gx + (right - cx) * sx
        y, bottom = gy + (y - cy) * sy, gy + (bottom - cy) * sy
    return round(x), round(y), round(right - x), round(bottom - y)


Look = tuple[str, str]  # a run's colour (RRGGBB, or "" where it takes its place's) and size
# (hundredths of a point, or "")
Runs = tuple[tuple[str, Look], ...]  # a paragraph's runs: each one's text and look


def _theme_colours(prs: PresentationType) -> dict[str, str]:
    """Give the theme's colours by scheme name (`accent1`, `dk1`, and `tx1` for `dk1` …)."""
    master = prs.slide_masters[0]
    theme = next((rel.target_part for rel in master.part.rels.values()
                  if rel.reltype == RT.THEME), None)
    found: dict[str, str] = {}
    if theme is None:
        return found
    for scheme in etree.fromstring(theme.blob).iter(qn("a:clrScheme")):
        for colour in scheme:
            value = next((c.get("val") or c.get("lastClr") for c in colour), None)
            if value:
                found[etree.QName(colour).localname] = value.upper()
    for alias, name in (("tx1", "dk1"), ("bg1", "lt1"), ("tx2", "dk2"), ("bg2", "lt2")):
        if name in found:
            found[alias] = found[name]
    return found


def _looks(slide: Slide, theme: dict[str, str]) -> tuple[
        dict[str, list[Runs]], dict[str, tuple[int, int, int, int]]]:
    """Give the looks of the slide's text shapes and the boxes of its pictures (those at the
    top of its shape tree), by name (placeholders by type)."""
    texts: dict[str, list[Runs]] = {}
    pictures: dict[str, tuple[int, int, int, int]] = {}
    for element in slide.shapes._spTree:
        if element.tag == _PICTURE_TAG:
            box = _slide_box(element)
            if box is not None:
                pictures[_numbered(_name(element), pictures)] = box
        elif element.tag == _SHAPE_TAG and element.find(qn("p:txBody")) is not None:
            texts[_numbered(_key(element), texts)] = [
                _runs(paragraph, theme) for paragraph in element.iter(qn("a:p"))]
    return texts, pictures


def _key(element: etree._Element) -> str:
    """Give a shape's name; a placeholder's type (a title slide's centred title is its title:
    LibreOffice saves it as one)."""
    placeholder = next(element.iter(qn("p:ph")), None)
    if placeholder is None:
        return _name(element)
    kind = placeholder.get("type", "body")
    return f"placeholder:{'title' if kind == 'ctrTitle' else kind}"


def _numbered(key: str, taken: Mapping[str, object]) -> str:
    count = sum(1 for name in taken if name == key or name.startswith(f"{key}#"))
    return key if not count else f"{key}#{count + 1}"


def _runs(paragraph: etree._Element, theme: dict[str, str]) -> Runs:
    found: list[tuple[str, Look]] = []
    for run in paragraph.iter(qn("a:r")):
        properties = run.find(qn("a:rPr"))
        look = ("", "") if properties is None else (_colour(properties, theme),
                                                      properties.get("sz", ""))
        found.append(("".join(t.text or "" for t in run.iter(qn("a:t"))), look))
    return tuple(found)


def _colour(properties: etree._Element, theme: dict[str, str]) -> str:
    fill = properties.find(qn("a:solidFill"))
    colour = fill[0] if fill is not None and len(fill) else None
    if colour is None:
        return ""
    value = colour.get("val", "")
    if colour.tag == qn("a:schemeClr"):
        value = theme.get(value, value)
    changes = [f"{etree.QName(c).localname}={c.get('val')}" for c in colour]
    return " ".join([value.upper(), *changes])
