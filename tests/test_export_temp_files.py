"""Nothing is left in the temporary folder: by an export run to its end or stopped with Ctrl-C
while LibreOffice works (its profile, its own lu*.tmp folders, the sockets it binds in /tmp
whatever TMPDIR says), by a build stopped while LibreOffice converts an Impress template, nor by
the test suite's own cache folder.

Each command runs as a real process with TMPDIR a fresh folder, which is listed afterwards; the
sockets are those that appeared in /tmp meanwhile and that no process has bound (other tests'
LibreOffices run meanwhile, and theirs are bound while they run).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import MINI, REPO, copy_project, processes_running, run_cli
from live_process import LiveProcess, run_to_end, wait_until

from studydeck.export import workers

IMPRESS_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
RUN_TIMEOUT = 240.0  # seconds an export of the mini deck may take on a busy machine
START_PATIENCE = 120.0  # seconds until LibreOffice runs
STOP_PATIENCE = 30.0  # seconds a stopped command may take to exit (it takes under one)


def _environment(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Give an environment whose TMPDIR is a new, empty folder, and that folder."""
    temp = tmp_path / "temp"
    temp.mkdir()
    # a cache of its own: a template converted before would not start LibreOffice
    return {**os.environ, "TMPDIR": str(temp),
            "STUDYDECK_CACHE_DIR": str(tmp_path / "cache")}, temp


def _running_with(text: str) -> list[str]:
    """Give the processes whose command line holds `text`."""
    return [f"{process}: {line[:120]}" for process, line in processes_running(text)]


def _libreoffice_runs(temp: Path) -> bool:
    return any("soffice.bin" in line for line in _running_with(str(temp)))


def _left_in(temp: Path) -> list[str]:
    return sorted(str(path.relative_to(temp)) for path in temp.rglob("*"))


def _stopped_once_libreoffice_runs(command: list[str | Path], env: dict[str, str],
                                   temp: Path) -> str:
    """Run `command`, send it SIGINT once its LibreOffice runs; give its output once it exited
    with 130, promptly."""
    with LiveProcess(command, env=env) as running:
        wait_until(lambda: _libreoffice_runs(temp) or running.process.poll() is not None,
                   patience=START_PATIENCE, what="no LibreOffice started")
        assert running.process.poll() is None, f"it ended first:\n{running.output}"
        assert running.stop(signal.SIGINT, grace=STOP_PATIENCE) == 130, running.output
        return running.output


def _office_sockets() -> set[str]:
    return {str(path) for path in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_*")}


def _bound_sockets() -> set[str]:
    """Give the paths of the sockets some process has bound (the last field of /proc/net/unix)."""
    rows = [line.split() for line in Path("/proc/net/unix").read_text().splitlines()[1:]]
    return {row[7] for row in rows if len(row) > 7}


def _assert_nothing_left(temp: Path, sockets_before: set[str]) -> None:
    wait_until(lambda: not _running_with(str(temp)), patience=20,
               what=f"still running: {_running_with(str(temp))}")
    assert _left_in(temp) == []
    left = lambda: _office_sockets() - sockets_before - _bound_sockets()  # noqa: E731
    wait_until(lambda: not left(), patience=20, what=f"sockets left in /tmp: {sorted(left())}")


@pytest.mark.slow
def test_an_export_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "deck")
    env, temp = _environment(tmp_path)
    sockets_before = _office_sockets()
    code, output = run_to_end([sys.executable, "-m", "studydeck", "export", "pdf", "--clicks",
                               "--project", project], timeout=RUN_TIMEOUT, env=env)
    assert code == 0, output
    assert (project / "output" / "deck-clicks.pdf").is_file()
    _assert_nothing_left(temp, sockets_before)


@pytest.mark.slow
def test_an_export_stopped_with_ctrl_c_leaves_nothing_in_the_temporary_folder(
        tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "deck")
    env, temp = _environment(tmp_path)
    sockets_before = _office_sockets()
    output = _stopped_once_libreoffice_runs(
        [sys.executable, "-m", "studydeck", "export", "html", "--project", project], env, temp)
    assert "stopped the export" in output and "Traceback" not in output, output
    _assert_nothing_left(temp, sockets_before)


@pytest.mark.slow
def test_an_export_killed_outright_leaves_nothing_behind(tmp_path: Path) -> None:
    """Killed with SIGKILL, nothing of studydeck runs after it: each LibreOffice worker sees it
    gone, ends its LibreOffice and removes the profile and the sockets LibreOffice left."""
    project = copy_project(MINI, tmp_path / "deck")
    env, temp = _environment(tmp_path)
    sockets_before = _office_sockets()
    command = [sys.executable, "-m", "studydeck", "export", "html", "--project", project]
    with LiveProcess(command, env=env) as running:
        wait_until(lambda: _libreoffice_runs(temp) or running.process.poll() is not None,
                   patience=START_PATIENCE, what="no LibreOffice started")
        assert running.process.poll() is None, f"it ended first:\n{running.output}"
        running.stop(signal.SIGKILL)
    _assert_nothing_left(temp, sockets_before)


@pytest.mark.slow
def test_a_build_stopped_while_a_template_converts_leaves_nothing_in_the_temporary_folder(
        tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "deck")
    _use_impress_template(project)
    env, temp = _environment(tmp_path)
    sockets_before = _office_sockets()
    output = _stopped_once_libreoffice_runs(
        [sys.executable, "-m", "studydeck", "build", "--project", project], env, temp)
    assert "Traceback" not in output, output
    _assert_nothing_left(temp, sockets_before)


@pytest.mark.slow
def test_a_libreoffice_that_died_is_replaced_and_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(MINI, tmp_path / "deck")
    env, temp = _environment(tmp_path)
    sockets_before = _office_sockets()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    original = workers.Worker.to_pdf
    killed: list[str] = []

    def crash_first(self: workers.Worker, deck: Path, target_dir: Path, **options: bool) -> Path:
        if not killed:  # LibreOffice dies between two jobs; its worker is still there
            killed.extend(_kill_libreoffice_of(self.process.pid))
        return original(self, deck, target_dir, **options)

    monkeypatch.setattr(workers.Worker, "to_pdf", crash_first)
    done = run_cli("export", "pdf", "--project", project)
    assert killed and done.exit_code == 0, done.output
    assert "LibreOffice rendered 14 of 14" in done.output
    _assert_nothing_left(temp, sockets_before)


def _use_impress_template(project: Path) -> None:
    """Make the deck use one of the Impress templates LibreOffice ships (an .otp, converted)."""
    otp = sorted(IMPRESS_TEMPLATES.glob("*.otp"))[0]
    (project / "templates").mkdir()
    shutil.copyfile(otp, project / "templates" / otp.name)
    deck = yaml.safe_load((project / "deck.yaml").read_text(encoding="utf-8"))
    deck.setdefault("theme", {})["template"] = f"templates/{otp.name}"
    (project / "deck.yaml").write_text(yaml.safe_dump(deck, allow_unicode=True), "utf-8")


def _kill_libreoffice_of(group: int) -> list[str]:
    """SIGKILL the soffice.bin of process group `group`; give its pid once it has ended."""
    found = [stat.parent.name for stat in Path("/proc").glob("[0-9]*/stat")
             if _group_and_name(stat) == (group, "soffice.bin")]
    for pid in found:
        os.kill(int(pid), signal.SIGKILL)
    wait_until(lambda: all(_group_and_name(Path("/proc", pid, "stat")) is None for pid in found),
               patience=20, what="soffice.bin still runs")
    return found


def _group_and_name(stat: Path) -> tuple[int, str] | None:
    """Give the process group and name of a running process (None if it ended)."""
    try:
        text = stat.read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    state, _, group = text.rpartition(")")[2].split()[:3]
    return None if state == "Z" else (int(group), name)


# The suite's own cache folder (tests/conftest.py): made by each pytest process, removed when
# that process ends, not when a forked copy of it or a program it started ends.
SUITE_PROCESS = textwrap.dedent("""
    import os, subprocess, sys
    sys.path.insert(0, sys.argv[1])
    import conftest
    folder = os.environ["XDG_CACHE_HOME"]
    print(folder)
    child = os.fork()
    if child == 0:
        sys.exit(0)  # a forked copy ends the way Python ends: through atexit
    os.waitpid(child, 0)
    subprocess.run([sys.executable, "-c", "pass"], check=True)  # a program given the folder
    print("kept" if os.path.isdir(folder) else "removed early")
""")


def test_the_suites_cache_folder_is_removed_by_the_process_that_made_it(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SUITE_PROCESS, str(REPO / "tests")], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    folder, said = done.stdout.split()
    assert Path(folder).parent == tmp_path
    assert said == "kept"
    assert not Path(folder).exists()


@pytest.mark.slow
def test_a_template_converted_with_no_cache_folder_of_ones_own_is_left_nowhere(
        tmp_path: Path) -> None:
    """With HOME a folder others may write in (and no XDG_CACHE_HOME), nothing can be kept
    between runs: each build converts the template again and leaves nothing."""
    project = copy_project(MINI, tmp_path / "deck")
    _use_impress_template(project)
    env, temp = _environment(tmp_path)
    shared = tmp_path / "shared-home"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # no sticky bit: another account could swap what is kept there
    env = {**env, "HOME": str(shared), "XDG_CACHE_HOME": ""}
    del env["STUDYDECK_CACHE_DIR"]
    sockets_before = _office_sockets()
    for _ in range(2):
        code, output = run_to_end([sys.executable, "-m", "studydeck", "build", "--project",
                                   project], timeout=RUN_TIMEOUT, env=env)
        assert code == 0, output
        _assert_nothing_left(temp, sockets_before)
    assert not (shared / ".cache" / "studydeck").exists()  # (LibreOffice's dconf is there)
