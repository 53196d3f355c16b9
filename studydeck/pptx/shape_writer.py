"""Shapes written straight into a slide's XML, as python-pptx's shape trees would write them.

python-pptx's `add_textbox`, `add_picture`, `add_connector` … look for a free shape id through
every id on the slide, re-measure each enclosing group after every shape, and hash the picture
file of each icon again: on a diagram of a hundred shapes that is most of the slide's time.
`ShapeWriter` writes the same elements (python-pptx's own templates, ids handed out in the same
order, a group's extents measured once when it is complete), so the slide's XML is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.oxml.shapes.connector import CT_Connector
from pptx.oxml.shapes.groupshape import CT_GroupShape
from pptx.oxml.shapes.picture import CT_Picture
from pptx.parts.image import ImagePart
from pptx.shapes.autoshape import AutoShapeType
from pptx.slide import Slide

from studydeck.layout import geometry as g

_ROUNDED = AutoShapeType(MSO_SHAPE.ROUNDED_RECTANGLE)
_LINE = MSO_CONNECTOR.to_xml(MSO_CONNECTOR.STRAIGHT)
# the templates python-pptx parses for every new shape, parsed once and copied
_GROUP = CT_GroupShape.new_grpSp(0, "")
_TEXT_BOX = CT_Shape.new_textbox_sp(0, "", 0, 0, 0, 0)
_AUTOSHAPE = CT_Shape.new_autoshape_sp(0, "", _ROUNDED.prst, 0, 0, 0, 0)
_PICTURE = CT_Picture.new_pic(0, "", "", "", 0, 0, 0, 0)
_CONNECTOR = CT_Connector.new_cxnSp(0, "", _LINE, 0, 0, 0, 0, False, False)
_C_NV_PR = f"*/{qn('p:cNvPr')}"
_OFF, _EXT = f"*/{qn('a:xfrm')}/{qn('a:off')}", f"*/{qn('a:xfrm')}/{qn('a:ext')}"
_CH_OFF = f"{qn('p:grpSpPr')}/{qn('a:xfrm')}/{qn('a:chOff')}"
_CH_EXT = f"{qn('p:grpSpPr')}/{qn('a:xfrm')}/{qn('a:chExt')}"
_BLIP = f"{qn('p:blipFill')}/{qn('a:blip')}"
_EMBED = qn("r:embed")
# every kind of shape but a group (what sizing a group waits for)
_SHAPE_TAGS = tuple(qn(tag) for tag in ("p:sp", "p:graphicFrame", "p:cxnSp", "p:pic",
                                        "p:contentPart"))
_ICON_PARTS = "_studydeck_icon_parts"  # on the package: icon file → its image part


class ShapeWriter:
    """Adds shapes to one slide, numbering them as python-pptx does (read the slide's ids
    once: a group takes the lowest free id, any other shape one more than the highest)."""

    def __init__(self, slide: Slide) -> None:
        self.slide = slide
        self.tree: Any = slide.shapes._spTree
        self._used = {int(value) for value in self.tree.xpath("//@id") if value.isdigit()}
        self._highest = max(self._used, default=0)
        self.image_files: list[str] = []  # of the pictures written, in order

    def group(self, parent: Any, name: str) -> Any:
        """Add an empty group (`fit_group` sizes it once its shapes are in)."""
        shape_id = next(n for n in range(1, len(self._used) + 2) if n not in self._used)
        return self._added(parent, _GROUP, shape_id, name, None)

    def text_box(self, parent: Any, box: g.Box, name: str) -> Any:
        return self._added(parent, _TEXT_BOX, self._next_id(), name, box)

    def rounded_rectangle(self, parent: Any, box: g.Box, name: str | None = None) -> Any:
        shape_id = self._next_id()
        return self._added(parent, _AUTOSHAPE, shape_id,
                           name or f"{_ROUNDED.basename} {shape_id - 1}", box)

    def picture(self, parent: Any, box: g.Box, image_file: str, name: str,
                description: str) -> Any:
        """Add a picture of `image_file`, related to the slide as python-pptx relates one."""
        rel_id = self._related(image_file)
        self.image_files.append(image_file)
        picture = self._added(parent, _PICTURE, self._next_id(), name, box)
        picture.find(_C_NV_PR).set("descr", description)
        picture.find(_BLIP).set(_EMBED, rel_id)
        return picture

    def connector(self, parent: Any, begin: tuple[int, int], end: tuple[int, int],
                  name: str) -> Any:
        """Add a straight line from `begin` to `end`, flipped as python-pptx flips one."""
        (begin_x, begin_y), (end_x, end_y) = begin, end
        box = g.Box(min(begin_x, end_x), min(begin_y, end_y), abs(end_x - begin_x),
                    abs(end_y - begin_y))
        connector = self._added(parent, _CONNECTOR, self._next_id(), name, box)
        xfrm = connector.find(_OFF).getparent()
        if begin_x > end_x:
            xfrm.set("flipH", "1")
        if begin_y > end_y:
            xfrm.set("flipV", "1")
        return connector

    def copy(self, shape: Any, image_files: Sequence[str]) -> None:
        """Add a copy of `shape`, written on a slide whose ids were this slide's, its pictures
        (of `image_files`, in document order) related to this slide as drawing it would."""
        copied = deepcopy(shape)
        blips = list(copied.iter(qn("a:blip")))
        for blip, image_file in zip(blips, image_files, strict=True):
            blip.set(_EMBED, self._related(image_file))
        self.tree.insert_element_before(copied, "p:extLst")
        self._used.update(int(element.get("id")) for element in copied.iter(qn("p:cNvPr")))
        self._highest = max(self._used, default=0)

    @property
    def taken_ids(self) -> frozenset[int]:
        """Give the ids the slide holds so far (what the ids of new shapes depend on)."""
        return frozenset(self._used)

    def _related(self, image_file: str) -> str:
        return str(self.slide.part.relate_to(icon_part(self.slide, image_file), RT.IMAGE))

    def _next_id(self) -> int:
        self._highest += 1
        self._used.add(self._highest)
        return self._highest

    def _added(self, parent: Any, template: Any, shape_id: int, name: str,
               box: g.Box | None) -> Any:
        self._used.add(shape_id)
        self._highest = max(self._highest, shape_id)
        element = deepcopy(template)
        properties = element.find(_C_NV_PR)
        properties.set("id", str(shape_id))
        properties.set("name", name)
        if box is not None:
            _set_xy(element.find(_OFF), "x", "y", box.left, box.top)
            _set_xy(element.find(_EXT), "cx", "cy", box.width, box.height)
        parent.insert_element_before(element, "p:extLst")
        return element


def fit_group(group: Any) -> None:
    """Size `group` to its shapes, its child space the same, as python-pptx leaves it.

    python-pptx sizes a group again after each shape added to it or to a group inside it; a
    group added empty and left so changes nothing, and the last sizing is what is kept.
    """
    children = list(group.iter_shape_elms())
    while children and next(children[-1].iter(*_SHAPE_TAGS), None) is None:
        children.pop()  # trailing empty groups: added after the last sizing
    if not children:
        return  # never sized: python-pptx leaves the template's zeros
    extents = [_extent(child) for child in children]
    left = min(x for x, _, _, _ in extents)
    top = min(y for _, y, _, _ in extents)
    width = max(x + cx for x, _, cx, _ in extents) - left
    height = max(y + cy for _, y, _, cy in extents) - top
    _set_xy(group.find(_OFF), "x", "y", left, top)
    _set_xy(group.find(_EXT), "cx", "cy", width, height)
    _set_xy(group.find(_CH_OFF), "x", "y", left, top)
    _set_xy(group.find(_CH_EXT), "cx", "cy", width, height)


def _extent(shape: Any) -> tuple[int, int, int, int]:
    off, ext = shape.find(_OFF), shape.find(_EXT)
    if off is None or ext is None:  # not one of the shapes written here: ask python-pptx
        return shape.x, shape.y, shape.cx, shape.cy
    x, y, cx, cy = int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
    if off.getparent().get("rot") in ("5400000", "16200000"):  # a quarter-turned elbow line
        return x + (cx - cy) // 2, y + (cy - cx) // 2, cy, cx  # as drawn: turned about its centre
    return x, y, cx, cy


def icon_part(slide: Slide, image_file: str) -> ImagePart:
    """Give the package's image part of `image_file`, read and hashed once per package."""
    package: Any = slide.part.package
    parts: dict[str, ImagePart] | None = getattr(package, _ICON_PARTS, None)
    if parts is None:
        parts = {}
        setattr(package, _ICON_PARTS, parts)
    part = parts.get(image_file)
    if part is None:
        part = parts[image_file] = package.get_or_add_image_part(image_file)
    return part


def _set_xy(element: Any, first: str, second: str, a: int, b: int) -> None:
    element.set(first, str(a))
    element.set(second, str(b))
