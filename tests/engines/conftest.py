"""Fixtures for the cross-engine suite: per module, one server of its own (it stops
it to be offline) and one browser session per engine, reused by every test of the
module (support/engines.py starts them; docs/browsers.md says what each can do)."""

import os

import pytest

from support.engines import ENGINES, LiveServer, browser_session


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """Each test once per engine: "chromium", "firefox", "webkit"."""
    return request.param


@pytest.fixture(scope="module")
def live(request, tmp_path_factory, output_dir):
    """The module's own server, logging to test-output/engines-<module>.log."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    log = output_dir / f"engines-{name}{'-' + worker if worker else ''}.log"
    log.write_text("")
    server = LiveServer(tmp_path_factory.mktemp("instance"), log)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def driver(request, engine):
    """The module's browser in `engine`, set up as its module's SESSION asks
    (e.g. {"private": True} or {"javascript": False})."""
    with browser_session(engine, **getattr(request.module, "SESSION", {})) as session:
        yield session
