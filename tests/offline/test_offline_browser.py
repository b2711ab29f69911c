"""Offline: a visitor who opened SpotCheck once can open every checklist with no signal."""

import re
import urllib.request

import pytest

from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES
from support.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    SEND,
    fill,
    running_server,
    wait_for_worker,
)
from support.servers import free_port

pytestmark = pytest.mark.e2e

SPACES = list(CHECKLISTS)
OFFLINE_TITLE = {
    "en": "You are offline",
    "zh-hans": "你现在没有联网",
    "zh-hant": "你目前沒有網路連線",
    "zh-hk": "你目前沒有網絡連線",
}
BRAND = "rgb(61, 31, 92)"  # --brand, the header's background: the stylesheet applied


def cached_urls(page) -> list[str]:
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")


def h1_online(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return re.search(r"<h1>(.*?)</h1>", response.read().decode())[1]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_checklist_and_the_guide_open_offline(server, sw_phone, lang):
    pages = [f"/{lang}/check/{space}" for space in SPACES] + [f"/{lang}/found"]
    expected = {url: h1_online(server.url + url) for url in pages}
    page = sw_phone.new_page()
    page.goto(f"{server.url}/{lang}/")
    wait_for_worker(page)

    sw_phone.set_offline(True)
    for url in pages:
        page.goto(server.url + url)
        assert page.locator("html").get_attribute("lang") == LANGUAGES[lang].html_lang
        assert page.locator("h1").inner_text() == expected[url]
        header = page.locator(".site-header")
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND
        if "/check/" in url:
            drawn = page.evaluate("""() => [...document.querySelectorAll('.drawing use')]
                .map(u => u.getBBox().width)""")
            assert drawn and all(width > 0 for width in drawn), url
            # The page script runs offline too: marks still work.
            assert page.locator("[data-progress]").is_visible()


def test_an_unsaved_page_offline_shows_the_offline_page(server, sw_phone):
    page = sw_phone.new_page()
    page.goto(f"{server.url}/zh-hant/")
    wait_for_worker(page)
    sw_phone.set_offline(True)
    page.goto(f"{server.url}/zh-hant/a-page-never-saved")
    assert page.locator("h1").inner_text() == OFFLINE_TITLE["zh-hant"]
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    # It links to what does work offline.
    page.locator(".action").first.click()
    assert page.locator("h1").inner_text() == h1_online(f"{server.url}/zh-hant/check/restroom")


def test_an_install_that_loses_a_file_is_tried_again_from_the_same_page(server, sw_phone):
    """On a weak signal one precached file may not come. That fails the whole install
    and leaves no worker; the browser would try again only on her next visit, so the
    page she keeps open tries again itself (static/js/common.js)."""
    lost = []

    def lose_the_first(route):
        if lost:
            route.continue_()
        else:
            lost.append(route.request.url)
            route.abort("connectionreset")

    sw_phone.route(f"{server.url}/en/offline", lose_the_first)
    page = sw_phone.new_page()
    page.goto(f"{server.url}/en/check/restroom")
    page.evaluate("window.sameDocument = true")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=45_000)
    assert lost == [f"{server.url}/en/offline"]  # the first install did lose it
    assert page.evaluate("window.sameDocument === true")  # no reload, no second visit
    assert page.evaluate("caches.match('/en/offline').then(Boolean)")
    sw_phone.set_offline(True)
    page.goto(f"{server.url}/en/a-page-never-saved")
    assert page.locator("h1").inner_text() == OFFLINE_TITLE["en"]


def test_the_worker_is_registered_a_second_after_the_page_has_loaded(server, sw_phone):
    """Not while the page loads: its install's files would compete with the page she
    opened, and in WebKitGTK a page left just after register() could keep the worker
    "installing" until the browser closed (static/js/common.js, docs/browsers.md)."""
    page = sw_phone.new_page()
    page.goto(f"{server.url}/en/check/restroom")  # returns once the page has loaded
    assert page.evaluate("navigator.serviceWorker.getRegistration()") is None
    wait_for_worker(page)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{server.url}/sw.js"


def test_switching_language_offline(server, sw_phone):
    page = sw_phone.new_page()
    page.goto(f"{server.url}/en/")
    wait_for_worker(page)
    page.goto(f"{server.url}/zh-hans/check/restroom")  # a second language, visited online
    page.wait_for_function(
        """async () => {
        for (const name of await caches.keys())
            if (await (await caches.open(name)).match('/zh-hans/offline')) return true;
        return false;
    }""",
        timeout=30_000,
    )

    sw_phone.set_offline(True)
    page.goto(f"{server.url}/en/check/restroom")
    page.locator(".language-menu summary").click()  # folded on a phone (one-row header)
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url(f"{server.url}/zh-hans/check/restroom")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "公共卫生间"
    # Never visited in Traditional Chinese: the offline page says so, in the
    # language she was just reading.
    page.locator(".language-menu summary").click()
    page.get_by_role("link", name="繁體中文", exact=True).click()
    page.wait_for_url(f"{server.url}/zh-hant/check/restroom")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == OFFLINE_TITLE["zh-hans"]


def test_report_and_organizer_pages_are_never_cached(server, sw_phone):
    page = sw_phone.new_page()
    page.goto(f"{server.url}/en/")
    wait_for_worker(page)
    for url in (
        "/en/report",
        "/zh-hans/report?space=restroom",
        "/en/organizers/",
        "/en/check/hotel-room",
        "/en/found",
    ):
        page.goto(server.url + url)
    page.wait_for_timeout(500)  # let background refreshes land
    urls = cached_urls(page)
    assert any(u.endswith("/en/check/hotel-room") for u in urls)
    # The report form's empty shell is the one report page kept (test_views.py).
    kept = [u for u in urls if ("/report" in u or "/organizers" in u)
            and not u.endswith("/offline/report")]
    assert kept == []


def test_without_service_workers_everything_still_works(server, browser):
    context = browser.new_context(**PHONE, service_workers="block")
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/en/check/restroom")
    page.locator("#item-holes").get_by_label("Found").check()
    assert page.locator(".found-bar").is_visible()
    assert page.locator("[data-progress]").inner_text() == "1 of 8 checked · 1 found"
    assert page.evaluate("'serviceWorker' in navigator && navigator.serviceWorker.controller") in (
        None,
        False,
    )
    assert errors == []
    context.close()


def test_chromium_finds_the_app_installable(server, browser, tmp_path):
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_FLAGS, **PHONE
    )
    try:
        page = context.new_page()
        page.goto(f"{server.url}/zh-hans/")
        wait_for_worker(page)
        page.reload()
        cdp = context.new_cdp_session(page)
        result = cdp.send("Page.getInstallabilityErrors")
        assert result["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/zh-hans/manifest.webmanifest")
        assert manifest["errors"] == []
    finally:
        context.close()


def test_a_deploy_updates_every_client(browser, tmp_path):
    """Change what is precached, restart: the notice appears, reload brings the new pages."""
    instance, port, log = tmp_path / "instance", free_port(), tmp_path / "server.log"
    instance.mkdir()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    with running_server(instance, port, log) as server:
        page.goto(f"{server.url}/en/")
        wait_for_worker(page)
        old_caches = page.evaluate("caches.keys()")
        assert len(old_caches) == 1

    # The deploy: the quick-exit target on every precached page changes.
    (instance / "config.py").write_text('QUICK_EXIT_URL = "https://example.org/after-deploy"\n')
    with running_server(instance, port, log) as server:
        page.goto(f"{server.url}/en/")
        notice = page.locator("[data-update-notice]")
        notice.wait_for(state="visible", timeout=30_000)
        assert notice.get_by_role("button").inner_text() == "Reload"
        # Until she reloads, the checklist comes from the old version's cache.
        assert len(page.evaluate("caches.keys()")) == 2

        with page.expect_navigation():
            notice.get_by_role("button").click()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto(f"{server.url}/en/check/restroom")
        assert (
            page.locator(".quick-exit").get_attribute("href") == "https://example.org/after-deploy"
        )
        new_caches = page.evaluate("caches.keys()")
        assert len(new_caches) == 1 and new_caches != old_caches
    context.close()


def test_a_waiting_report_shows_on_every_saved_page_offline_in_her_language(server, sw_phone):
    # Most pages carry no outbox labels (base.html): outbox.js reads them from the
    # report form's shell, which the worker keeps, so they show offline as well.
    with urllib.request.urlopen(f"{server.url}/zh-hant/offline/report") as response:
        shell = response.read().decode()
    waiting = re.search(r'data-waiting="([^"{]*)\{date\}([^"]*)"', shell)
    page = sw_phone.new_page()
    page.goto(f"{server.url}/zh-hant/")
    wait_for_worker(page)
    sw_phone.set_offline(True)
    page.goto(f"{server.url}/zh-hant/offline/report")
    fill(page, "zh-hant", "offline, then another page")
    page.get_by_role("button", name=SEND["zh-hant"]).click()
    page.locator("[data-outbox]").get_by_text(waiting[2].strip()).wait_for()
    for url in ("/zh-hant/check/restroom", "/zh-hant/found", "/zh-hant/"):
        page.goto(server.url + url)
        outbox = page.locator("[data-outbox]")
        assert outbox.get_attribute("data-labels-from") == "/zh-hant/offline/report"
        outbox.get_by_text(waiting[2].strip()).wait_for()
        assert waiting[1] in outbox.locator("li p").first.inner_text()
        assert outbox.get_by_role("button", name=re.compile(".")).count() == 1  # "delete it"
