"""Fontconfig asked in process answers as `fc-match` does."""

from __future__ import annotations

import subprocess

import pytest

from studydeck.layout import fontconfig

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

