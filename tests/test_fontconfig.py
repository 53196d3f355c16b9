"""Fontconfig asked in process answers as `fc-match` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from studydeck import fontconfig

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


FORKED_COPY = """
import os, shutil, sys, time
from studydeck import fonts
from studydeck.server.preload import refresh
fonts.preload_faces()  # as the build server does, before it forks
print(fonts.find_face("DejaVu Sans") is not None)
time.sleep(1.1)  # fontconfig compares whole seconds
shutil.copy(sys.argv[1], sys.argv[2])
for check in (False, True):
    pid = os.fork()
    if pid == 0:
        if check:
            refresh()
        print(fonts.find_face("DejaVu Sans") is not None, flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
"""


def test_a_copy_forked_after_a_font_was_added_finds_it(tmp_path: Path) -> None:
    """The build server loads fontconfig once; a copy that asks whether fonts changed sees a font
    installed since (and one that does not ask would not: the check is what finds it)."""
    font_dir, cache_dir = tmp_path / "fonts", tmp_path / "cache"
    font_dir.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><dir>{font_dir}</dir><cachedir>{cache_dir}</cachedir>"
                      "</fontconfig>", encoding="utf-8")
    dejavu = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True,
                            text=True, check=True, timeout=30).stdout
    done = subprocess.run([sys.executable, "-c", FORKED_COPY, dejavu, str(font_dir)],
                          capture_output=True, text=True, timeout=60, cwd=REPO,
                          env={**os.environ, "FONTCONFIG_FILE": str(config)})
    assert done.stdout.split() == ["False", "False", "True"], done.stderr
