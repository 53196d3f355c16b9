"""Rebuilds redo only what changed: an edited chapter draws no diagram, an edited diagram only
itself; measured text widths are kept for the next build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import build, slide_title
from pptx import Presentation

import studydeck.diagrams.cache as diagram_cache


def forbid_drawing(monkeypatch: pytest.MonkeyPatch, allowed: tuple[str, ...] = ()) -> list[str]:
    """Make drawing any diagram not in `allowed` fail the test; give the names drawn."""
    drawn: list[str] = []
    draw = diagram_cache._draw

    def checked_draw(job: diagram_cache._Job) -> str | None:
        assert job.name in allowed, f"diagram '{job.name}' was drawn again"
        drawn.append(job.name)
        return draw(job)

    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("the diagram renderer was called")

    monkeypatch.setattr(diagram_cache, "_draw", checked_draw)
    if not allowed:
        monkeypatch.setattr(diagram_cache, "render_diagram", no_render)
    monkeypatch.setattr(diagram_cache.os, "cpu_count", lambda: 1)  # draw in this process
    return drawn


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_editing_a_chapter_draws_no_diagram(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(mini_copy)
    edit(mini_copy / "chapters" / "alpha.yaml", "title: 글머리표", "title: 고친 글머리표")
    forbid_drawing(monkeypatch)
    result = build(mini_copy)
    assert "0 diagrams drawn" in result.stdout
    deck = Presentation(str(mini_copy / "output" / "deck.pptx"))
    assert "고친 글머리표" in [slide_title(slide) for slide in deck.slides]


def test_editing_one_diagram_draws_only_that_one(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagrams = mini_copy / "diagrams"
    shutil.copy(diagrams / "flow.yaml", diagrams / "other.yaml")
    with (mini_copy / "chapters" / "beta.yaml").open("a", encoding="utf-8") as chapter:
        chapter.write("  - {type: diagram, title: 다른 그림, diagram: other}\n")
    assert "2 diagrams drawn" in build(mini_copy).stdout
    edit(diagrams / "other.yaml", "label: 웹 서버", "label: 앱 서버")
    drawn = forbid_drawing(monkeypatch, allowed=("other",))
    assert "1 diagram drawn" in build(mini_copy).stdout
    assert set(drawn) == {"other"}


def test_measured_text_widths_are_kept_for_the_next_build(mini_copy: Path) -> None:
    build(mini_copy)
    cache = mini_copy / "output" / ".cache" / "text-widths.json"
    widths = json.loads(cache.read_text(encoding="utf-8"))["widths"]
    assert "0|글머리표" in widths or any("글머리표" in key for key in widths)
    first = (mini_copy / "output" / "deck.pptx").read_bytes()
    build(mini_copy)  # measures nothing new: the same deck
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is measured again
    build(mini_copy)
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    assert json.loads(cache.read_text(encoding="utf-8"))["widths"] == widths
