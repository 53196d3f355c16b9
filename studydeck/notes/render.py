"""Speaker notes: each slide's notes rendered from a sandboxed Jinja2 template."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, MutableMapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from studydeck.errors import DeckError, Problem
from studydeck.layout.planned import PlannedSlide
from studydeck.notes.bounds import BoundedSandbox
from studydeck.notes.clock import TemplateTooSlow
from studydeck.notes.compiled import precompiled_code, sealed_templates
from studydeck.project.loading import Project
from studydeck.richtext import plain_text
from studydeck.slides.registry import notes_template
from studydeck.source.folder import ProjectFolder
from studydeck.words import words_for

DEFAULT_TEMPLATES = Path(__file__).parent.parent / "templates" / "notes"
NOTES_SECONDS = 5.0  # one slide's notes render in milliseconds; this is a runaway loop


class NotesSandbox(BoundedSandbox):
    """The sandbox notes templates run in: bounded in time (clock.py) and size (bounds.py)."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from one folder; a link pointing out of it (to /etc/passwd) is refused."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        folders = [Path(folder).resolve() for folder in self.searchpath]
        if not any(
            Path(filename).resolve().is_relative_to(folder) for folder in folders
        ):
            raise SecurityError(f"'{template}' is a link to a file outside templates/notes/")
        return source, filename, uptodate


class OwnTemplatesLoader(ConfinedLoader):
    """studydeck's own templates, run from the Python compiled with the package (if theirs)."""

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        code = precompiled_code(name, source, filename)
        if code is None:  # edited since `make notes-templates`, or another Jinja2
            return super().load(environment, name, globals)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


def notes_environment(project_templates: Path) -> NotesSandbox:
    """Give the sandboxed environment: the project's templates first, then studydeck's own."""
    environment = NotesSandbox(
        loader=jinja2.ChoiceLoader(
            [
                ConfinedLoader(str(project_templates)),
                OwnTemplatesLoader(str(DEFAULT_TEMPLATES)),
            ]
        ),
        bytecode_cache=sealed_templates(),  # never in the project: compiled code runs as Python
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters["plain"] = plain_text  # slide text without its inline Markdown marks
    return environment


def render_all_notes(project: Project, slides: list[PlannedSlide]) -> list[PlannedSlide]:
    """Give the slides with their notes filled in; raises DeckError listing every failure."""
    _refuse_outside_templates(project.paths)
    environment = notes_environment(project.paths.notes_templates_dir)
    rendered: list[PlannedSlide] = []
    problems: list[Problem] = []
    too_slow: set[str] = set()  # slide kinds whose template ran out of time: not run again
    for slide in slides:
        if slide.kind in too_slow:
            continue
        try:
            rendered.append(replace(slide, notes=render_notes(environment, project, slide)))
        except DeckError as err:
            problems.extend(err.problems)
            if environment.out_of_time:
                too_slow.add(slide.kind)
    if problems:
        raise DeckError(_unique(problems))
    return rendered


def _refuse_outside_templates(paths: ProjectFolder) -> None:
    """Raise DeckError if templates/ or templates/notes/ leads out of the project (a link), as
    chapters/ may not."""
    for folder in (paths.notes_templates_dir.parent, paths.notes_templates_dir):
        if os.path.lexists(folder) and not paths.inside(folder):
            shown = folder.relative_to(paths.root).as_posix()
            raise DeckError.single(folder, f"{shown} lies outside the project (a link to"
                                   f" {folder.resolve()})", hint=f"make {shown} a real folder"
                                   " of the project, or remove it to use studydeck's templates")


def render_notes(environment: NotesSandbox, project: Project, slide: PlannedSlide) -> str:
    """Give the notes text of one slide."""
    name = notes_template(slide.kind)
    try:
        template = environment.get_template(name)
        environment.start_clock(NOTES_SECONDS)
        text = template.render(_context(project, slide))
    except jinja2.TemplateSyntaxError as err:
        raise DeckError.single(_template_path(err.filename, name, project), err.message or "",
                               line=err.lineno, hint="fix the Jinja2 syntax") from None
    except jinja2.TemplateNotFound as err:
        if err.name != name:  # an include, import or extends inside the template
            filename, line = _template_place(err)
            raise DeckError.single(_template_path(filename, name, project),
                                   f"notes template: no template '{err.name}' to include",
                                   line=line, hint="a notes template can use only the files in"
                                   " templates/notes/ (no paths outside it)") from None
        raise DeckError.single(project.paths.notes_templates_dir / name,
                               f"no notes template for slide type '{slide.kind}'",
                               hint=f"create templates/notes/{name}") from None
    except jinja2.UndefinedError as err:
        filename, line = _template_place(err)
        raise DeckError.single(_template_path(filename, name, project),
                               f"notes template: {err.message}", line=line,
                               hint="the variables are deck, chapter, slide, position, words"
                               " and, on diagram slides, diagram") from None
    except TemplateTooSlow as err:
        filename, line = _template_place(err)
        raise DeckError.single(_template_path(filename, name, project),
                               f"notes template: {err.message}", line=line,
                               hint="a loop here runs too long: notes are a few sentences,"
                               " loop over the slide's own items") from None
    except jinja2.TemplateError as err:
        filename, line = _template_place(err)
        raise DeckError.single(_template_path(filename, name, project),
                               f"notes template: {err.message}", line=line) from None
    except Exception as err:  # 1/0, 'a' + 1, range(10**9): the template's mistake, at its line
        filename, line = _template_place(err)
        if filename is None:
            raise  # not raised in a template: studydeck's own bug
        raise DeckError.single(_template_path(filename, name, project),
                               f"notes template: {str(err) or type(err).__name__}", line=line,
                               hint="this expression fails when the notes are written") from None
    return _tidy(f"{slide.continues}\n\n{text}" if slide.continues else text)


def _context(project: Project, slide: PlannedSlide) -> dict[str, Any]:
    return {
        "deck": project.deck,
        "chapters": [item.chapter for item in project.chapters],
        "chapter": slide.chapter,
        "slide": slide.slide,
        "title": slide.title,
        "diagram": slide.diagram.spec if slide.diagram else None,
        "step": slide.step,
        "position": asdict(slide.position),
        "words": dict(_words(project.deck.language)),  # a template may change its own copy
    }


@functools.cache
def _words(language: str) -> dict[str, str]:
    return asdict(words_for(language))  # asdict copies each value: once per language, not slide


def _template_place(err: Exception) -> tuple[str | None, int]:
    """Find the template file and line an error was raised at, from its traceback."""
    tb = err.__traceback__
    place: tuple[str | None, int] = (None, 1)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return place


def _template_path(filename: str | None, name: str, project: Project) -> Path:
    if filename:
        return Path(filename)
    return project.paths.notes_templates_dir / name


def _tidy(text: str) -> str:
    """Collapse runs of blank lines that template blocks leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple[str, int, str], Problem] = {}
    for problem in problems:
        seen.setdefault((str(problem.path), problem.line, problem.message), problem)
    return list(seen.values())
