"""The home checklist on a phone: item 1 in the first screen, and help for her region.

The page is one page per URL (cached and precached), so static/js/region.js picks
the region's help on the phone, from the same data attributes as the found page:
her own choice, kept on the phone; never her phone's language.
"""

import pytest

from support.browser import PHONE

pytestmark = pytest.mark.e2e

SHOWN = "[data-region-block]:not([hidden])"


def shown_region(page) -> str:
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion !== undefined")
    return page.locator("[data-emergency]").get_attribute("data-shown-region")


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant", "zh-hk"])
def test_item_one_is_in_the_first_screen(server, phone_in, lang):
    page = phone_in("en").new_page()
    page.goto(f"{server.url}/{lang}/check/home")
    box = page.locator("#item-safe-phone legend").bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["viewport"]["height"], (lang, box)


@pytest.mark.parametrize(("locale", "url", "region", "number"), [
    ("zh-TW", "/zh-hant/check/home?region=tw", "tw", "113"),
    ("ko-KR", "/en/check/home?region=kr", "kr", "1366"),
    ("en-US", "/zh-hant/check/home?region=hk", "hk", "2343 2255"),
])
def test_her_region_shows_its_line(server, phone_in, locale, url, region, number):
    page = phone_in(locale).new_page()
    page.goto(server.url + url)
    assert shown_region(page) == region
    assert page.locator(SHOWN).count() == 1
    assert number in page.locator(SHOWN).inner_text()
    assert page.locator("[data-region-pick]").is_hidden()


@pytest.mark.parametrize("locale", ["zh-TW", "ko-KR", "en-US"])
def test_the_phones_language_never_picks_a_region(server, phone_in, locale):
    # As on the found page: a phone set to en-US may be in Hong Kong.
    page = phone_in(locale).new_page()
    page.goto(server.url + "/en/check/home")
    assert shown_region(page) == ""
    assert page.locator(SHOWN).count() == 0
    assert page.locator("[data-region-pick] .region-choices a").count() >= 3


def test_her_choice_on_the_found_page_holds_here_too(server, phone_in):
    page = phone_in("en-US").new_page()
    page.goto(server.url + "/en/found")
    page.locator(".region-choices [data-pick-region='hk']").click()
    page.goto(server.url + "/en/check/home")
    assert shown_region(page) == "hk"
    assert "2343 2255" in page.locator(SHOWN).inner_text()
