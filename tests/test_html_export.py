"""`export html`: a static folder a browser opens from file:// and steps through by keyboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import browser_page, shown
from conftest import MINI, copy_project, run_cli
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.slow  # Chromium

# mini: 5 walkthrough (3 steps), 6 quiz (1 click), 14 slides in all
WALKTHROUGH, QUIZ = 5, 6
URL_IN_PAGE = re.compile(r"""(?:src|href)="(?!data:)([^"#]+)""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(MINI, tmp_path_factory.mktemp("html") / "mini")
    result = run_cli("export", "html", "--project", project)
    assert result.exit_code == 0, result.output
    assert "wrote output/html/index.html" in result.stdout
    return project / "output" / "html"


def test_every_click_state_is_a_picture_and_everything_is_local(site: Path) -> None:
    pictures = sorted(path.name for path in (site / "slides").iterdir())
    assert len(pictures) == 14 + 3 + 3 + 1  # slides + reveal, walkthrough and quiz clicks
    assert {"005-0.png", "005-3.png", "006-0.png", "006-1.png"} <= set(pictures)
    with Image.open(site / "slides" / "006-1.png") as picture:
        assert abs(picture.width - 1280) <= 1 and abs(picture.height - 720) <= 1
    page = (site / "index.html").read_text(encoding="utf-8")
    for url in URL_IN_PAGE.findall(page):
        assert "//" not in url and (site / url).is_file(), url  # no CDN, nothing missing
    # the slides' text is in the page itself, for search and screen readers
    assert "정답은 몇 번인가?" in page and "이름을 IP로 바꾼다" in page


def test_keyboard_steps_through_a_walkthrough_and_a_quiz(site: Path) -> None:
    with browser_page() as page:
        page.goto(f"{(site / 'index.html').as_uri()}#{WALKTHROUGH}")
        image, text = shown(page)
        assert image == "slides/005-0.png" and "이름을 IP로 바꾼다" not in text
        for step, caption in enumerate(["이름을 IP로 바꾼다", "그 IP로 요청한다"], start=1):
            page.keyboard.press("ArrowRight")
            image, text = shown(page)
            assert image == f"slides/005-{step}.png" and caption in text
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # past the last step: the quiz, before its answer
        image, text = shown(page)
        assert image == "slides/006-0.png" and "정답은 몇 번인가?" in text
        assert "✔" not in text and "둘이 맞다" not in text
        assert page.evaluate("location.hash") == f"#{QUIZ}"
        page.keyboard.press("ArrowRight")
        image, text = shown(page)
        assert image == "slides/006-1.png" and "✔" in text and "둘이 맞다" in text
        assert page.is_hidden("#notes")
        page.keyboard.press("n")
        assert "정답: 2. 둘" in (page.text_content("#notes") or "")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert shown(page)[0] == "slides/005-3.png"
        assert page.evaluate(
            "getComputedStyle(document.getElementById('slides')).clip") != "auto"


def test_a_link_per_slide(site: Path) -> None:
    with browser_page() as page:
        page.goto(f"{(site / 'index.html').as_uri()}#12")
        assert shown(page)[0] == "slides/012-0.png"
        page.click("#thumbs a[href='#3']")
        # a link changes the hash; the page hears of it in a later task, not during the click
        expect(page.locator("#shown")).to_have_attribute("src", "slides/003-0.png")
        assert page.evaluate("location.hash") == "#3"


def test_the_page_of_an_incremental_export_shows_the_edit_and_the_rest(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    assert run_cli("export", "html", "--project", project).exit_code == 0
    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "question: 정답은 몇 번인가?", "question: 정답은 과연 몇 번인가?"), encoding="utf-8")
    result = run_cli("export", "html", "--project", project)
    assert result.exit_code == 0, result.output
    assert "LibreOffice rendered 2 of 21 click states; 19 had not changed" in result.stdout
    site = project / "output" / "html"
    with browser_page() as page:
        page.goto(f"{(site / 'index.html').as_uri()}#{QUIZ}")
        image, text = shown(page)
        assert image == "slides/006-0.png" and "정답은 과연 몇 번인가?" in text
        page.keyboard.press("ArrowRight")
        assert shown(page)[0] == "slides/006-1.png" and "✔" in shown(page)[1]
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")  # the walkthrough before it, not rendered again
        image, text = shown(page)
        assert image == "slides/005-3.png" and "그 IP로 요청한다" in text
        for picture in (site / "slides").iterdir():
            with Image.open(picture) as opened:
                assert abs(opened.width - 1280) <= 1 and abs(opened.height - 720) <= 1
