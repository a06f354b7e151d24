"""Fixtures of the desk's browser tests: the app served over real HTTP, and a phone-sized Chromium page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.bot.dev.test_demo_browser import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def desk_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/desk/"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(desk_url: str) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # A phone: 360 px wide.
            context = browser.new_context(locale="ja-JP", viewport={"width": 360, "height": 800})
            page = context.new_page()
            problems: list[str] = []
            # Errors other than an HTTP status (a wrong password is a 401 on purpose), such as a CSP refusal.
            page.on(
                "console",
                lambda m: (
                    problems.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.goto(desk_url)
            yield page
            assert problems == [], problems  # e.g. a Content-Security-Policy violation
            context.close()
        finally:
            browser.close()
