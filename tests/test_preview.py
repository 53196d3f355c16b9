"""`studydeck preview`: a real server in its own process, a real browser, real saves and Ctrl-C."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import browser_page, shown
from conftest import MINI, REPO, copy_project

from studydeck.preview.server import served_file

START_TIMEOUT = 180.0  # build, LibreOffice start and first render on a busy machine
UPDATE_TIMEOUT_MS = 60_000
URL = re.compile(r"preview at (http://\S+)")
QUIZ = 6


@dataclass
class Preview:
    project: Path
    url: str
    process: subprocess.Popen[str]
    stdout: list[str]
    stderr: list[str]

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rpartition(":")[2])

    def stop(self) -> int:
        """Press Ctrl-C; give the exit code (killing the process group if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            raise AssertionError("preview did not stop within 60 s of Ctrl-C") from None


def _collect(stream: object, lines: list[str], found: queue.Queue[str] | None) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)
        match = URL.search(line)
        if match and found is not None:
            found.put(match.group(1))


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview that the tests below share (starting LibreOffice takes a while)."""
    with running_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


@pytest.fixture
def own_preview(tmp_path: Path) -> Iterator[Preview]:
    with running_preview(tmp_path) as running:
        yield running


@contextmanager
def running_preview(folder: Path) -> Iterator[Preview]:
    """Start `studydeck preview` on a copy of the mini project; stop it with Ctrl-C after."""
    project = copy_project(MINI, folder / "mini")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "cli.py"), "preview", "--port", "0", "--project",
         str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, start_new_session=True)
    stdout: list[str] = []
    stderr: list[str] = []
    urls: queue.Queue[str] = queue.Queue()
    readers = [threading.Thread(target=_collect, args=(process.stdout, stdout, urls), daemon=True),
               threading.Thread(target=_collect, args=(process.stderr, stderr, None),
                                daemon=True)]
    for reader in readers:
        reader.start()
    running = Preview(project, "", process, stdout, stderr)
    try:
        running.url = urls.get(timeout=START_TIMEOUT)
        yield running
    except queue.Empty:
        raise AssertionError(f"no URL within {START_TIMEOUT:g} s: {stdout} {stderr}") from None
    finally:
        running.stop()
        for reader in readers:
            reader.join(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def request(preview: Preview, path: str, host: str | None = None) -> tuple[int, str]:
    """Send GET `path` exactly as written (no client-side clean-up) with the Host header given."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"localhost:{preview.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_serves_the_page_only_to_this_machine_and_only_from_its_folder(preview: Preview) -> None:
    assert request(preview, "/")[0] == 200
    assert request(preview, "/viewer.js", host=f"127.0.0.1:{preview.port}")[0] == 200
    deck_text = (preview.project / "deck.yaml").read_text(encoding="utf-8")
    for path in ("/../deck.yaml", "/%2e%2e/deck.yaml", "/slides/../../deck.yaml",
                 "/..%2f..%2fdeck.yaml", "//etc/passwd", "/%2Fetc%2Fpasswd",
                 f"/{preview.project / 'deck.yaml'}"):
        status, body = request(preview, path)
        assert status in (403, 404), path
        assert "작은 테스트 덱" not in body and "root:" not in body, path
        assert deck_text not in body
    status, body = request(preview, "/", host="attacker.example")
    assert status == 400 and "<html" not in body
    assert request(preview, "/", host=f"attacker.example:{preview.port}")[0] == 400


def test_refuses_a_link_out_of_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "preview"
    root.mkdir()
    (root / "index.html").write_text("<html>", encoding="utf-8")
    (root / "escape.yaml").symlink_to(tmp_path / "deck.yaml")
    (tmp_path / "deck.yaml").write_text("secret", encoding="utf-8")
    assert served_file(root.resolve(), "") == root.resolve() / "index.html"
    assert isinstance(served_file(root.resolve(), "escape.yaml"), str)
    assert isinstance(served_file(root.resolve(), "/etc/passwd"), str)
    assert isinstance(served_file(root.resolve(), "%2e%2e/deck.yaml"), str)
    assert served_file(root.resolve(), "missing.png") is None


def test_page_follows_saves_and_shows_problems(preview: Preview, tmp_path: Path) -> None:
    alpha = preview.project / "chapters" / "alpha.yaml"
    beta = preview.project / "chapters" / "beta.yaml"
    with browser_page() as page:
        page.goto(f"{preview.url}#{QUIZ}")
        page.wait_for_function("document.getElementById('shown-text').textContent.length > 0")
        image, text = shown(page)
        assert "정답은 몇 번인가?" in text and "✔" not in text
        assert "19:00" in (page.text_content("#clock") or "")  # the chapter's slot, from plan
        assert "정답: 2. 둘" in (page.text_content("#notes") or "")  # notes open in preview
        page.evaluate("window.notReloaded = true")

        alpha.write_text(alpha.read_text(encoding="utf-8").replace(
            "정답은 몇 번인가?", "새 질문, 정답은 몇 번일까?"), encoding="utf-8")
        page.wait_for_function(
            "document.getElementById('shown-text').textContent.includes('새 질문')",
            timeout=UPDATE_TIMEOUT_MS)
        assert page.evaluate("window.notReloaded") is True
        assert shown(page)[0] != image  # a new picture of the edited slide
        page.screenshot(path=str(tmp_path / "preview-after-edit.png"))

        good = beta.read_text(encoding="utf-8")
        beta.write_text(good.replace("    columns: [항목", "    colums: [항목"), encoding="utf-8")
        page.wait_for_selector("#problems:not([hidden])", timeout=UPDATE_TIMEOUT_MS)
        problems = page.text_content("#problems") or ""
        assert "chapters/beta.yaml:8:5" in problems and "colums" in problems
        page.screenshot(path=str(tmp_path / "preview-problems.png"))

        beta.write_text(good, encoding="utf-8")
        page.wait_for_selector("#problems", state="hidden", timeout=UPDATE_TIMEOUT_MS)
        assert page.evaluate("window.notReloaded") is True


def test_ctrl_c_stops_cleanly_and_leaves_nothing_running(own_preview: Preview) -> None:
    pid = own_preview.process.pid
    assert own_preview.stop() == 0
    time.sleep(0.5)
    assert "stopped the preview" in "".join(own_preview.stdout)
    assert "Traceback" not in "".join(own_preview.stderr), own_preview.stderr
    left = [entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit()
            and f"studydeck-uno-{pid}-" in _command_line(entry)]
    assert not left, f"LibreOffice left running: {left}"


def _command_line(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""
