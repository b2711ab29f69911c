"""With JavaScript off, in Chromium, Firefox and WebKit: a checklist still marks, and a
report with a photo goes by a plain form POST to a receipt page (docs/privacy.md,
promise 4). One session per engine with scripts off from its start (support/engines.py:
Chromium's content setting, Firefox's javascript.enabled, MiniBrowser's
--enable-javascript=false)."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from support.browser import CODE, stored
from support.engines import choose, wait_until

pytestmark = pytest.mark.e2e

SESSION = {"javascript": False}
PHOTO = Path(__file__).parents[1] / "reports" / "device.jpg"


def photos(live, description: str) -> int:
    with closing(sqlite3.connect(live.instance / "spotcheck.sqlite3")) as db:
        return db.execute("SELECT count(*) FROM report_photo JOIN report ON report.id = report_id "
                          "WHERE description = ?", (description,)).fetchone()[0]


def test_a_checklist_marks_without_javascript(live, driver):
    driver.get(f"{live.url}/zh-hant/check/restroom")
    # The count of marks needs a script: hidden, so scripts are really off.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-progress]").is_displayed()
    item = driver.find_element(By.CSS_SELECTOR, "#item-holes")
    bar = driver.find_element(By.CSS_SELECTOR, ".checklist .found-bar")
    assert not bar.is_displayed()
    item.find_element(By.CSS_SELECTOR, "label:has(input[value=found])").click()
    assert bar.is_displayed()  # CSS alone
    # Without JS the report link names the space only.
    report = bar.find_element(By.CSS_SELECTOR, "[data-found-report]")
    assert report.get_attribute("href").endswith("/zh-hant/report?space=restroom")


def test_a_report_with_a_photo_by_a_plain_post(live, driver, engine):
    description = f"no-js report from {engine}"
    driver.get(f"{live.url}/zh-hans/report?space=hotel-room")
    assert driver.find_element(By.CSS_SELECTOR, "input[name=space][value=hotel-room]").is_selected()
    choose(driver, "what", "found")
    driver.find_element(By.ID, "description").send_keys(description)
    driver.find_element(By.ID, "photo").send_keys(str(PHOTO))
    driver.find_element(By.CSS_SELECTOR, "[data-report-form] button[type=submit]").click()

    # The receipt page (WebDriver's scripts still run with the page's turned off).
    code = wait_until(driver, "return document.querySelector('#receipt-code')?.textContent")
    assert CODE.fullmatch(code.strip())
    assert code.strip() not in driver.current_url
    assert stored(live, description) == 1
    assert photos(live, description) == 1
