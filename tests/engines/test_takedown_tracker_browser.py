"""The takedown kit's tracker in a private window of Chromium, Firefox and WebKit
(issue 30, item 5): a link added by hand is kept in IndexedDB as plain data, and the
service worker keeps the kit's page while the tracker holds it, so it opens with the
server stopped; or, where the browser keeps nothing, she is told at once."""

import pytest
from selenium.webdriver.common.by import By

from support.engines import wait_for_active_worker, wait_until

pytestmark = pytest.mark.e2e

SESSION = {"private": True}
LINK = "https://t.me/maskpark_leaks/77"

KEPT_OR_TOLD = """
    const failed = document.querySelector('[data-td-tracker-failed]');
    if (failed && !failed.hidden) return 'told';
    return document.querySelectorAll('[data-td-list] li').length === 1 ? 'kept' : null;
"""
KIT_CACHED = """
    const done = arguments[arguments.length - 1];
    (async () => {
        for (const name of await caches.keys()) {
            if (await (await caches.open(name)).match('/en/takedown')) return true;
        }
        return false;
    })().then(done, () => done(false));
"""


def test_a_tracked_link_is_kept_and_opens_offline(live, driver, engine):
    wait_for_active_worker(driver, f"{live.url}/en/takedown", log=live.log)
    wait_until(driver, "const b = document.querySelector('[data-td-tracker-body]');"
                       " return b && !b.hidden;", seconds=15)
    driver.find_element(By.CSS_SELECTOR, ".td-add summary").click()
    driver.find_element(By.ID, "td-add-link").send_keys("t.me/maskpark_leaks/77")
    driver.find_element(By.CSS_SELECTOR, "[data-td-add-form] button[type=submit]").click()
    if wait_until(driver, KEPT_OR_TOLD, seconds=15) == "told":
        # She knows, and what she typed is still in the field.
        typed = driver.find_element(By.ID, "td-add-link").get_attribute("value")
        assert typed == "t.me/maskpark_leaks/77"
        pytest.skip(f"{engine}'s private window keeps nothing, and the page said so at once")
    assert driver.find_element(By.CSS_SELECTOR, "[data-td-list] .td-link").text == LINK
    for _ in range(100):
        if driver.execute_async_script(KIT_CACHED):
            break
    else:
        pytest.fail(f"{engine}: the worker did not keep the kit")

    with live.stopped():
        driver.get(f"{live.url}/en/takedown")
        wait_until(driver, "return document.querySelectorAll('[data-td-list] li').length === 1;",
                   seconds=15)
        assert driver.find_element(By.CSS_SELECTOR, "[data-td-list] .td-link").text == LINK
        assert driver.find_element(By.TAG_NAME, "h1").text
