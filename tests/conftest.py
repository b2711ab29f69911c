"""Fixtures in the flaskr shape: an app on a temporary instance, client, runner."""

import itertools
import os
from pathlib import Path

import pytest

from app import create_app
from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent

# Every value a URL argument can take, so tests can visit every page.
URL_ARGUMENTS = {"lang": list(LANGUAGES), "space": list(CHECKLISTS), "token": ["not-a-token"],
                 "report_id": [1], "organizer_id": [1], "code": ["ZZZZZZ"], "kind": ["svg"]}


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


# A cheaper password hash keeps the suite fast; test_organizers checks the real default.
TEST_CONFIG = {"TESTING": True, "PASSWORD_SCRYPT_N": 2**10, "SETUP_LINK_ON_START": False}


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


def public_urls(app) -> list[str]:
    """Every GET page of the app, in every language: what a visitor can open."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        unknown = rule.arguments - URL_ARGUMENTS.keys()
        if unknown:
            raise AssertionError(f"add values for {unknown} ({rule.rule}) to URL_ARGUMENTS")
        names = sorted(rule.arguments)
        for values in itertools.product(*(URL_ARGUMENTS[name] for name in names)):
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **dict(zip(names, values, strict=True))))
    return sorted(set(urls))
