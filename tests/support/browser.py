"""Debian's headless Chromium driven by playwright, for tests that look at a page as a reader."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import require_tool

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def open_page(path: Path, width: int = 1280) -> Iterator[tuple]:
    """(page, requested URLs, dialogs) for a local HTML file; every request is recorded and
    anything but the file itself is aborted, so a test can never reach the network."""
    from playwright.sync_api import sync_playwright

    chromium = require_tool("chromium")
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("**/*", lambda route: _only_the_file(route, path, requests))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(path.as_uri())
            yield page, requests, dialogs
        finally:
            browser.close()


def _only_the_file(route, path: Path, requests: list[str]) -> None:
    requests.append(route.request.url)
    if route.request.url == path.as_uri():
        route.continue_()
    else:
        route.abort()
