"""The package indexes (part names, images, slide ids, relationships, XPath) and the stable zip
(studydeck/pptx/package.py, studydeck/pptx/archive.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pptx import Presentation
from pptx.opc.package import OpcPackage
from pptx.oxml import xmlchemy
from pptx.oxml.presentation import CT_SlideIdList
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.util import Inches

from studydeck.pptx.archive import DuplicatePartError, package_bytes
from studydeck.pptx.package import cached_lookups, index_parts, write_notes


def _pictures(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"p{number}.png"
        Image.new("RGB", (40, 30), (number * 40 % 256, 80, 120)).save(path)
        paths.append(path)
    return paths


def _fill(prs: Any, pictures: list[Path], slides: int, indexed: bool) -> None:
    layout = prs.slide_layouts[5]
    for number in range(slides):
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = f"slide {number}"
        slide.shapes.add_picture(str(pictures[number % len(pictures)]), Inches(1), Inches(2))
        if indexed:
            write_notes(slide, f"notes {number}")
        else:
            slide.notes_slide.notes_text_frame.text = f"notes {number}"


def _parts(prs: Any) -> dict[str, bytes]:
    """Give every part's name and bytes, and every part's relationships, as python-pptx has them."""
    parts: dict[str, bytes] = {}
    for part in prs.part.package.iter_parts():
        parts[str(part.partname)] = part.blob
        if len(part.rels):
            parts[str(part.partname.rels_uri)] = part.rels.xml
    return parts


def test_indexes_build_the_same_package_as_python_pptx(tmp_path: Path) -> None:
    pictures = _pictures(tmp_path, 3)
    plain, indexed = Presentation(), Presentation()
    index_parts(indexed)
    _fill(plain, pictures, 12, indexed=False)
    _fill(indexed, pictures, 12, indexed=True)
    assert _parts(indexed) == _parts(plain)
    names = sorted(_parts(indexed))
    assert [n for n in names if n.startswith("/ppt/media/")] == [
        "/ppt/media/image1.png", "/ppt/media/image2.png", "/ppt/media/image3.png"]
    assert sum(n.startswith("/ppt/notesSlides/notesSlide") for n in names) == 12
    assert [slide.slide_id for slide in indexed.slides] == list(range(256, 268))


def test_adding_parts_scans_nothing_once_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naive python-pptx walks every part (names, images), every slide id and relationship."""
    pictures = _pictures(tmp_path, 4)
    prs = Presentation()
    index_parts(prs)
    _fill(prs, pictures, 1, indexed=True)  # the indexes are filled on first use

    def scans(*args: object, **kwargs: object) -> None:
        raise AssertionError("scanned the whole package")

    monkeypatch.setattr(OpcPackage, "iter_parts", scans)
    monkeypatch.setattr(prs.part.rels, "_get_matching", scans)  # the deck's relationships
    monkeypatch.setattr(CT_SlideIdList, "_next_id", property(scans))
    _fill(prs, pictures, 30, indexed=True)
    monkeypatch.undo()
    assert len(prs.slides) == 31
    assert [slide.slide_id for slide in prs.slides] == list(range(256, 287))
    media = [p for p in prs.part.package.iter_parts() if p.partname.startswith("/ppt/media/")]
    assert len(media) == 4


def test_indexes_start_from_what_the_package_already_holds(tmp_path: Path) -> None:
    pictures = _pictures(tmp_path, 3)
    first = Presentation()
    _fill(first, pictures[:2], 3, indexed=False)
    saved = io.BytesIO()
    first.save(saved)
    prs = Presentation(io.BytesIO(saved.getvalue()))
    index_parts(prs)
    _fill(prs, pictures, 3, indexed=True)  # one new picture, two already in the package
    names = [str(p.partname) for p in prs.part.package.iter_parts()]
    assert len(names) == len(set(names))
    assert sorted(n for n in names if n.startswith("/ppt/media/")) == [
        "/ppt/media/image1.png", "/ppt/media/image2.png", "/ppt/media/image3.png"]
    assert [slide.slide_id for slide in prs.slides] == list(range(256, 262))
    assert sum(n.startswith("/ppt/notesSlides/") for n in names) == 6
    assert prs.slides[5].notes_slide.notes_text_frame.text == "notes 2"


def test_slide_ids_follow_a_changed_slide_list(tmp_path: Path) -> None:
    prs = Presentation()
    index_parts(prs)
    _fill(prs, _pictures(tmp_path, 1), 4, indexed=True)
    listed = prs.slides._sldIdLst
    first = listed[0]
    listed.remove(first)
    listed.append(first)  # move the first slide to the end
    assert [slide.slide_id for slide in prs.slides] == [257, 258, 259, 256]
    _fill(prs, _pictures(tmp_path, 1), 1, indexed=True)
    assert prs.slides[4].slide_id == 260


def test_saved_bytes_depend_only_on_the_content(tmp_path: Path) -> None:
    pictures = _pictures(tmp_path, 2)
    saved = []
    for _ in range(2):
        prs = Presentation()
        index_parts(prs)
        _fill(prs, pictures, 3, indexed=True)
        prs.core_properties.revision = 1
        saved.append(package_bytes(prs))
    assert saved[0] == saved[1]
    with zipfile.ZipFile(io.BytesIO(saved[0])) as archive:
        entries = archive.infolist()
        assert archive.testzip() is None
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    kinds = {entry.filename.rsplit(".", 1)[-1]: entry.compress_type for entry in entries}
    assert kinds["png"] == zipfile.ZIP_STORED
    assert kinds["xml"] == zipfile.ZIP_DEFLATED
    reopened = Presentation(io.BytesIO(saved[0]))
    assert [s.notes_slide.notes_text_frame.text for s in reopened.slides] == [
        "notes 0", "notes 1", "notes 2"]


def test_two_parts_with_one_name_stop_the_save(tmp_path: Path) -> None:
    prs = Presentation()
    index_parts(prs)
    _fill(prs, _pictures(tmp_path, 1), 2, indexed=True)
    second = prs.slides[1].part
    second.partname = prs.slides[0].part.partname
    with pytest.raises(DuplicatePartError, match="ppt/slides/slide1.xml"):
        package_bytes(prs)


def test_compiled_lookups_find_the_same_and_are_undone_after() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    tree = slide.shapes._spTree
    expressions = ["./*[1]/p:nvPr/p:ph", "//a:p", "//p:cNvPr/@id", "count(//p:sp)"]
    plain = [tree.xpath(expression) for expression in expressions]
    original, qualified = BaseOxmlElement.xpath, xmlchemy.qn
    with cached_lookups():
        assert BaseOxmlElement.xpath is not original
        assert xmlchemy.qn("p:sp") == qualified("p:sp")
        assert [tree.xpath(expression) for expression in expressions] == plain
        with cached_lookups():
            assert slide.shapes.title is not None  # python-pptx's own look-ups
    assert (BaseOxmlElement.xpath, xmlchemy.qn) == (original, qualified)
