"""The deck as .pptx bytes that depend only on its content: fixed zip times, members in order.

python-pptx stamps every zip member with the time of saving, and zipfile only warns when a second
member takes a name already used, which gives a corrupt deck: here that is an error.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from pptx.opc.serialized import _ContentTypesItem
from pptx.presentation import Presentation

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the deck
UNIX = 3  # zip "made by" system, fixed so that every platform writes the same header
STORED_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif")  # compressed already: deflating wastes time
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class DuplicatePartError(RuntimeError):
    """Raised (an internal bug, not bad input) when two parts of a deck share one zip name."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"internal error: two parts of the deck are both named '{name}'; saving them would "
            "give a corrupt .pptx (zip 'Duplicate name'), so nothing was written"
        )
        self.name = name


def package_bytes(prs: Presentation) -> bytes:
    """Give the deck as .pptx bytes that depend only on its content (fixed times and order).

    Raises DuplicatePartError instead of writing a second zip member under a name already used,
    which zipfile would only warn about.
    """
    buffer = io.BytesIO()
    written: set[str] = set()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _members(prs.part.package):
            if name in written:
                raise DuplicatePartError(name)
            written.add(name)
            archive.writestr(_zip_entry(name), data)
    return buffer.getvalue()


def _members(package: Any) -> list[tuple[str, bytes]]:
    """Give (zip name, bytes) of every item in python-pptx's order: types, rels, then parts."""
    parts = list(package.iter_parts())
    members = [
        (CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts))),
        (PACKAGE_URI.rels_uri.membername, rels_xml(package._rels)),
    ]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, rels_xml(part.rels)))
    return members


def rels_xml(rels: Any) -> bytes:
    """Give python-pptx's `.rels` bytes of `rels` (`_Relationships.xml`), made three times faster.

    python-pptx parses a little XML document for every relationship; a deck has thousands.
    """
    root = etree.Element(f"{RELS}Relationships", nsmap={None: RELS[1:-1]})
    for rId in sorted(rels.keys(), key=_rId_order):  # python-pptx's order: by number
        rel = rels[rId]
        attributes = {"Id": rId, "Type": rel.reltype, "Target": rel.target_ref}
        if rel.is_external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, f"{RELS}Relationship", attributes)
    xml: bytes = etree.tostring(root, encoding="UTF-8", standalone=True)
    return xml


def _rId_order(rId: str) -> tuple[int, str]:
    return (int(rId[3:]) if rId.startswith("rId") and rId[3:].isdigit() else 0, rId)


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.create_system = UNIX
    entry.external_attr = 0o644 << 16
    stored = name.lower().endswith(STORED_SUFFIXES)
    entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return entry

