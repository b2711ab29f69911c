"""Fixtures in the flaskr shape: an app on a temporary instance, client, runner."""

import pytest

from app import create_app
from app.i18n import LANGUAGES


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh instance folder: its own database and secret key."""
    path = tmp_path / "instance"
    monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def app(instance):
    return create_app({"TESTING": True})


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
        if rule.arguments - {"lang"}:
            raise AssertionError(f"add sample arguments for {rule.rule} to public_urls()")
        if "lang" in rule.arguments:
            urls += [rule.rule.replace("<lang:lang>", code) for code in LANGUAGES]
        else:
            urls.append(rule.rule)
    return sorted(urls)
