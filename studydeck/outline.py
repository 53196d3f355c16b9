"""The deck's slides in order: generated slides, chapter slides, continuations and steps.

Whether a slide's text fits is decided here, before anything is rendered or written: a bullet
list or table too long for one slide continues on more slides, and a frame that cannot fit at
all is reported with the place in the YAML that holds its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from studydeck.checks.generated_fit import generated_slide_problems
from studydeck.errors import DeckError, Problem
from studydeck.highlight import page_steps
from studydeck.layout import geometry as g
from studydeck.layout.check import (
    Sizes,
    deck_sizes,
    slide_overflows,
    steps_fit_beside,
    title_fits,
)
from studydeck.layout.code_lines import CODE_FLOOR, code_pages, too_wide_line
from studydeck.layout.fit import (
    TITLE_FLOOR,
    column_shares,
    split_bullets,
    split_table,
)
from studydeck.project.loading import Project
from studydeck.schema.models import (
    AnySlide,
    BulletsSlide,
    Chapter,
    CodeSlide,
    DiagramFile,
    DiagramSlide,
    ImageSlide,
    QuizSlide,
    RecapSlide,
    SlideBase,
    TableSlide,
)
from studydeck.source.yaml_reader import SourceFile
from studydeck.words import Words, words_for

GENERATED_KINDS = ("title", "agenda", "section")
SHORTEN = "shorten the text, or split it over more slides in the chapter file"


@dataclass(frozen=True)
class Position:
    """Where a slide stands: in the deck, and within its chapter (both counting from 1)."""

    number: int
    total: int
    in_chapter: int
    chapter_total: int


@dataclass(frozen=True)
class PlannedSlide:
    """One slide to write: its kind, what it shows, and where it stands."""

    kind: str
    title: str
    chapter: Chapter | None = None
    slide: SlideBase | None = None
    diagram: DiagramFile | None = None
    image: Path | None = None
    step: int | None = None
    position: Position = Position(0, 0, 0, 0)
    notes: str = ""
    continues: str = ""  # on a continuation slide: the first line of its notes

    @property
    def is_content(self) -> bool:
        """Tell whether this is a chapter's own slide (not title, agenda or section)."""
        return self.kind not in GENERATED_KINDS


@dataclass(frozen=True)
class Outline:
    """The planned slides, and what does not fit (errors) or continues (warnings)."""

    slides: list[PlannedSlide]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


@dataclass(frozen=True)
class _Place:
    """What planning a chapter slide needs: the deck's words and sizes, the slide's YAML."""

    words: Words
    sizes: Sizes
    source: SourceFile | None
    index: int

    def problem(self, location: tuple[str | int, ...], message: str, hint: str,
                severity: str = "error") -> Problem:
        if self.source is None:
            return Problem(Path("?"), 1, 1, message, hint, severity)
        line, column = self.source.position(("slides", self.index, *location))
        return Problem(self.source.path, line, column, message, hint, severity)


def select_chapters(project: Project, chapter_ids: list[str] | None) -> list[Chapter]:
    """Give the chapters to build: all, or those named, in deck order."""
    chapters = [item.chapter for item in project.chapters]
    if not chapter_ids:
        return chapters
    return [chapter for chapter in chapters if chapter.id in chapter_ids]


def plan_slides(project: Project, chapters: list[Chapter]) -> list[PlannedSlide]:
    """Give every slide of the deck in order, with positions filled in."""
    return plan_outline(project, chapters).slides


def plan_outline(project: Project, chapters: list[Chapter]) -> Outline:
    """Give every slide of the deck in order, and every problem of fit found on the way."""
    deck = project.deck
    words = words_for(deck.language)
    font = deck.theme.font
    sizes = deck_sizes(font.size, font.title_size, font.min_size)
    sources = {item.chapter.id: item.source for item in project.chapters}
    problems = list(generated_slide_problems(project, chapters, words, sizes))
    slides = [
        PlannedSlide(kind="title", title=deck.title),
        PlannedSlide(kind="agenda", title=""),
    ]

    def plan_chapter(chapter: Chapter) -> None:
        slides.append(PlannedSlide(kind="section", title=chapter.title, chapter=chapter))
        for index, slide in enumerate(chapter.slides):
            place = _Place(words, sizes, sources.get(chapter.id), index)
            slide, moved = _walkthrough_on_slides(project, place, slide)
            problems.extend(moved)
            problems.extend(_check_slide(project, place, slide))
            planned = _chapter_slide(project, chapter, slide)
            continued, found = _continue(place, planned)
            slides.extend(continued)
            problems.extend(found)

    for chapter in chapters:
        plan_chapter(chapter)
    return Outline(_number(slides), problems)


def _walkthrough_on_slides(project: Project, place: _Place,
                           slide: AnySlide) -> tuple[AnySlide, list[Problem]]:
    """Give a walkthrough whose step captions do not fit beside its diagram one slide a step."""
    steps = _step_captions(project, slide)
    if not (isinstance(slide, DiagramSlide) and slide.walkthrough is True and steps):
        return slide, []
    if steps_fit_beside(steps, bool(slide.caption), place.sizes):
        return slide, []
    warning = place.problem(("walkthrough",), f"slide '{slide.title}': the {len(steps)} step "
                                              "captions do not fit beside the diagram at "
                                              f"{place.sizes.floor:g} pt; each step gets a "
                                              "slide of its own",
                            "write `walkthrough: slides` to say so, or shorten the captions",
                            "warning")
    return slide.model_copy(update={"walkthrough": "slides"}), [warning]


def _chapter_slide(project: Project, chapter: Chapter, slide: AnySlide) -> list[PlannedSlide]:
    planned = PlannedSlide(kind=slide.type, title=slide.title, chapter=chapter, slide=slide)
    if isinstance(slide, ImageSlide):
        return [replace(planned, image=project.paths.project_file(slide.image))]
    if not isinstance(slide, DiagramSlide):
        return [planned]
    diagram = project.diagrams[slide.diagram]
    planned = replace(planned, diagram=diagram)
    if slide.walkthrough != "slides":
        return [planned]
    return [planned] + [replace(planned, step=index) for index in range(len(diagram.spec.steps))]


def _continue(place: _Place, planned: list[PlannedSlide]) -> tuple[list[PlannedSlide],
                                                                    list[Problem]]:
    """Give the slide and its continuation slides, when its bullets or rows need more room."""
    first = planned[0]
    slide = first.slide
    if isinstance(slide, BulletsSlide | RecapSlide):
        pages = split_bullets(slide.bullets, g.BODY, place.sizes.body, place.sizes.floor)
        copies: list[SlideBase] = [slide.model_copy(update={"bullets": page})
                                   for page in pages or []]
        what = "a bullet"
    elif isinstance(slide, CodeSlide):
        slides = _continued_code(place, first, slide)
        return slides, _continued_warning(place, first, len(slides))
    elif isinstance(slide, TableSlide):
        size = max(place.sizes.body - 2, place.sizes.floor)
        shares = slide.widths or column_shares(slide.columns, slide.rows, g.BODY, size)
        tables = split_table(slide.columns, slide.rows, g.BODY, size, place.sizes.floor, shares)
        # every page keeps the whole table's columns
        copies = [slide.model_copy(update={"rows": rows, "widths": list(shares)})
                  for rows in tables or []]
        what = "a table row"
    else:
        return planned, []
    if not copies:
        return planned, [place.problem((), f"slide '{first.title}': {what} does not fit on a "
                                           f"slide even at {place.sizes.floor:g} pt",
                                       SHORTEN)]
    return _continuations(place, first, copies), _continued_warning(place, first, len(copies))


def _continued_code(place: _Place, first: PlannedSlide, slide: CodeSlide) -> list[PlannedSlide]:
    """Give a code slide and the slides its lines continue on, numbered on from `start`."""
    lines = slide.lines
    area, _ = g.caption_split(bool(slide.caption))
    last = slide.start + len(lines) - 1 if slide.line_numbers else None
    if too_wide_line(lines, area, last) is not None:
        return [first]  # reported by _check_slide
    _, pages = code_pages(lines, area, last, place.sizes.body)
    if len(pages) == 1:
        return [first]
    copies: list[SlideBase] = []
    offset = 0
    for count in pages:
        start = slide.start + offset
        steps = page_steps(slide.step_lines, start, start + count - 1)
        copies.append(slide.model_copy(update={"code": "\n".join(lines[offset:offset + count]),
                                               "start": start, "steps": steps}))
        offset += count
    return _continuations(place, first, copies)


def _code_problems(place: _Place, slide: CodeSlide) -> Iterator[Problem]:
    area, _ = g.caption_split(bool(slide.caption))
    last = slide.start + len(slide.lines) - 1 if slide.line_numbers else None
    index = too_wide_line(slide.lines, area, last)
    if index is None:
        return
    problem = place.problem(("code",), f"slide '{slide.title}': code line "
                            f"{slide.start + index} is too long to fit even at {CODE_FLOOR} pt",
                            "break the line (or shorten names); code never wraps on a slide")
    yield replace(problem, line=problem.line + index + _block_scalar_offset(place, problem.line))


def _block_scalar_offset(place: _Place, line: int) -> int:
    """Give 1 when the YAML value at `line` is a block scalar (`|`): its text starts below."""
    if place.source is None:
        return 0
    try:
        text = place.source.path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return 0
    value = text.split(":", 1)[1].strip() if ":" in text else text.strip()
    return 1 if value[:1] in ("|", ">") else 0


def _continuations(place: _Place, first: PlannedSlide,
                   copies: list[SlideBase]) -> list[PlannedSlide]:
    title = continued_title(first.title, place.words)
    note = place.words.continues_from.format(title=first.title)
    slides = [replace(first, slide=copies[0])]
    for copy in copies[1:]:
        shown = copy.model_copy(update={"title": title, "notes": ""})
        slides.append(replace(first, title=title, slide=shown, continues=note))
    return slides


def continued_title(title: str, words: Words) -> str:
    """Give the title of a slide that continues the slide titled `title`."""
    return f"{title} {words.continued}"


def _continued_warning(place: _Place, first: PlannedSlide, pages: int) -> list[Problem]:
    if pages == 1:
        return []
    more = pages - 1
    title = continued_title(first.title, place.words)
    problems = [place.problem((), f"slide '{first.title}' does not fit; it continues on {more} "
                                  f"more slide{'s' if more > 1 else ''}",
                              f"the continuation is titled '{title}'; shorten the slide or "
                              "split it yourself to choose where it breaks", "warning")]
    if not title_fits(title, place.sizes):
        problems.append(place.problem(("title",), f"the title '{title}' does not fit even at "
                                                  f"{TITLE_FLOOR} pt", "shorten the title"))
    return problems


def _check_slide(project: Project, place: _Place, slide: AnySlide) -> Iterator[Problem]:
    title = slide.title or (place.words.quiz if isinstance(slide, QuizSlide) else "")
    for shown in _titles(project, slide, title):
        if not title_fits(shown, place.sizes):
            yield place.problem(("title",), f"the title '{shown}' does not fit even at "
                                            f"{TITLE_FLOOR} pt", "shorten the title")
            break
    if isinstance(slide, CodeSlide):
        yield from _code_problems(place, slide)
    steps = _step_captions(project, slide)
    for overflow in slide_overflows(slide, place.sizes, place.words.explanation, steps):
        # "cannot" reads right after "the caption" and "the left column's bullets" alike
        yield place.problem(overflow.location, f"slide {place.index + 1} ('{title}'): "
                                               f"{overflow.what} cannot fit, even at "
                                               f"{overflow.floor or place.sizes.floor:g} pt",
                            overflow.hint)


def _titles(project: Project, slide: AnySlide, title: str) -> list[str]:
    steps = _step_captions(project, slide)
    if isinstance(slide, DiagramSlide) and slide.walkthrough == "slides":
        return [title, f"{title} ({len(steps)}/{len(steps)})"]
    return [title]


def _step_captions(project: Project, slide: AnySlide) -> list[str]:
    if not isinstance(slide, DiagramSlide) or slide.diagram not in project.diagrams:
        return []
    return [step.caption for step in project.diagrams[slide.diagram].spec.steps]


def _number(slides: list[PlannedSlide]) -> list[PlannedSlide]:
    chapter_totals: dict[str, int] = {}
    for slide in slides:
        if slide.chapter is not None:
            chapter_totals[slide.chapter.id] = chapter_totals.get(slide.chapter.id, 0) + 1
    numbered: list[PlannedSlide] = []
    seen: dict[str, int] = {}
    for number, slide in enumerate(slides, start=1):
        chapter_id = slide.chapter.id if slide.chapter else ""
        seen[chapter_id] = seen.get(chapter_id, 0) + 1
        position = Position(
            number=number,
            total=len(slides),
            in_chapter=seen[chapter_id] if slide.chapter else 0,
            chapter_total=chapter_totals.get(chapter_id, 0),
        )
        numbered.append(replace(slide, position=position))
    return numbered


def checked_outline(project: Project, chapters: list[Chapter]) -> tuple[list[PlannedSlide],
                                                                        list[Problem]]:
    """Give the planned slides and the warnings; raises DeckError when some text cannot fit."""
    outline = plan_outline(project, chapters)
    if outline.errors:
        raise DeckError(outline.problems)
    return outline.slides, outline.warnings
