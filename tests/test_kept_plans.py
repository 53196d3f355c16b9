"""A rebuild plans again only the chapters whose plan could differ, and reads again only inline
Markdown it has not seen: what it writes is byte for byte what a cold build writes."""

from __future__ import annotations

import io
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import build, copy_project, slide_title
from pptx import Presentation
from pptx.slide import Slide

import studydeck.outline as outline
from studydeck import richtext
from studydeck.source import kept_outlines

OUTLINES = Path("output") / ".cache" / "planned-chapters.marshal"
SPANS = Path("output") / ".cache" / "inline-markdown.marshal"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def planned_chapters(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the chapter of each slide planned from here on (not taken from the kept plans)."""
    planned: list[str] = []
    plan_slide = outline._plan_slide

    def recording(planning: object, slide: object, chapter: outline.Chapter) -> object:
        planned.append(chapter.id)
        return plan_slide(planning, slide, chapter)  # type: ignore[arg-type]

    monkeypatch.setattr(outline, "_plan_slide", recording)
    return planned


def cold_build_bytes(project: Path, tmp_path: Path) -> bytes:
    """Give the deck a first build of `project`'s sources writes (in a folder of its own)."""
    cold = copy_project(project, tmp_path / "cold")
    build(cold)
    return (cold / "output" / "deck.pptx").read_bytes()


def deck_bytes(project: Path) -> bytes:
    return (project / "output" / "deck.pptx").read_bytes()


def test_a_rebuild_plans_only_the_edited_chapter_again(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini_copy)
    assert (mini_copy / OUTLINES).is_file()
    planned = planned_chapters(monkeypatch)
    build(mini_copy)
    assert planned == []  # nothing changed: every chapter's plan is kept
    edit(mini_copy / "chapters" / "beta.yaml", "id: beta", "id: beta\n# a comment, moving lines")
    build(mini_copy)
    assert set(planned) == {"beta"}
    assert deck_bytes(mini_copy) == cold_build_bytes(mini_copy, tmp_path)


def test_a_deck_wide_change_plans_every_chapter_again(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini_copy)
    planned = planned_chapters(monkeypatch)
    edit(mini_copy / "deck.yaml", "language: ko", "language: ko\ntheme: {font: {size: 28}}")
    build(mini_copy)
    assert set(planned) == {"alpha", "beta"}
    assert deck_bytes(mini_copy) == cold_build_bytes(mini_copy, tmp_path)


def test_a_renamed_chapter_shows_on_its_section_slide_and_the_agenda(
        mini_copy: Path, tmp_path: Path) -> None:
    build(mini_copy)
    edit(mini_copy / "chapters" / "alpha.yaml", "title: 첫째 챕터", "title: 이름을 바꾼 챕터")
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    texts = [_texts(slide) for slide in prs.slides]
    assert any("이름을 바꾼 챕터" in text and "첫째 챕터" not in text for text in texts[1:2])
    assert "이름을 바꾼 챕터" in [slide_title(slide) for slide in prs.slides]
    assert not any("첫째 챕터" in text for text in texts)
    assert deck_bytes(mini_copy) == cold_build_bytes(mini_copy, tmp_path)


def _texts(slide: Slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _code_chapter(project: Path, chapter_id: str, code: list[str]) -> None:
    lines = "".join(f"      {line}\n" for line in code)
    (project / "chapters" / f"{chapter_id}.yaml").write_text(
        f"id: {chapter_id}\ntitle: Code {chapter_id}\nminutes: 5\nslides:\n"
        f"  - type: code\n    title: Listing {chapter_id}\n    language: python\n"
        f"    code: |\n{lines}", encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + f"  - {chapter_id}.yaml\n",
                    encoding="utf-8")


def _code_sizes(project: Path) -> dict[str, set[float]]:
    prs = Presentation(str(project / "output" / "deck.pptx"))
    sizes: dict[str, set[float]] = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name == "Code":
                sizes[slide_title(slide)] = {run.font.size.pt for paragraph in
                                             shape.text_frame.paragraphs for run in paragraph.runs
                                             if run.font.size is not None}
    return sizes


def test_code_slides_keep_one_size_when_another_chapters_code_shrinks(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _code_chapter(mini_copy, "first", ["total = 1", "print(total)"])
    _code_chapter(mini_copy, "second", ["x = 1", "print(x)"])
    build(mini_copy)
    before = _code_sizes(mini_copy)
    assert before["Listing first"] == before["Listing second"]
    planned = planned_chapters(monkeypatch)
    long_line = "result = " + " + ".join(f"value_{n}" for n in range(9))  # a smaller size
    edit(mini_copy / "chapters" / "second.yaml", "x = 1", long_line)
    build(mini_copy)
    assert set(planned) == {"second"}  # the first chapter's plan is kept, its size is not
    after = _code_sizes(mini_copy)
    assert after["Listing first"] == after["Listing second"]
    assert max(after["Listing first"]) < max(before["Listing first"])
    assert deck_bytes(mini_copy) == cold_build_bytes(mini_copy, tmp_path)


def test_a_damaged_plan_cache_is_planned_again(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini_copy)
    first = deck_bytes(mini_copy)
    (mini_copy / OUTLINES).write_bytes(b"studydeck-sealed-1 00\n" + b"\x00" * 40)
    planned = planned_chapters(monkeypatch)
    build(mini_copy)
    assert set(planned) == {"alpha", "beta"}
    assert deck_bytes(mini_copy) == first


def test_a_kept_plan_makes_no_object_but_studydecks_own() -> None:
    for foreign in (subprocess.Popen, io.BytesIO, {"call": print}):
        with pytest.raises(pickle.UnpicklingError):
            kept_outlines._OwnObjects(io.BytesIO(pickle.dumps(foreign))).load()


def test_a_rebuild_reads_no_markdown_it_has_read_before(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(mini_copy / "chapters" / "alpha.yaml", "- 첫째 항목", "- 첫째 **굵은** `항목`")
    build(mini_copy)
    assert (mini_copy / SPANS).is_file()
    monkeypatch.setattr(richtext, "_KNOWN", {})  # as a new process starts

    def no_parsing(text: str) -> tuple[richtext.Span, ...]:
        raise AssertionError(f"'{text}' was read again")

    monkeypatch.setattr(richtext, "_parsed", no_parsing)
    edit(mini_copy / "chapters" / "beta.yaml", "id: beta", "id: beta\n# an edit")
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    runs = [run for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert any(run.text == "굵은" and run.font.bold for run in runs)
    monkeypatch.undo()
    assert deck_bytes(mini_copy) == cold_build_bytes(mini_copy, tmp_path)


def test_a_damaged_markdown_cache_is_read_again(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(mini_copy / "chapters" / "alpha.yaml", "- 첫째 항목", "- 첫째 **굵은** 항목")
    build(mini_copy)
    first = deck_bytes(mini_copy)
    (mini_copy / SPANS).write_bytes(b"not sealed")
    monkeypatch.setattr(richtext, "_KNOWN", {})
    read: list[str] = []
    parsed = richtext._parsed

    def recording(text: str) -> tuple[richtext.Span, ...]:
        read.append(text)
        return parsed(text)

    monkeypatch.setattr(richtext, "_parsed", recording)
    build(mini_copy)
    assert "첫째 **굵은** 항목" in read
    assert deck_bytes(mini_copy) == first
