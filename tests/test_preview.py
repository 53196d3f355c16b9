"""`studydeck preview`: a real server in its own process, a real browser, real saves and Ctrl-C."""

from __future__ import annotations

import http.client
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import browser_page, shown
from conftest import MINI, REPO, copy_project, libreoffice_of
from live_process import LiveProcess, wait_until
from playwright.sync_api import Page

from studydeck.preview.server import served_file

pytestmark = pytest.mark.slow  # LibreOffice and Chromium

START_TIMEOUT = 180.0  # build, LibreOffice start and first render on a busy machine
UPDATE_TIMEOUT_MS = 60_000
URL = re.compile(r"preview at (http://\S+)")
QUIZ = 6


@dataclass
class Preview:
    project: Path
    url: str
    running: LiveProcess

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rpartition(":")[2])


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
    """Start `studydeck preview` on a copy of the mini project; it is ended whatever happens."""
    project = copy_project(MINI, folder / "mini")
    command = [sys.executable, str(REPO / "cli.py"), "preview", "--port", "0", "--project",
               str(project)]
    temp = folder / "temp"  # a killed preview leaves its LibreOffice profiles there, not in /tmp
    temp.mkdir()
    with LiveProcess(command, env={**os.environ, "TMPDIR": str(temp)}) as running:
        line = running.line_with("preview at", patience=START_TIMEOUT)
        found = URL.search(line)
        assert found is not None, line
        yield Preview(project, found.group(1), running)


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


def test_an_edited_title_turns_the_page_to_its_slide_and_renders_only_its_states(
        preview: Preview, tmp_path: Path) -> None:
    """The page turns to the edited slide's last click, every click of it drawn anew; the
    other slides keep their pictures (and their thumbnails stay loaded)."""
    alpha = preview.project / "chapters" / "alpha.yaml"
    new_title = "글머리표 ✏️ — a title a stranger edits while presenting"
    with browser_page() as page:
        page.goto(f"{preview.url}#1")
        page.wait_for_function("document.getElementById('shown-text').textContent.length > 0")
        before = _pictures_by_slide(page)
        edited = next(number for number, (title, _) in before.items() if "글머리표" in title)
        clicks = len(before[edited][1])
        assert clicks > 2, "the bullets slide reveals its items one click at a time"

        alpha.write_text(alpha.read_text(encoding="utf-8").replace(
            "title: 글머리표", f"title: {new_title}", 1), encoding="utf-8")
        page.wait_for_function(f"document.getElementById('shown-text').textContent"
                               f".includes({new_title!r})", timeout=UPDATE_TIMEOUT_MS)
        assert page.text_content("#position").startswith(f"{edited} / ")  # turned to it
        page.wait_for_function(  # every click of it, once all are rendered
            f"document.querySelectorAll('#slide-{edited} .state').length === {clicks}",
            timeout=UPDATE_TIMEOUT_MS)
        after = _pictures_by_slide(page)
        assert new_title in after[edited][0]
        assert not set(after[edited][1]) & set(before[edited][1])  # every click drawn anew
        assert all(request(preview, f"/{image}")[0] == 200 for image in after[edited][1])
        assert {number: images for number, (_, images) in after.items() if number != edited} == {
            number: images for number, (_, images) in before.items() if number != edited}
        page.wait_for_function("document.getElementById('shown').naturalWidth > 0")
        page.screenshot(path=str(tmp_path / "preview-title-edited.png"))


def _pictures_by_slide(page: Page) -> dict[int, tuple[str, list[str]]]:
    """Give each slide's title and the pictures of its clicks, as the page lists them."""
    found: dict[str, list[object]] = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#slides > section')).map("
        "s => [s.dataset.number, [s.querySelector('h2').textContent, Array.from("
        "s.querySelectorAll('.state')).map(state => state.dataset.image)]]))")
    return {int(number): (str(title), [str(image) for image in images])  # type: ignore[union-attr]
            for number, (title, images) in found.items()}


def test_ctrl_c_stops_cleanly_and_leaves_nothing_running(own_preview: Preview) -> None:
    running = own_preview.running
    pid = running.process.pid
    assert libreoffice_of(pid), "the preview runs no LibreOffice of its own"
    assert running.stop(signal.SIGINT) == 0, running.output
    assert "stopped the preview" in running.output
    assert "Traceback" not in running.output, running.output
    assert not libreoffice_of(pid), "LibreOffice left running"


def test_a_killed_preview_leaves_no_libreoffice_behind(own_preview: Preview) -> None:
    pid = own_preview.running.process.pid
    assert libreoffice_of(pid)
    os.kill(pid, signal.SIGKILL)  # no clean-up code runs: the watchdog must end LibreOffice
    wait_until(lambda: not libreoffice_of(pid), patience=20,
               what="LibreOffice outlived the preview")
    assert not libreoffice_of(pid), "LibreOffice outlived the preview"


