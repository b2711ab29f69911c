"""Fixtures in the flaskr shape: an app on a temporary instance, client, runner, auth.

Shared constants and steps are plain functions in helpers.py; this file only
turns them into fixtures.
"""

import os
from pathlib import Path

import pytest

from app import create_app
from app.web.i18n import LANGUAGES
from helpers import PASSWORD, ROOT, TEST_CONFIG, add_organizer, login


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
