"""The queue's filters by verification level and by a response waiting, in Chromium on a
360 px phone, with JavaScript and without (issue 31, item 4). Which reports each shows:
test_filters.py."""

import re
import secrets
from contextlib import closing

import pytest

from app.db import connect
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

# (level, a response waiting?) of each published report, numbers 1 to 4; 5 waits for review.
PUBLISHED = [("reported", False), ("corroborated", True), ("corroborated", False),
             ("disputed", True)]


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    instance = tmp_path_factory.mktemp("filters")
    log = instance.parent / "filters-server.log"
    with running_server(instance, free_port(), log) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800},
                                      user_agent=USER_AGENT)
        page = context.new_page()
        page.goto(server.url + re.search(r"(/en/organizers/setup/[\w-]+)", log.read_text())[1])
        choose_password(page, ADMIN_PASSWORD, "founder")
        context.close()
        with closing(connect(instance / "spotcheck.sqlite3")) as db:
            for level, waiting in [*PUBLISHED, (None, False)]:
                number = db.execute(
                    "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, "
                    "space, what, venue, city, submitted_on, public_fields, verification) "
                    "VALUES (?, x'00', ?, ?, 'restroom', 'found', 'Mall', 'Taipei', "
                    "'2026-11-01', '[]', ?) RETURNING id",
                    (secrets.token_hex(16), secrets.token_hex(16),
                     "published" if level else "received", level)).fetchone()[0]
                if waiting:
                    db.execute(
                        "INSERT INTO response (report_id, idempotency_hash, receipt_sealed, "
                        "receipt_hash, role, body, asks, received_on) VALUES (?, ?, x'00', ?, "
                        "'Manager', 'We checked.', 'correct', '2026-11-30')",
                        (number, secrets.token_hex(16), secrets.token_hex(16)))
            db.commit()
        yield server


def shown(page) -> list[str]:
    return [link.inner_text() for link in page.locator(".queue-link").all()]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filter_by_level_and_by_a_response_waiting_on_a_phone(browser, site, output_dir,
                                                               javascript):
    context = browser.new_context(**PHONE, java_script_enabled=javascript)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    sign_in(page, site.url, "founder", ADMIN_PASSWORD)
    page.goto(f"{site.url}/zh-hans/organizers/")
    assert shown(page) == ["#5"]
    page.get_by_label("核实程度", exact=True).select_option("corroborated")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"level=corroborated"))
    assert shown(page) == ["#3", "#2"]
    pending = page.get_by_label("有待处理的回应")
    box = page.locator("label.choice", has=pending).bounding_box()
    assert box["height"] >= 44, box
    pending.check()
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"pending=1"))
    assert shown(page) == ["#2"]
    (output_dir / "issue31").mkdir(exist_ok=True)
    name = "queue-filters-360-" + ("js" if javascript else "no-js")
    page.screenshot(path=str(output_dir / "issue31" / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("核实程度", exact=True).select_option("")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"level=&"))
    assert shown(page) == ["#4", "#2"]  # every report with a response waiting
    if javascript:
        assert page.evaluate("window.__cspViolations") == []
    context.close()
