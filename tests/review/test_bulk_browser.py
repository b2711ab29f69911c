"""Bulk review and duplicate suggestions in Chromium (issue 31, item 4): "select all on
this page" and its count, one action on every report ticked, and a one-press merge
from a card's suggestions, on a laptop and on a 360 px phone."""

import re

import pytest

from support.browser import (
    ADMIN_PASSWORD,
    PHONE,
    USER_AGENT,
    WATCH_CSP,
    choose_password,
    running_server,
    sign_in,
)
from support.servers import free_port

pytestmark = pytest.mark.e2e

LAPTOP = {"viewport": {"width": 1280, "height": 800}, "user_agent": USER_AGENT}
SAME_PLACE = {"space": "hotel-room", "what": "found", "latitude": "22.2805",
              "longitude": "114.1722"}
REPORTS = [
    {**SAME_PLACE, "venue": "Harbour View Hotel, room 1204"},
    {**SAME_PLACE, "venue": "Harbour View Hotel"},
    {"space": "fitting-room", "what": "suspected", "venue": "Star Mall", "city": "Taipei"},
    {"space": "restroom", "what": "filming", "venue": "Central Station", "city": "Shanghai"},
    {"space": "restroom", "what": "found", "venue": "Metro", "city": "Shanghai"},
]


def send_report(request, url, fields):
    form = request.get(f"{url}/en/report").text()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form)[1]
    assert request.post(f"{url}/en/report", form={"idempotency_key": key, **fields}).ok


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """A server of its own with an admin ("founder") and five reports waiting."""
    instance = tmp_path_factory.mktemp("bulk")
    log = instance.parent / "bulk-server.log"
    with running_server(instance, free_port(), log) as server:
        context = browser.new_context(**LAPTOP)
        page = context.new_page()
        page.goto(server.url + re.search(r"(/en/organizers/setup/[\w-]+)", log.read_text())[1])
        choose_password(page, ADMIN_PASSWORD, "founder")
        for fields in REPORTS:
            send_report(page.request, server.url, fields)
        context.close()
        yield server


def signed_in(browser, site, **options):
    context = browser.new_context(**options)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    sign_in(page, site.url, "founder", ADMIN_PASSWORD)
    return context, page


def shot(page, output_dir, name):
    (output_dir / "issue31").mkdir(exist_ok=True)
    page.screenshot(path=str(output_dir / "issue31" / f"{name}.png"), full_page=True)


def test_phone_one_press_merge_then_select_all_count_and_one_action(browser, site, output_dir):
    context, page = signed_in(browser, site, **PHONE)
    shot(page, output_dir, "bulk-queue-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for pick in page.locator("label.pick").all():
        size = pick.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, size

    # Report 2's card suggests report 1, the same hotel room: one press marks it.
    page.goto(f"{site.url}/en/organizers/reports/2")
    suggestions = page.locator("#likely-duplicates")
    shot(page, output_dir, "card-suggestions-360")
    assert suggestions.get_by_role("link", name="#1").is_visible()
    suggestions.get_by_role("button", name="Mark as a duplicate of #1").click()
    page.get_by_text("Marked as a duplicate.").wait_for()
    assert "/reports/2" in page.url  # swapped in place by htmx
    page.locator("#report-card dd a", has_text="#1").wait_for()

    page.goto(f"{site.url}/en/organizers/")
    count = page.locator("[data-bulk-count]")
    select_all = page.get_by_role("button", name="Select all on this page")
    assert count.inner_text() == "0"
    page.get_by_label("Choose report #3").check()
    assert count.inner_text() == "1"
    select_all.click()
    assert count.inner_text() == "4"  # 1, 3, 4, 5: report 2 is no longer waiting
    assert page.locator("input[data-bulk-pick]:checked").count() == 4
    page.get_by_role("button", name="Clear the selection").click()
    assert count.inner_text() == "0"
    page.get_by_role("button", name="Select all on this page").click()
    page.get_by_role("button", name="Do not publish them").click()
    page.get_by_text("Not published: 4.").wait_for()
    assert page.locator(".queue-link").count() == 0
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def test_without_javascript_the_form_works_and_hides_what_needs_it(browser, site, output_dir):
    context, page = signed_in(browser, site, **LAPTOP, java_script_enabled=False)
    page.goto(f"{site.url}/en/organizers/?status=rejected")
    shot(page, output_dir, "bulk-queue-1280-no-js")
    # No "select all" without JavaScript: ticking is all there is.
    assert not page.get_by_role("button", name="Select all on this page").is_visible()
    page.get_by_label("Choose report #3").check()
    page.get_by_label("Choose report #4").check()
    page.get_by_label("Report #5 is the original").check()
    page.get_by_role("button", name="Mark them as duplicates").click()
    page.get_by_text("Marked as duplicates: 2.").wait_for()
    page.goto(f"{site.url}/en/organizers/reports/4")
    assert page.locator("#report-card dd a", has_text="#5").is_visible()
    context.close()
