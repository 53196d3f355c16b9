"""Fontconfig asked in process answers as `fc-match` does; fonts that are not here are said."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, REPO, copy_project, run_cli
from pptx import Presentation
from pptx.oxml.ns import qn

from studydeck.layout import fontconfig

TEMPLATE = REPO / "examples" / "company" / "templates" / "company.pptx"

FORMAT = "%{family[0]}|%{file}|%{index}|%{charset}"


@pytest.mark.parametrize("pattern", [
    "Malgun Gothic:lang=ko", "Malgun Gothic:bold:lang=ko", "Calibri", "Calibri:bold",
    "Consolas", "Noto Sans CJK KR:lang=ko", "DejaVu Sans:italic", "No Such Font At All",
    r"Noto Sans Mono CJK KR\-x",
])
def test_in_process_match_is_fc_match(pattern: str) -> None:
    command = subprocess.run(["fc-match", "-f", FORMAT, pattern], capture_output=True,
                             text=True, check=True, timeout=30).stdout
    assert fontconfig.match(pattern, FORMAT) == command


def test_without_the_library_fc_match_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontconfig, "_library", lambda: None)
    monkeypatch.setattr(fontconfig, "_current", None)
    assert fontconfig.match("DejaVu Sans", "%{family[0]}") == "DejaVu Sans"



# --- fonts a deck names that are not here (checks/fonts.py) ------------------------------------


def test_a_missing_theme_font_is_one_warning_at_its_line_in_validate_and_build(
        tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    deck = project / "deck.yaml"
    lines = deck.read_text(encoding="utf-8").splitlines()
    deck.write_text("\n".join([*lines, "theme:", "  font:", "    latin: No Such Face Sans"])
                    + "\n", encoding="utf-8")
    place = f"deck.yaml:{len(lines) + 3}:12: warning: font No Such Face Sans is not installed"
    for command in ("validate", "build"):
        result = run_cli(command, "--project", project)
        assert result.exit_code == 0, result.output
        assert result.stderr.count("No Such Face Sans") == 1, result.stderr
        assert place in result.stderr and "drawn with " in result.stderr
        assert "fc-cache" in result.stderr


def test_a_template_font_without_hangul_is_replaced_with_one_warning(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "templates").mkdir()
    theme_fonts = ('<a:ea typeface="Noto Sans CJK KR"/>', '<a:ea typeface="DejaVu Sans"/>')
    (project / "templates" / "latin.pptx").write_bytes(
        _rewritten(TEMPLATE.read_bytes(), "ppt/theme/theme1.xml", theme_fonts))
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8")
                    + "theme:\n  template: templates/latin.pptx\n", encoding="utf-8")
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("DejaVu Sans has no letters of the deck's language") == 1
    assert "written in Malgun Gothic instead" in result.stderr
    prs = Presentation(str(project / "output" / "deck.pptx"))
    faces = {run.find(qn("a:rPr")).find(qn("a:ea")).get("typeface")
             for slide in prs.slides for run in slide._element.iter(qn("a:r"))}
    assert faces == {"Malgun Gothic"}


def _rewritten(data: bytes, name: str, change: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == name:
                assert change[0].encode() in content
                content = content.replace(change[0].encode(), change[1].encode())
            target.writestr(item, content)
    return buffer.getvalue()
