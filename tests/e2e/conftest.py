"""Browser tests: the app as the README runs it (gunicorn), driven in Debian's Chromium.

Playwright only drives /usr/bin/chromium; it never downloads a browser.
Screenshots and the server's log land in test-output/ (or $SPOTCHECK_TEST_OUTPUT).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Distinctive, so tests can prove it is never written down anywhere.
USER_AGENT = "SpotCheckE2E/1.0 (Linux; Android 14; Pixel 8) Chromium"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": USER_AGENT,
}
# Runs in every page before its own scripts, outside the page's CSP.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@dataclass
class Server:
    url: str
    instance: Path
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(instance: Path, port: int, log: Path, **settings: str):
    """gunicorn as the README runs it, on its own instance folder, until the block ends.

    `settings` are extra SPOTCHECK_* variables, e.g. MAP_COORDINATES="gcj02".
    """
    env = {
        **os.environ,
        "SPOTCHECK_INSTANCE_PATH": str(instance),
        "SPOTCHECK_BIND": f"127.0.0.1:{port}",
        "SPOTCHECK_WORKERS": "2",
        # Every browser test posts from 127.0.0.1: the real per-client limit (tested
        # in test_reports.py) would make them depend on their order.
        "SPOTCHECK_REPORTS_PER_CLIENT_PER_HOUR": "1000",
        # A public address, as a real site has: posters refuse to point at 127.0.0.1.
        # Tests follow printed links by their paths.
        "SPOTCHECK_PUBLIC_BASE_URL": "https://spotcheck.example",
        **{f"SPOTCHECK_{name}": value for name, value in settings.items()},
    }
    with log.open("a") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield Server(url, instance, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


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


def visitor_traces(server: "Server") -> list[str]:
    needles = [b"127.0.0.1", USER_AGENT.encode(), b"SpotCheckE2E", b"HeadlessChrome"]
    found = []
    for path in sorted(p for p in server.instance.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [f"{n!r} in {path.name}" for n in needles if n in data]
    for number, line in enumerate(server.log.read_text().splitlines(), start=1):
        if "Listening at" in line:
            continue  # gunicorn naming its own address, not a visitor's
        found += [f"{n!r} in log line {number}" for n in needles if n.decode() in line]
    return found


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a browser context did: every request, console message and CSP violation."""

    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname != "127.0.0.1"
        ]

    def csp_messages(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


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
