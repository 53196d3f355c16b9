"""What LibreOffice's .pptx export gets wrong in a template, told and mended when it is opened.

A field LibreOffice does not export (the date, the footer's or header's text) becomes a text box
showing its stand-in, `<date/time>`, on every slide in PowerPoint and in LibreOffice too: such
stand-ins in the masters' and layouts' own shapes (not placeholders) are blanked. The slide
number's stand-in `<number>` inside a `slidenum` field is kept: it shows the real number. And a
file LibreOffice wrote says so in docProps/app.xml: its layouts' placeholders say `noFill` where
their master's have the fill the template gives them (pptx/template_panel.py reads it so).
"""

from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import OpcPackage
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType

STAND_INS = frozenset({"<date/time>", "<footer>", "<header>", "<number>"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_APPLICATION = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Application"


def mend_export(prs: PresentationType) -> None:
    """Blank the stand-ins of fields LibreOffice did not export in the masters' and layouts'
    own shapes (a run's text only: a field, as the slide number's, keeps its stand-in)."""
    for master in prs.slide_masters:
        for owner in (master, *master.slide_layouts):
            for shape in owner.shapes._spTree.iter_shape_elms():
                if _is_placeholder(shape):
                    continue
                for run in shape.iter(qn("a:r")):
                    text = run.find(qn("a:t"))
                    if text is not None and (text.text or "").strip() in STAND_INS:
                        text.text = ""


def _is_placeholder(shape: etree._Element) -> bool:
    return next(shape.iter(qn("p:ph")), None) is not None


def written_by_libreoffice(package: OpcPackage) -> bool:
    """Tell whether LibreOffice wrote the file (docProps/app.xml's Application says so)."""
    try:
        properties = package.part_related_by(RT.EXTENDED_PROPERTIES)
        found = etree.fromstring(properties.blob, _PARSER).find(_APPLICATION)
    except (KeyError, etree.LxmlError):
        return False
    return found is not None and (found.text or "").strip().startswith("LibreOffice")
