"""Slide numbers as fields PowerPoint updates, and footer text, clear of the back link."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from conftest import run_cli
from lxml import etree
from pptx import Presentation

from studydeck.layout import geometry as g

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _shape_box(shape: object) -> g.Box:
    return g.Box(shape.left, shape.top, shape.width, shape.height)  # type: ignore[attr-defined]


def _build_with_a_footer(project: Path) -> None:
    """Build the mini deck with a footer of its own (bold Korean text)."""
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "language: ko\n", "language: ko\ntheme:\n  footer: \"**스터디** 2026\"\n"),
        encoding="utf-8")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output


def test_every_slide_but_the_title_has_a_slide_number_field(mini_copy: Path) -> None:
    _build_with_a_footer(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    for number, slide in enumerate(prs.slides, start=1):
        fields = slide._element.findall(f".//{A}fld[@type='slidenum']")
        footers = [s for s in slide.shapes if s.name == "Footer"]
        if number == 1:
            assert not fields and not footers
            continue
        assert len(fields) == 1 and fields[0].findtext(f"{A}t") == str(number)
        assert len(footers) == 1 and footers[0].text_frame.text == "스터디 2026"
        foot = [s for s in slide.shapes if s.name in ("Slide number", "Footer", "Back to agenda")]
        boxes = [_shape_box(s) for s in foot]
        assert len(boxes) == (2 if number == 2 else 3)  # the agenda has no back link
        for index, box in enumerate(boxes):
            assert box.inside(g.SLIDE) and box.top >= g.BODY.bottom
            assert not any(box.intersects(other) for other in boxes[index + 1:])


def test_slide_numbers_can_be_turned_off(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "language: ko\n", "language: ko\ntheme:\n  slide_numbers: false\n"), encoding="utf-8")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    assert not any(s._element.findall(f".//{A}fld") for s in prs.slides)


def test_a_footer_too_long_is_a_warning(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "language: ko\n", "language: ko\ntheme:\n  footer: " + "아주 긴 바닥글 " * 20 + "\n"),
        encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0  # layout trouble never stops a build
    assert ": warning: the footer does not fit" in result.stderr and "theme.footer" in result.output


def _without_id(shape: object) -> bytes:
    element = deepcopy(shape._element)  # type: ignore[attr-defined]
    element.find(f".//{P}cNvPr").set("id", "0")
    for field in element.iter(f"{A}fld"):
        field.set("id", "")
        field.find(f"{A}t").text = ""
    for link in element.iter(f"{A}hlinkClick"):
        link.set(f"{R}id", "")
    return etree.tostring(element)


def test_the_foot_of_every_slide_is_alike_with_its_own_ids_number_and_link(
        mini_copy: Path) -> None:
    _build_with_a_footer(mini_copy)
    slides = list(Presentation(str(mini_copy / "output" / "deck.pptx")).slides)
    assert len(slides) >= 10  # numbers of one and two digits
    agenda = slides[1]
    seen: dict[str, set[bytes]] = {}
    for number, slide in enumerate(slides[1:], start=2):
        ids = [int(e.get("id")) for e in slide._element.iter(f"{P}cNvPr")]
        assert len(ids) == len(set(ids)), number
        for shape in slide.shapes:
            if shape.name in ("Slide number", "Footer", "Back to agenda"):
                seen.setdefault(shape.name, set()).add(_without_id(shape))
            if shape.name == "Back to agenda":
                link = shape._element.find(f".//{A}hlinkClick")
                assert slide.part.related_part(link.get(f"{R}id")) is agenda.part, number
    assert {name: len(xml) for name, xml in seen.items()} == {
        "Slide number": 1, "Footer": 1, "Back to agenda": 1}
