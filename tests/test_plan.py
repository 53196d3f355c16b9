"""`studydeck plan`: the run sheet of chapters against the clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, usage_error_text


def row(stdout: str, title: str) -> str:
    rows = [line for line in stdout.splitlines() if title in line]
    assert len(rows) == 1, stdout
    return rows[0]


def test_the_run_sheet_follows_the_clock(mini_copy: Path) -> None:
    result = run_cli("plan", "--project", mini_copy, "--start", "19:00")
    assert result.exit_code == 0, result.output
    alpha, beta = row(result.stdout, "첫째 챕터"), row(result.stdout, "둘째 챕터")
    assert alpha.index("19:00") < alpha.index("19:10")
    assert beta.index("19:10") < beta.index("19:25")
    assert result.stdout.index("첫째 챕터") < result.stdout.index("둘째 챕터")
    assert "total: 25 of 30 minutes" in result.stdout
    assert "warning" not in result.output


def test_the_start_defaults_to_the_session_start(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace('"19:00"', '"08:30"'),
                    encoding="utf-8")
    result = run_cli("plan", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "08:30" in row(result.stdout, "첫째 챕터")
    assert "08:55" in row(result.stdout, "둘째 챕터")


def test_chapters_longer_than_the_session_give_a_warning(mini_copy: Path) -> None:
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("minutes: 30", "minutes: 20"),
                    encoding="utf-8")
    result = run_cli("plan", "--project", mini_copy, "--start", "19:00")
    assert result.exit_code == 0, result.output
    assert "deck.yaml:1:1: warning: the chapters take 25 minutes, more than the session's 20" in (
        result.stderr
    )
    assert "hint: shorten a chapter or raise session.minutes" in result.stderr
    assert "total: 25 of 20 minutes" in result.stdout


def test_slides_longer_than_their_chapter_give_a_warning(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "beta.yaml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("    title: 비교\n", "    title: 비교\n    minutes: 20\n"),
                       encoding="utf-8")
    result = run_cli("plan", "--project", mini_copy, "--start", "19:00")
    assert result.exit_code == 0, result.output
    assert "chapters/beta.yaml:4:10: warning: the slides' minutes add up to 20" in result.stderr


@pytest.mark.parametrize("start", ["7pm", "25:00", "19", "19:00:00"])
def test_a_bad_start_time_is_a_usage_error(start: str, mini_copy: Path) -> None:
    result = run_cli("plan", "--project", mini_copy, "--start", start)
    assert (f"Invalid value for '--start': '{start}' is not a time of day; write HH:MM, "
            "e.g. --start 19:00") in usage_error_text(result)
    assert "deck.yaml" not in result.stderr
