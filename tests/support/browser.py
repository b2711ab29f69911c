"""The browser suite's harness: the app as the README runs it (gunicorn), Debian's
Chromium and a phone's settings for it, and what a browser context did.

Plain functions and constants for the browser tests, the tests/<package>/test_*_browser.py
files (`from support.browser import ...`), and for bench/ (`from tests.support.browser
import ...`); tests/conftest.py turns them into fixtures.
"""

import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .servers import running_gunicorn

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

# A slow phone network (Chromium's emulation): Leaflet's 37 KB take well over a
# second, and a page is drawn well before its scripts have run.
SLOW_NETWORK = {"offline": False, "latency": 100, "downloadThroughput": 200_000 / 8,
                "uploadThroughput": 200_000 / 8}


def slow_page(context):
    """A new page of this browser context on SLOW_NETWORK."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    return page


# Runs in a page before its own scripts: adds up what moved on screen by
# itself (not after a tap), as Lighthouse's cumulative layout shift does.
WATCH_LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@dataclass
class Server:
    url: str
    instance: Path
    log: Path


@contextmanager
def running_server(instance: Path, port: int, log: Path, **settings: str):
    """gunicorn as the README runs it (servers.py), on its own instance folder, its
    output appended to `log`, until the block ends.

    `settings` are extra SPOTCHECK_* variables, e.g. MAP_COORDINATES="gcj02".
    """
    settings = {
        "WORKERS": "2",
        # Every browser test posts from 127.0.0.1: the real per-client limit (tested
        # in reports/test_views.py) would make them depend on their order.
        "REPORTS_PER_CLIENT_PER_HOUR": "1000",
        # A public address, as a real site has: posters refuse to point at 127.0.0.1.
        # Tests follow printed links by their paths.
        "PUBLIC_BASE_URL": "https://spotcheck.example",
        **settings,
    }
    with running_gunicorn(instance, port, log, **settings):
        yield Server(f"http://127.0.0.1:{port}", instance, log)


def visitor_traces(server: Server) -> list[str]:
    """Where the visitors' address or browser was written down (a list of places)."""
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


# -- The report form: the steps every report test takes -----------------------------

SPACE_LABEL = {"en": "Hotel or rental room", "zh-hans": "酒店或民宿房间",
               "zh-hant": "飯店或民宿房間"}
WHAT_LABEL = {"en": "I found a device", "zh-hans": "我发现了偷拍设备",
              "zh-hant": "我發現了偷拍裝置"}
SEND = {"en": "Send the report anonymously", "zh-hans": "匿名举报", "zh-hant": "匿名送出通報"}
CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}")  # a receipt code


def stored(server: Server, description: str | None = None) -> int:
    """Reports in the server's database, all of them or those with this description."""
    with closing(sqlite3.connect(server.instance / "spotcheck.sqlite3")) as conn:
        if description is None:
            return conn.execute("SELECT count(*) FROM report").fetchone()[0]
        return conn.execute("SELECT count(*) FROM report WHERE description = ?",
                            (description,)).fetchone()[0]


def fill(page, lang: str, description: str) -> None:
    """Answer the required questions and describe it, as she would."""
    page.get_by_label(SPACE_LABEL[lang]).check()
    page.get_by_label(WHAT_LABEL[lang]).check()
    page.locator("#venue").fill("Harbour View Hotel")
    page.locator("#description").fill(description)


def wait_for_worker(page) -> None:
    """Until the service worker is active and controls this page. Its install fetches
    the whole precache first: under load that once took over 30 s, so 90 s, as the
    cross-engine tests wait (support/engines.wait_for_active_worker)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=90_000)


# -- The organizer's steps: her password, signing in ----------------------------------

ADMIN_PASSWORD = "a long admin passphrase here"


def choose_password(page, password, username=None):
    if username:
        page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#password_again").fill(password)
    page.get_by_role("button", name="Save the password").click()


def sign_in(page, url, username, password):
    page.goto(f"{url}/en/organizers/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/en/organizers/")
