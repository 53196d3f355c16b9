"""Orchestrates a build: load → validate → diagrams → outline → notes → write."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING

from studydeck.checks.run import Drawn, deck_problems
from studydeck.errors import DeckError, Problem, UsageMistake
from studydeck.layout import text
from studydeck.layout.fonts import Typefaces, deck_typefaces
from studydeck.layout.geometry import DEFAULT_AREAS, PageAreas, using_areas
from studydeck.layout.text import measuring_with
from studydeck.layout.width_cache import remembered_widths
from studydeck.notes.render import render_all_notes
from studydeck.outline import PlannedSlide, checked_outline, plan_outline, select_chapters
from studydeck.parallel import Helper, Result, split_for_helper
from studydeck.project.loading import Project, read_project
from studydeck.schema.explain import suggest
from studydeck.schema.models import DiagramFile
from studydeck.session_plan import chapter_schedule
from studydeck.slides import Chapter, write_slide
from studydeck.slides.diagram import DiagramSlide, native_areas
from studydeck.slides.image import ImageSlide
from studydeck.source.folder import ProjectFolder
from studydeck.source.kept_outlines import remembered_outlines
from studydeck.source.kept_slides import CACHE_DIR, SlideStore
from studydeck.source.kept_spans import remembered_spans
from studydeck.source.parse_cache import remembered_parses
from studydeck.source.yaml_reader import parser_identity

if TYPE_CHECKING:  # drawing and writing are imported by the stages that do it
    from studydeck.diagrams.cache import DiagramImages
    from studydeck.diagrams.native import NativeDiagram
    from studydeck.pptx.writer import DeckSources


@dataclass
class Progress:
    """Callbacks the command line uses to show what a long build is doing."""

    step: Callable[[str], None] = lambda name: None
    diagrams_to_check: Callable[[int], None] = lambda count: None
    diagram_rendered: Callable[[str], None] = lambda name: None


@dataclass
class BuildResult:
    path: Path
    slide_count: int
    rendered: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sources: frozenset[Path] = frozenset()  # every file the deck was built from
    clocks: dict[str, str] = field(default_factory=dict)  # chapter title → "19:00–19:10"


def build_deck(
    paths: ProjectFolder,
    chapter_ids: list[str] | None = None,
    *,
    force_diagrams: bool = False,
    progress: Progress | None = None,
) -> list[BuildResult]:
    """Build the whole deck, or one file per named chapter; give what was written."""
    with (remembered_widths(paths, keep_all=bool(chapter_ids)),
          remembered_parses(paths.output_dir, parser_identity()),
          remembered_outlines(paths.output_dir, keep_all=bool(chapter_ids)),
          remembered_spans(paths.output_dir, keep_all=bool(chapter_ids))):
        return _build(paths, chapter_ids, force_diagrams, progress or Progress())


def _build(paths: ProjectFolder, chapter_ids: list[str] | None, force_diagrams: bool,
           progress: Progress) -> list[BuildResult]:
    progress.step("validate")
    project = validated_project(paths, chapter_ids)
    _check_chapter_ids(project, chapter_ids)
    with measuring_with(_typefaces(project)), using_areas(_page_areas(project)):
        return _build_project(project, chapter_ids, force_diagrams, progress)


def _typefaces(project: Project) -> Typefaces:
    """Give the typefaces the deck's text is written in: deck.yaml's, or its template's."""
    if project.template is None:
        return deck_typefaces(project.deck)
    # python-pptx takes 0.1 s to import: keeps `validate` fast for a deck without a template
    from studydeck.pptx.theme import template_typefaces

    return template_typefaces(project.template, project.deck)


def _page_areas(project: Project) -> PageAreas:
    """Give where slides put their parts: studydeck's own grid, or the template's places."""
    if project.template is None:
        return DEFAULT_AREAS
    from studydeck.pptx.template import template_page_areas  # keeps `validate` fast, as above

    return template_page_areas(project.template)


def _build_project(project: Project, chapter_ids: list[str] | None, force_diagrams: bool,
                   progress: Progress) -> list[BuildResult]:
    # writing (python-pptx): keeps `validate` fast, which does not write
    from studydeck.pptx.writer import DeckSources

    paths = project.paths
    targets = _targets(paths, chapter_ids)
    progress.step("notes")
    decks = [
        (select_chapters(project, ids), target)
        for ids, target in targets
    ]
    outlines = [outline_on_two_cores(project, chapters) for chapters, _ in decks]
    planned_decks = [render_all_notes(project, slides) for slides, _ in outlines]
    chosen_ids = [c.id for chapters, _ in decks for c in chapters]
    progress.step("diagrams")
    rendered: list[str] = []
    images, natives, drawn = _draw(project, chosen_ids, planned_decks, paths.diagram_output_dir,
                                   force_diagrams, progress, rendered)
    planning = [warning for _, warnings in outlines for warning in warnings]
    found = deck_problems(project, chapter_ids, planning, drawn)
    warnings = _reported(project, found)
    schedule = chapter_schedule(project)
    results: list[BuildResult] = []
    store = SlideStore(paths.output_dir / CACHE_DIR, "chapter" if chapter_ids else "deck")
    for (chapters, target), planned in zip(decks, planned_decks, strict=True):
        progress.step(f"slides: {target.name}")
        sources = DeckSources(project.deck, chapters, images, schedule, project.template,
                              natives, [item.chapter for item in project.chapters],
                              write_slide=write_slide)
        written = write_on_two_cores(sources, planned, target, store)
        results.append(BuildResult(written, len(planned), rendered, warnings,
                                   project_sources(project), {
                                       item.chapter.title: schedule[item.chapter.id]
                                       for item in project.chapters
                                       if item.chapter.id in schedule}))
    return results


def outline_on_two_cores(project: Project, chapters: list[Chapter],
                         ) -> tuple[list[PlannedSlide], list[Problem]]:
    """Give checked_outline's planned slides and warnings; when no text was measured before (a
    cold build, new fonts), a helper measures the later chapters' text meanwhile."""
    split = split_for_helper([len(chapter.slides) for chapter in chapters])
    helper = None
    if split < len(chapters) and not text.remembered_count():
        helper = Helper.start(lambda: _widths_measured(project, chapters[split:]))
    if helper is not None:
        try:
            plan_outline(project, chapters[:split])  # measures this part, as the helper does
            text.remember_more(helper.result())
        finally:
            helper.stop()
    return checked_outline(project, chapters)


def _widths_measured(project: Project, chapters: list[Chapter]) -> Result:
    known = text.measured_count()
    plan_outline(project, chapters)
    return text.measured_since(known)


def write_on_two_cores(sources: DeckSources, planned: list[PlannedSlide], target: Path,
                       store: SlideStore) -> Path:
    """Give write_deck's path; the later chapters no earlier build kept are written and kept by
    a helper meanwhile, and taken from the store when the writing reaches them."""
    from studydeck.pptx.writer import write_deck  # python-pptx: keeps `validate` fast

    handed = _handed_chapters(planned, store)
    helper = Helper.start(lambda: _kept(sources, planned, store, handed)) if handed else None
    if helper is not None:
        store.expect(handed, helper.result)
    try:
        return write_deck(sources, planned, target, store)
    finally:
        if helper is not None:
            helper.stop()


def _handed_chapters(planned: list[PlannedSlide], store: SlideStore) -> list[str]:
    """Give the chapters for a helper to write: the later ones of those the store has nothing
    for, a little under half of their slides (the slides it hands over are added here too)."""
    sizes: dict[str, int] = {}
    for item in planned:
        if item.chapter is not None and not store.has_entry(item.chapter.id):
            sizes[item.chapter.id] = sizes.get(item.chapter.id, 0) + 1
    split = split_for_helper(list(sizes.values()), share=0.45)
    return list(sizes)[split:]


def _kept(sources: DeckSources, planned: list[PlannedSlide], store: SlideStore,
          chapter_ids: list[str]) -> Result:
    from studydeck.pptx.writer import keep_chapters  # python-pptx: keeps `validate` fast

    keep_chapters(sources, planned, store, chapter_ids)
    return {"kept": chapter_ids}


def project_sources(project: Project) -> frozenset[Path]:
    """Give every file a build of `project` reads: YAML, pictures, the template."""
    slides = [slide for item in project.chapters for slide in item.chapter.slides]
    pictures = [project.paths.project_file(s.image) for s in slides if isinstance(s, ImageSlide)]
    return frozenset([
        project.paths.deck_file,
        *(item.path for item in project.chapters),
        *(diagram.path for diagram in project.diagrams.values()),
        *([project.template] if project.template else []),
        *pictures,
    ])


def _draw(project: Project, chosen_ids: list[str], planned_decks: list[list[PlannedSlide]],
          out_dir: Path, force: bool, progress: Progress, rendered: list[str],
          ) -> tuple[dict[str, DiagramImages], dict[str, NativeDiagram], Drawn]:
    """Give the diagrams the chosen chapters show drawn into `out_dir` (pictures, and shapes'
    layouts), and what the checks read of them."""
    from studydeck.diagrams.native import (  # Graphviz: keeps `--help` fast
        fitted_attributes,
        lay_out_all,
    )

    shown = [item.chapter for item in project.chapters if item.chapter.id in chosen_ids]
    native = native_areas(project.deck, shown, project.diagrams)
    # pictures are laid out for their areas as the shapes are
    fitted = fitted_attributes(native_areas(project.deck, shown, project.diagrams, "picture"),
                               out_dir)
    images = _render(out_dir, _diagrams_used(project, chosen_ids), force, progress, rendered,
                     frozenset(diagram.name for diagram, _ in native),
                     accent=project.deck.theme.colors.accent, graph_attrs=fitted)
    natives, problems = lay_out_all(native, out_dir)
    sizes = {name: drawn.smallest_points for name, drawn in natives.items()}
    return images, natives, Drawn(planned_decks, images, problems, sizes)


@dataclass(frozen=True)
class CheckedProject:
    """What `validate` gives: the project (its warnings, all a build shows) and the number of
    slides a build writes."""

    project: Project
    slide_count: int


def plan_project(paths: ProjectFolder) -> tuple[Project, list[PlannedSlide]]:
    """Give the validated project and every slide a build of it writes, in order (nothing
    written): what `plan` counts."""
    with remembered_parses(paths.output_dir, parser_identity(), read_only=True):
        project = validated_project(paths)
    with (remembered_widths(paths, read_only=True), measuring_with(_typefaces(project)),
          using_areas(_page_areas(project))):
        slides, _ = checked_outline(project, select_chapters(project, None))
    return project, slides


def check_project(paths: ProjectFolder) -> CheckedProject:
    """Give the project checked as a build checks it, every slide planned, its notes rendered
    and its diagrams drawn, but into a scratch folder: nothing of the project's is written."""
    with remembered_parses(paths.output_dir, parser_identity(), read_only=True):
        project = validated_project(paths)  # validate writes nothing: kept parses are only read
    with (remembered_widths(paths, read_only=True), measuring_with(_typefaces(project)),
          using_areas(_page_areas(project)), TemporaryDirectory(prefix="studydeck-") as scratch):
        slides, warnings = outline_on_two_cores(project, select_chapters(project, None))
        planned = render_all_notes(project, slides)
        chosen = [item.chapter.id for item in project.chapters]
        _, _, drawn = _draw(project, chosen, [planned], _scratch_copy(paths, Path(scratch)),
                            False, Progress(), [])
        found = deck_problems(project, None, warnings, drawn)
    return CheckedProject(replace(project, warnings=_reported(project, found)), len(planned))


def _scratch_copy(paths: ProjectFolder, scratch: Path) -> Path:
    """Give a copy of the deck's drawn diagrams in `scratch`: validate draws only what changed,
    as a build would, and never into the project."""
    copy = scratch / "diagrams"
    source = paths.diagram_output_dir
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, copy, symlinks=True)
    else:
        copy.mkdir()
    return copy


def validated_project(paths: ProjectFolder, exported: list[str] | None = None) -> Project:
    """Give the validated project; raises DeckError listing every problem in every file, and
    what the deck's checks find in the part that validated: one run shows everything."""
    project, problems = read_project(paths, exported)
    if project is None or any(problem.severity == "error" for problem in problems):
        checked = (deck_problems(project, exported, _planning_problems(project, problems))
                   if project is not None else [])
        raise DeckError(list(dict.fromkeys([*problems, *checked])))
    return project


def _planning_problems(project: Project, problems: list[Problem]) -> list[Problem]:
    """Give what planning the chapters without errors finds (a title too long …): shown with
    the other files' errors, so that one run lists everything."""
    wrong = {problem.path for problem in problems if problem.severity == "error"}
    if project.template is not None and project.paths.deck_file in wrong:
        return []  # the template may be the wrong thing: its areas and fonts are unknown
    sound = [item.chapter for item in project.chapters if item.path not in wrong
             and all(project.diagrams.get(slide.diagram) is not None
                     and project.diagrams[slide.diagram].path not in wrong
                     for slide in item.chapter.slides if isinstance(slide, DiagramSlide))]
    with measuring_with(_typefaces(project)), using_areas(_page_areas(project)):
        return plan_outline(project, sound).problems


def _reported(project: Project, found: list[Problem]) -> list[Problem]:
    """Give the warnings to show: the loading's, then the checks', each once; raises DeckError
    when the checks found an error."""
    if any(problem.severity == "error" for problem in found):
        raise DeckError(found)
    return list(dict.fromkeys([*project.warnings, *found]))


def _targets(
    paths: ProjectFolder, chapter_ids: list[str] | None
) -> list[tuple[list[str] | None, Path]]:
    if not chapter_ids:
        return [(None, paths.deck_output)]
    unique = list(dict.fromkeys(chapter_ids))
    return [([cid], paths.chapter_output(cid)) for cid in unique]


def render_diagrams(
    paths: ProjectFolder,
    names: list[str] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[dict[str, DiagramImages], list[str]]:
    """Render the named diagrams (all when none are named); give images and what was drawn."""
    progress = progress or Progress()
    project = validated_project(paths)
    _check_diagram_names(project, names or [])
    chosen = [project.diagrams[n] for n in (names or sorted(project.diagrams))]
    rendered: list[str] = []
    return _render(paths.diagram_output_dir, chosen, force, progress, rendered,
                   accent=project.deck.theme.colors.accent), rendered


def _render(out_dir: Path, diagrams: list[DiagramFile], force: bool, progress: Progress,
            rendered: list[str], base_only: frozenset[str] = frozenset(), *, accent: str,
            graph_attrs: dict[str, dict[str, str]] | None = None,
            ) -> dict[str, DiagramImages]:
    from studydeck.diagrams.cache import render_all  # Graphviz: keeps `validate` fast

    progress.diagrams_to_check(len(diagrams))

    def on_rendered(name: str) -> None:
        rendered.append(name)
        progress.diagram_rendered(name)

    return render_all(diagrams, out_dir, force=force, on_rendered=on_rendered,
                      base_only=base_only, accent="#" + accent.lstrip("#").upper(),
                      graph_attrs=graph_attrs)


def _check_chapter_ids(project: Project, chapter_ids: list[str] | None) -> None:
    known = project.chapter_ids()
    for cid in chapter_ids or []:
        if cid not in known:
            raise UsageMistake("--chapter", _no_such("chapter has the id", cid, known), known,
                               "chapter ids")


def _check_diagram_names(project: Project, names: list[str]) -> None:
    """Raise for a name that is no diagram; a diagram that only warned is an error when named."""
    for name in names:
        if name in project.diagrams:
            continue
        path = project.paths.diagram_file(name)
        problems = [replace(w, severity="error") for w in project.warnings if w.path == path]
        if problems:
            raise DeckError(problems)
        known = sorted(project.diagrams)
        raise UsageMistake("NAMES", _no_such("diagram is named", name, known), known, "diagrams")


def _no_such(what: str, name: str, known: list[str]) -> str:
    hint = suggest(name, known)
    return f"no {what} '{name}'" + (f"; {hint}" if hint else "")


def _diagrams_used(project: Project, chapter_ids: list[str]) -> list[DiagramFile]:
    names: dict[str, None] = {}
    for item in project.chapters:
        if item.chapter.id in chapter_ids:
            for slide in item.chapter.slides:
                if isinstance(slide, DiagramSlide):
                    names[slide.diagram] = None
    return [project.diagrams[name] for name in names]
