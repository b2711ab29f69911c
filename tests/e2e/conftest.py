"""Browser tests: the app as the README runs it (gunicorn), driven in Debian's Chromium.

Playwright only drives /usr/bin/chromium; it never downloads a browser.
Screenshots and the server's log land in test-output/ (or $SPOTCHECK_TEST_OUTPUT).
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .harness import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    WATCH_CSP,
    Watch,
    free_port,
    running_server,
    visitor_traces,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory, output_dir):
    """The app for the whole browser suite, logging to test-output/server.log."""
    log = output_dir / "server.log"
    log.write_text("")
    with running_server(tmp_path_factory.mktemp("instance"), free_port(), log) as running:
        yield running
    # After the whole browser suite, with the server stopped and its files final:
    # nothing about any visitor reached the database, its WAL, the instance
    # folder or the log (DESIGN.md promise 1). A failure here is a test error.
    leaks = visitor_traces(running)
    assert leaks == [], f"visitor data written down: {leaks}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A phone-sized browser context that records what it does."""
    watch = Watch()
    context = browser.new_context(**PHONE)
    context.add_init_script(WATCH_CSP)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("console", lambda message: watch.console.append(message.text))
    context.watch = watch
    yield context
    context.close()
