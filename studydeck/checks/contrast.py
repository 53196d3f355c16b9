"""Theme colours too faint for text on the deck's background: WCAG 2.x contrast, at least 4.5:1.

The writer darkens (or lightens) such a colour for text and keeps it for fills; this says so.
"""

from __future__ import annotations

from studydeck.errors import Problem
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, luminance, readable
from studydeck.schema.models import Deck
from studydeck.source.yaml_reader import SourceFile

TEXT_COLORS = ("primary", "accent", "text", "muted")  # theme colours text is set in


def theme_contrast_problems(deck: Deck, source: SourceFile) -> list[Problem]:
    """Give a warning for each theme colour too faint for text on the deck's background."""
    colors = deck.theme.colors
    background = colors.background
    problems = []
    for name in TEXT_COLORS:
        color = getattr(colors, name)
        ratio = contrast_ratio(color, background)
        if ratio >= MINIMUM_RATIO:
            continue
        chosen = readable(color, background)
        shade = "darkened" if luminance(chosen) < luminance(color) else "lightened"
        line, column = source.position(("theme", "colors", name))
        problems.append(Problem(
            source.path, line, column,
            f"text in the {name} colour {color} would have {ratio:.1f}:1 contrast on {background}; "
            f"it is {shade} to {chosen} for text ({contrast_ratio(chosen, background):.1f}:1), "
            "fills keep it",
            f"choose a colour for '{name}' with at least {MINIMUM_RATIO:g}:1 contrast on the "
            "background to see it unchanged", "warning"))
    return problems
