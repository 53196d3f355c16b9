"""The render index (output/.cache/renders/index) when a preview and an export save it at once:
each save merges what the other kept, under a lock file that is never a link out."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from studydeck.export.render_cache import CACHE_DIR, LOCK_FILE, RenderCache

PER_WRITER = 15


def _keep(output: Path, folder: Path, name: str) -> None:
    picture = folder / f"{name}.png"
    picture.write_bytes(f"the picture of {name}".encode())
    cache = RenderCache(output)  # read before the other writer saved: it does not know theirs
    cache.keep(name, picture, f"title {name}", (f"line of {name}",))
    cache.save()


def _writer(output: str, scratch: str, prefix: str) -> None:
    for number in range(PER_WRITER):
        _keep(Path(output), Path(scratch), f"{prefix}{number:02d}")


def test_two_caches_saved_one_after_the_other_keep_both_entries(tmp_path: Path) -> None:
    output = tmp_path / "output"
    first, second = RenderCache(output), RenderCache(output)  # both read the empty index
    (tmp_path / "a.png").write_bytes(b"preview's")
    (tmp_path / "b.png").write_bytes(b"export's")
    first.keep("aa", tmp_path / "a.png", "미리보기", ("한 줄",))
    second.keep("bb", tmp_path / "b.png", "Export", ("a line",))
    first.save()
    second.save()  # the last to save used to drop the other's entries
    found = RenderCache(output)
    assert found.find("aa") is not None and found.find("aa").title == "미리보기"
    assert found.find("bb") is not None and found.find("bb").lines == ("a line",)


def test_writers_saving_at_the_same_time_lose_nothing(tmp_path: Path) -> None:
    output = tmp_path / "output"
    RenderCache(output).save()
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(output), str(tmp_path), prefix))
               for prefix in ("preview-", "export-")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    found = RenderCache(output)
    missing = [f"{prefix}{number:02d}" for prefix in ("preview-", "export-")
               for number in range(PER_WRITER) if found.find(f"{prefix}{number:02d}") is None]
    assert not missing


@pytest.mark.parametrize("planted", ["link", "dangling link"])
def test_a_lock_file_shipped_as_a_link_is_not_followed(tmp_path: Path, planted: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "thesis.docx"
    if planted == "link":
        target.write_bytes(b"not ours")
    folder = tmp_path / "output" / CACHE_DIR
    folder.mkdir(parents=True)
    (folder / LOCK_FILE).symlink_to(target)
    (tmp_path / "c.png").write_bytes(b"picture")
    cache = RenderCache(tmp_path / "output")
    cache.keep("cc", tmp_path / "c.png", "t", ())
    cache.save()
    assert RenderCache(tmp_path / "output").find("cc") is not None  # saved all the same
    assert (target.read_bytes() == b"not ours") if planted == "link" else not target.exists()
