"""Load and validate a whole deck project, collecting every problem before anything is written.

Validating is the schema, the files that must exist and every name that must name something
(chapters, pictures, diagrams and their nodes, code languages, the template); the checks of a
validated deck (contrast, glyphs, fit, legibility) are studydeck.checks'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from studydeck.errors import DeckError, Problem
from studydeck.highlight import language_known, language_names
from studydeck.project.chapter_parts import ChapterParts, chapter_parts, diagrams_shown
from studydeck.project.diagram_files import diagram_problems
from studydeck.richtext import plain_text
from studydeck.schema.explain import suggest, validate_file
from studydeck.schema.models import Deck, DiagramFile, DiagramSpec, is_slug
from studydeck.slides import Chapter
from studydeck.slides.code import CodeSlide
from studydeck.slides.diagram import DiagramSlide
from studydeck.slides.image import ImageSlide
from studydeck.source.bounded_files import archive_problem, picture_problem
from studydeck.source.folder import ProjectFolder, chapter_path
from studydeck.source.yaml_reader import SourceFile, load_yaml

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
TEMPLATE_SUFFIXES = (".pptx", ".potx", ".otp", ".odp")  # Impress files: through LibreOffice


@dataclass(frozen=True)
class ChapterFile:
    """A validated chapter and the file it came from."""

    path: Path
    chapter: Chapter
    source: SourceFile


@dataclass(frozen=True)
class Project:
    """A validated deck project: everything the build needs, checked across files."""

    paths: ProjectFolder
    deck: Deck
    deck_source: SourceFile
    chapters: list[ChapterFile]
    diagrams: dict[str, DiagramFile]
    warnings: list[Problem] = field(default_factory=list)

    def chapter_ids(self) -> list[str]:
        return [c.chapter.id for c in self.chapters]

    @property
    def template(self) -> Path | None:
        """Give the deck's template file (`theme.template`), or None for studydeck's own."""
        entry = self.deck.theme.template
        return self.paths.project_file(entry) if entry else None


def load_project(paths: ProjectFolder, exported: list[str] | None = None) -> Project:
    """Give the validated project; raises DeckError listing every problem in every file."""
    project, problems = read_project(paths, exported)
    if project is None or any(problem.severity == "error" for problem in problems):
        raise DeckError(problems)
    return project


def read_project(paths: ProjectFolder, exported: list[str] | None = None,
                 ) -> tuple[Project | None, list[Problem]]:
    """Give the project as far as it validates, and every problem found (errors and warnings).

    The project is None when deck.yaml does not validate; else it holds the chapters and
    diagrams that do. Each file is checked as far as it can be whatever else failed: a broken
    deck.yaml still lets the chapters it lists be checked, and a broken chapter still takes part
    in the checks across files (chapter ids, diagrams, pictures) with the slides that are fine.

    With `exported` (chapter ids: `build --chapter`), only those chapters' slides are checked
    for what they show (pictures, diagrams, code); every chapter file is still read and
    validated, as the exported deck's agenda and numbers are the whole deck's.
    """
    problems: list[Problem] = []
    deck_source = _load(paths.deck_file, problems)
    deck, deck_problems = validate_file(deck_source, Deck) if deck_source else (None, [])
    problems += deck_problems
    entries = _chapter_entries(paths, deck, deck_source)
    parts = _load_chapters(paths, entries, deck_source or SourceFile(paths.deck_file, None),
                           problems)
    diagram_files = _inside(paths, sorted(paths.diagrams_dir.glob("*.yaml")), problems)
    # which diagrams slides show is known when deck.yaml and every chapter it lists were read
    known = deck_source is not None and bool(entries) and len(parts) == len(entries)
    built = [part for part in parts if exported is None or part.chapter_id in exported]
    used = diagrams_shown(built) if known else None
    diagrams = _load_diagrams(diagram_files, used, problems, exported is not None)
    problems += _check_chapters(parts, diagrams, paths, exported)
    problems += _check_template(paths, deck, deck_source) if deck and deck_source else []
    chapters = [ChapterFile(part.path, part.chapter, part.source)
                for part in parts if part.chapter is not None]
    if deck is None or deck_source is None:
        return None, problems
    warnings = [p for p in problems if p.severity != "error"]
    return Project(paths, deck, deck_source, chapters, diagrams, warnings), problems


def _chapter_entries(paths: ProjectFolder, deck: Deck | None,
                     source: SourceFile | None) -> list[tuple[int, str]]:
    """Give the chapter files to check, with their places in deck.yaml's list.

    They are the ones deck.yaml lists, even if deck.yaml is otherwise wrong; every file in
    chapters/ when deck.yaml cannot be read at all.
    """
    if deck is not None:
        return list(enumerate(deck.chapters))
    if source is None:
        return [(index, f"chapters/{path.name}")
                for index, path in enumerate(sorted(paths.chapters_dir.glob("*.yaml")))]
    listed = source.data.get("chapters") if isinstance(source.data, dict) else None
    if not isinstance(listed, list):
        return []
    return [(index, entry) for index, entry in enumerate(listed)
            if isinstance(entry, str) and entry]


def _inside(paths: ProjectFolder, files: list[Path], problems: list[Problem]) -> list[Path]:
    """Give the files that stay inside the project; a link out of it is a problem."""
    for path in files:
        if not paths.inside(path):
            problems.append(Problem(path, 1, 1, f"{path.name} is a link to a file outside the"
                                    " project", "copy the file into the project instead"))
    return [path for path in files if paths.inside(path)]


def _load(path: Path, problems: list[Problem]) -> SourceFile | None:
    """Give the loaded file, adding its warnings to `problems`; None if it cannot be loaded."""
    try:
        source = load_yaml(path)
    except DeckError as err:
        problems.extend(err.problems)
        return None
    problems.extend(source.warnings)
    return source


def _load_diagrams(files: list[Path], used: set[str] | None, problems: list[Problem],
                   some_chapters: bool) -> dict[str, DiagramFile]:
    """Give the valid diagrams; the problems of one no slide shows (of the chapters built, when
    `some_chapters`) are only warnings."""
    diagrams: dict[str, DiagramFile] = {}
    for path in files:
        found: list[Problem] = []
        source = _load(path, found)
        spec, invalid = validate_file(source, DiagramSpec) if source else (None, [])
        found += invalid
        if spec is not None and source is not None:
            found += diagram_problems(source, spec)
        if spec is not None and all(problem.severity != "error" for problem in found):
            diagrams[path.stem] = DiagramFile(name=path.stem, path=path, spec=spec)
        if used is not None and path.stem not in used:
            found = [_unused(problem, some_chapters) for problem in found]
        problems.extend(found)
    return diagrams


def _unused(problem: Problem, some_chapters: bool) -> Problem:
    if problem.severity != "error":
        return problem
    note = (f"no slide {'of the chapters built ' if some_chapters else ''}shows this diagram, "
            "so the build goes on without it")
    return replace(problem, severity="warning",
                   hint=f"{problem.hint} ({note})" if problem.hint else note)


def _load_chapters(
    paths: ProjectFolder, entries: list[tuple[int, str]], deck_source: SourceFile,
    problems: list[Problem]
) -> list[ChapterParts]:
    parts: list[ChapterParts] = []
    seen: set[Path] = set()
    for index, entry in entries:
        path = chapter_path(paths, entry)
        line, column = deck_source.position(("chapters", index))
        if not paths.inside(path):
            problems.append(
                Problem(deck_source.path, line, column, f"'{entry}' lies outside the project",
                        "name a file under chapters/")
            )
            continue
        if path.resolve() in seen:
            problems.append(Problem(deck_source.path, line, column, f"'{entry}' is listed twice"))
            continue
        seen.add(path.resolve())
        if not path.is_file():
            problems.append(Problem(deck_source.path, line, column,
                                    f"chapter file '{entry}' does not exist",
                                    _missing_chapter_hint(paths, path)))
            continue
        source = _load(path, problems)
        if source is None:
            continue
        chapter, found = validate_file(source, Chapter)
        problems.extend(found)
        parts.append(chapter_parts(path, source, chapter))
    return parts


def _missing_chapter_hint(paths: ProjectFolder, path: Path) -> str:
    known = [p.stem for p in paths.chapters_dir.glob("*.yaml")]
    match = suggest(path.stem, known).replace("'?", ".yaml'?")
    if match or not is_slug(path.stem):
        return match
    return f"create it with: studydeck new chapter {path.stem}"


def _check_chapters(
    chapters: list[ChapterParts], diagrams: dict[str, DiagramFile], paths: ProjectFolder,
    exported: list[str] | None,
) -> list[Problem]:
    problems: list[Problem] = []
    first_file: dict[str, Path] = {}
    for item in chapters:
        chapter_id = item.chapter_id
        if chapter_id is not None and chapter_id in first_file:
            line, column = item.source.position(("id",))
            problems.append(
                Problem(item.path, line, column, f"chapter id '{chapter_id}' is used twice",
                        f"{first_file[chapter_id].name} already uses it; ids must be unique")
            )
        if chapter_id is not None:
            first_file.setdefault(chapter_id, item.path)
        if exported is not None and chapter_id not in exported:
            continue  # not in what is written: its slides' pictures and code do not matter
        problems.extend(_check_diagram_slides(item, diagrams, paths))
        problems.extend(_check_image_slides(item, paths))
        problems.extend(_check_code_slides(item))
        problems.extend(_literal_markdown(item.path, item.source.data, item.source, ()))
    return problems


ESCAPED_MARK = re.compile(r"\\[\\*`]")
NOT_MARKDOWN = frozenset({"notes", "code", "language", "image", "diagram", "type", "id", "steps"})


def _literal_markdown(path: Path, value: object, source: SourceFile,
                      location: tuple[str | int, ...]) -> Iterator[Problem]:
    """Warn where `**` or a backtick stays on the slide: Markdown that CommonMark did not read."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_MARKDOWN:
                yield from _literal_markdown(path, item, source, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _literal_markdown(path, item, source, (*location, index))
    elif isinstance(value, str) and ("**" in value or "`" in value):
        shown = plain_text(ESCAPED_MARK.sub("", value))  # an escaped mark is shown on purpose
        if "**" in shown or "`" in shown:
            yield Problem(path, *source.position(location),
                          "a `**` or backtick here shows literally on the slide",
                          "CommonMark does not close ** between punctuation and a letter: "
                          "write “**DNS**는”, not “**'DNS'**는”; write \\* or \\` to show "
                          "a mark on purpose", "warning")


def _check_code_slides(item: ChapterParts) -> Iterator[Problem]:
    for index, slide in item.slides:
        if isinstance(slide, CodeSlide) and not language_known(slide.language):
            line, column = item.source.position(("slides", index, "language"))
            yield Problem(item.path, line, column,
                          f"{item.slide_name(index)}: unknown language '{slide.language}'",
                          suggest(slide.language.strip().lower(), list(language_names()))
                          or "name a Pygments lexer: python, sql, bash, json, yaml, text …")


def _check_image_slides(item: ChapterParts, paths: ProjectFolder) -> Iterator[Problem]:
    for index, slide in item.slides:
        if isinstance(slide, ImageSlide):
            problem = image_problem(paths, slide.image)
            if problem:
                message, hint = problem
                line, column = item.source.position(("slides", index, "image"))
                yield Problem(item.path, line, column, f"{item.slide_name(index)}: {message}",
                              hint)


def image_problem(paths: ProjectFolder, entry: str) -> tuple[str, str] | None:
    """Give (message, hint) if `entry` is not a picture file inside the project, else None."""
    path = paths.project_file(entry)
    if not paths.inside(path):
        return f"image '{entry}' lies outside the project", "put the picture under images/"
    if not path.is_file():
        return f"image '{entry}' does not exist", "paths are relative to the deck.yaml folder"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return (f"image '{entry}' is not a PNG, JPEG or GIF file",
                "convert it, e.g. SVG to PNG; these open everywhere")
    problem = picture_problem(path)  # nothing decoded: a small file may expand to gigabytes
    return (f"image '{entry}' {problem[0]}", problem[1]) if problem else None


def _check_template(paths: ProjectFolder, deck: Deck, source: SourceFile) -> list[Problem]:
    """Give the problems of `theme.template`: outside the project, missing, not a .pptx."""
    entry = deck.theme.template
    if entry is None:
        return []
    # python-pptx takes 0.1 s to import: keeps `validate` fast for a deck without a template
    from studydeck.pptx.template import template_problems

    place = (source.path, *source.position(("theme", "template")))
    path = paths.project_file(entry)
    if not paths.inside(path):
        return [Problem(*place, f"template '{entry}' lies outside the project",
                        "copy it into the project, e.g. templates/company.pptx")]
    if not path.is_file():
        known = sorted(str(p.relative_to(paths.root)) for p in paths.root.glob("templates/*.pptx"))
        return [Problem(*place, f"template '{entry}' does not exist",
                        suggest(entry, known) or "paths are relative to the deck.yaml folder")]
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        return [Problem(*place, f"template '{entry}' is not a .pptx, .potx, .otp or .odp file",
                        "save it from PowerPoint or LibreOffice Impress as .pptx")]
    too_large = archive_problem(path)  # before python-pptx expands it
    if too_large:
        return [Problem(*place, f"template '{entry}' {too_large[0]}", too_large[1])]
    return [Problem(*place, f"template '{entry}' {message}", hint, severity)
            for severity, message, hint in template_problems(path)]


def _check_diagram_slides(
    item: ChapterParts, diagrams: dict[str, DiagramFile], paths: ProjectFolder
) -> Iterator[Problem]:
    for index, slide in item.slides:
        if not isinstance(slide, DiagramSlide):
            continue
        line, column = item.source.position(("slides", index, "diagram"))
        found = diagrams.get(slide.diagram)
        if found is None and not paths.diagram_file(slide.diagram).is_file():
            yield Problem(
                item.path, line, column,
                f"{item.slide_name(index)}: diagram '{slide.diagram}' not found: there is no "
                f"diagrams/{slide.diagram}.yaml",
                suggest(slide.diagram, sorted(diagrams)),
            )
        elif found is not None and slide.walkthrough and not found.spec.steps:
            line, column = item.source.position(("slides", index, "walkthrough"))
            yield Problem(
                item.path, line, column,
                f"{item.slide_name(index)}: walkthrough needs steps, but "
                f"diagrams/{slide.diagram}.yaml has none",
                "add a 'steps' list to the diagram, or remove 'walkthrough'",
            )
        if slide.walkthrough and slide.bullets:
            line, column = item.source.position(("slides", index, "bullets"))
            yield Problem(item.path, line, column,
                          f"{item.slide_name(index)}: a diagram with a walkthrough has its step "
                          "captions beside it, not bullets",
                          "remove 'bullets' or 'walkthrough' (say it in the notes)")
