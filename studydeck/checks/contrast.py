"""Theme colours too faint for text on the deck's background: WCAG 2.x contrast, at least 4.5:1.

The writer darkens (or lightens) such a colour for text and keeps it for fills; this says so.
`rendered_contrast` measures the same on a rendered page, as an independent checker would:
against what is really drawn behind the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, luminance, readable
from studydeck.project.loading import Project
from studydeck.schema.models import Deck
from studydeck.source.yaml_reader import SourceFile

if TYPE_CHECKING:  # a rendered page is read by the tests and exports, not by validate
    from PIL import Image

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


# --- text on a template's bands and backgrounds --------------------------------------------

# the colour each area's text is written in (geometry.PageAreas' names → deck colour names)
AREA_COLORS = {"title": "primary", "title_slide_title": "primary", "section_title": "primary",
               "body": "text", "section_label": "accent", "title_slide_subtitle": "muted",
               "title_slide_byline": "muted", "footer": "muted", "slide_number": "muted",
               "back_link": "muted"}


def template_contrast_problems(project: Project) -> list[Problem]:
    """Give one warning listing the text colours too faint on what the template draws behind
    them (its bands, background colour or picture), and what the writer turns them into."""
    if project.template is None:
        return []
    from studydeck.pptx.template import checkable_template as usable  # keeps `validate` fast
    from studydeck.pptx.template import template_page_areas as areas_of  # keeps it fast
    from studydeck.pptx.theme import template_colors, template_theme_look  # keeps it fast

    template = usable(project.template)
    if template is None:
        return []  # loading the project says what is wrong with the template
    areas = areas_of(template)
    body = areas.background_of("body")
    colors = template_colors(project.deck, template_theme_look(template), body)
    problems = [*_uneven_problems(project, areas.uneven), *_card_problems(project, areas)]
    changed = []
    for area, name in AREA_COLORS.items():
        behind, color = areas.background_of(area), colors[name]
        # on the body's own background the theme's colours are adjusted silently, as ever
        if behind and behind != body and contrast_ratio(color, behind) < MINIMUM_RATIO:
            changed.append(f"{name} {color} on {behind} ({area.replace('_', ' ')}, "
                           f"{contrast_ratio(color, behind):.1f}:1) becomes "
                           f"{readable(color, behind)}")
    if not changed:
        return problems
    source = project.deck_source
    line, column = source.position(("theme", "template"))
    return [Problem(source.path, line, column,
                    "text would be too faint on the template's backgrounds and is adjusted: "
                    + "; ".join(changed),
                    "choose theme.colors that read at 4.5:1 on the template's bands, or keep "
                    "the adjusted shades", "warning"), *problems]


def _uneven_problems(project: Project, uneven: tuple[tuple[str, str, str], ...]
                     ) -> list[Problem]:
    """Give one warning naming the areas whose background runs from dark to light so far that
    no text colour reads at 4.5:1 on all of it (a light glow in a dark backdrop)."""
    if not uneven:
        return []
    source = project.deck_source
    line, column = source.position(("theme", "template"))
    areas = "; ".join(f"{area.replace('_', ' ')} (from {dark} to {light})"
                      for area, dark, light in uneven)
    return [Problem(source.path, line, column,
                    "the template's background runs from dark to light behind text, so no "
                    f"text colour reads at 4.5:1 on all of it: {areas}",
                    "choose a template that puts its text on an even background (or a panel)",
                    "warning")]


def _card_problems(project: Project, areas: g.PageAreas) -> list[Problem]:
    """Give one warning naming the title slide's lines set on a card (no text colour reads at
    4.5:1 on what the template draws behind them: a mid-tone picture)."""
    if not areas.backed:
        return []
    source = project.deck_source
    line, column = source.position(("theme", "template"))
    lines = ", ".join(name.removeprefix("title_slide_") for name in areas.backed)
    return [Problem(source.path, line, column,
                    "no text colour reads at 4.5:1 on what the template's title slide draws "
                    f"behind its {lines} (as dark as it is light): they are set on a card in "
                    f"{areas.background_of(areas.backed[0])}, the colour of its content pages",
                    "choose a template whose title slide leaves its text a light or dark part, "
                    "or keep the card", "warning")]


# --- contrast as a reader sees it: on a rendered page ----------------------------------------

GLYPH_PIXELS = 4  # a colour drawn on this many of a text box's pixels may be the text's


def rendered_contrast(page: Image.Image, box: tuple[int, int, int, int]) -> float | None:
    """Give the contrast of the text in `box` (pixels: left, top, right, bottom) on a rendered
    page: its most common colour is what is behind, the colour of the most contrast that covers
    a few of its pixels is the text's (anti-aliased edges only blend the two). None when the box
    holds one colour only (no text was drawn there)."""
    pixels = page.crop(box).convert("RGB")
    # no more colours than pixels: a larger limit makes Pillow clear a table that large
    counted: list[tuple[int, Any]] = pixels.getcolors(pixels.width * pixels.height) or []
    if len(counted) < 2:
        return None
    background = _hex(max(counted, key=lambda item: item[0])[1])
    candidates = [_hex(color) for count, color in counted if count >= GLYPH_PIXELS]
    return max(contrast_ratio(color, background) for color in candidates)


def _hex(color: Any) -> str:
    return "".join(f"{channel:02X}" for channel in color)
