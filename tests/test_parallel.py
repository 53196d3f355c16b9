"""Work the build hands to a forked helper (measuring text, writing later chapters) changes
nothing in what a build writes: the deck is byte for byte the one a single process writes."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import build, copy_sample

from studydeck import build as build_module
from studydeck import parallel
from studydeck.pptx import writer
from studydeck.source import sealed

pytestmark = pytest.mark.slow  # forked helpers on decks of hundreds of slides

CACHE = Path("output") / ".cache"


def cold_again(project: Path) -> None:
    """Forget every slide and text width kept (the diagrams stay drawn)."""
    shutil.rmtree(project / CACHE / "slides")
    (project / CACHE / "text-widths.json").unlink()
    (project / "output" / "deck.pptx").unlink()


def widths(project: Path) -> dict[str, float]:
    data = sealed.read_sealed_json(project / CACHE / "text-widths.json", "text-widths")
    assert data is not None
    return dict(data["widths"])


@pytest.fixture(scope="module")
def sample_once_alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck built once by one process (no helper), for the tests to copy."""
    project = copy_sample(tmp_path_factory.mktemp("alone") / "sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "can_fork", lambda: False)
        build(project)
    return project


@pytest.fixture
def sample_built_alone(sample_once_alone: Path, tmp_path: Path) -> tuple[Path, bytes]:
    """A copy of the sample deck built by one process; give the project and the deck."""
    project = shutil.copytree(sample_once_alone, tmp_path / "sample", symlinks=True)
    return project, (project / "output" / "deck.pptx").read_bytes()


def helped_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Build cold with helpers forced on; give how many things each helper handed back."""
    handed: list[int] = []
    result = parallel.Helper.result

    def counted(self: parallel.Helper) -> parallel.Result:
        found = result(self)
        handed.append(len(found))
        return found

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel.Helper, "result", counted)
    cold_again(project)
    build(project)
    return handed


def test_helpers_write_the_bytes_one_process_writes(
        sample_built_alone: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    project, alone = sample_built_alone
    measured_alone = widths(project)
    handed = helped_build(project, monkeypatch)
    assert len(handed) >= 2 and all(handed), "both the measuring and the writing helper worked"
    assert (project / "output" / "deck.pptx").read_bytes() == alone
    assert widths(project) == measured_alone  # the next build finds the same widths kept


def test_slides_a_helper_wrote_are_kept_for_the_next_build(
        sample_built_alone: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    project, alone = sample_built_alone
    helped_build(project, monkeypatch)
    kept = sorted(path.stem for path in (project / CACHE / "slides").glob("*.deck"))
    assert len(kept) == 10  # every chapter, those the helper wrote too; the title, the agenda
    (project / "output" / "deck.pptx").unlink()

    def none(*args: Any) -> Any:
        raise AssertionError(f"a kept {args[-1].kind} slide was written again")

    monkeypatch.setattr(writer, "_add_slide", none)
    build(project)
    assert (project / "output" / "deck.pptx").read_bytes() == alone


def test_a_failing_helper_changes_nothing(
        sample_built_alone: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    project, alone = sample_built_alone

    def broken(*args: object) -> None:
        raise RuntimeError("the helper broke")

    monkeypatch.setattr(build_module, "_kept", broken)
    handed = helped_build(project, monkeypatch)
    assert 0 in handed  # the writing helper handed nothing back …
    assert (project / "output" / "deck.pptx").read_bytes() == alone  # … and it did not matter


@pytest.mark.parametrize(("sizes", "share", "expected"), [
    ([100] * 10, 0.5, 5),
    ([100] * 10, 0.45, 6),  # 45 % of the slides: the last four chapters and a bit
    ([5, 5], 0.5, 2),  # too few slides to be worth a process
    ([60], 0.5, 1),  # one chapter: nothing to share
    ([10, 80, 10], 0.5, 2),
    ([80, 10, 10], 0.5, 1),
])
def test_the_helper_takes_the_later_chapters(sizes: list[int], share: float,
                                             expected: int) -> None:
    assert parallel.split_for_helper(sizes, share) == expected


def test_studydeck_jobs_1_keeps_a_build_to_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_idle_core", lambda: True)
    monkeypatch.delenv(parallel.JOBS_VARIABLE, raising=False)
    assert parallel.can_fork()
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    assert not parallel.can_fork()
    assert parallel.Helper.start(lambda: {"done": True}) is None


def test_a_helper_hands_back_its_result() -> None:
    helper = parallel.Helper._forked(lambda: {"chapter": [b"<p:sld/>", 1.5]})
    assert helper.result() == {"chapter": [b"<p:sld/>", 1.5]}


def test_a_stopped_helper_is_killed_and_gives_nothing() -> None:
    def forever() -> parallel.Result:
        time.sleep(60)  # the point: work that outlasts the test unless stop() kills it
        return {"late": True}

    helper = parallel.Helper._forked(forever)
    started = time.monotonic()
    helper.stop()
    assert time.monotonic() - started < 30  # killed, not waited for
    assert helper.result() == {}
    with pytest.raises(ChildProcessError):  # and reaped: no zombie left behind
        os.waitpid(helper._pid, os.WNOHANG)
