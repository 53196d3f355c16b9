"""An edited deck against the deck its sources build now: the texts to write back, the
conflicts, and what stays only in the .pptx."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from studydeck.pptx.source_marks import (
    NOTES_KEY,
    MarkedSlide,
    RunText,
    ShapeText,
    SlideMark,
    digest,
)
from studydeck.pull.markdown import RunLook, as_markdown
from studydeck.pull.new_items import added_bullets
from studydeck.pull.sources import Candidate, SlideSource, what_it_is
from studydeck.pull.yaml_places import Location
from studydeck.richtext import spans

MOVED = 0.01  # of the slide's width: a shape moved or resized by more is reported


@dataclass(frozen=True)
class Edit:
    """A new value for a YAML value, and what it was edited from in the deck."""

    path: Path
    location: Location
    old: str
    new: str
    what: str
    slide: int
    own_notes: bool = False  # notes that came from a template, now the slide's own
    kind: Literal["text", "flow", "insert"] = "text"  # as yaml_places.Change has it
    shown_at: Location | None = None  # where the change line points, when not `location`


@dataclass(frozen=True)
class Conflict:
    """A value edited in the deck whose YAML changed too (or edited twice): left as it is."""

    path: Path
    location: Location
    message: str


@dataclass
class Comparison:
    edits: dict[tuple[Path, Location], Edit] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "slide 4: … (kept only in the .pptx)"
    # (edited, current) slide indexes whose YAML did not change since: their shapes' places
    # (and looks) can be compared
    unchanged: list[tuple[int, int]] = field(default_factory=list)


SourceOf = Callable[[str], SlideSource | None]
NotesFor = Callable[[str, int, str], str]  # (source, part, edited notes) → own notes to write


@dataclass
class Compare:
    """Compares deck slides with the current build's; `source_of` gives a mark's YAML."""

    source_of: SourceOf
    notes_for: NotesFor
    code_typefaces: frozenset[str]
    slide_width: int
    # tells, for an edited slide (by number), the shapes whose moves are judged elsewhere, not
    # kept (a native diagram's labels: moved_nodes)
    judged_elsewhere: Callable[[int], Callable[[str], bool]] = lambda number: lambda key: False
    result: Comparison = field(default_factory=Comparison)

    def run(self, edited: Sequence[MarkedSlide], current: Sequence[MarkedSlide]) -> Comparison:
        now = _by_part(current)
        index_of = {id(slide): index for index, slide in enumerate(current)}
        seen: dict[str, int] = {}
        for number, slide in enumerate(edited, start=1):
            if slide.mark is None:
                self._keep(number, "added by hand")
                continue
            source = slide.mark.source
            seen[source] = seen.get(source, 0) + 1
            built_now = now.get((source, seen[source]))
            yaml = self.source_of(source)
            if built_now is None or yaml is None:
                self._keep(number, "its slide in the YAML is gone, or now splits differently")
                continue
            if self._slide(number, slide, slide.mark, built_now, yaml, seen[source]):
                self.result.unchanged.append((number - 1, index_of[id(built_now)]))
        self._order(edited, current)
        return self.result

    def _slide(self, number: int, slide: MarkedSlide, mark: SlideMark, now: MarkedSlide,
               yaml: SlideSource, part: int) -> bool:
        """Compare one slide; give whether its YAML is as it was when the deck was built."""
        # a slide whose YAML changed since is laid out anew: its shapes' places say nothing
        unchanged = all(_digests(now.shape(key)) == built for key, built in mark.digests.items())
        for key, built in mark.digests.items():
            shape = slide.shape(key)
            if shape is None:
                if key != NOTES_KEY:
                    self._keep(number, f"deleted (or emptied) shape '{key}'")
                continue
            current = now.shape(key)
            if key == NOTES_KEY:
                self._notes(number, shape, current, built, yaml, mark.source, part)
                continue
            if unchanged and not self.judged_elsewhere(number)(key):
                self._geometry(number, shape, current)
            self._shape(number, shape, current, built, yaml)
        for shape in slide.shapes:
            if shape.key not in mark.digests and now.shape(shape.key) is None:
                self._keep(number, f"added shape '{shape.key}'")
        return unchanged

    def _shape(self, number: int, shape: ShapeText, current: ShapeText | None,
               built: tuple[str, ...], yaml: SlideSource) -> None:
        if _digests(shape) == built or (current and _joined(shape) == _joined(current)):
            return  # not edited, or the YAML says what the deck says already (wrapped anew)
        if current is not None and len(current.paragraphs) > 1 and \
                _digests(current) == built and yaml.shows_whole(_joined(current)):
            self._whole(number, shape, current, yaml)
        elif len(shape.paragraphs) == len(built):
            for index, runs in enumerate(shape.paragraphs):
                self._paragraph(number, runs, built[index], current, index, yaml)
        else:
            added = added_bullets(shape, current, built, yaml, self.code_typefaces)
            if added is None:
                self._keep(number, f"paragraphs added or removed in '{shape.key}'")
                return
            for index, runs in added.edited:
                self._paragraph(number, runs, built[index], current, index, yaml)
            for item in added.items:
                self.result.edits[(item.path, item.shown_at)] = Edit(
                    item.path, item.location, "", item.text, item.what, number, kind="insert",
                    shown_at=item.shown_at)

    def _whole(self, number: int, shape: ShapeText, current: ShapeText,
               yaml: SlideSource) -> None:
        """Write back a shape whose one value studydeck wrapped over several paragraphs."""
        found = yaml.match(_joined(current))
        assert found is not None
        candidate, line, before, after = found
        runs = tuple(run for index, paragraph in enumerate(shape.paragraphs)
                     for run in (*((RunText(" "),) if index else ()), *paragraph))
        piece = self._piece(runs, before, after, candidate, current.paragraphs[0])
        if piece is None:
            self._keep(number, f"'{_joined(shape)}' (text studydeck writes itself)")
            return
        self._record(candidate.path, candidate, line, piece, number)

    def _paragraph(self, number: int, runs: tuple[RunText, ...], built: str,
                   current: ShapeText | None, index: int, yaml: SlideSource) -> None:
        text = "".join(run.text for run in runs)
        if digest(text) == built:
            return
        now_runs = current.paragraphs[index] if current and index < len(current.paragraphs) \
            else None
        now_text = "".join(run.text for run in now_runs) if now_runs is not None else None
        if now_text == text:
            return  # the YAML says what the deck says already
        if now_runs is None or now_text is None or digest(now_text) != built:
            found_now = yaml.peek(now_text or "")
            self.result.conflicts.append(Conflict(
                found_now.path if found_now else yaml.path,
                found_now.location if found_now else yaml.prefix,
                f"slide {number}: the YAML now reads '{now_text or ''}' and the deck reads "
                f"'{text}': left as it is; edit one of them"))
            return
        found = yaml.match(now_text)
        if found is None:
            self._keep(number, f"'{text}' (text studydeck writes itself)")
            return
        candidate, line, before, after = found
        new_piece = self._piece(runs, before, after, candidate, now_runs)
        if new_piece is None:
            self._keep(number, f"'{text}' (the words studydeck adds around '{candidate.shown}')")
            return
        self._record(candidate.path, candidate, line, new_piece, number)

    def _piece(self, runs: tuple[RunText, ...], before: str, after: str, candidate: Candidate,
               now_runs: tuple[RunText, ...]) -> str | None:
        text = "".join(run.text for run in runs)
        if not (text.startswith(before) and text.endswith(after)) or \
                len(before) + len(after) > len(text):
            return None
        inner = _sliced(runs, len(before), len(text) - len(after))
        if candidate.raw:
            return "".join(run.text for run in inner)
        shown_bold = [run.bold for run in now_runs if run.text.strip()]
        look = RunLook(bold_anyway=bool(shown_bold) and all(shown_bold) and
                       not any(span.bold for span in spans(candidate.value)),
                       code_typefaces=self.code_typefaces)
        return as_markdown(inner, look)

    def _record(self, path: Path, candidate: Candidate, line: int | None, piece: str,
                number: int) -> None:
        key = (path, candidate.location)
        earlier = self.result.edits.get(key)
        value = earlier.new if earlier else candidate.value
        if line is None:  # a block's final line break is the YAML's, not the slide's
            new = piece + "\n" if value.endswith("\n") and not piece.endswith("\n") else piece
            if earlier and earlier.new != new:
                self.result.conflicts.append(Conflict(
                    path, candidate.location, f"slide {number}: '{candidate.shown}' was edited "
                    f"to '{earlier.new}' on slide {earlier.slide} and to '{new}' here: left as "
                    "it is"))
                return
        else:
            lines = value.split("\n")
            lines[line] = piece
            new = "\n".join(lines)
        if new != candidate.value:
            self.result.edits[key] = Edit(path, candidate.location, candidate.value, new,
                                          what_it_is(candidate.location), number)

    def _notes(self, number: int, shape: ShapeText, current: ShapeText | None,
               built: tuple[str, ...], yaml: SlideSource, source: str, part: int) -> None:
        texts = shape.texts
        if tuple(digest(text) for text in texts) == built:
            return
        now = current.texts if current else []
        if now == texts:
            return
        if tuple(digest(text) for text in now) != built:
            own = yaml.notes
            self.result.conflicts.append(Conflict(
                yaml.path, own.location if own else yaml.prefix,
                f"slide {number}: the notes changed in the YAML and in the deck: left as they "
                "are; edit one of them"))
            return
        edited, shown = "\n".join(texts), "\n".join(now)
        own = next((c for c in yaml.own_notes()), None)
        if own is not None and own.value.rstrip("\n") in shown:
            at = shown.index(own.value.rstrip("\n"))
            before, after = shown[:at], shown[at + len(own.value.rstrip("\n")):]
            if edited.startswith(before) and edited.endswith(after):
                new = edited[len(before):len(edited) - len(after)]
                self._record(own.path, own, None, new, number)
                return
        if own is not None:
            self._keep(number, "notes edited in the part studydeck writes itself")
            return
        new = self.notes_for(source, part, edited)
        location = (*yaml.prefix, "notes")
        self.result.edits[(yaml.path, location)] = Edit(yaml.path, location, "", new, "notes",
                                                        number, own_notes=True)

    def _geometry(self, number: int, shape: ShapeText, current: ShapeText | None) -> None:
        if current is None or shape.box is None or current.box is None:
            return
        if any(abs(a - b) > MOVED * self.slide_width
               for a, b in zip(shape.box, current.box, strict=True)):
            self._keep(number, f"moved or resized '{shape.key}'")

    def _order(self, edited: Sequence[MarkedSlide], current: Sequence[MarkedSlide]) -> None:
        def sources(slides: Sequence[MarkedSlide]) -> list[str]:
            return list(dict.fromkeys(s.mark.source for s in slides if s.mark))
        mine, now = sources(edited), sources(current)
        shared = set(mine) & set(now)
        if [s for s in mine if s in shared] != [s for s in now if s in shared]:
            self.result.kept.append("the slides' order (kept only in the .pptx)")

    def _keep(self, number: int, what: str) -> None:
        self.result.kept.append(f"slide {number}: {what} (kept only in the .pptx)")


def _digests(shape: ShapeText | None) -> tuple[str, ...] | None:
    return tuple(digest(text) for text in shape.texts) if shape is not None else None


def _joined(shape: ShapeText) -> str:
    """Give the shape's text as one line: how a label studydeck wrapped reads in the YAML."""
    return " ".join(text.strip() for text in shape.texts)


def _by_part(slides: Sequence[MarkedSlide]) -> dict[tuple[str, int], MarkedSlide]:
    found: dict[tuple[str, int], MarkedSlide] = {}
    seen: dict[str, int] = {}
    for slide in slides:
        if slide.mark is None:
            continue
        seen[slide.mark.source] = seen.get(slide.mark.source, 0) + 1
        found[(slide.mark.source, seen[slide.mark.source])] = slide
    return found


def _sliced(runs: tuple[RunText, ...], start: int, end: int) -> list[RunText]:
    """Give the runs' characters from `start` to `end`, each run keeping its look."""
    found: list[RunText] = []
    at = 0
    for run in runs:
        low, high = max(start - at, 0), min(end - at, len(run.text))
        if low < high:
            found.append(RunText(run.text[low:high], run.bold, run.italic, run.typeface,
                                 run.link))
        at += len(run.text)
    return found
