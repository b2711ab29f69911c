"""The woman's path in Chromium, Firefox and WebKit (Safari's engine), one test body
for all three: a checklist in her language that keeps her marks, pages that open
offline, a report sent in place, the map once she agrees, the lens page's manual
method with no camera. One browser session per engine, reused by every test here.

Offline is the server stopped, not the network cut: only Chromium's driver can cut it
(docs/browsers.md), and a stopped server is what a phone without signal sees too.
"""

import re
import sqlite3
import urllib.request
from contextlib import closing

import pytest
from selenium.webdriver.common.by import By

from app.map import publish as public_map
from app.web.i18n import LANGUAGES
from support.browser import CODE, stored
from support.engines import choose, wait_for_active_worker, wait_until

pytestmark = pytest.mark.e2e

FOUND_LABEL = {"en": "Found", "zh-hans": "有发现", "zh-hant": "有發現", "zh-hk": "有發現"}
OFFLINE_TITLE = "You are offline"
REFUSED = "The camera is not available, so use the method below"


def h1_online(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return re.search(r"<h1>(.*?)</h1>", response.read().decode())[1]


def page_language(driver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def is_checked(driver, name: str, value: str) -> bool:
    return driver.find_element(By.CSS_SELECTOR,
                               f"input[name='{name}'][value='{value}']").is_selected()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_checklist_in_her_language_keeps_her_mark(live, driver, lang):
    url = f"{live.url}/{lang}/check/hotel-room"
    driver.get(url)
    driver.execute_script("localStorage.removeItem('spotcheck.marks.hotel-room')")
    driver.refresh()
    assert page_language(driver) == LANGUAGES[lang].html_lang
    assert driver.find_element(By.TAG_NAME, "h1").text == h1_online(url)
    found = driver.find_element(By.CSS_SELECTOR, "#item-wifi label:has(input[value=found])")
    assert found.text == FOUND_LABEL[lang]
    assert not is_checked(driver, "wifi", "found")

    found.click()
    wait_until(driver, "return localStorage.getItem('spotcheck.marks.hotel-room')"
                       "?.includes('\"wifi\":\"found\"')")
    driver.refresh()
    wait_until(driver, "return document.querySelector(\"[name='wifi'][value=found]\").checked")
    bar = driver.find_element(By.CSS_SELECTOR, ".checklist .found-bar")
    assert bar.is_displayed()
    # The Wi-Fi item names no device; the one she marks Found next does.
    report = bar.find_element(By.CSS_SELECTOR, "[data-found-report]")
    assert report.get_attribute("href").endswith(f"/{lang}/report?space=hotel-room")
    mirror = driver.find_element(By.CSS_SELECTOR, "#item-mirror label:has(input[value=found])")
    # Mid-screen: at the top, the sticky progress line would take the click.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mirror)
    mirror.click()
    assert report.get_attribute("href").endswith(f"/{lang}/report?space=hotel-room&device=mirror")


def test_the_worker_installs_and_pages_open_offline(live, driver):
    pages = ["/en/", "/en/check/restroom", "/en/found", "/en/lens", "/zh-hk/check/hotel-room"]
    expected = {path: h1_online(live.url + path) for path in pages}
    wait_for_active_worker(driver, f"{live.url}/zh-hk/", log=live.log)
    driver.get(f"{live.url}/en/check/restroom")  # a second language, precached on this visit
    # Both languages precached: each has its offline page.
    wait_until(driver, """return (async () => {
        for (const lang of ["en", "zh-hk"])
            if (!(await caches.match(`/${lang}/offline`))) return false;
        return true; })()""", seconds=30)
    choose(driver, "holes", "unsure")

    with live.stopped():
        for path in pages:
            driver.get(live.url + path)
            assert driver.find_element(By.TAG_NAME, "h1").text == expected[path], path
            assert page_language(driver) == ("zh-Hant-HK" if "zh-hk" in path else "en")
        driver.get(f"{live.url}/en/check/restroom")
        wait_until(driver, "return document.querySelector(\"[name='holes'][value=unsure]\")"
                           ".checked")
        driver.get(f"{live.url}/en/a-page-never-saved")
        assert driver.find_element(By.TAG_NAME, "h1").text == OFFLINE_TITLE


def test_a_report_is_sent_in_place_with_javascript(live, driver, engine):
    description = f"htmx report from {engine}"
    driver.get(f"{live.url}/en/report")
    wait_until(driver, "return window.htmx !== undefined")
    address = driver.current_url
    choose(driver, "space", "hotel-room")
    choose(driver, "what", "found")
    driver.find_element(By.ID, "venue").send_keys("Harbour View Hotel")
    driver.find_element(By.ID, "description").send_keys(description)
    driver.find_element(By.CSS_SELECTOR, "[data-report-form] button[type=submit]").click()

    code = wait_until(driver, "return document.querySelector('#receipt-code')?.textContent.trim()")
    assert CODE.fullmatch(code)
    assert driver.current_url == address  # swapped in place, no page load
    assert stored(live, description) == 1


def publish_one(live) -> None:
    """One report published straight into the server's database, with its map cell."""
    with closing(sqlite3.connect(live.instance / "spotcheck.sqlite3")) as db:
        db.row_factory = sqlite3.Row
        if db.execute("SELECT count(*) FROM map_report").fetchone()[0]:
            return
        db.execute(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on) "
            "VALUES ('engines', x'00', 'engines', 'published', 'restroom', 'found', "
            "'Station Mall', 'Shanghai', 31.23, 121.47, '2026-11-01', "
            "'[\"city\", \"location\", \"venue\"]', '2026-11-02')")
        db.commit()
        public_map.rebuild(db, 200)


def test_the_map_shows_its_point_once_she_agrees(live, driver):
    publish_one(live)
    driver.get(f"{live.url}/en/map")
    driver.execute_script("localStorage.removeItem('spotcheck.map-tiles')")
    driver.refresh()
    consent = driver.find_element(By.CSS_SELECTOR, "[data-map-consent-yes]")
    wait_until(driver, "return arguments[0].offsetParent !== null", consent)
    assert driver.find_elements(By.CSS_SELECTOR, ".map-icon") == []  # nothing drawn before
    consent.click()
    wait_until(driver, "return document.querySelector('.leaflet-container .map-icon')")
    assert not consent.is_displayed()
    assert driver.execute_script("return localStorage.getItem('spotcheck.map-tiles')") == "yes"


def test_the_lens_page_offers_the_manual_method_without_a_camera(live, driver):
    driver.get(f"{live.url}/en/lens")
    start = driver.find_element(By.CSS_SELECTOR, "[data-lens-start]")
    has_camera_api = driver.execute_script("return !!navigator.mediaDevices?.getUserMedia")
    if has_camera_api:  # no camera on this machine: starting says so
        start.click()
        wait_until(driver, "return document.querySelector('[data-lens-status]')"
                           ".textContent.includes(arguments[0])", REFUSED)
        assert not driver.find_element(By.CSS_SELECTOR, "[data-lens-view]").is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, "[data-lens-manual]").is_displayed()
