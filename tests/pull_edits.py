"""Edits a reviewer makes to a built deck, made with python-pptx for the pull tests."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import slide_notes
from pptx import Presentation
from pptx.slide import Slide

from studydeck.pptx.edited import DrawnNode, read_slides_seen
from studydeck.pptx.source_marks import shape_texts

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
INCH = 914400


def shape_named(slide: Slide, name: str):  # type: ignore[no-untyped-def]
    """Give the slide's (top-level) shape called `name`."""
    return next(shape for shape in slide.shapes if shape.name == name)


def texts(slide: Slide) -> list[str]:
    """Give the texts of the slide's text frames, then its notes."""
    shown = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    return [*shown, slide_notes(slide)]


def changed_lines(before: str, after: str) -> list[str]:
    """Give the lines a unified diff of the two texts removes and adds."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def set_paragraph(shape_element, index: int, old: str,  # type: ignore[no-untyped-def]
                  new: str) -> None:
    """Replace `old` by `new` in the paragraph's text, keeping its runs' looks."""
    paragraph = list(shape_element.iter(f"{{{A}}}p"))[index]
    for text in paragraph.iter(f"{{{A}}}t"):
        if old in (text.text or ""):
            text.text = text.text.replace(old, new)
            return
    raise AssertionError(f"'{old}' is not in paragraph {index}")


def edit_text(prs: Presentation, number: int, key: str, old: str, new: str) -> None:
    """Replace `old` by `new` in the first paragraph holding it, in the shape under `key`."""
    shape = next(shape for shape in shape_texts(prs.slides[number - 1]) if shape.key == key)
    index = next(i for i, text in enumerate(shape.texts) if old in text)
    tree = prs.slides[number - 1].shapes._spTree
    element = next(e for e in tree.iter(f"{{{P}}}sp", f"{{{P}}}graphicFrame")
                   if _key_of(e) == key)
    set_paragraph(element, index, old, new)


def _key_of(element) -> str:  # type: ignore[no-untyped-def]
    placeholder = element.find(f".//{{{P}}}ph")
    if placeholder is not None:
        kind = placeholder.get("type", "body")
        return f"placeholder:{'title' if kind == 'ctrTitle' else kind}"
    return str(element.find(f".//{{{P}}}cNvPr").get("name"))


def move_node(deck: Path, target: Path, slide: int, node: str, dx: int, dy: int) -> None:
    """Move a native diagram's node (its group of icon and label) as a drag in the editor does."""
    prs = Presentation(str(deck))
    tree = prs.slides[slide - 1].shapes._spTree
    group = next(g for g in tree.iter(f"{{{P}}}grpSp")
                 if g.find(f"{{{P}}}nvGrpSpPr/{{{P}}}cNvPr").get("name") == f"{node}: node")
    offset = group.find(f"{{{P}}}grpSpPr/{{{A}}}xfrm/{{{A}}}off")
    offset.set("x", str(int(offset.get("x")) + dx))
    offset.set("y", str(int(offset.get("y")) + dy))
    prs.save(str(target))


def icon_centre(deck: Path, slide: int, node: str) -> tuple[float, float]:
    drawn: DrawnNode = read_slides_seen(deck)[slide - 1].nodes[node]
    assert drawn.icon is not None
    left, top, width, height = drawn.icon
    return left + width / 2, top + height / 2


def assert_within_a_percent(found: tuple[float, float], wanted: tuple[float, float],
                            deck: Path) -> None:
    width = Presentation(str(deck)).slide_width
    assert abs(found[0] - wanted[0]) <= 0.01 * width, (found, wanted)
    assert abs(found[1] - wanted[1]) <= 0.01 * width, (found, wanted)


def clusters_hold_their_nodes(deck: Path, slide: int) -> list[str]:
    """Give each group (cluster) of the slide's diagram that does not hold its nodes' icons."""
    tree = Presentation(str(deck)).slides[slide - 1].shapes._spTree
    names = {e.get("name"): e for e in tree.iter(f"{{{P}}}cNvPr")}
    nodes = read_slides_seen(deck)[slide - 1].nodes
    members = {"cluster: VPC": ["alb", "web-a", "web-b"],
               "cluster: 프라이빗 서브넷": ["web-a", "web-b"]}
    wrong = []
    for cluster, inside in members.items():
        xfrm = names[cluster].getparent().getparent().find(f"{{{P}}}spPr/{{{A}}}xfrm")
        left, top = (int(xfrm.find(f"{{{A}}}off").get(k)) for k in ("x", "y"))
        right = left + int(xfrm.find(f"{{{A}}}ext").get("cx"))
        bottom = top + int(xfrm.find(f"{{{A}}}ext").get("cy"))
        for node in inside:
            x, y, w, h = nodes[node].icon or (0, 0, 0, 0)
            if not (left <= x and x + w <= right and top <= y and y + h <= bottom):
                wrong.append(f"{cluster} misses {node}")
    return wrong
