"""Valid OOXML: decks pass openxml-audit's ECMA-376 schema check, and the check does catch errors.

tests/conftest.py runs the same check on every deck any test builds through `run_cli("build")`
(the fixtures, the fuzzed projects, the fault tests); this file shows that the check is real.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BuiltDeck, assert_valid_ooxml, run_cli
from lxml import etree

Mutation = Callable[[bytes], bytes]


def first_part(deck: Path, prefix: str) -> str:
    with zipfile.ZipFile(deck) as package:
        return sorted(name for name in package.namelist() if name.startswith(prefix)
                      and name.endswith(".xml"))[0]


def with_part_changed(deck: Path, part: str, change: Mutation, target: Path) -> Path:
    """Give a copy of `deck` whose `part` went through `change`."""
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(target, "w",
                                                          zipfile.ZIP_DEFLATED) as copy:
        for name in source.namelist():
            data = source.read(name)
            copy.writestr(name, change(data) if name == part else data)
    return target


def replace_once(old: bytes, new: bytes) -> Mutation:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return change


BROKEN: dict[str, tuple[str, Mutation, str]] = {
    "unknown element in a slide": (
        "ppt/slides/slide", replace_once(b"<p:grpSpPr/>", b"<p:grpSpPr/><p:bogus/>"),
        "Unexpected element 'bogus'"),
    "font size below the minimum": (
        "ppt/slides/slide", replace_once(b' sz="', b' sz="-'), "Invalid value for attribute 'sz'"),
    "undeclared attribute": (
        "ppt/slides/slide", replace_once(b"<p:cSld", b'<p:cSld foo="1"'),
        "The 'foo' attribute is not declared"),
    "text run without text": (
        "ppt/slides/slide",
        lambda data: replace_once(b"</a:t>", b"</a:tt>")(replace_once(b"<a:t>", b"<a:tt>")(data)),
        "Unexpected element 'tt'"),
    "animation timing": (
        "ppt/slides/slide4.xml", replace_once(b'nodeType="tmRoot"', b'nodeType="nowhere"'),
        "nodeType"),
    "slide layout": (
        "ppt/slideLayouts/slideLayout", replace_once(b"<p:cSld", b"<p:bogus/><p:cSld"),
        "Unexpected element 'bogus'"),
    "notes slide": (
        "ppt/notesSlides/notesSlide", replace_once(b"<p:cSld>", b"<p:cSld><p:bogus/>"),
        "bogus"),
}


def test_the_built_decks_are_valid(mini: BuiltDeck, sample: BuiltDeck) -> None:
    assert_valid_ooxml(mini.deck)
    assert_valid_ooxml(sample.deck)


def test_a_chapter_deck_is_valid(mini_copy: Path) -> None:
    result = run_cli("build", "--project", mini_copy, "--chapter", "beta")
    assert result.exit_code == 0, result.output
    assert_valid_ooxml(mini_copy / "output" / "chapters" / "beta.pptx")


@pytest.mark.parametrize("prefix", ["ppt/slides/slide", "ppt/slideLayouts/slideLayout"])
def test_a_part_that_is_not_xml_is_caught(mini: BuiltDeck, tmp_path: Path, prefix: str) -> None:
    # openxml-audit passes a layout it cannot parse; assert_valid_ooxml parses every part itself
    part = first_part(mini.deck, prefix)
    change = replace_once(b"<p:cSld", b"<p:cSldd")
    broken = with_part_changed(mini.deck, part, change, tmp_path / "broken.pptx")
    with pytest.raises(etree.XMLSyntaxError):
        assert_valid_ooxml(broken)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_check_catches_broken_xml(mini: BuiltDeck, tmp_path: Path, case: str) -> None:
    prefix, change, expected = BROKEN[case]
    part = first_part(mini.deck, prefix)
    broken = with_part_changed(mini.deck, part, change, tmp_path / "broken.pptx")
    with pytest.raises(AssertionError) as failed:
        assert_valid_ooxml(broken)
    assert f"/{part}" in str(failed.value)
    assert expected in str(failed.value)
