"""The deck as .pptx bytes that depend only on its content: fixed zip times, members in order.

python-pptx stamps every zip member with the time of saving, and zipfile only warns when a second
member takes a name already used, which gives a corrupt deck: here that is an error. A part kept
from an earlier build (studydeck/pptx/reuse.py) carries its XML deflated already: the zip takes
those bytes as they are instead of deflating the same XML again (zipfile cannot, so the members
are laid out here, as zipfile lays them out: the same bytes).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from pptx.opc.serialized import _ContentTypesItem
from pptx.presentation import Presentation

# 1980-01-01 00:00:00, the earliest a zip can say: no build time in the deck
DOS_DATE, DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
UNIX = 3  # zip "made by" system, fixed so that every platform writes the same header
FILE_MODE = 0o644 << 16  # rw-r--r--, as external attributes
STORED, DEFLATED = 0, 8
VERSION = 20  # made by and needed to extract: 2.0, as zipfile says for both methods
UTF8_NAME = 0x800
ZIP32_LIMIT = 0xFFFFFFFF
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


@dataclass(frozen=True)
class Deflated:
    """A part's bytes as a zip member holds them: deflated (raw), with their CRC and size."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, plain: bytes) -> Deflated:
        return cls(zlib.compress(plain, -1, -15), zlib.crc32(plain), len(plain))

    def plain(self) -> bytes:
        return zlib.decompress(self.data, -15)


def package_bytes(prs: Presentation) -> bytes:
    """Give the deck as .pptx bytes that depend only on its content (fixed times and order).

    Raises DuplicatePartError instead of writing a second zip member under a name already used,
    which zipfile would only warn about.
    """
    zip_file = _ZipBytes()
    for name, data in _members(prs.part.package):
        zip_file.add(name, data)
    return zip_file.finish()


def _members(package: Any) -> list[tuple[str, bytes | Deflated]]:
    """Give (zip name, bytes) of every item in python-pptx's order: types, rels, then parts."""
    parts = list(package.iter_parts())
    members: list[tuple[str, bytes | Deflated]] = [
        (CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts))),
        (PACKAGE_URI.rels_uri.membername, rels_xml(package._rels)),
    ]
    for part in parts:
        members.append((part.partname.membername, getattr(part, "deflated", None) or part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, rels_xml(part.rels)))
    return members


class _ZipBytes:
    """A zip archive built in memory, member by member, with the headers zipfile writes for a
    ZipInfo dated 1980-01-01 made on UNIX (so the bytes are zipfile's); at most 4 GB, no zip64."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._directory: list[bytes] = []
        self._offset = 0
        self._names: set[str] = set()

    def add(self, name: str, data: bytes | Deflated) -> None:
        if name in self._names:
            raise DuplicatePartError(name)
        self._names.add(name)
        if isinstance(data, bytes) and name.lower().endswith(STORED_SUFFIXES):
            method, stored, crc, size = STORED, data, zlib.crc32(data), len(data)
        else:
            deflated = data if isinstance(data, Deflated) else Deflated.of(data)
            method, stored, crc, size = DEFLATED, deflated.data, deflated.crc, deflated.size
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else UTF8_NAME
        if self._offset + len(stored) + len(encoded) + 30 > ZIP32_LIMIT:
            raise ValueError("the deck is over 4 GB, more than a .pptx can hold")
        fields = (VERSION, flags, method, DOS_TIME, DOS_DATE, crc, len(stored), size, len(encoded))
        self._chunks += [struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0), encoded, stored]
        self._directory.append(struct.pack(
            "<4s4B4H3L5H2L", b"PK\x01\x02", VERSION, UNIX, VERSION, 0, flags, method, DOS_TIME,
            DOS_DATE, crc, len(stored), size, len(encoded), 0, 0, 0, 0, FILE_MODE,
            self._offset) + encoded)
        self._offset += 30 + len(encoded) + len(stored)

    def finish(self) -> bytes:
        directory = b"".join(self._directory)
        count = len(self._directory)
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory),
                          self._offset, 0)
        return b"".join([*self._chunks, directory, end])


def rels_xml(rels: Any) -> bytes:
    """Give python-pptx's `.rels` bytes of `rels` (`_Relationships.xml`), made three times faster.

    python-pptx parses a little XML document for every relationship; a deck has thousands.
    """
    root = etree.Element(f"{RELS}Relationships", nsmap={None: RELS[1:-1]})
    for rId in sorted(rels.keys(), key=_rId_order):  # python-pptx's order: by number
        rel = rels[rId]
        external = rel.is_external
        target = rel.target_ref if external else _relative_ref(rel.target_partname,
                                                                 rel._base_uri)
        attributes = {"Id": rId, "Type": rel.reltype, "Target": target}
        if external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, f"{RELS}Relationship", attributes)
    xml: bytes = etree.tostring(root, encoding="UTF-8", standalone=True)
    return xml


def _rId_order(rId: str) -> tuple[int, str]:
    return (int(rId[3:]) if rId.startswith("rId") and rId[3:].isdigit() else 0, rId)


def _relative_ref(partname: str, base_uri: str) -> str:
    """Give python-pptx's `target_ref` of a part from `base_uri` (PackURI.relative_ref), without
    its posixpath.relpath for the usual neighbours: a part in the same or a sibling folder."""
    folder, _, name = partname.rpartition("/")
    if folder == base_uri:
        return name
    parent = base_uri.rpartition("/")[0]
    if parent and folder.rpartition("/")[0] == parent:  # /ppt/slides → /ppt/slideLayouts/…
        return f"..{partname[len(parent):]}"
    return partname.relative_ref(base_uri)  # type: ignore[attr-defined, no-any-return]


