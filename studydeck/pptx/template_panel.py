"""The panel a template's body text sits on, drawn as a shape of its content layout.

A template may give its body placeholder a fill of its own: LibreOffice's Lights a 50 % white
panel over its bubbles and glow, Nature_Illustration one over its picture. studydeck writes its
own text boxes, tables and diagrams in the body area, never the placeholder, so that fill would
never show: the content layout gets it as a shape instead ("Body panel": the placeholder's
geometry, fill and line, where the template puts its body), drawn over the layout's and master's
own shapes as the placeholder's fill is, and the placeholder loses its fill (a slide that fills
it does not show the panel twice). The fill is the layout placeholder's, or its master's where
the layout gives none; in a file LibreOffice wrote, a layout's `noFill` under a master's fill is
its export's (pptx/template_mend.py): the master's fill holds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import SlideLayout, SlideMaster

from studydeck.layout import geometry as g
from studydeck.pptx.layout_roles import BODY_TYPES
from studydeck.pptx.template_mend import written_by_libreoffice

PANEL_NAME = "Body panel"
PANEL_MARGIN = g.inches(0.1)  # the body area on a panel keeps this far inside its edges
_FILLS = tuple(qn(tag) for tag in ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill",
                                   "a:pattFill", "a:grpFill"))
_GEOMETRIES = (qn("a:prstGeom"), qn("a:custGeom"))
_PANEL = ('<p:sp {}><p:nvSpPr><p:cNvPr id="{}" name="{}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
          '</p:nvSpPr><p:spPr><a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm>'
          '</p:spPr></p:sp>')


@dataclass(frozen=True)
class PanelLook:
    """How the body placeholder is drawn: its geometry and line (None: a rectangle, no line)
    and its fill, with the layout or master whose part a picture fill's link belongs to."""

    geometry: etree._Element | None
    fill: etree._Element
    line: etree._Element | None
    fill_owner: SlideLayout | SlideMaster


def panel_look(layout: SlideLayout) -> PanelLook | None:
    """Give how the layout's body placeholder is drawn when it shows a fill; None when it has no
    body placeholder or no visible fill."""
    own = _body_properties(layout)
    if own is None:
        return None
    master = _body_properties(layout.slide_master)
    fill = _child(own, _FILLS)
    owner: SlideLayout | SlideMaster = layout
    lost = (fill is not None and fill.tag == qn("a:noFill")
            and written_by_libreoffice(layout.part.package))
    if master is not None and (fill is None or lost) and _visible(_child(master, _FILLS)):
        fill, owner = _child(master, _FILLS), layout.slide_master
    if fill is None or not _visible(fill):
        return None
    held = [properties for properties in (own, master) if properties is not None]
    geometry = next((found for properties in held
                     if (found := _child(properties, _GEOMETRIES)) is not None), None)
    line = next((found for properties in held
                 if (found := properties.find(qn("a:ln"))) is not None), None)
    return PanelLook(geometry, fill, line, owner)


def draw_body_panel(layout: SlideLayout, place: g.Box | None) -> bool:
    """Draw the body placeholder's fill as the layout's topmost own shape over `place` (where
    the template puts its body) and take it off the placeholder; tell whether it was drawn (not
    when the placeholder shows no fill, or the layout has its panel already)."""
    look = panel_look(layout) if place is not None and panel_box(layout) is None else None
    fill = _fill_for(layout, look) if look is not None else None
    if place is None or look is None or fill is None:
        return False
    tree = layout.shapes._spTree
    panel = parse_xml(_PANEL.format(nsdecls("a", "p"), tree._next_shape_id, PANEL_NAME,
                                    place.left, place.top, place.width, place.height))
    properties = panel.find(qn("p:spPr"))
    geometry = look.geometry if look.geometry is not None else parse_xml(
        f'<a:prstGeom {nsdecls("a")} prst="rect"><a:avLst/></a:prstGeom>')
    properties.append(copy.deepcopy(geometry))
    properties.append(fill)
    if look.line is not None:
        properties.append(copy.deepcopy(look.line))
    tree.insert_element_before(panel, "p:extLst")
    own = _body_properties(layout)
    if own is not None:
        own.get_or_change_to_noFill()
    return True


def panel_box(layout: SlideLayout) -> g.Box | None:
    """Give the box of the layout's body panel (draw_body_panel), None when it has none."""
    for shape in layout.shapes._spTree.iter_shape_elms():
        if shape.shape_name == PANEL_NAME and not shape.has_ph_elm and shape.x is not None:
            return g.Box(shape.x, shape.y, shape.cx, shape.cy)
    return None


def _fill_for(layout: SlideLayout, look: PanelLook) -> etree._Element | None:
    """Give a copy of the fill for the layout's panel, a picture's link made the layout's own
    (None when the picture it links to is missing)."""
    fill = copy.deepcopy(look.fill)
    if look.fill_owner.part is layout.part:
        return fill
    for blip in fill.iter(qn("a:blip")):
        linked = blip.get(qn("r:embed"))
        if linked and linked not in look.fill_owner.part.rels:
            return None
        if linked:
            picture = look.fill_owner.part.related_part(linked)
            blip.set(qn("r:embed"), layout.part.relate_to(picture, RT.IMAGE))
    return fill


def _body_properties(owner: SlideLayout | SlideMaster) -> etree._Element | None:
    """Give the shape properties (p:spPr) of the first body placeholder of the layout or master."""
    for placeholder in owner.shapes._spTree.iter_ph_elms():
        if placeholder.ph_type in BODY_TYPES:
            return placeholder.find(qn("p:spPr"))
    return None


def _child(properties: etree._Element, tags: tuple[str, ...]) -> etree._Element | None:
    return next((child for child in properties if child.tag in tags), None)


def _visible(fill: etree._Element | None) -> bool:
    """Tell whether the fill shows: not none, not the group's, not a wholly clear colour."""
    if fill is None or fill.tag in (qn("a:noFill"), qn("a:grpFill")):
        return False
    alphas = [int(alpha.get("val", "100000")) for alpha in fill.iter(qn("a:alpha"))]
    colors = 1 if fill.tag == qn("a:solidFill") else len(fill.findall(f".//{qn('a:gs')}"))
    return not (alphas and len(alphas) >= colors and not any(alphas))
