"""Fonts a deck names that this machine does not have, or that cannot show the deck's script.

A font deck.yaml names (theme.font) or its template's theme names that fontconfig cannot find is
drawn with a substitute in every export: one warning at its line says which, and how to install
the font. A template font that has no letters of the deck's script (DejaVu Sans for Korean) is
replaced for that text by the deck's own East Asian font: one warning names both.
"""

from __future__ import annotations

from studydeck.errors import Problem
from studydeck.layout.fonts import STAND_INS, find_face, is_installed
from studydeck.project.loading import Project

INSTALL_HINT = ("install it (copy its files to ~/.local/share/fonts and run `fc-cache`; on "
                "Debian or Ubuntu look for a fonts-… package), or name an installed font in "
                "theme.font; `studydeck doctor` lists the deck's fonts")


def font_problems(project: Project) -> list[Problem]:
    """Give a warning per font the deck or its template names that is missing or unfit."""
    deck, source = project.deck, project.deck_source
    problems: list[Problem] = []
    named: dict[str, tuple[str, ...]] = {}
    for field in sorted(deck.theme.font.model_fields_set & {"latin", "east_asian"}):
        named.setdefault(getattr(deck.theme.font, field), ("theme", "font", field))
    for face, place in named.items():
        if _missing_here(face):
            line, column = source.position(place)
            problems.append(Problem(source.path, line, column, _missing(face, "font"),
                                    INSTALL_HINT, "warning"))
    if project.template is not None:
        problems += _template_font_problems(project, set(named))
    return problems


def _template_font_problems(project: Project, already: set[str]) -> list[Problem]:
    from studydeck.pptx.template import checkable_template  # keeps `validate` fast
    from studydeck.pptx.theme import script_face, template_theme_look  # keeps `validate` fast

    deck, source = project.deck, project.deck_source
    template = checkable_template(project.template)
    if template is None:
        return []  # loading the project says what is wrong with the template
    look = template_theme_look(template)
    chosen = deck.theme.font.model_fields_set
    faces = [*([] if "latin" in chosen else [look.body_latin, look.heading_latin]),
             *([] if "east_asian" in chosen else [look.body_east_asian, look.heading_east_asian])]
    line, column = source.position(("theme", "template"))
    problems = []
    for face in dict.fromkeys(face for face in faces if face and face not in already):
        if _missing_here(face):
            problems.append(Problem(source.path, line, column,
                                    _missing(face, "the template's font"), INSTALL_HINT,
                                    "warning"))
        elif is_installed(face) and not script_face(face, deck) and face in (look.body_east_asian,
                                                       look.heading_east_asian):
            problems.append(Problem(
                source.path, line, column,
                f"the template's font {face} has no letters of the deck's language "
                f"({deck.language}): that text is written in {deck.theme.font.east_asian} "
                "instead", "set theme.font.east_asian to a font with those letters to choose "
                "another", "warning"))
    return problems


def _missing_here(face: str) -> bool:
    """Tell whether `face` is neither installed nor stood in for by its metric twin (Carlito for
    Calibri, Liberation Sans for Arial: text keeps its line breaks)."""
    if is_installed(face):
        return False
    found = find_face(face)
    twin = STAND_INS.get(face.casefold(), "")
    return not (found is not None and twin and found.family.casefold() == twin.casefold())


def _missing(face: str, what: str) -> str:
    found = find_face(face)
    instead = found.family if found is not None else "whatever the viewer has"
    return f"{what} {face} is not installed here: text in it is drawn with {instead} instead"
