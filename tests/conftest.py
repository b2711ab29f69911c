"""Fixtures in the flaskr shape: an app on a temporary instance, client, runner, auth;
and for the browser tests (tests/<package>/test_*_browser.py, marked e2e) the app as
the README runs it (gunicorn), driven in Debian's Chromium.

Shared constants and steps are plain functions in helpers.py and support/browser.py;
this file only turns them into fixtures. Playwright only drives /usr/bin/chromium; it
never downloads a browser. Screenshots and the server's log land in test-output/ (or
$SPOTCHECK_TEST_OUTPUT).
"""

import os
import secrets
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache
from playwright.sync_api import sync_playwright
from werkzeug.routing.rules import Rule

from app import create_app
from app.config import SECRET_KEY_FILE
from app.db import connect, migrate
from app.web.i18n import LANGUAGES
from helpers import PASSWORD, ROOT, TEST_CONFIG, add_organizer, login
from support.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    WATCH_CSP,
    Watch,
    running_server,
    visitor_traces,
)
from support.servers import free_port


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


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept in memory for the whole run, for every app a test makes.

    Each test's app has a Jinja environment of its own, which would compile every
    template it renders again (about 35 ms for a page's templates). Keyed by the
    template's name and file (and checked against its source, as Jinja does), and by
    the environment's syntax settings, so an app set up otherwise compiles its own.
    """

    def __init__(self):
        self._code: dict[tuple, bytes] = {}

    def get_bucket(self, environment, name, filename, source):
        settings = (environment.trim_blocks, environment.lstrip_blocks,
                    environment.keep_trailing_newline, environment.newline_sequence,
                    environment.optimized, tuple(sorted(environment.extensions)),
                    environment.block_start_string, environment.variable_start_string,
                    environment.comment_start_string, environment.line_statement_prefix)
        key = f"{self.get_cache_key(name, filename)}{settings!r}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def shared_template_code():
    """Every Flask app made in this run compiles each template once (SharedTemplateCode)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "jinja_options",
                      {**Flask.jinja_options, "bytecode_cache": SharedTemplateCode()})
        yield


def shared_url_builders_of(compile_builder):
    """Rule._compile_builder, compiling each route's URL builder once for the whole run,
    for every app a test makes.

    Werkzeug writes, parses and compiles Python source for two builders per route
    whenever an app adds it (about 50 ms of each create_app, with 90 routes). That
    code depends only on what the key holds: the route's parsed parts, its defaults
    as its converters write them, and whether unknown arguments go in the query; each
    rule is bound to it afterwards, as Werkzeug does.
    """
    builders: dict[tuple, object] = {}

    def compile_once(rule, append_unknown=True):
        defaults = tuple((name, rule._converters[name].to_url(value)
                          if name in rule._converters else None)
                         for name, value in (rule.defaults or {}).items())
        key = (rule.rule, append_unknown, tuple(rule._trace), defaults)
        if (builder := builders.get(key)) is None:
            builder = builders[key] = compile_builder(rule, append_unknown)
        return builder

    return compile_once


@pytest.fixture(scope="session", autouse=True)
def shared_url_builders():
    """Every Flask app made in this run compiles each route's URL builders once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", shared_url_builders_of(Rule._compile_builder))
        yield


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A database with every migration applied, made once: tests copy it (`migrated`)."""
    path = tmp_path_factory.mktemp("migrated") / "spotcheck.sqlite3"
    with closing(connect(path)) as conn:  # as db.init_app does at start
        migrate(conn)
    return path  # closed, so checkpointed: no -wal beside it


@pytest.fixture
def migrated(instance, migrated_database):
    """The `instance` folder with a copy of the migrated database and a secret key of
    its own: create_app then finds no migration left to run. Still one test's alone."""
    instance.mkdir(mode=0o700)
    shutil.copyfile(migrated_database, instance / "spotcheck.sqlite3")
    fd = os.open(instance / SECRET_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return instance


@pytest.fixture
def app(migrated):
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

# A test that drives a browser or a deployed stack waits on processes beside it on a
# 2-core machine (three engines, nginx, gunicorn, service workers installing), and a
# few have failed once under load and passed on every other run, each time a
# different test. Such a test gets one more try; two failures in a row still fail the
# run, and every rerun is listed at the end of it (-rR) so it is seen, not hidden.
RERUNS = {"reruns": 1, "reruns_delay": 2}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e") or item.nodeid.startswith("tests/deploy/"):
            item.add_marker(pytest.mark.flaky(**RERUNS))


@pytest.fixture(scope="session")
def server(tmp_path_factory, output_dir):
    """The app for the whole browser suite, logging to test-output/server.log (one per
    process under pytest-xdist: server-gw0.log, ...), with its own "no traces" check."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    log = output_dir / (f"server-{worker}.log" if worker else "server.log")
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
def phone_in(browser):
    """Phones whose browser languages are `locale` (e.g. zh-HK); closed after the test."""
    contexts = []

    def make(locale: str, **options):
        context = browser.new_context(**PHONE, locale=locale, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
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
