"""A built mirror (issue 32) in Chromium, Firefox and WebKit, the engine of every
iPhone: the women who need a mirror are those whose primary is blocked, and many of
them use iPhones. `flask mirror` is run once for the module, below a base path, and
Debian's nginx serves it from a folder as a plain static host (support/mirrors.py);
the primary its reports go to is a server of this module's own, since it must list the
mirror's origin (the suite's `live` server lists none).

Offline is the static host, or the primary, stopped (docs/browsers.md): only Chromium's
driver can cut the network. tests/mirror/ tests the same mirror in Chromium alone, in
more depth (every page, every language, the map).
"""

import json
import re
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support.browser import CODE, stored
from support.engines import LiveServer, Restartable, choose, wait_for_active_worker, wait_until
from support.mirrors import BASE, CSP_REPORTS, build_mirror, static_nginx
from support.servers import free_port

pytestmark = pytest.mark.e2e

LANG = "zh-hans"
CHECKLIST = f"{LANG}/check/hotel-room/index.html"
MIRRORS = ("https://mirror-one.example/spotcheck/", "https://mirror-two.example/")
# A violation of the pages' policy made on purpose once a page is checked (no policy
# lets a page load an image from port 1): once its report has come, any report of the
# page's own load has come too (a browser sends them in order).
CONTROL = "http://127.0.0.1:1/csp-control.png"


class StaticHost(Restartable):
    """The built mirror on one port, which a test can stop for a while."""

    def __init__(self, www: Path, folder: Path, policy: str):
        self.www, self.folder, self.policy = www, folder, policy
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{BASE}"
        self.serving = None

    def start(self) -> None:
        self.serving = static_nginx(self.www, self.folder, self.port, report_csp=self.policy)
        self.serving.__enter__()

    def stop(self) -> None:
        if self.serving is not None:
            self.serving.__exit__(None, None, None)
            self.serving = None

    def failed_requests(self) -> list[str]:
        """Every request the host answered with an error (a missing file)."""
        log = (self.folder / "logs" / "access.log").read_text()
        return [line for line in log.splitlines() if re.search(r'" [45]\d\d ', line)]

    def csp_reports(self) -> list[dict]:
        """The bodies of the Report-Only copy of the pages' policy's reports."""
        path = self.folder / CSP_REPORTS
        if not path.exists():
            return []
        return [json.loads(json.loads(f'"{line}"')) for line in path.read_text().splitlines()
                if line]


@pytest.fixture(scope="module")
def primary(tmp_path_factory, output_dir):
    """The primary (gunicorn), listing the mirror's origin; set up by `mirror`."""
    log = output_dir / "engines-mirror-primary.log"
    log.write_text("")
    server = LiveServer(tmp_path_factory.mktemp("primary"), log)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mirror(tmp_path_factory, migrated_database, primary):
    """The mirror, built once for the module, reporting to `primary`."""
    folder = tmp_path_factory.mktemp("engines-mirror")
    www = build_mirror(folder, migrated_database, PUBLIC_BASE_URL=primary.url,
                       MIRRORS=" ".join(MIRRORS))
    page = (www / BASE.strip("/") / CHECKLIST).read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    host = StaticHost(www, folder / "nginx", policy.replace("&#39;", "'"))
    primary.settings["MIRROR_ORIGINS"] = f"http://127.0.0.1:{host.port}"
    primary.start()
    host.start()
    yield host
    host.stop()


def h1_of(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return re.search(r"<h1>(.*?)</h1>", response.read().decode())[1]


def no_csp_violation(driver, host: StaticHost, since: int) -> None:
    """No report of the pages' policy after the first `since` but the control's, which
    this page makes now."""
    driver.execute_script("new Image().src = arguments[0]", CONTROL)
    control = (CONTROL, CONTROL.rsplit("/", 1)[0])  # some engines report the origin only
    reports: list[dict] = []

    def control_came(_) -> bool:
        reports[:] = [r["csp-report"] for r in host.csp_reports()[since:]]
        return any(r["blocked-uri"] in control for r in reports)

    WebDriverWait(driver, 15, poll_frequency=0.1).until(control_came, "no CSP report came")
    assert [r for r in reports if r["blocked-uri"] not in control] == []


def test_a_checklist_in_zh_hans_loads_whole_from_the_mirror(driver, mirror):
    reported = len(mirror.csp_reports())
    driver.get(mirror.url + CHECKLIST)
    wait_until(driver, "return document.readyState === 'complete'")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert driver.find_element(By.TAG_NAME, "h1").text == h1_of(mirror.url + CHECKLIST)
    # Every stylesheet applied: each has its rules, and app.css's own tap height is set.
    sheets = driver.execute_script("""
        return [...document.querySelectorAll('link[rel=stylesheet]')]
            .map((l) => [l.getAttribute('href'), l.sheet ? l.sheet.cssRules.length : 0])""")
    assert sheets and all(rules > 0 for _, rules in sheets), sheets
    assert all(href.startswith(f"{BASE}static/") for href, _ in sheets), sheets
    assert driver.execute_script("return getComputedStyle(document.documentElement)"
                                 ".getPropertyValue('--tap').trim()") == "3rem"
    # The page's scripts ran: checklist.js (and storage.js, which it imports by its
    # hashed name) counted the items and showed the clear button.
    progress = wait_until(driver, """const p = document.querySelector('[data-progress]');
        return p && !p.hasAttribute('data-pending') && p.textContent.trim();""")
    assert re.search(r"\d", progress)
    assert driver.find_element(By.CSS_SELECTOR, "[data-clear-row]").is_displayed()
    assert mirror.failed_requests() == []
    no_csp_violation(driver, mirror, since=reported)


def test_the_worker_installs_below_the_base_path_and_pages_open_with_the_host_stopped(
        driver, mirror):
    checklist_h1 = h1_of(mirror.url + CHECKLIST)
    offline_h1 = h1_of(f"{mirror.url}{LANG}/offline/index.html")
    wait_for_active_worker(driver, f"{mirror.url}{LANG}/index.html")
    scope = driver.execute_script(
        "return navigator.serviceWorker.getRegistration().then((r) => r.scope)")
    assert scope == mirror.url
    wait_until(driver, """return (async () => Boolean(
        await caches.match(arguments[0]) && await caches.match(arguments[1])))()""",
               f"{BASE}{LANG}/offline/index.html", f"{BASE}{CHECKLIST}", seconds=30)

    with mirror.stopped():
        driver.get(mirror.url + CHECKLIST)
        assert driver.find_element(By.TAG_NAME, "h1").text == checklist_h1
        wait_until(driver, "return !document.querySelector('[data-progress]')"
                           ".hasAttribute('data-pending')")  # its scripts, from the cache
        for page in ("offline/index.html", "map/list/index.html"):  # the second never saved
            driver.get(f"{mirror.url}{LANG}/{page}")
            assert driver.find_element(By.TAG_NAME, "h1").text == offline_h1, page
            links = driver.find_elements(By.CSS_SELECTOR, "[data-mirrors] a")
            assert [a.get_attribute("href") for a in links] == list(MIRRORS), page


def test_a_report_written_on_the_mirror_waits_while_the_primary_is_down(
        driver, mirror, primary, engine):
    description = f"written on the mirror in {engine}"
    driver.get(f"{mirror.url}en/report/index.html")
    wait_until(driver, "return document.readyState === 'complete'")
    choose(driver, "space", "hotel-room")
    choose(driver, "what", "found")
    driver.find_element(By.ID, "venue").send_keys("Harbour View Hotel")
    driver.find_element(By.ID, "description").send_keys(description)

    with primary.stopped():
        driver.find_element(By.CSS_SELECTOR, "[data-report-form] button[type=submit]").click()
        told = wait_until(driver, """const box = document.querySelector('[data-outbox]');
            return box && !box.hidden && box.textContent.includes('could not be reached')
                && box.textContent;""", seconds=30)
        assert "It will be sent by itself later" in told
        assert stored(primary, description) == 0

    driver.refresh()  # the primary answers again: the page load sends what waits
    code = wait_until(driver, "return document.querySelector('[data-outbox] .receipt-code')"
                              "?.textContent", seconds=30)
    assert CODE.search(code)
    assert stored(primary, description) == 1
