"""Rebuilds redo only what changed: an edited chapter draws no diagram, an edited diagram only
itself; measured text widths and line counts are kept for the next build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build, run_cli, slide_title
from pptx import Presentation

import studydeck.diagrams.cache as diagram_cache
import studydeck.layout.runs as runs
import studydeck.source.yaml_reader as studydeck_load
from studydeck.source.sealed import read_sealed_json


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


def kept_widths(cache: Path) -> object:
    data = read_sealed_json(cache, "text-widths")  # sealed: only this user's builds wrote it
    assert data is not None
    return data["widths"]


def test_measured_text_widths_are_kept_for_the_next_build(mini_copy: Path) -> None:
    build(mini_copy)
    cache = mini_copy / "output" / ".cache" / "text-widths.json"
    widths = kept_widths(cache)
    assert "0|글머리표" in widths or any("글머리표" in key for key in widths)
    first = (mini_copy / "output" / "deck.pptx").read_bytes()
    build(mini_copy)  # measures nothing new: the same deck
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is measured again
    build(mini_copy)
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    assert kept_widths(cache) == widths


def test_a_rebuild_breaks_no_paragraph_into_lines_again(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(mini_copy)
    first = (mini_copy / "output" / "deck.pptx").read_bytes()
    counted: list[object] = []
    count_lines = runs._count_lines

    def recording(*args: object) -> int:
        counted.append(args)
        return count_lines(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runs, "_count_lines", recording)
    build(mini_copy)
    assert counted == []  # every line count was kept from the first build
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    edit(mini_copy / "chapters" / "alpha.yaml", "title: 글머리표", "title: 고친 글머리표")
    build(mini_copy)
    assert 0 < len(counted) < 10  # the edited title's lines, at the sizes tried


# --- parsed YAML kept between builds (studydeck/parse_cache.py) ---------------------------


PARSED = Path("output") / ".cache" / "parsed-yaml.marshal"


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record which files are parsed (not taken from the kept parses); give that list."""
    parsed: list[Path] = []
    parse = studydeck_load.parse_yaml

    def recording(path: Path, text: str) -> studydeck_load.SourceFile:
        parsed.append(path)
        return parse(path, text)

    monkeypatch.setattr(studydeck_load, "parse_yaml", recording)
    return parsed


def test_a_rebuild_parses_only_the_edited_file(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini_copy)
    first = (mini_copy / "output" / "deck.pptx").read_bytes()
    parsed = forbid_parsing(monkeypatch)
    build(mini_copy)
    assert parsed == []
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    edit(mini_copy / "chapters" / "beta.yaml", "title: 둘째 챕터", "title: 둘째 챕터 고침")
    build(mini_copy)
    assert [path.name for path in parsed] == ["beta.yaml"]
    assert "둘째 챕터 고침" in [slide_title(s) for s in
                              Presentation(str(mini_copy / "output" / "deck.pptx")).slides]


def test_a_kept_parse_reports_at_the_same_places(mini_copy: Path) -> None:
    """A schema mistake in an unchanged file, and a warning from parsing it (a control
    character removed), are reported the same from a kept parse as from a fresh one."""
    alpha = mini_copy / "chapters" / "alpha.yaml"
    edit(alpha, "    title: 글머리표", "    title: \"글머리\\u0007표\"")
    warned = build(mini_copy)
    assert "removed control characters a slide cannot show (U+0007)" in warned.stderr
    assert (mini_copy / PARSED).is_file()
    assert build(mini_copy).stderr == warned.stderr
    edit(alpha, "minutes: 10", "minutes: ten")
    fresh = run_cli("build", "--project", mini_copy)
    (mini_copy / "deck.yaml").write_text((mini_copy / "deck.yaml").read_text(encoding="utf-8")
                                         + "\n", encoding="utf-8")  # alpha.yaml kept as parsed
    kept = run_cli("build", "--project", mini_copy)
    assert fresh.exit_code == kept.exit_code == 1
    assert "alpha.yaml:4:" in fresh.stderr and kept.stderr == fresh.stderr


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", b"\xe3" + b"\x00" * 40])
def test_a_damaged_parse_cache_is_parsed_again(mini_copy: Path, damage: bytes) -> None:
    build(mini_copy)
    first = (mini_copy / "output" / "deck.pptx").read_bytes()
    (mini_copy / PARSED).write_bytes(damage)
    build(mini_copy)
    assert (mini_copy / "output" / "deck.pptx").read_bytes() == first
    assert (mini_copy / PARSED).read_bytes() != damage


def test_validate_reads_the_kept_parses_but_writes_nothing(mini_copy: Path) -> None:
    assert run_cli("validate", "--project", mini_copy).exit_code == 0
    assert not (mini_copy / "output").exists()
