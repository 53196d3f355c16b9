"""`doctor`: one line per check, the fix for each missing piece, exit 1 when a build cannot run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Result, run_cli


def doctor(project: Path) -> Result:
    return run_cli("doctor", "--project", project)


def line_of(result: Result, name: str) -> str:
    found = [line for line in result.stdout.splitlines() if f" {name}: " in line]
    assert len(found) == 1, result.output
    return found[0]


def path_with(tmp_path: Path, *tools: str) -> str:
    """Give a PATH holding only links to `tools` (a folder of its own, nothing else)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        assert found is not None, tool
        (folder / tool).symlink_to(found)
    return str(folder)


def test_on_this_machine_everything_is_there(tmp_path: Path) -> None:
    result = doctor(tmp_path)
    assert result.exit_code == 0, result.output
    names = ["python", "python packages", "graphviz", "korean font", "output folder",
             "libreoffice", "pdftoppm", "uno"]
    for name in names:
        assert line_of(result, name).startswith("ok"), result.output
    assert "Noto Sans CJK KR" in line_of(result, "korean font")
    emoji = line_of(result, "emoji font")  # reported either way; an emoji font is optional
    fixes = 0 if emoji.startswith("ok") else 1
    assert result.stdout.count("fix:") == fixes


def test_without_any_tool_the_build_requirements_fail_with_their_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with(tmp_path))
    result = doctor(tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert line_of(result, "graphviz").startswith("missing graphviz: `dot` not found")
    assert line_of(result, "korean font").startswith("missing korean font:")
    assert "fix: sudo apt-get install graphviz" in result.stdout
    assert "fix: sudo apt-get install fonts-noto-cjk fontconfig" in result.stdout
    assert "fix: sudo apt-get install libreoffice-impress" in result.stdout
    assert "fix: sudo apt-get install poppler-utils" in result.stdout
    assert line_of(result, "python").startswith("ok")
    emoji = line_of(result, "emoji font")
    assert emoji.startswith("missing emoji font: none") and "(needed for emoji)" in emoji


def test_missing_export_tools_are_reported_but_do_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with(tmp_path, "dot", "fc-list"))
    result = doctor(tmp_path)
    assert result.exit_code == 0, result.output
    assert line_of(result, "graphviz").startswith("ok")
    assert line_of(result, "korean font").startswith("ok")
    libreoffice = line_of(result, "libreoffice")
    assert libreoffice.startswith("missing") and "(needed for export)" in libreoffice
    assert "fix: sudo apt-get install libreoffice-impress" in result.stdout


def test_an_output_that_is_not_a_folder_is_a_build_problem(tmp_path: Path) -> None:
    (tmp_path / "output").write_text("not a folder", encoding="utf-8")
    result = doctor(tmp_path)
    assert result.exit_code == 1
    assert "is a file, not a folder" in line_of(result, "output folder")
    assert list(tmp_path.iterdir()) == [tmp_path / "output"]


def test_checking_the_output_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "output").mkdir()
    assert doctor(tmp_path).exit_code == 0
    assert list((tmp_path / "output").iterdir()) == []


def test_without_uno_the_export_and_preview_line_names_python3_uno(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studydeck.preview import warm

    monkeypatch.setattr(warm, "SYSTEM_PYTHONS", (str(tmp_path / "no-such-python"),))
    result = doctor(tmp_path)
    assert result.exit_code == 0, result.output
    line = line_of(result, "uno")
    assert line.startswith("missing uno:") and "(needed for export and preview)" in line
    assert "fix: sudo apt-get install python3-uno" in result.stdout


def test_the_decks_fonts_and_layouts_are_listed(tmp_path: Path) -> None:
    from conftest import MINI, copy_project

    project = copy_project(MINI, tmp_path / "mini")
    (project / "deck.yaml").write_text((project / "deck.yaml").read_text(encoding="utf-8")
                                       + "theme:\n  font: {latin: No Such Face}\n",
                                       encoding="utf-8")
    result = doctor(project)
    fonts = line_of(result, "deck fonts")
    assert "No Such Face: not installed" in fonts and fonts.startswith("missing")
    assert "No Such Face (drawn with " in result.stdout
    layouts = line_of(result, "layouts")
    assert "title: 'Title Slide'" in layouts and "content: 'Title and Content'" in layouts
