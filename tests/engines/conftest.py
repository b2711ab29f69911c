"""Fixtures for the cross-engine suite: a server of its own (tests stop it to be
offline) and, per module, one browser session per engine, reused by every test of the
module (support/engines.py starts them; docs/browsers.md says what each can do)."""

import os

import pytest

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


@pytest.fixture(scope="module")
def driver(request, engine):
    """The module's browser in `engine`, set up as its module's SESSION asks
    (e.g. {"private": True} or {"javascript": False})."""
    with browser_session(engine, **getattr(request.module, "SESSION", {})) as session:
        yield session
