"""The emergency number on a real phone: from her choice, never from the phone's language.

The found page is one page per URL, so static/js/region.js shows the region she
chose (`?region=xx`, or kept on the phone) in the browser. A phone's language is
no guide: an en-US phone may be in Hong Kong (field review §2.3). With no choice,
the page asks "Where are you?" with the likely regions, and shows no number.
"""

import pytest

pytestmark = pytest.mark.e2e

CALL = "[data-region-block]:not([hidden]) .call"
LIKELY = "[data-region-pick]"


def shown_number(page) -> str:
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion !== undefined")
    assert page.locator(CALL).count() == 1, "exactly one big call button"
    return page.locator(CALL).get_attribute("href").removeprefix("tel:")


@pytest.mark.parametrize(("locale", "url", "number", "region"), [
    ("zh-HK", "/zh-hant/found", "999", "hk"),
    ("en-US", "/en/found", "999", "hk"),  # a US phone in Hong Kong
    ("zh-TW", "/zh-hk/found", "110", "tw"),
    ("de-DE", "/en/found", "911", "us"),
])
def test_her_choice_picks_the_number_whatever_the_phones_language(server, phone_in, locale, url,
                                                                   number, region):
    page = phone_in(locale).new_page()
    page.goto(f"{server.url}{url}?region={region}")
    assert shown_number(page) == number
    assert page.locator(LIKELY).is_hidden()
    # The number is the first thing in the emergency block, where her thumb goes.
    first = page.locator("[data-emergency] a[href^='tel:']:visible").first
    assert first.get_attribute("href") == f"tel:{number}"
    assert page.locator("[data-emergency]").get_attribute("data-shown-region") == region
    # Her region's card leads the police step, and the rest fold away.
    assert lead_regions(page)[0] == region
    assert page.locator(f"[data-region-rest] [data-region='{region}']").count() == 0


@pytest.mark.parametrize(("locale", "url"), [
    ("zh-HK", "/zh-hant/found"), ("en-US", "/en/found"), ("en-AU", "/en/found"),
    ("zh-TW", "/zh-hant/found"), ("de-DE", "/en/found"),
])
def test_the_phones_language_never_picks_a_number(server, phone_in, locale, url):
    page = phone_in(locale).new_page()
    page.goto(server.url + url)
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion === ''")
    assert page.locator(CALL).count() == 0
    assert page.locator(LIKELY).is_visible()
    assert page.locator("[data-emergency] a[href^='tel:']:visible").count() == 0


def lead_regions(page, list_index: int = 0) -> list[str]:
    """The data-region of each item shown first in the page's n-th region list."""
    lead = page.locator("[data-region-lead]").nth(list_index)
    return [item.get_attribute("data-region") for item in lead.locator("[data-region]").all()]


def test_help_services_follow_her_region(server, phone_in):
    # (The takedown places, Hong Kong's and the worldwide ones, are the kit's now.)
    page = phone_in("zh-HK").new_page()
    page.goto(server.url + "/zh-hk/found?region=sg")
    assert shown_number(page) == "999"
    # Singapore's services first; Taiwan's are folded.
    services = lead_regions(page, 1)
    assert services[0] == "sg" and set(services) <= {"sg", "*"}
    assert page.locator("[data-region-rest] [data-region='tw']").count() >= 1
    assert page.locator("[data-region-lead] [data-region='tw']").count() == 0


def test_a_phone_with_no_region_is_asked_with_the_likely_regions(server, phone_in):
    page = phone_in("en").new_page()
    page.goto(server.url + "/en/found")
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion === ''")
    assert page.locator(CALL).count() == 0
    likely = page.locator(LIKELY)
    assert likely.is_visible()
    choices = [a.get_attribute("data-pick-region")
               for a in likely.locator(".region-choices a").all()]
    assert choices == ["hk", "sg", "my", "us", "gb", "au"]
    # Every other region is one more tap away.
    likely.locator(".regions summary").click()
    assert page.locator("[data-pick-region='jp']").is_visible()


def test_without_javascript_the_list_shows_and_a_pick_is_one_number(server, phone_in):
    context = phone_in("zh-HK", java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/zh-hant/found")
    assert page.locator(LIKELY).is_visible()
    assert page.locator("[data-region-block] .call:visible").count() == 0
    page.locator(".region-choices [data-pick-region='mo']").click()
    page.wait_for_url("**/zh-hant/found?region=mo#safe")
    calls = page.locator("[data-region-block] .call:visible")
    assert calls.count() == 1 and calls.get_attribute("href") == "tel:999"
    assert "993" in page.locator("[data-region-block='mo']").inner_text()
    # "Change" asks again: a plain link to the page without a region.
    page.locator("[data-emergency] [data-region-change]").click()
    page.wait_for_url("**/zh-hant/found#where")
    assert page.locator(LIKELY).is_visible()


def test_her_choice_is_kept_offline_and_changed_in_one_tap(server, phone_in):
    context = phone_in("en-US", service_workers="allow")
    page = context.new_page()
    page.goto(server.url + "/en/found")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion === ''")

    # She is in Hong Kong with a US phone: she opens the other regions; picking loads no page.
    page.locator(".region-pick .regions summary").click()
    page.locator("[data-pick-region='hk']").click()
    assert page.url == server.url + "/en/found"
    assert shown_number(page) == "999"

    context.set_offline(True)
    page.goto(server.url + "/en/found")
    assert shown_number(page) == "999"
    assert page.locator(LIKELY).is_hidden()
    # Moving on to Macau: "Change", then Macau, still offline.
    page.locator("[data-emergency] [data-region-change]").click()
    assert page.locator(LIKELY).is_visible() and page.locator(CALL).count() == 0
    page.locator(".region-pick .regions summary").click()
    page.locator("[data-pick-region='mo']").click()
    assert shown_number(page) == "999"
    assert page.locator("[data-emergency]").get_attribute("data-shown-region") == "mo"
    context.set_offline(False)
