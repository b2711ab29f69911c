"""The kit on a phone: picking her region (static/js/region.js, as on the found page)
brings that region's destinations and support lines forward, and the choice holds."""

import pytest

pytestmark = pytest.mark.e2e

TAIWAN = "#d-tw-siarc"


def wait_for_region(page, code: str) -> None:
    page.wait_for_function(
        "code => document.querySelector('[data-emergency]').dataset.shownRegion === code", arg=code)


def in_lead(page, selector: str) -> bool:
    return page.locator(f"#kind-centre [data-region-lead] {selector}").count() == 1


def test_picking_a_region_on_the_phone_reorders_the_destinations(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/takedown")
    wait_for_region(page, "")
    # English: Hong Kong and the other likely regions first; Taiwan's centre folded.
    assert not in_lead(page, TAIWAN)
    assert page.locator(f"#kind-centre [data-region-rest] {TAIWAN}").count() == 1
    assert page.locator(f"{TAIWAN}").is_hidden()
    assert page.locator(".talk-lines a[href='tel:1925']:visible").count() == 0

    # She picks Taiwan among the other regions, in the police step.
    page.locator("#police .region-pick .regions summary").click()
    page.locator("#police [data-pick-region='tw']").click()
    wait_for_region(page, "tw")
    assert in_lead(page, TAIWAN) and page.locator(TAIWAN).is_visible()
    # Taiwan's line to talk to beside each of the four steps, and no one else's.
    assert page.locator(".talk-lines a[href='tel:1925']:visible").count() == 4
    assert page.locator(".talk-lines a[href='tel:18111']:visible").count() == 0
    assert page.locator("[data-region-block='tw'] a[href='tel:110']").is_visible()

    # Her choice is kept on the phone: after a reload the page is arranged the same way.
    page.reload()
    wait_for_region(page, "tw")
    assert in_lead(page, TAIWAN)

    # Changing to Hong Kong folds Taiwan's centre away again.
    page.locator("#police [data-region-change]").click()
    page.locator("#police .region-choices [data-pick-region='hk']").click()
    wait_for_region(page, "hk")
    assert not in_lead(page, TAIWAN)
    assert page.locator(".talk-lines a[href='tel:18111']:visible").count() == 4
    # Nothing was asked of another host.
    assert [u for u in phone.watch.requests if not u.startswith(server.url)] == []
    page.evaluate("localStorage.clear()")
