"""A warm rebuild reuses the unchanged slides and still writes a cold build's bytes.

Each test edits a copy of a project after a first build, rebuilds it (warm: output/ kept), builds
the same sources cold in another folder, and compares the decks byte for byte.
"""

from __future__ import annotations

import marshal
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI, build, copy_project

from studydeck.layout.planned import PlannedSlide
from studydeck.pptx import writer
from studydeck.source import sealed

SLIDES_KEPT = Path("output") / ".cache" / "slides"


def rebuilt_after(tmp_path: Path, edit: Callable[[Path], None], *options: str,
                  deck: str = "deck.pptx") -> tuple[bytes, bytes]:
    """Give (warm rebuild after `edit`, cold build of the edited sources elsewhere)."""
    project = copy_project(MINI, tmp_path / "warm")
    build(project, *options)
    edit(project)
    build(project, *options)
    cold = copy_project(project, tmp_path / "elsewhere" / "cold")
    build(cold, *options)
    written = Path("output") / deck
    return (project / written).read_bytes(), (cold / written).read_bytes()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def retitle_beta(project: Path) -> None:
    replace_in(project / "chapters" / "beta.yaml", "title: 둘째 챕터", "title: 둘째 챕터 (고침)")


def add_slide_to_alpha(project: Path) -> None:
    """One more slide in the first chapter: every later slide, notes page and picture moves."""
    replace_in(project / "chapters" / "alpha.yaml", "slides:\n", "slides:\n"
               "  - type: bullets\n    title: New slide, English 🙂\n    bullets: [one, two]\n")


def lengthen_alpha(project: Path) -> None:
    """Alpha takes longer: beta's section slide shows later clock times."""
    replace_in(project / "chapters" / "alpha.yaml", "minutes: 10", "minutes: 12")


def recolor_deck(project: Path) -> None:
    replace_in(project / "deck.yaml", "language: ko\n",
               "language: ko\ntheme:\n  colors: {primary: '#AA3300'}\n")


def own_notes_template(project: Path) -> None:
    folder = project / "templates" / "notes"
    folder.mkdir(parents=True)
    (folder / "quiz.md.j2").write_text("정답: {{ slide.answer }}번 — my own notes", "utf-8")


@pytest.mark.parametrize("edit", [retitle_beta, add_slide_to_alpha, lengthen_alpha,
                                  recolor_deck, own_notes_template])
def test_a_warm_rebuild_after_an_edit_gives_a_cold_builds_bytes(
        tmp_path: Path, edit: Callable[[Path], None]) -> None:
    warm, cold = rebuilt_after(tmp_path, edit)
    assert warm == cold


def test_a_chapter_export_rebuilt_warm_gives_a_cold_builds_bytes(tmp_path: Path) -> None:
    warm, cold = rebuilt_after(tmp_path, add_slide_to_alpha, "--chapter", "beta",
                               deck="chapters/beta.pptx")
    assert warm == cold


def test_only_the_edited_slides_are_written_again(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project)
    before = (project / "output" / "deck.pptx").read_bytes()
    written: list[PlannedSlide] = []
    add_slide = writer._add_slide

    def recording(*args: object) -> object:
        written.append(args[-1])  # type: ignore[arg-type]
        return add_slide(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "_add_slide", recording)
    build(project)
    assert written == []  # nothing changed: every slide, the title and agenda too, is kept
    assert (project / "output" / "deck.pptx").read_bytes() == before
    retitle_beta(project)
    build(project)
    # a chapter's title shows on its section slide and in the agenda, nowhere else
    assert [(item.kind, item.title) for item in written] == [("agenda", ""),
                                                               ("section", "둘째 챕터 (고침)")]
    written.clear()
    replace_in(project / "chapters" / "beta.yaml", "bullets: [가, 나]", "bullets: [가, 나, 마]")
    build(project)
    assert [item.title for item in written] == ["둘로 나누기"]  # the one slide edited


def test_a_damaged_entry_is_written_again(tmp_path: Path) -> None:
    def damage(project: Path) -> None:
        kept = sorted(path for path in (project / SLIDES_KEPT).iterdir()
                      if path.stem in ("alpha", "beta"))  # the title's and agenda's are hashed
        assert [path.name for path in kept] == ["alpha.deck", "beta.deck"]
        version, key, slides = marshal.loads(sealed.read_sealed(kept[0], "deck") or b"")
        wrong = [(slide_key, (b"<p:sld/>", "content", [("rId1", "x", "chart", "")], b""), widths)
                 for slide_key, _, widths in slides]
        kept[0].write_bytes(sealed.seal("deck", marshal.dumps((version, key, wrong))))  # ours
        kept[1].write_bytes(b"\x00not marshal")

    warm, cold = rebuilt_after(tmp_path, damage)
    assert warm == cold


def test_a_changed_diagram_picture_is_shown_not_the_kept_one(tmp_path: Path) -> None:
    def redraw_smaller(project: Path) -> None:
        replace_in(project / "diagrams" / "flow.yaml", "direction: LR", "direction: TB")

    warm, cold = rebuilt_after(tmp_path, redraw_smaller)
    assert warm == cold


def test_the_deck_is_whole_after_the_cache_folder_is_removed(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project)
    before = (project / "output" / "deck.pptx").read_bytes()
    shutil.rmtree(project / SLIDES_KEPT)
    build(project)
    assert (project / "output" / "deck.pptx").read_bytes() == before
