"""`validate` is `build` without writing: the same problems (warnings included), the same slides.

Every fixture deck is validated, then built: stderr (every problem and the summary line) must be
the same, and so must the slide count; `plan` counts the slides the build writes. The broken
decks of tests/fixtures/invalid are compared the same way in tests/test_errors.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, run_cli

DECKS = sorted(path.parent.name for path in FIXTURES.glob("*/deck.yaml"))
LONG_TITLES = FIXTURES / "long-titles"


def _count(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found, text
    return int(found.group(1))


@pytest.mark.parametrize("deck", DECKS)
def test_validate_prints_exactly_what_build_prints(deck: str, tmp_path: Path) -> None:
    project = copy_project(FIXTURES / deck, tmp_path / deck)
    checked = run_cli("validate", "--project", project)
    assert not (project / "output").exists() or not (project / "output" / "deck.pptx").exists()
    built = run_cli("build", "--project", project)
    assert checked.exit_code == built.exit_code == 0, built.output
    assert checked.stderr == built.stderr
    slides = _count(r"wrote output/deck\.pptx: (\d+) slides", built.stdout)
    assert _count(r"ok: \d+ chapters?, (\d+) slides?", checked.stdout) == slides
    plan = run_cli("plan", "--project", project)
    rows = [int(n) for n in re.findall(r"│\s*\d+\s*│[^│]*│\s*(\d+)\s*│", plan.stdout)]
    assert sum(rows) + 2 == slides, plan.stdout  # and the title slide and the agenda


def test_a_strangers_long_titles_build_with_one_warning_each(tmp_path: Path) -> None:
    project = copy_project(LONG_TITLES, tmp_path / "long")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert ": error: " not in err
    # 130 characters wrap to three lines at 28 pt: no warning; 238 shrink, said once, at the title
    assert err.count("is longer than 3 lines at 28 pt") == 1
    assert re.search(r"chapters/prep\.yaml:23:12: warning: slide 2: the title 'What the on-call "
                     r".*' is longer than 3 lines at 28 pt; it is written at 2\d pt\n    hint: at "
                     r"28 pt a title holds about \d+ of its 238 characters", err), err
    # a continuation never repeats its slide's problem
    assert err.count("Twenty-five things 🎉' does not fit") == 1
    assert "(cont.)' does not fit" not in err
    warnings = err.count(": warning: ")
    assert err.splitlines()[-1] == f"{warnings} warnings found"
    strict = run_cli("build", "--strict", "--project", project)
    assert strict.exit_code == 1 and "--strict" in strict.stderr
