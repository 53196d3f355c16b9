"""`pull`: the texts edited in a built deck written back into the YAML they came from."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from studydeck.build import build_deck, plan_project
from studydeck.diagrams.native import NativeDiagram, lay_out_all
from studydeck.errors import DeckError
from studydeck.notes.render import notes_environment, render_notes
from studydeck.pptx.edited import SlideSeen, read_slides_seen
from studydeck.pptx.source_marks import MarkedSlide, read_marked_deck
from studydeck.pptx.style import deck_style
from studydeck.project.loading import Project
from studydeck.pull.compare import Compare, Comparison, Conflict, Edit
from studydeck.pull.looks import changed_looks
from studydeck.pull.moved_nodes import judged_here, moved_nodes
from studydeck.pull.sources import SlideSource
from studydeck.pull.yaml_places import (
    KEY,
    Change,
    Location,
    NotWritable,
    apply_changes,
    is_block,
    line_and_column,
)
from studydeck.slides.diagram import native_areas
from studydeck.source.folder import ProjectFolder


@dataclass
class PullReport:
    """What a pull did (or, dry, would do): one line per change, the diff, what stays."""

    changes: list[str] = field(default_factory=list)
    diff: str = ""
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    own_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _ScratchFolder(ProjectFolder):
    """The project, built into a scratch output folder: the user's output/ stays untouched."""

    scratch: Path = Path()

    @property
    def output_dir(self) -> Path:
        return self.scratch


def pull_deck(paths: ProjectFolder, deck: Path, *, dry_run: bool = False) -> PullReport:
    """Write the texts edited in `deck` back into the project's YAML; give what was done."""
    edited, width = _read(deck)
    if not any(slide.mark for slide in edited):
        raise DeckError.single(deck, "this deck was not made by studydeck (no slide carries "
                                     "studydeck's source marks)",
                               hint="pull reads decks written by `studydeck build`")
    project, planned = plan_project(paths)
    built = _current_build(paths, project)
    seen = read_slides_seen(deck)
    comparison = Compare(_sources(project), _notes_writer(project, planned),
                         _code_typefaces(project), width,
                         lambda number: judged_here(seen[number - 1].nodes, project.diagrams)
                         ).run(edited, built.slides)
    moved = moved_nodes(comparison.unchanged, [slide.nodes for slide in seen],
                        [slide.nodes for slide in built.seen], built.natives, project.diagrams,
                        width)
    comparison.edits.update({(edit.path, edit.location): edit for edit in moved.edits.values()})
    comparison.conflicts += moved.conflicts
    comparison.kept += moved.kept
    comparison.kept += changed_looks(comparison.unchanged, seen, built.seen, width)
    return _written(paths, comparison, dry_run)


def _read(deck: Path) -> tuple[list[MarkedSlide], int]:
    if not deck.is_file():
        raise DeckError.single(deck, "no such deck", hint="build it first, or name the edited "
                                                          ".pptx: `studydeck pull DECK.pptx`")
    try:
        return read_marked_deck(deck)
    except ValueError:
        raise DeckError.single(deck, "this file is not a PowerPoint deck (.pptx)") from None


@dataclass(frozen=True)
class _Built:
    """The deck the sources build now: its slides' texts, what they show beyond their texts
    (native diagrams' nodes, looks, pictures), and those diagrams' layouts."""

    slides: list[MarkedSlide]
    seen: list[SlideSeen]
    natives: dict[str, NativeDiagram]


def _current_build(paths: ProjectFolder, project: Project) -> _Built:
    """Give what the project's sources build now (built in a scratch folder)."""
    with tempfile.TemporaryDirectory(prefix="studydeck-pull-") as scratch:
        drawn = paths.diagram_output_dir
        if drawn.is_dir() and not drawn.is_symlink():
            shutil.copytree(drawn, Path(scratch) / "diagrams", symlinks=True)
        folder = _ScratchFolder(paths.root, Path(scratch))
        results = build_deck(folder)
        slides, _ = read_marked_deck(results[0].path)
        seen = read_slides_seen(results[0].path)
        natives: dict[str, NativeDiagram] = {}
        if any(slide.nodes for slide in seen):  # the layouts the build kept: read, not made
            chapters = [item.chapter for item in project.chapters]
            natives, _ = lay_out_all(native_areas(project.deck, chapters, project.diagrams),
                                     folder.diagram_output_dir)
    return _Built(slides, seen, natives)


def _code_typefaces(project: Project) -> frozenset[str]:
    style = deck_style(project.deck)
    return frozenset({style.code_latin, style.code_east_asian, "DejaVu Sans Mono",
                      "Noto Sans Mono CJK KR", "Courier New"})


def _sources(project: Project) -> Any:
    files = {item.chapter.id: item.path for item in project.chapters}
    data: dict[Path, Any] = {}

    def loaded(path: Path) -> Any:
        if path not in data:
            data[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return data[path]

    def source_of(source: str) -> SlideSource | None:
        owner, _, place = source.rpartition("/")
        if owner == "deck":
            deck_file = project.paths.deck_file
            keys = frozenset({"title", "subtitle"} if place == "title" else ())
            return SlideSource.of(deck_file, loaded(deck_file), (), keys)
        if owner not in files:
            return None
        chapter = loaded(files[owner])
        if place == "section":
            return SlideSource.of(files[owner], chapter, (), frozenset({"title", "objectives"}))
        slides = chapter.get("slides") if isinstance(chapter, dict) else None
        if not place.isdigit() or not isinstance(slides, list) or int(place) >= len(slides):
            return None
        found = SlideSource.of(files[owner], chapter, ("slides", int(place)))
        diagram = slides[int(place)].get("diagram") if isinstance(slides[int(place)], dict) \
            else None
        diagram_file = project.paths.diagram_file(str(diagram)) if diagram else None
        if diagram_file is not None and diagram_file.is_file():
            found.add(diagram_file, loaded(diagram_file))  # node and edge labels, steps
        return found

    return source_of


def _notes_writer(project: Project, planned: list[Any]) -> Any:
    """Give what turns a slide's edited notes into its own `notes:`: the text that, through
    the slide's template, reads as edited (a quiz's template adds the answer after them)."""
    environment = notes_environment(project.paths.notes_templates_dir)

    def notes_for(source: str, part: int, edited: str) -> str:
        matching = [item for item in planned if item.chapter and item.slide and
                    f"{item.chapter.id}/{item.source_index}" == source]
        if len(matching) < part:
            return edited
        item = matching[part - 1]
        lines = edited.split("\n")
        for cut in range(len(lines), 0, -1):
            own = "\n".join(lines[:cut])
            slide = item.slide.model_copy(update={"notes": own})
            if render_notes(environment, project, replace(item, slide=slide)) == edited:
                return own
        return edited

    return notes_for


def _written(paths: ProjectFolder, comparison: Comparison, dry_run: bool) -> PullReport:
    report = PullReport(conflicts=[_conflict_line(paths, conflict)
                                   for conflict in comparison.conflicts], kept=comparison.kept)
    by_file: dict[Path, list[Edit]] = {}
    for edit in comparison.edits.values():
        by_file.setdefault(edit.path, []).append(edit)
    new_texts: dict[Path, str] = {}
    diffs: list[str] = []
    for path, edits in sorted(by_file.items()):
        with path.open(encoding="utf-8", newline="") as file:
            old = file.read()
        try:
            new = apply_changes(old, [Change(edit.location, edit.new, edit.kind)
                                      for edit in edits])
        except NotWritable as error:
            raise DeckError.single(path, f"cannot write the edited text back: {error}",
                                   hint="make this edit in the YAML by hand") from None
        shown = path.relative_to(paths.root).as_posix()
        inserts = [edit.location for edit in edits if edit.kind == "insert"]
        report.changes.extend(_change_line(shown, old, new, edit, inserts) for edit in edits)
        report.own_notes.extend(f"{shown}: slide {e.slide}'s notes came from its template; "
                                "they are now its own `notes:`" for e in edits if e.own_notes)
        new_texts[path] = new
        diffs.append("".join(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            f"a/{shown}", f"b/{shown}")))
    report.diff = "".join(diffs)
    if not dry_run:
        _replace_all(new_texts)
    return report


def _conflict_line(paths: ProjectFolder, conflict: Conflict) -> str:
    text = conflict.path.read_text(encoding="utf-8")
    line, column = line_and_column(text, conflict.location)
    shown = conflict.path.relative_to(paths.root).as_posix()
    return f"{shown}:{line}:{column}: conflict: {conflict.message}"


def _change_line(shown: str, old: str, new: str, edit: Edit,
                 inserts: list[Location]) -> str:
    renamed = edit.location[-1] == KEY  # a key is found by its new name
    location = _after_inserts(edit, inserts)
    line, column = line_and_column(new, (*location[:-2], edit.new, KEY) if renamed
                                   else location)
    if edit.kind == "insert":
        return f"{shown}:{line}:{column}: {edit.what} (new) '{_short(edit.new)}'"
    if edit.kind == "flow":
        return f"{shown}:{line}:{column}: {edit.what} {edit.old or '(new)'} → {edit.new}"
    before, after = edit.old.split("\n"), edit.new.split("\n")
    if len(before) == len(after) > 1 and is_block(new, edit.location):
        index = next(i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b)
        first = new.splitlines()[line] if line < len(new.splitlines()) else ""
        column = len(first) - len(first.lstrip(" ")) + 1  # where the block's lines start
        line += 1 + index  # a block's lines start below its `|`
        return f"{shown}:{line}:{column}: {edit.what} '{before[index]}' → '{after[index]}'"
    if edit.own_notes:
        return f"{shown}:{line}:{column}: notes (new) '{_short(edit.new)}'"
    return f"{shown}:{line}:{column}: {edit.what} '{_short(edit.old)}' → '{_short(edit.new)}'"


def _after_inserts(edit: Edit, inserts: list[Location]) -> Location:
    """Give where the edited value stands once the file's new list items are in: each item
    added before it in a list that holds it moves it one on."""
    found = list(edit.shown_at or edit.location)
    for added in inserts:
        depth = len(added) - 1
        if added == edit.location or len(edit.location) <= depth or \
                edit.location[:depth] != added[:-1]:
            continue
        index, before = edit.location[depth], added[-1]
        own_list = edit.kind == "insert" and len(edit.location) == depth + 1
        if isinstance(index, int) and isinstance(before, int) and (
                before < index or before == index and not own_list):
            found[depth] = int(found[depth]) + 1
    return tuple(found)


def _short(text: str) -> str:
    one_line = " ⏎ ".join(text.rstrip("\n").split("\n"))
    return one_line if len(one_line) <= 80 else one_line[:79] + "…"


def _replace_all(new_texts: dict[Path, str]) -> None:
    """Write every file, or none: each goes to a temporary file first, then all are moved."""
    written: list[tuple[str, Path]] = []
    try:
        for path, text in new_texts.items():
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pull",
                                            dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            os.chmod(temp, path.stat().st_mode & 0o777)
            written.append((temp, path))
    except OSError:
        for temp, _ in written:
            os.unlink(temp)
        raise
    for temp, path in written:
        os.replace(temp, path)
