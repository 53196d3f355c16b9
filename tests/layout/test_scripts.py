"""Autospacing and script detection, as LibreOffice sets mixed Korean and Latin text."""

from __future__ import annotations

import random

import pytest

from studydeck.layout.scripts import (
    ASIAN_RANGES,
    ASIAN_SPACE_EXTRA_EM,
    AUTOSPACE_EM,
    autospace_em,
    is_asian,
)


def reference_autospace(text: str) -> float:
    """The rule written out character by character (what the fast version must equal)."""
    def asian(character: str) -> bool:
        return any(start <= ord(character) <= end for start, end in ASIAN_RANGES)

    extra, previous, spaced = 0.0, None, False
    for character in text:
        if character.isspace() or (0x2000 <= ord(character) <= 0x2BFF):
            spaced = spaced or character.isspace()
            continue
        if previous is not None and asian(character) != previous:
            extra += AUTOSPACE_EM + (ASIAN_SPACE_EXTRA_EM if previous and spaced else 0.0)
        previous, spaced = asian(character), False
    return extra


@pytest.mark.parametrize(("text", "expected"), [
    ("AWS", 0.0),
    ("로드 밸런서", 0.0),
    ("AWS의", AUTOSPACE_EM),
    ("가 A", AUTOSPACE_EM + ASIAN_SPACE_EXTRA_EM),  # a space after Korean is set wider
    ("A 가", AUTOSPACE_EM),
    ("가\u3000A", AUTOSPACE_EM + ASIAN_SPACE_EXTRA_EM),  # the ideographic space is a space
    ("가→A", AUTOSPACE_EM),  # an arrow takes no script of its own
    ("ELB → 인스턴스 → RDS", 2 * AUTOSPACE_EM + ASIAN_SPACE_EXTRA_EM),
])
def test_autospace_of_known_text(text: str, expected: float) -> None:
    assert autospace_em(text) == pytest.approx(expected)


def test_autospace_equals_the_rule_on_random_mixed_text() -> None:
    alphabet = "가나 한글AbC-/\t→★。，ＡＢ\u3000\u2003x1.😀ㄱ\u1100\n"
    chance = random.Random(7)
    for _ in range(20000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 12)))
        assert autospace_em(text) == pytest.approx(reference_autospace(text)), repr(text)


def test_asian_characters() -> None:
    assert all(is_asian(c) for c in "가ㄱ\u1100漢。，Ａ")
    assert not any(is_asian(c) for c in "Aé→ 1😀")
