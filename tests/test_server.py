"""The build server: `build` and `validate` handed to a forked copy of a loaded studydeck.

What a user sees must not change: the same deck byte for byte, the same messages and exit codes,
their folder, environment and terminal, Ctrl-C; and no process left behind. Each test has its own
socket folder (XDG_RUNTIME_DIR) and stops its server, whatever happens.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, REPO, copy_project
from live_process import LiveProcess, run_to_end

from studydeck.server.client import until

STUDYDECK = Path(sys.executable).with_name("studydeck")  # the console script a user runs
TIMEOUT = 120.0
ELAPSED = re.compile(r"\d+\.\d\d s\b")


class Commands:
    """Runs `studydeck` as a user would, with or without the server, in one socket folder."""

    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "STUDYDECK_SERVER": "1",
                    "STUDYDECK_SERVER_IDLE": "120", "COLUMNS": "120"}

    def run(self, *args: str | Path, cwd: Path, served: bool = True,
            **env: str) -> tuple[int, str]:
        switch = {"STUDYDECK_SERVER": "1" if served else "0"}
        return run_to_end([STUDYDECK, *args], timeout=TIMEOUT, cwd=cwd,
                          env={**self.env, **switch, **env})

    def status(self) -> str:
        return self.run("server", "status", cwd=self.runtime)[1]

    def start(self) -> None:
        code, output = self.run("server", "start", cwd=self.runtime)
        assert code == 0 and "server running" in output, output

    def served_count(self) -> int:
        found = re.search(r"(\d+) commands served", self.status())
        return int(found.group(1)) if found else -1

    def server_pid(self) -> int | None:
        found = re.search(r"pid (\d+)", self.status())
        return int(found.group(1)) if found else None

    def stop(self) -> None:
        pid = self.server_pid()
        self.run("server", "stop", cwd=self.runtime)
        if pid is not None:  # whatever `stop` did, leave no server behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module", autouse=True)
def no_server_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After these tests, no server started from this run's folders may still run."""
    yield
    ours = str(tmp_path_factory.getbasetemp())

    def left() -> list[str]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                args = cmdline.read_bytes().decode("utf-8", "replace").split("\0")
            except OSError:
                continue
            if any("studydeck.server.process" in arg for arg in args) and any(
                    arg.startswith(ours) for arg in args):
                found.append(" ".join(args))
        return found

    assert wait_until(lambda: not left(), 10), left()


@pytest.fixture
def commands(tmp_path: Path) -> Iterator[Commands]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    ran = Commands(runtime)
    try:
        yield ran
    finally:
        ran.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "mini")


def same_words(output: str) -> str:
    return ELAPSED.sub("N s", output)


def wait_until(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    return until(lambda: True if condition() else None, seconds) is not None


def test_a_served_build_writes_the_same_deck_and_says_the_same(
        commands: Commands, project: Path, tmp_path: Path) -> None:
    here = copy_project(MINI, tmp_path / "here")
    code_here, said_here = commands.run("build", cwd=here, served=False)
    commands.start()
    code, said = commands.run("build", cwd=project)
    assert (code, same_words(said)) == (code_here, same_words(said_here)) and code == 0
    assert commands.served_count() == 1
    deck = project / "output" / "deck.pptx"
    assert deck.read_bytes() == (here / "output" / "deck.pptx").read_bytes()
    # the command's own folder and options, relative paths included
    code, said = commands.run("build", "--chapter", "beta", "--project", "mini",
                              cwd=tmp_path)
    assert code == 0 and "wrote output/chapters/beta.pptx" in said, said
    assert commands.served_count() == 2


def test_mistakes_and_usage_errors_read_and_exit_as_without_the_server(
        commands: Commands, tmp_path: Path) -> None:
    broken = copy_project(FIXTURES / "invalid" / "bad-colour", tmp_path / "broken")
    commands.start()
    for args in (["validate"], ["build"], ["build", "--no-such-option"], ["validate", "--help"]):
        here = commands.run(*args, cwd=broken, served=False)
        served = commands.run(*args, cwd=broken)
        assert (served[0], same_words(served[1])) == (here[0], same_words(here[1])), args
    assert commands.run("validate", cwd=broken)[0] == 1
    assert commands.served_count() == 4 * 1 + 1  # the last validate too


def test_the_command_s_environment_and_terminal_settings_reach_the_copy(
        commands: Commands, project: Path) -> None:
    commands.start()
    for env in ({"FORCE_COLOR": "1"}, {"NO_COLOR": "1", "COLUMNS": "40"}, {"TERM": "dumb"}):
        here = commands.run("validate", cwd=project, served=False, **env)
        served = commands.run("validate", cwd=project, **env)
        assert served == here and served[0] == 0, env
    assert "\x1b[" in commands.run("validate", cwd=project, FORCE_COLOR="1")[1]
    assert commands.served_count() == 4


def test_the_first_command_starts_a_server_and_ci_starts_none(
        commands: Commands, project: Path) -> None:
    commands.run("validate", cwd=project, STUDYDECK_SERVER="", CI="true")
    time.sleep(1)
    assert "no server running" in commands.status()
    code, said = commands.run("validate", cwd=project, STUDYDECK_SERVER="", CI="")
    assert code == 0, said
    assert wait_until(lambda: commands.server_pid() is not None), commands.status()
    commands.run("validate", cwd=project, STUDYDECK_SERVER="", CI="")
    assert commands.served_count() == 1


@contextlib.contextmanager
def served_big_build(commands: Commands, tmp_path: Path) -> Iterator[LiveProcess]:
    """Give a served cold build of 1,000 slides (seconds of work), once its copy runs."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from deckgen import write_project

    big = write_project(tmp_path / "big", 1000)
    commands.start()
    env = {**commands.env, "STUDYDECK_JOBS": "1"}
    with LiveProcess([str(STUDYDECK), "build", "--project", str(big)], env=env) as build:
        assert wait_until(lambda: _running(commands) == 1, 30), commands.status()
        yield build


def test_ctrl_c_stops_the_served_build_and_its_copy(
        commands: Commands, tmp_path: Path) -> None:
    with served_big_build(commands, tmp_path) as build:
        time.sleep(0.5)  # well into the build: 1,000 slides take seconds
        code = build.stop(signal.SIGINT)
    assert code == 130, build.output  # as without the server: 128 + SIGINT
    assert wait_until(lambda: _running(commands) == 0, 10), commands.status()
    assert not (tmp_path / "big" / "output" / "deck.pptx").exists()


def test_a_killed_command_takes_its_copy_with_it(commands: Commands, tmp_path: Path) -> None:
    with served_big_build(commands, tmp_path) as build:
        os.kill(build.process.pid, signal.SIGKILL)  # the terminal closed under it, say
        assert wait_until(lambda: _running(commands) == 0, 15), commands.status()


def _running(commands: Commands) -> int:
    """Give how many commands the server runs now (-1: no server)."""
    found = re.search(r"(\d+) running now", commands.status())
    return int(found.group(1)) if found else -1


def test_an_idle_server_exits_and_a_dead_one_is_replaced(
        commands: Commands, project: Path) -> None:
    commands.start()
    pid = commands.server_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # its socket file stays behind
    assert wait_until(lambda: not _alive(pid), 10)
    code, said = commands.run("validate", cwd=project)  # runs here, starts a new server
    assert code == 0, said
    assert wait_until(lambda: commands.server_pid() not in (None, pid)), commands.status()
    commands.stop()
    code, said = commands.run("validate", cwd=project, STUDYDECK_SERVER_IDLE="1")
    assert wait_until(lambda: commands.server_pid() is not None), commands.status()
    assert wait_until(lambda: commands.server_pid() is None, 20), commands.status()
    assert not list(commands.runtime.glob("studydeck/*.sock"))


def test_a_socket_folder_others_can_open_is_not_used(commands: Commands, project: Path) -> None:
    folder = commands.runtime / "studydeck"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    code, said = commands.run("validate", cwd=project)
    assert code == 0, said
    time.sleep(1)
    assert list(folder.iterdir()) == []
    assert "no private folder" in commands.run("server", "start", cwd=project)[1]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_a_changed_studydeck_gets_a_new_server_and_the_old_one_exits(
        commands: Commands, tmp_path: Path) -> None:
    """An upgrade or an edit: the next command must not run the old code, nor the old wait."""
    copy = tmp_path / "path"
    shutil.copytree(REPO / "studydeck", copy / "studydeck",
                    ignore=shutil.ignore_patterns("__pycache__"))
    studydeck = ("import sys; from studydeck.__main__ import main; "
                 "sys.argv = ['studydeck', *sys.argv[1:]]; main()")
    env = {**commands.env, "PYTHONPATH": str(copy)}

    def run(*args: str) -> str:
        code, said = run_to_end([sys.executable, "-c", studydeck, *args], timeout=TIMEOUT,
                                cwd=tmp_path, env=env)
        assert code in (0, 1), said
        return said

    assert "server running" in run("server", "start")
    old = int(re.findall(r"pid (\d+)", run("server", "status"))[0])
    edited = copy / "studydeck" / "layout" / "text.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "no server running" in run("server", "status")  # this code's server: none yet
    assert wait_until(lambda: not _alive(old), 20), "the old server kept waiting"
    assert len(list((commands.runtime / "studydeck").glob("*.sock"))) == 0


def test_the_command_imports_nothing_before_handing_over() -> None:
    """Only standard modules that load in microseconds, and three small ones of studydeck.

    Python starts without `site` here, as bare as an installed studydeck's start (the checkout's
    editable install loads pathlib, enum and more at start, which would hide them)."""
    code = ("import os, sys; before = set(sys.modules); from studydeck.server import client; "
            "print(*sorted(set(sys.modules) - before))")  # `site` loads os: so does any start
    loaded = set(subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                                text=True, check=True, timeout=60, cwd=REPO).stdout.split())
    ours = {name for name in loaded if name.startswith("studydeck")}
    assert ours <= {"studydeck", "studydeck.server", "studydeck.server.client",
                    "studydeck.server.address", "studydeck.server.wire",
                    "studydeck.own_folder"}, ours
    assert loaded - ours <= {"_socket", "fcntl", "_blake2", "marshal", "_signal",
                             "__future__"}, loaded - ours


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_folder_deleted_under_the_command_is_reported_not_a_traceback(
        commands: Commands, tmp_path: Path) -> None:
    commands.start()
    for served in (True, False):
        gone = tmp_path / f"gone-{served}"
        gone.mkdir()
        script = f'cd "{gone}" && rmdir "{gone}" && exec "{STUDYDECK}" validate'
        code, said = run_to_end(["bash", "-c", script], timeout=TIMEOUT, cwd=tmp_path,
                                env={**commands.env, "STUDYDECK_SERVER": "1" if served else "0"})
        assert code == 1 and "no deck.yaml" in said and "Traceback" not in said, said


def test_where_there_is_no_fork_every_command_runs_on_its_own(tmp_path: Path) -> None:
    """Windows, say: no fcntl, no fork. `build` runs here; `server start` says why not."""
    no_server = ("import sys; sys.modules['fcntl'] = None; "  # importing fcntl now fails
                 "import studydeck.server.address as where; where.possible = lambda: False; "
                 "from studydeck.__main__ import main; sys.argv = ['studydeck', *sys.argv[1:]]; "
                 "main()")
    project = copy_project(MINI, tmp_path / "mini")
    env = {**os.environ, "STUDYDECK_SERVER": "1", "XDG_RUNTIME_DIR": str(tmp_path)}
    code, said = run_to_end([sys.executable, "-c", no_server, "build"], timeout=TIMEOUT,
                            cwd=project, env=env)
    assert code == 0 and "wrote output/deck.pptx" in said, said
    code, said = run_to_end([sys.executable, "-c", no_server, "server", "start"],
                            timeout=TIMEOUT, cwd=project, env=env)
    assert code == 1 and "cannot run the build server" in said, said
    assert not (tmp_path / "studydeck").exists()


def test_a_server_that_cannot_be_started_leaves_the_command_as_it_was(
        commands: Commands, project: Path) -> None:
    """posix_spawn refused (a full process table, say): the build's own outcome stands; one
    without sessions (older macOS) starts the server another way."""

    def studydeck(*args: str, spawn_error: str) -> tuple[int, str]:
        code = ("import os, sys\n"
                "def refuse(*args, **kwargs):\n"
                f"    raise {spawn_error}\n"
                "os.posix_spawn = refuse\n"
                "from studydeck.__main__ import main; sys.argv = ['studydeck', *sys.argv[1:]]\n"
                "main()")
        return run_to_end([sys.executable, "-c", code, *args], timeout=TIMEOUT, cwd=project,
                          env=commands.env)

    code, said = studydeck("validate", spawn_error="OSError(11, 'busy')")
    assert code == 0 and "Traceback" not in said and said.startswith("ok:"), said
    time.sleep(1)
    assert studydeck("server", "status", spawn_error="OSError(11, 'busy')")[0] == 1
    code, said = studydeck("validate", spawn_error="NotImplementedError")
    assert code == 0 and "Traceback" not in said, said
    # `stop` waits for a server that is still loading, then stops it
    assert "server stopped" in studydeck("server", "stop", spawn_error="OSError")[1]


def test_status_tells_a_starting_server_from_none(commands: Commands) -> None:
    commands.start()
    commands.stop()
    [lock] = (commands.runtime / "studydeck").glob("*.lock")
    with lock.open("a") as held:  # what a loading server holds until it answers
        fcntl.flock(held, fcntl.LOCK_EX)
        assert "a server is starting" in commands.status()
    assert "no server running" in commands.status()
