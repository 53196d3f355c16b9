"""The deck's look, resolved once from deck.yaml: fonts, sizes, colours, language, words."""

from __future__ import annotations

from dataclasses import dataclass, replace

from studydeck.layout.check import deck_sizes
from studydeck.layout.fit import BODY_FLOOR
from studydeck.layout.fonts import deck_typefaces
from studydeck.schema.models import ColorTheme, Deck
from studydeck.words import Words, words_for


@dataclass(frozen=True)
class DeckStyle:
    latin: str
    east_asian: str
    lang: str
    body_size: float
    title_size: float
    colors: ColorTheme
    words: Words
    code_latin: str = "Consolas"  # inline `code` and code slides (LibreOffice: DejaVu Sans Mono)
    code_east_asian: str = "D2Coding"  # … Hangul in code (LibreOffice: Noto Sans Mono CJK KR)
    body_floor: float = BODY_FLOOR  # the size body text shrinks to, at the smallest
    heading_latin: str = ""  # titles' typefaces where a template's theme sets other ones
    heading_east_asian: str = ""
    # RRGGBB → the theme's scheme colour it is (tx1, tx2, accent1, bg1): written as a reference
    # to it, so that changing the theme in PowerPoint recolours the deck (studydeck's own theme)
    scheme: tuple[tuple[str, str], ...] = ()
    # RRGGBB the theme's hyperlink colour (hlink) is, which viewers draw web links in; '' unknown
    link: str = ""

    def for_titles(self) -> DeckStyle:
        """Give the style titles are written with: the heading typefaces, if any."""
        return replace(self, latin=self.heading_latin or self.latin,
                       east_asian=self.heading_east_asian or self.east_asian)


def deck_style(deck: Deck) -> DeckStyle:
    """Give the style every slide builder uses."""
    words = words_for(deck.language)
    typefaces = deck_typefaces(deck)
    font = deck.theme.font
    sizes = deck_sizes(font.size, font.title_size, font.min_size)
    return DeckStyle(
        latin=typefaces.latin,
        east_asian=typefaces.east_asian,
        lang=words.lang_tag,
        body_size=sizes.body,
        title_size=sizes.title,
        body_floor=sizes.floor,
        colors=deck.theme.colors,
        words=words,
    )
