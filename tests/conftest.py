"""Fixtures in the flaskr shape: an app on a temporary instance, client, runner, auth;
and for the browser tests (tests/<package>/test_*_browser.py, marked e2e) the app as
the README runs it (gunicorn), driven in Debian's Chromium.

Shared constants and steps are plain functions in helpers.py and support/browser.py;
this file only turns them into fixtures. Playwright only drives /usr/bin/chromium; it
never downloads a browser. Screenshots and the server's log land in test-output/ (or
$SPOTCHECK_TEST_OUTPUT).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from app import create_app
from app.web.i18n import LANGUAGES
from helpers import PASSWORD, ROOT, TEST_CONFIG, add_organizer, login
from support.browser import (
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
def output_dir() -> Path:
    """test-output/ (or $SPOTCHECK_TEST_OUTPUT): screenshots and files for a person to look at."""
    path = Path(os.environ.get("SPOTCHECK_TEST_OUTPUT", ROOT / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh instance folder: its own database and secret key."""
    path = tmp_path / "instance"
    monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def app(instance):
    return create_app(TEST_CONFIG)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(params=list(LANGUAGES))
def lang(request):
    """Run a test once per URL language code."""
    return request.param


class AuthActions:
    """Organizer accounts and signing in, for the `client` fixture (flaskr's AuthActions).

    Another client signs in with helpers.login(other_client, ...).
    """

    def __init__(self, app, client):
        self._app = app
        self._client = client

    def add(self, username="ada", role="admin", password=PASSWORD) -> int:
        """A new organizer account; its id."""
        return add_organizer(self._app, username, role, password)

    def login(self, username="ada", password=PASSWORD, code="", **kwargs):
        return login(self._client, username, password, code, **kwargs)


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


@pytest.fixture
def admin(auth, client):
    """The `client` fixture, signed in as the admin "ada"."""
    auth.add()
    assert auth.login().status_code == 302
    return client


# -- The browser tests -------------------------------------------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory, output_dir):
    """The app for the whole browser suite, logging to test-output/server.log."""
    log = output_dir / "server.log"
    log.write_text("")
    with running_server(tmp_path_factory.mktemp("instance"), free_port(), log) as running:
        yield running
    # After the whole browser suite, with the server stopped and its files final:
    # nothing about any visitor reached the database, its WAL, the instance
    # folder or the log (docs/privacy.md, promise 1). A failure here is a test error.
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


@pytest.fixture
def sw_phone(browser):
    """A phone-sized browser context that lets service workers run (for offline tests)."""
    context = browser.new_context(**PHONE, service_workers="allow")
    yield context
    context.close()


@pytest.fixture
def umask_022():
    """A usual umask while the test runs (create_app tightens it; this puts it back)."""
    old = os.umask(0o022)
    yield
    os.umask(old)
