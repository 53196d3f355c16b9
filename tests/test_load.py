"""Loading YAML: where each value and key stands, and how unreadable files are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINI, copy_project

import studydeck.source.yaml_reader as studydeck_load
from studydeck.errors import DeckError, Problem
from studydeck.project.loading import load_project
from studydeck.source import parse_cache
from studydeck.source.folder import ProjectFolder
from studydeck.source.parse_cache import remembered_parses
from studydeck.source.yaml_reader import load_yaml, parse_yaml

DECK = """\
title: 작은 덱
chapters:
  - alpha.yaml
  - beta.yaml
theme:
  font: {latin: Noto Sans, size: 20}
"""


def only_problem(raised: pytest.ExceptionInfo[DeckError]) -> Problem:
    assert len(raised.value.problems) == 1
    return raised.value.problems[0]


def test_values_know_their_line_and_column() -> None:
    source = parse_yaml(Path("deck.yaml"), DECK)
    assert source.data["theme"]["font"] == {"latin": "Noto Sans", "size": 20}
    assert source.position(("title",)) == (1, 8)
    assert source.position(("chapters", 0)) == (3, 5)
    assert source.position(("chapters", 1)) == (4, 5)
    assert source.position(("theme", "font", "size")) == (6, 34)


def test_keys_know_their_place() -> None:
    source = parse_yaml(Path("deck.yaml"), DECK)
    assert source.position(("chapters", "__key__")) == (2, 1)
    assert source.position(("theme", "font", "__key__")) == (6, 3)
    assert source.position(("theme", "font", "latin", "__key__")) == (6, 10)
    assert source.position(("theme", "font", "size", "__key__")) == (6, 28)


def test_an_absent_value_falls_back_to_its_parent() -> None:
    source = parse_yaml(Path("deck.yaml"), DECK)
    assert source.position(("chapters", 9)) == source.position(("chapters",)) == (3, 3)
    assert source.position(("nothing", "here")) == (1, 1)


def test_a_duplicate_key_is_an_error_at_its_second_place() -> None:
    text = "title: 하나\nauthor: 나\ntitle: 둘\n"
    with pytest.raises(DeckError) as raised:
        parse_yaml(Path("deck.yaml"), text)
    problem = only_problem(raised)
    assert (problem.line, problem.column) == (3, 1)
    assert problem.message == "the key 'title' is given twice"
    assert problem.format().startswith("deck.yaml:3:1: error: the key 'title' is given twice")


def test_a_nested_duplicate_key_is_found_too() -> None:
    text = "theme:\n  font:\n    size: 20\n    size: 22\n"
    with pytest.raises(DeckError) as raised:
        parse_yaml(Path("deck.yaml"), text)
    assert (only_problem(raised).line, only_problem(raised).column) == (4, 5)


def test_an_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghij"
    for previous, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    with pytest.raises(DeckError) as raised:
        parse_yaml(Path("bomb.yaml"), "\n".join(lines) + "\n")
    problem = only_problem(raised)
    assert "expands to too many values" in problem.message
    assert "aliases" in problem.hint


def test_a_few_aliases_are_fine() -> None:
    text = "base: &base {heading: 왼쪽, bullets: [가]}\nleft: *base\nright: *base\n"
    source = parse_yaml(Path("x.yaml"), text)
    assert source.data["left"] == source.data["right"] == {"heading": "왼쪽", "bullets": ["가"]}


def test_a_tab_indented_file_is_a_syntax_error_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("title: 덱\nchapters:\n\t- alpha.yaml\n", encoding="utf-8")
    with pytest.raises(DeckError) as raised:
        load_yaml(path)
    problem = only_problem(raised)
    assert problem.line == 3
    assert problem.message.startswith("YAML syntax error:")
    assert "'\\t'" in problem.message


def test_a_file_that_is_not_utf8_is_refused_at_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes("title: 덱\nsubtitle: ".encode() + "부제".encode("euc-kr") + b"\n")
    with pytest.raises(DeckError) as raised:
        load_yaml(path)
    problem = only_problem(raised)
    assert problem.message == "the file is not UTF-8 text"
    assert (problem.line, problem.column) == (2, 11)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "title: 덱\n".encode())
    assert load_yaml(path).data == {"title": "덱"}


@pytest.mark.parametrize("text", ["", "\n\n", "# 아직 비어 있다\n"])
def test_an_empty_chapter_file_is_an_error_at_line_one(text: str, tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "chapters" / "beta.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as raised:
        load_project(ProjectFolder(project))
    problem = only_problem(raised)
    assert problem.path.name == "beta.yaml"
    assert (problem.line, problem.message) == (1, "the file is empty")


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as raised:
        load_yaml(tmp_path / "gone.yaml")
    assert only_problem(raised).message == "the file does not exist"


def test_a_kept_parse_gives_the_values_and_places_of_a_fresh_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates too: marshal cannot hold them, so they are kept as text and read back as dates."""
    path = tmp_path / "deck.yaml"
    path.write_text("date: 2026-11-28\nat: 2026-01-02T03:04:05+09:00\n"
                    "list: [1, 2.5, true, null, x, {deep: [2001-12-14 21:59:43.10 -5]}]\n",
                    encoding="utf-8")
    with remembered_parses(tmp_path / "output", "parser"):
        fresh = load_yaml(path)
    monkeypatch.setattr(studydeck_load, "parse_yaml", None)  # parsing again would fail
    with remembered_parses(tmp_path / "output", "parser"):
        kept = load_yaml(path)
    assert (kept.data, kept.positions, kept.text) == (fresh.data, fresh.positions, fresh.text)
    assert isinstance(kept.data["date"], dt.date) and kept.data["at"].utcoffset()


def test_parses_kept_by_another_parser_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("title: first\n", encoding="utf-8")
    with remembered_parses(tmp_path / "output", "studydeck 1"):
        load_yaml(path)
    with remembered_parses(tmp_path / "output", "studydeck 2"):
        assert parse_cache.recall(studydeck_load._key(path.read_bytes())) is None
