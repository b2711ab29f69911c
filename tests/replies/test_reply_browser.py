"""The response form in Chromium (issue 31, item 3): with JavaScript, through a flood's
proof of work in the Web Worker; without JavaScript, held for organizers with its
receipt at once. No cookie, no CSP violation, nothing from another host.

A server of its own takes one response an hour before it calls it a flood
(RESPONSES_PER_HOUR=1, POW_BITS=12), so the phone's second response must prove.
"""

import re
import secrets
import sqlite3
from contextlib import closing

import pytest

from app.map import publish as public_map
from support.browser import CODE, PHONE, running_server, visitor_traces
from support.servers import free_port

pytestmark = pytest.mark.e2e

PROVING = "So many responses are arriving"


@pytest.fixture(scope="module")
def flood_server(tmp_path_factory, output_dir):
    log = output_dir / "reply-server.log"
    log.write_text("")
    with running_server(tmp_path_factory.mktemp("reply-instance"), free_port(), log,
                        RESPONSES_PER_HOUR="1", POW_BITS="12",
                        RESPONSES_PER_CLIENT_PER_HOUR="100") as server:
        yield server
    # Nothing about the phones reached the database, the instance folder or the log.
    leaks = visitor_traces(server)
    assert leaks == [], f"visitor data written down: {leaks}"


def published(server) -> str:
    """A report published straight into the server's database; its public id."""
    with closing(sqlite3.connect(server.instance / "spotcheck.sqlite3")) as db:
        db.row_factory = sqlite3.Row
        db.execute(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space,"
            " what, venue, city, submitted_on, public_fields, reviewed_on) VALUES (?, x'00', ?,"
            " 'published', 'fitting-room', 'found', 'Harbour Mall', 'Taipei', '2026-12-01', "
            "'[\"city\", \"venue\"]', '2026-12-02')",
            (secrets.token_hex(16), secrets.token_hex(16)))
        db.commit()
        public_map.rebuild(db, 200)
        return db.execute("SELECT public_id FROM report ORDER BY id DESC LIMIT 1").fetchone()[0]


def held_marks(server) -> list[tuple]:
    with closing(sqlite3.connect(server.instance / "spotcheck.sqlite3")) as db:
        return [tuple(r) for r in db.execute("SELECT body, held FROM response ORDER BY id")]


def send(page, server, public_id: str, body: str) -> str:
    """From the report's public page, through its button, the form sent; the receipt."""
    page.goto(f"{server.url}/en/published/{public_id}")
    page.get_by_role("link", name="Respond or ask for a correction").click()
    page.get_by_label("Who are you for this place?").fill("Manager")
    page.get_by_label("What do you want to say?").fill(body)
    page.get_by_label("Publish my response beside the report").check()
    page.get_by_role("button", name="Send the response").click()
    page.locator("#receipt-code").wait_for(timeout=60_000)
    return page.locator("#receipt-code").inner_text()


def test_with_javascript_the_phone_proves_its_work_in_a_flood(flood_server, phone):
    public_id = published(flood_server)
    page = phone.new_page()
    statuses = []
    phone.on("response", lambda r: statuses.append(r.status) if r.request.method == "POST"
             else None)
    assert CODE.fullmatch(send(page, flood_server, public_id, "first, before any flood"))
    assert statuses == [200]
    page.goto(f"{flood_server.url}/en/published/{public_id}/respond")
    page.evaluate("""() => {
        const line = document.querySelector('[data-proof-status]');
        window.__proofShown = false;
        new MutationObserver(() => { if (!line.hidden) window.__proofShown = true; })
            .observe(line, { attributes: true });
    }""")
    page.get_by_label("Who are you for this place?").fill("Manager")
    page.get_by_label("What do you want to say?").fill("second, through the proof")
    page.get_by_label("Correct the report").check()
    page.get_by_role("button", name="Send the response").click()
    page.locator("#receipt-code").wait_for(timeout=60_000)
    assert CODE.fullmatch(page.locator("#receipt-code").inner_text())
    assert statuses == [200, 429, 200]  # asked for a proof, then sent again with it
    assert page.evaluate("window.__proofShown")
    # Proven: straight to the organizers, not held.
    assert held_marks(flood_server)[-1] == ("second, through the proof", 0)
    assert page.evaluate("window.__cspViolations") == []
    assert phone.watch.foreign_requests() == []
    assert phone.cookies() == []
    # The public page now says a response waits.
    page.goto(f"{flood_server.url}/en/published/{public_id}")
    assert page.locator("#response-pending").is_visible()


def test_without_javascript_the_response_is_held_with_its_receipt(flood_server, browser):
    public_id = published(flood_server)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    code = send(page, flood_server, public_id, "sent without JavaScript")
    assert CODE.fullmatch(code)
    assert held_marks(flood_server)[-1] == ("sent without JavaScript", 1)
    page.goto(f"{flood_server.url}/en/published/status")
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Show the status").click()
    assert re.search("organizers look at responses like yours separately",
                     page.locator(".status-line").inner_text())
    assert context.cookies() == []
    context.close()
