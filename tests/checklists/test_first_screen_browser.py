"""What a phone shows on its first screens, measured at 360×740 (issue 26, field review §2).

The found page says where it thinks she is (or asks) before any number, with a
one-tap change; "Report this place" is within two screens; item 1 of every checklist
is whole on the first screen; a phone set to en-US is never given 911 unasked; and
nothing moves when region.js runs. One browser context per module, its page reused.
"""

import pytest

from app.content.checklists import CHECKLISTS
from app.content.regions import LIKELY_REGIONS, REGIONS
from app.web.i18n import LANGUAGES
from support.browser import PHONE, WATCH_LAYOUT_SHIFTS

pytestmark = pytest.mark.e2e

SCREEN = PHONE["viewport"]["height"]
WIDTH = PHONE["viewport"]["width"]
TAP = 44

# Where each thing is on the page (document coordinates, the page scrolled to the top).
PLACES = """() => {
  const visible = (e) => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== "hidden";
  const box = (e) => { const r = e.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, height: r.height, width: r.width}; };
  const all = [...document.querySelectorAll("main a[href^='tel:']")].filter(visible);
  const where = [...document.querySelectorAll(".region-now, [data-region-pick] .region-question")]
    .filter(visible);
  const report = [...document.querySelectorAll("main a.button[href$='/report']")].filter(visible);
  const first = (list) => list.length ? box(list[0]) : null;
  return {
    where: first(where),
    whereBeforeTel: where.length > 0 && (all.length === 0 ||
      Boolean(where[0].compareDocumentPosition(all[0]) & Node.DOCUMENT_POSITION_FOLLOWING)),
    firstTel: first(all),
    tels: all.map((a) => [a.getAttribute("href"), box(a).top]),
    report: first(report),
    reportHref: report.length ? report[0].getAttribute("href") : null,
    width: document.documentElement.scrollWidth,
  };
}"""


# How many lines an element's text takes.
LINES = """(e) => { const r = document.createRange(); r.selectNodeContents(e);
  return r.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight); }"""


@pytest.fixture(scope="module")
def phone_page(browser):
    """One phone (languages en-US, as the review's Sarah) and one page for the module."""
    context = browser.new_context(**PHONE, locale="en-US", service_workers="block")
    page = context.new_page()
    yield page
    context.close()


def forget(page, server) -> None:
    """No region kept on the phone from an earlier test."""
    page.goto(f"{server.url}/healthz")
    page.evaluate("localStorage.clear()")


def places(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-emergency]')"
                           ".dataset.shownRegion !== undefined")
    return page.evaluate(PLACES)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_found_page_asks_where_she_is_before_any_number(server, phone_page, lang):
    # No region known: the first screen asks, with her language's likely regions as
    # big choices, and no number at all until she answers.
    forget(phone_page, server)
    seen = places(phone_page, f"{server.url}/{lang}/found")
    assert seen["where"] and seen["where"]["bottom"] <= SCREEN, seen
    assert seen["whereBeforeTel"], seen
    assert all(top > SCREEN for _href, top in seen["tels"]), seen["tels"]
    choices = phone_page.locator(".region-choices [data-pick-region]")
    assert [c.get_attribute("data-pick-region") for c in choices.all()] == \
        list(LIKELY_REGIONS[lang])
    for choice in choices.all():
        box = choice.bounding_box()
        assert box["height"] >= TAP and box["y"] + box["height"] <= SCREEN
    # The other regions (Japan, for an en page) are one tap away, their toggle at
    # least half on the first screen.
    others = phone_page.locator(".region-pick .regions summary").bounding_box()
    assert others["height"] >= TAP and others["y"] + others["height"] / 2 <= SCREEN
    # Reporting is within two screens, a real button.
    assert seen["reportHref"] == f"/{lang}/report"
    assert seen["report"]["bottom"] <= 2 * SCREEN and seen["report"]["height"] >= TAP
    assert seen["width"] <= WIDTH


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_chosen_region_is_stated_above_its_number_with_a_change(server, phone_page, lang):
    forget(phone_page, server)
    seen = places(phone_page, f"{server.url}/{lang}/found?region=hk")
    assert seen["where"] and seen["where"]["bottom"] <= SCREEN, seen
    assert seen["whereBeforeTel"], seen
    assert seen["tels"][0][0] == "tel:999" and seen["firstTel"]["bottom"] <= SCREEN
    statement = phone_page.locator("[data-emergency] .region-now")
    assert statement.is_visible()
    change = statement.locator("[data-region-change]")
    box = change.bounding_box()
    assert box["height"] >= TAP and box["y"] + box["height"] <= 2 * SCREEN
    assert seen["report"]["bottom"] <= 2 * SCREEN and seen["reportHref"] == f"/{lang}/report"
    assert seen["width"] <= WIDTH

    # One tap on "Change" asks again, on the same page; a tap on a choice answers.
    change.tap()
    assert phone_page.locator("[data-region-pick]").is_visible()
    assert phone_page.locator("[data-region-block]:visible").count() == 0
    likely = LIKELY_REGIONS[lang][0]
    phone_page.locator(f".region-choices [data-pick-region='{likely}']").tap()
    call = phone_page.locator(f"[data-region-block='{likely}'] .call")
    assert call.is_visible() and call.get_attribute("href") == f"tel:{REGIONS[likely].police}"
    phone_page.evaluate("localStorage.clear()")


def test_an_en_us_phone_in_hong_kong_is_not_given_911(server, phone_page):
    assert phone_page.evaluate("navigator.languages")[0] == "en-US"
    forget(phone_page, server)
    seen = places(phone_page, f"{server.url}/en/found")
    emergency = phone_page.locator("[data-emergency]")
    assert emergency.get_attribute("data-shown-region") == ""
    assert "911" not in emergency.inner_text()
    assert not [href for href, top in seen["tels"] if top <= 2 * SCREEN], seen["tels"]

    # She says where she is: Hong Kong is one of English's likely regions, one tap.
    phone_page.locator(".region-choices [data-pick-region='hk']").tap()
    call = phone_page.locator("[data-region-block]:visible .call")
    assert call.get_attribute("href") == "tel:999"
    assert "Hong Kong" in phone_page.locator(".region-now:visible").inner_text()
    # Remembered: the next visit states Hong Kong, not the phone's US.
    phone_page.reload()
    phone_page.wait_for_function("() => document.querySelector('[data-emergency]')"
                                 ".dataset.shownRegion === 'hk'")


def test_region_js_moves_nothing_on_an_en_us_phone(server, browser):
    # Hold region.js back, note where the second step's heading is drawn, then let the
    # script run: it must not move (nor add to the layout-shift score).
    context = browser.new_context(**PHONE, locale="en-US", service_workers="block")
    context.add_init_script(WATCH_LAYOUT_SHIFTS)
    held = []
    context.route("**/js/region.js*", lambda route: held.append(route))
    try:
        page = context.new_page()
        page.goto(f"{server.url}/en/found", wait_until="commit")
        page.wait_for_selector("#police")  # parsed down to the police step
        for _ in range(500):  # until the page asks for region.js (10 s at most)
            if held:
                break
            page.wait_for_timeout(20)
        assert held, "the page never asked for region.js"
        heading = ("document.querySelector('.steps > li:nth-child(2) h2')"
                   ".getBoundingClientRect().top")
        before = page.evaluate(heading)
        assert page.evaluate("document.querySelector('[data-emergency]').dataset.shownRegion") \
            is None, "region.js ran before it was let through"
        for route in held:
            route.continue_()
        page.wait_for_function("() => document.querySelector('[data-emergency]')"
                               ".dataset.shownRegion !== undefined")
        page.wait_for_timeout(200)
        assert page.evaluate(heading) == before
        assert page.evaluate("window.__shift") < 0.001
    finally:
        context.close()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_item_one_of_every_checklist_is_on_the_first_screen(server, phone_page, lang):
    for space in CHECKLISTS:  # every space in the content, new ones included
        phone_page.goto(f"{server.url}/{lang}/check/{space}")
        header = phone_page.locator(".site-header").bounding_box()
        assert header["height"] <= 64, f"/{lang}/check/{space}: the header is not one row"
        item = phone_page.locator(".item").first.bounding_box()
        assert item["y"] >= 0 and item["y"] + item["height"] <= SCREEN, \
            f"/{lang}/check/{space}: item 1 ends at {item['y'] + item['height']:.0f} px"
        # The honest line is there, above the list, its figures one tap away.
        honest = phone_page.locator(".honest-box > summary")
        assert honest.is_visible() and honest.bounding_box()["y"] < item["y"]
        assert honest.bounding_box()["height"] >= TAP
        lines = honest.evaluate(LINES)
        assert round(lines) == 1, f"/{lang}/check/{space}: the honest line is {lines:.1f} lines"
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_folded_language_menu_opens_and_switches(server, phone_page):
    phone_page.goto(f"{server.url}/en/check/restroom")
    menu = phone_page.locator(".language-menu")
    toggle = menu.locator("summary")
    assert toggle.bounding_box()["height"] >= TAP
    toggle.tap()
    hk = menu.get_by_role("link", name="繁體中文（香港）")
    box = hk.bounding_box()
    assert box["height"] >= TAP and box["x"] + box["width"] <= WIDTH
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    hk.tap()
    phone_page.wait_for_url(f"{server.url}/zh-hk/check/restroom")
    assert phone_page.locator("html").get_attribute("lang") == "zh-Hant-HK"


@pytest.mark.parametrize(("lang", "sensor"), [
    ("en", "depth (time-of-flight) sensor most phones lack"),
    ("zh-hans", "深度传感器"), ("zh-hant", "深度感測器"), ("zh-hk", "深度感應器"),
])
def test_the_honest_line_opens_on_the_figures_and_the_depth_sensor(server, phone_page, lang,
                                                                    sensor):
    # Issue 26: the 88.9 % app used a sensor most phones lack; say so beside the figure.
    phone_page.goto(f"{server.url}/{lang}/check/hotel-room")
    figures = phone_page.locator(".honest-box .honest")
    assert figures.is_hidden()
    phone_page.locator(".honest-box > summary").tap()
    text = figures.inner_text()
    assert "46%" in text and "88.9%" in text and "62%" in text and sensor in text
