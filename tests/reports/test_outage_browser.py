"""A report the server could not store (503: a full or failing disk) waits in the
phone's outbox and is sent again later, stored once (issue 15, item 6)."""

import pytest

from support.browser import stored

pytestmark = pytest.mark.e2e


def test_a_503_keeps_the_report_in_the_outbox_until_it_is_stored(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    page.get_by_label("Hotel or rental room").check()
    page.get_by_label("I found a device").check()
    page.locator("#description").fill("disk was full")
    refused = []

    def disk_full(route):
        if route.request.method != "POST":
            return route.continue_()
        refused.append(route.request.url)
        # What the app answers when SQLite says the disk is full (test_outage.py).
        return route.fulfill(status=503, headers={"Retry-After": "600"},
                             content_type="text/html", body="<p role=alert>full</p>")

    page.route("**/en/report", disk_full)
    page.get_by_role("button", name="Send the report anonymously").click()
    outbox = page.locator("[data-outbox]")
    outbox.wait_for()
    assert refused and stored(server, "disk was full") == 0
    assert "waiting" in outbox.inner_text().lower()
    page.unroute("**/en/report")

    page.reload()  # space is back: the next page load sends it, under the same key
    outbox.get_by_text("Your report was sent").wait_for(timeout=15_000)
    assert stored(server, "disk was full") == 1
    page.reload()
    page.wait_for_timeout(500)
    assert stored(server, "disk was full") == 1
