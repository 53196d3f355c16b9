"""Every check of a validated deck, behind the one function that `validate` and `build` both run.

Loading (studydeck.project) has already refused what does not validate: files, the schema, the
names that must name something. What is checked here is how the deck will read: contrast of the
theme's text colours, characters no font has, whether the text fits (found while planning the
slides, as continuing a slide depends on it) and, once a build has drawn them, the diagrams'
labels. Whatever validate and build report beyond the loading's own warnings comes from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from studydeck.checks.contrast import template_contrast_problems, theme_contrast_problems
from studydeck.checks.fonts import font_problems
from studydeck.checks.glyphs import coverage_problems
from studydeck.checks.legibility import ShownDiagram, legibility_problems
from studydeck.errors import Problem
from studydeck.project.loading import Project

if TYPE_CHECKING:  # the pictures' cache draws with Graphviz: `validate` never loads it
    from studydeck.diagrams.cache import DiagramImages


@dataclass(frozen=True)
class Drawn:
    """What a build drew: the pictures, and the slides that show them (one list per deck)."""

    decks: Sequence[Sequence[ShownDiagram]]
    images: dict[str, DiagramImages]
    native_problems: list[Problem]  # what laying out the diagrams drawn as shapes found
    native_sizes: dict[str, float] = field(default_factory=dict)  # name → smallest label, pt


def deck_problems(project: Project, exported: list[str] | None, planning: list[Problem],
                  drawn: Drawn | None = None) -> list[Problem]:
    """Give every problem the checks find in the validated project, in the order they show.

    `exported`: the chapters built (None: all). `planning`: the problems found while planning
    the slides (what does not fit). `drawn`: what a build drew (validate draws nothing).
    """
    shown = [item.source for item in project.chapters
             if exported is None or item.chapter.id in exported]
    problems = [
        *theme_contrast_problems(project.deck, project.deck_source),
        *template_contrast_problems(project),
        *coverage_problems(project.deck, [project.deck_source, *shown]),
        *font_problems(project),
        *planning,
    ]
    if drawn is not None:
        problems += drawn.native_problems
        problems += [problem for slides in drawn.decks
                     for problem in legibility_problems(slides, drawn.images,
                                                        drawn.native_sizes)]
    return problems
