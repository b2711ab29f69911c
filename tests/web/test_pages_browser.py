"""The home page in each language, in a real phone-sized Chromium."""

import re
import urllib.request

import pytest

from app.web.i18n import LANGUAGES
from support.browser import PHONE, USER_AGENT, WATCH_LAYOUT_SHIFTS, slow_page

pytestmark = pytest.mark.e2e

HEADINGS = {
    "en": "Is someone filming here?",
    "zh-hans": "这里会不会有人偷拍？",
    "zh-hant": "這裡會不會有人偷拍？",
    "zh-hk": "這裏會不會有人偷拍？",
}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_home_page_on_a_phone(server, phone, output_dir, lang):
    page = phone.new_page()
    page.goto(f"{server.url}/{lang}/")

    assert page.locator("html").get_attribute("lang") == LANGUAGES[lang].html_lang
    assert page.locator("h1").inner_text() == HEADINGS[lang]
    # The stylesheet really applied: the quick exit is a big, visible button.
    exit_box = page.locator(".quick-exit").bounding_box()
    assert exit_box and exit_box["height"] >= 44 and exit_box["x"] + exit_box["width"] <= 360
    # Nothing is wider than the 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=output_dir / f"home-{lang}.png", full_page=True)

    assert phone.watch.foreign_requests() == []
    assert phone.cookies() == []
    assert page.evaluate("window.__cspViolations") == []
    assert phone.watch.csp_messages() == []


# Whether the outbox ever lost its hidden attribute, however briefly.
WATCH_OUTBOX = """
window.__outboxShown = false;
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.matches("[data-outbox]") && record.oldValue === null) {
      window.__outboxShown = true;
    }
  }
}).observe(document, {subtree: true, attributeFilter: ["hidden"], attributeOldValue: true});
"""


@pytest.mark.parametrize("path", ["/en/", "/zh-hans/found", "/zh-hant/report"])
def test_nothing_jumps_while_the_page_script_runs(server, browser, path):
    # The outbox's labels were once data-copy: app.js took it for a copy button and
    # showed the empty "Reports on this phone" box on every page for a moment,
    # moving everything below it (a layout shift of 0.05 twice per page).
    # On the found page, with no region chosen, region.js leaves the question as the
    # server drew it, whatever the phone's languages (tests/checklists/
    # test_first_screen_browser.py holds the script back to prove it for en-US).
    phone = browser.new_context(**PHONE, locale="zh")
    phone.add_init_script(WATCH_LAYOUT_SHIFTS)
    phone.add_init_script(WATCH_OUTBOX)
    try:
        page = slow_page(phone)  # the page is drawn well before its script runs
        page.goto(f"{server.url}{path}", wait_until="load")
        page.wait_for_timeout(500)  # the outbox is read from IndexedDB after the load
        assert page.evaluate("navigator.languages") == ["zh"]
        assert page.evaluate("window.__shift") < 0.001
        # With no report on this phone, the outbox never showed, not even for one frame.
        assert page.evaluate("window.__outboxShown") is False
        assert page.locator("[data-outbox]").is_hidden()
    finally:
        phone.close()


def test_the_csp_watch_would_catch_a_violation(server, phone):
    """The checks above mean something only if an inline script is caught."""
    page = phone.new_page()
    page.goto(f"{server.url}/en/")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__ran = true";
        document.body.append(s);
    }""")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert "script-src" in page.evaluate("window.__cspViolations")[0]


def test_browser_language_picks_the_page_language(server, browser):
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    page.goto(f"{server.url}/")
    assert page.url == f"{server.url}/zh-hant/"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    context.close()


def test_language_menu_switches_on_the_same_page(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/check/")
    page.locator(".language-menu summary").click()  # folded on a phone (one-row header)
    page.get_by_role("link", name="简体中文").click()
    assert page.url == f"{server.url}/zh-hans/check/"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_quick_exit_leaves_and_replaces_the_history_entry(server, phone):
    page = phone.new_page()
    # Stand in for the neutral site: the test network reaches no other host.
    neutral = f"{server.url}/healthz?neutral"
    phone.route(
        "https://www.bing.com/**",
        lambda route: route.fulfill(status=302, headers={"Location": neutral}),
    )
    page.goto(f"{server.url}/en/")
    page.goto(f"{server.url}/zh-hans/")
    with phone.expect_page() as opened:
        page.get_by_role("link", name="快速离开").tap()
    fresh = opened.value
    fresh.wait_for_url(neutral)
    # The neutral site opens in a fresh tab: Back there leads to nothing of SpotCheck.
    assert fresh.evaluate("history.length") == 1
    assert fresh.go_back() is None and fresh.url == neutral
    # And the tab she left no longer shows SpotCheck either.
    page.wait_for_url(neutral)


def test_quick_exit_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    context.route("https://www.bing.com/**", lambda route: route.fulfill(body="neutral"))
    page = context.new_page()
    page.goto(f"{server.url}/en/")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url("https://www.bing.com/**")
    assert page.content().count("neutral") == 1
    context.close()


def test_htmx_reads_its_settings_from_the_meta_tag(server, phone):
    page = phone.new_page()
    # Only pages that load htmx carry its settings (_htmx.html).
    page.goto(f"{server.url}/en/")
    assert page.locator("meta[name=htmx-config]").count() == 0
    page.goto(f"{server.url}/en/report")
    page.wait_for_function("() => window.htmx !== undefined")
    config = page.evaluate("""() => ({
        allowEval: htmx.config.allowEval, allowScriptTags: htmx.config.allowScriptTags,
        includeIndicatorStyles: htmx.config.includeIndicatorStyles,
        historyCacheSize: htmx.config.historyCacheSize,
        selfRequestsOnly: htmx.config.selfRequestsOnly, version: htmx.version})""")
    assert config == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
        "historyCacheSize": 0,
        "selfRequestsOnly": True,
        "version": "2.0.11",
    }
    assert page.evaluate("window.__cspViolations") == []


def test_server_log_has_no_address_or_user_agent(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/zh-hant/?secret-query=1")
    request = urllib.request.Request(f"{server.url}/en/", headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    log = server.log.read_text()
    access = [line for line in log.splitlines() if re.match(r"(GET|POST|HEAD) /", line)]
    assert any(line.startswith("GET /zh-hant/ 200") for line in access), log
    for line in access:
        assert "127.0.0.1" not in line and USER_AGENT not in line and "secret-query" not in line
    assert "SpotCheckE2E" not in log
    # The only address in the whole log is gunicorn announcing where it listens.
    assert [
        line for line in log.splitlines() if "127.0.0.1" in line and "Listening at" not in line
    ] == []
