"""Shapes written straight into a slide's XML (studydeck/pptx/shape_writer.py) are the XML
python-pptx's own shape trees write: same elements, ids, group extents and relationships."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from studydeck.layout.geometry import Box
from studydeck.pptx.shape_writer import ShapeWriter, fit_group


def _icons(folder: Path) -> list[str]:
    paths = []
    for number, colour in enumerate(((200, 40, 40), (40, 160, 60))):
        path = folder / f"icon{number}.png"
        Image.new("RGB", (52, 52), colour).save(path)
        paths.append(str(path))
    return paths


def _slide_with_a_gap() -> Any:
    """Give a slide whose shape ids skip one (a removed placeholder), as a template leaves."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])  # title (id 2) and body (id 3)
    slide.shapes.add_textbox(Emu(10), Emu(10), Emu(100), Emu(100))  # id 4
    body = slide.placeholders[1]._element
    body.getparent().remove(body)  # the gap is 3
    return slide


def _drawn_by_python_pptx(slide: Any, icons: list[str]) -> None:
    outer = slide.shapes.add_group_shape()
    outer.name = "diagram: d"
    node = outer.shapes.add_group_shape()
    node.name = "a: node"
    picture = node.shapes.add_picture(icons[0], Emu(1000), Emu(2000), Emu(520), Emu(520))
    picture.name = "a"
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "A & <b>")
    label = node.shapes.add_textbox(Emu(900), Emu(2600), Emu(700), Emu(300))
    label.name = "a: label"
    again = outer.shapes.add_picture(icons[1], Emu(4000), Emu(500), Emu(520), Emu(520))
    again.name = "b"
    again._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "B")
    same = outer.shapes.add_picture(icons[0], Emu(6000), Emu(500), Emu(520), Emu(520))
    same.name = "c"
    same._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "C")
    line = outer.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(4200), Emu(900), Emu(1200),
                                      Emu(2100))
    line.name = 'b->a "back"'
    outer.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(800), Emu(400), Emu(6000),
                           Emu(3000))
    outer.shapes.add_group_shape().name = "empty: node"  # changes nothing: added last
    node.shapes.add_group_shape().name = "empty: inner"


def _drawn_by_shape_writer(slide: Any, icons: list[str]) -> None:
    writer = ShapeWriter(slide)
    outer = writer.group(writer.tree, "diagram: d")
    node = writer.group(outer, "a: node")
    writer.picture(node, Box(1000, 2000, 520, 520), icons[0], "a", "A & <b>")
    writer.text_box(node, Box(900, 2600, 700, 300), "a: label")
    fit_group(node)
    writer.picture(outer, Box(4000, 500, 520, 520), icons[1], "b", "B")
    writer.picture(outer, Box(6000, 500, 520, 520), icons[0], "c", "C")
    writer.connector(outer, (4200, 900), (1200, 2100), 'b->a "back"')
    writer.rounded_rectangle(outer, Box(800, 400, 6000, 3000))
    fit_group(writer.group(outer, "empty: node"))
    fit_group(writer.group(node, "empty: inner"))
    fit_group(outer)


def _xml(slide: Any) -> bytes:
    return bytes(etree.tostring(slide._element))


def _relationships(slide: Any) -> list[tuple[str, str, str]]:
    return sorted((rId, rel.reltype, str(rel.target_part.partname))
                  for rId, rel in slide.part.rels.items())


def test_shapes_are_the_xml_python_pptx_writes(tmp_path: Path) -> None:
    icons = _icons(tmp_path)
    theirs, ours = _slide_with_a_gap(), _slide_with_a_gap()
    _drawn_by_python_pptx(theirs, icons)
    _drawn_by_shape_writer(ours, icons)
    assert _xml(ours) == _xml(theirs)
    assert _relationships(ours) == _relationships(theirs)
    ids = [int(e.get("id")) for e in ours._element.iter(qn("p:cNvPr"))]
    assert ids[:5] == [1, 2, 4, 3, 5]  # the diagram's group took the free id; the rest count on
    assert len(ids) == len(set(ids))


def test_a_copied_group_relates_its_pictures_to_its_own_slide(tmp_path: Path) -> None:
    icons = _icons(tmp_path)
    first, second = _slide_with_a_gap(), _slide_with_a_gap()
    _drawn_by_shape_writer(first, icons)
    group = first.shapes[-1]._element
    ShapeWriter(second).copy(group, [icons[0], icons[1], icons[0]])
    drawn = _slide_with_a_gap()
    _drawn_by_shape_writer(drawn, icons)
    assert _xml(second) == _xml(drawn)
    assert _relationships(second) == _relationships(drawn)
    embeds = [blip.get(qn("r:embed")) for blip in second._element.iter(qn("a:blip"))]
    assert [second.part.related_part(rId).partname for rId in embeds] == [
        first.part.related_part(rId).partname
        for rId in (blip.get(qn("r:embed")) for blip in first._element.iter(qn("a:blip")))]
