"""A real headless Chromium (Debian's) driven by Playwright, bounded in time and closed after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 20_000


@contextmanager
def browser_page() -> Iterator[Page]:
    """Give a page of a fresh headless Chromium; script errors on it fail the test."""
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS,
                                             timeout=TIMEOUT_MS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page
        finally:
            browser.close()
    assert not errors, f"the page's script failed: {errors}"


def shown(page: Page) -> tuple[str, str]:
    """Give the picture the viewer shows and the text it gives screen readers for it."""
    image = page.get_attribute("#shown", "src") or ""
    return image, page.text_content("#shown-text") or ""
