"""The emergency number on a real phone: from her choice, else her browser's region, else none.

The found page is one page per URL, so static/js/region.js picks the number in
the browser. A phone set to zh-HK must see Hong Kong's 999 even on the
Traditional Chinese page (which is Taiwan's 110 for most of its readers), and a
phone with no region must see the likely numbers side by side, never one guess.
"""

import pytest

from support.browser import PHONE

pytestmark = pytest.mark.e2e

CALL = ".emergency-one:not([hidden]) .call"
LIKELY = "[data-emergency-likely]"


@pytest.fixture
def phone_in(browser):
    """A phone whose browser languages are `locale` (e.g. zh-HK); closed after the test."""
    contexts = []

    def make(locale: str, **options):
        context = browser.new_context(**PHONE, locale=locale, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def shown_number(page) -> str:
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion !== undefined")
    assert page.locator(CALL).count() == 1, "exactly one big call button"
    return page.locator(CALL).get_attribute("href").removeprefix("tel:")


@pytest.mark.parametrize(("locale", "url", "number", "region"), [
    ("zh-HK", "/zh-hant/found", "999", "hk"),
    ("zh-HK", "/zh-hk/found", "999", "hk"),
    ("zh-MO", "/zh-hk/found", "999", "mo"),
    ("en-US", "/en/found", "911", "us"),
    ("en-AU", "/en/found", "000", "au"),
    ("en-GB", "/en/found", "999", "gb"),
    ("zh-TW", "/zh-hant/found", "110", "tw"),
    ("de-DE", "/en/found", "112", "eu"),
])
def test_the_browser_region_picks_the_number(server, phone_in, locale, url, number, region):
    page = phone_in(locale).new_page()
    page.goto(server.url + url)
    assert shown_number(page) == number
    assert page.locator(LIKELY).is_hidden()
    # The number is the first thing in the emergency block, where her thumb goes.
    first = page.locator("[data-emergency] a[href^='tel:']:visible").first
    assert first.get_attribute("href") == f"tel:{number}"
    assert page.locator("[data-emergency]").get_attribute("data-shown-region") == region
    # Her region's card leads the police step, and the rest fold away.
    assert lead_regions(page)[0] == region
    assert page.locator(f"[data-region-rest] [data-region='{region}']").count() == 0


def lead_regions(page, list_index: int = 0) -> list[str]:
    """The data-region of each item shown first in the page's n-th region list."""
    lead = page.locator("[data-region-lead]").nth(list_index)
    return [item.get_attribute("data-region") for item in lead.locator("[data-region]").all()]


def test_help_services_follow_the_phones_region(server, phone_in):
    page = phone_in("zh-HK").new_page()
    page.goto(server.url + "/zh-hant/found")
    assert shown_number(page) == "999"
    # Hong Kong's services first, then the worldwide ones; Taiwan's are folded.
    services = lead_regions(page, 1)
    assert services[0] == "hk" and set(services) == {"hk", "*"}
    assert page.locator("[data-region-rest] [data-region='tw']").count() >= 1
    assert page.locator("[data-region-lead] [data-region='tw']").count() == 0


def test_a_phone_with_no_region_sees_the_likely_numbers(server, phone_in):
    page = phone_in("en").new_page()
    page.goto(server.url + "/en/found")
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion === ''")
    assert page.locator(CALL).count() == 0
    likely = page.locator(LIKELY)
    assert likely.is_visible()
    numbers = [a.get_attribute("href") for a in likely.locator("a").all()]
    assert numbers == ["tel:911", "tel:999", "tel:000"]
    # The switch sits right beside the list, open.
    assert page.locator("[data-pick-region='hk']").is_visible()


def test_without_javascript_the_list_shows_and_a_pick_is_one_number(server, phone_in):
    context = phone_in("zh-HK", java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/zh-hant/found")
    assert page.locator(LIKELY).is_visible()
    assert page.locator(".emergency-one .call:visible").count() == 0
    page.locator("[data-pick-region='mo']").click()
    page.wait_for_url("**/zh-hant/found?region=mo#safe")
    calls = page.locator(".emergency-one .call:visible")
    assert calls.count() == 1 and calls.get_attribute("href") == "tel:999"
    assert "993" in page.locator("[data-region-block='mo']").inner_text()


def test_her_choice_wins_over_the_browser_and_is_kept_offline(server, phone_in):
    context = phone_in("en-US", service_workers="allow")
    page = context.new_page()
    page.goto(server.url + "/en/found")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    assert shown_number(page) == "911"

    # She is in Hong Kong with a US phone: the switch is folded beside the number;
    # picking loads no page.
    assert page.locator("[data-pick-region='hk']").is_hidden()
    page.locator(".region-pick summary").click()
    page.locator("[data-pick-region='hk']").click()
    assert page.url == server.url + "/en/found"
    assert shown_number(page) == "999"

    context.set_offline(True)
    page.goto(server.url + "/en/found")
    assert shown_number(page) == "999"
    assert page.locator(LIKELY).is_hidden()
    context.set_offline(False)
