"""The text-width cache is keyed by all a width depends on: stale widths are never reused."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from studydeck.layout import fonts, scripts, text
from studydeck.layout.width_cache import CACHE_FILE, KIND, remembered_widths
from studydeck.source import sealed
from studydeck.source.folder import find_project


def test_the_same_measurer_gives_the_same_id() -> None:
    assert text.measurer_id() == text.measurer_id()


@pytest.mark.parametrize(("module", "rule"), [
    (text, "UNCOVERED_EM = "),
    (scripts, "ASIAN_SPACE_EXTRA_EM = "),
    (fonts, "KOREAN_FALLBACK = "),
])
def test_editing_the_measuring_rules_changes_the_id(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: ModuleType, rule: str) -> None:
    before = text.measurer_id()
    edited = tmp_path / Path(str(module.__file__)).name
    source = Path(str(module.__file__)).read_text(encoding="utf-8")
    assert rule in source
    edited.write_text(source.replace(rule, f"{rule}0 or "), encoding="utf-8")
    monkeypatch.setattr(module, "__file__", str(edited))
    assert text.measurer_id() != before


def test_a_changed_font_file_changes_the_key_of_its_widths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    face = fonts.find_face("Noto Sans CJK KR", lang="ko")
    assert face is not None
    copied = replace(face, file=str(tmp_path / Path(face.file).name))
    shutil.copy(face.file, copied.file)
    before = fonts.faces_key((copied,))
    stat = Path(copied.file).stat()
    os.utime(copied.file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert fonts.faces_key((copied,)) != before


def test_widths_are_kept_apart_by_the_typefaces_they_were_measured_with() -> None:
    text.text_width_em("Width of this line")
    with text.measuring_with(fonts.Typefaces(latin="Carlito", substitutes=False)):
        text.text_width_em("Width of this line")
    keys = [key for key in text.measured_widths() if key.endswith("|Width of this line")]
    assert len(keys) == 2


def test_widths_stored_by_another_measurer_are_not_reused(tmp_path: Path) -> None:
    (tmp_path / "deck.yaml").write_text("title: t\n", encoding="utf-8")
    paths = find_project(tmp_path)
    cache = paths.output_dir / CACHE_FILE
    cache.parent.mkdir(parents=True)
    stale = {"measurer": text.measurer_id() + "|older rules", "widths": {"0|stale": 99.0}}
    cache.write_bytes(sealed.seal(KIND, json.dumps(stale).encode()))  # this user's, but stale
    with remembered_widths(paths):
        width = text.text_width_em("stale")
    assert width != 99.0
    assert (sealed.read_sealed_json(cache, KIND) or {})["measurer"] == text.measurer_id()
