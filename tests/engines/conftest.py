"""Fixtures for the cross-engine suite: a server of its own (tests stop it to be
offline) and, per module, one browser session per engine, reused by every test of the
module (support/engines.py starts them; docs/browsers.md says what each can do)."""

import os
from contextlib import ExitStack

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from support.engines import ENGINES, LiveServer, browser_session


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """Each test once per engine: "chromium", "firefox", "webkit"."""
    return request.param


@pytest.fixture(scope="session")
def live(tmp_path_factory, output_dir):
    """The suite's own server (one per pytest-xdist process), logging to
    test-output/engines.log (engines-gw0.log, ...). Tests may stop it for a while
    (`live.stopped()`); it is back on the same port after."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    log = output_dir / (f"engines-{worker}.log" if worker else "engines.log")
    log.write_text("")
    server = LiveServer(tmp_path_factory.mktemp("instance"), log)
    server.start()
    yield server
    server.stop()


class ModuleBrowser:
    """The module's browser session, started on first use; `renew()` quits it and
    starts another, which the module's later tests then share."""

    def __init__(self, engine: str, options: dict):
        self.engine, self.options = engine, options
        self.stack = ExitStack()
        self.session: WebDriver | None = None

    def get(self) -> WebDriver:
        if self.session is None:
            self.session = self.stack.enter_context(browser_session(self.engine, **self.options))
        return self.session

    def renew(self) -> WebDriver:
        self.close()
        return self.get()

    def close(self) -> None:
        self.stack.close()
        self.session = None


@pytest.fixture(scope="module")
def module_browser(request, engine):
    browser = ModuleBrowser(engine, getattr(request.module, "SESSION", {}))
    yield browser
    browser.close()


@pytest.fixture
def driver(request, module_browser) -> WebDriver:
    """The module's browser in `engine`, set up as its module's SESSION asks
    (e.g. {"private": True} or {"javascript": False}), shared by its tests.

    A test's second try (conftest.py's RERUNS) starts in a new browser: what failed
    may be the old browser's own state, which a retry in it would only meet again (in
    CI, a service worker WebKitGTK had left "installing" for 90 s was still so at the
    retry, in the same browser)."""
    if getattr(request.node, "execution_count", 1) > 1:
        return module_browser.renew()
    return module_browser.get()
