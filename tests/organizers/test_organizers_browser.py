"""The organizer side in Chromium: setup, invitation, review, export, and the reporter's reply.
The review pages on a laptop are in review/test_review_browser.py."""

import json
import re
import sqlite3
from contextlib import closing

import pytest

from app.map.grid import snap
from support.browser import ADMIN_PASSWORD, PHONE, choose_password, running_server, sign_in
from support.servers import free_port

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x onerror="alert(document.domain)"><script>alert(1)</script>'
MOD_PASSWORD = "the moderator's own passphrase"


def submit_report(page, url, venue, description, lat="", lon=""):
    page.goto(f"{url}/en/report")
    page.get_by_label("Public toilet").check()
    page.get_by_label("I found a device").check()
    page.locator("#venue").fill(venue)
    page.locator("#description").fill(description)
    if lat:
        # The raw boxes sit behind "Enter coordinates" where the form has that disclosure.
        entry = page.locator("details.coordinates-entry")
        if entry.count() and not entry.evaluate("d => d.open"):
            entry.locator("summary").click()
        page.locator("[name=latitude]").fill(lat)
    if lon:
        page.locator("[name=longitude]").fill(lon)
    page.get_by_role("button", name="Send the report anonymously").click()
    return page.locator("#receipt-code").inner_text()


def test_admin_invites_a_moderator_who_reviews_and_the_reporter_answers(browser, tmp_path):
    dialogs = []
    instance, log = tmp_path / "instance", tmp_path / "server.log"
    instance.mkdir()
    with running_server(instance, free_port(), log) as server:
        contexts = [browser.new_context(**PHONE) for _ in range(3)]
        for context in contexts:
            context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message),
                                                                    d.dismiss())))
        reporter, admin, moderator = (c.new_page() for c in contexts)

        code = submit_report(reporter, server.url, PAYLOAD, f"free text {PAYLOAD}",
                             "31.2304", "121.4737")
        submit_report(reporter, server.url, "Second Mall", "not credible")

        # The first admin, from the link printed at start.
        setup = re.search(r"(/en/organizers/setup/[\w-]+)", log.read_text())[1]
        admin.goto(server.url + setup)
        choose_password(admin, ADMIN_PASSWORD, "founder")
        sign_in(admin, server.url, "founder", ADMIN_PASSWORD)
        admin.get_by_role("link", name="Accounts").click()
        admin.locator("#invite-username").fill("mo")
        admin.get_by_role("button", name="Make an invitation link").click()
        invite = re.search(r"/en/organizers/invite/[\w-]+",
                           admin.locator(".one-time-link").inner_text())[0]

        moderator.goto(server.url + invite)
        choose_password(moderator, MOD_PASSWORD)
        sign_in(moderator, server.url, "mo", MOD_PASSWORD)
        # The queue shows the payload as text, and runs nothing.
        assert PAYLOAD in moderator.locator("#queue-rows").inner_text()
        moderator.get_by_role("link", name="#1").click()
        card = moderator.locator("#report-card")
        card.get_by_label("Name of the place").check()
        card.get_by_label("Approximate location (on the public grid)").check()
        card.locator("#public_note").fill("Confirmed by staff.")
        # Corroborated: from that level the public copy names the place (issue 31).
        card.locator("input[name=verification][value=corroborated]").check()
        card.get_by_role("button", name="Publish", exact=True).click()
        moderator.get_by_text("Published.", exact=True).wait_for()
        moderator.locator("#question").fill("Which floor was it on?")
        moderator.get_by_role("button", name="Send the question").click()
        moderator.get_by_text("Question sent.").wait_for()

        moderator.goto(f"{server.url}/en/organizers/reports/2")
        moderator.get_by_role("button", name="Do not publish", exact=True).click()
        moderator.get_by_text("Not published.", exact=True).wait_for()

        export = moderator.request.get(f"{server.url}/en/organizers/export/published.geojson")
        geojson = json.loads(export.text())
        [feature] = geojson["features"]
        with closing(sqlite3.connect(instance / "spotcheck.sqlite3")) as db:
            lat, lon = db.execute("SELECT latitude, longitude FROM report WHERE id = 1").fetchone()
            statuses = [r[0] for r in db.execute("SELECT status FROM report ORDER BY id")]
        assert statuses == ["published", "rejected"]
        assert feature["geometry"]["coordinates"] == list(snap(lat, lon, 200))[::-1]
        assert feature["properties"]["venue"] == PAYLOAD
        assert "free text" not in export.text() and "description" not in feature["properties"]

        reporter.goto(f"{server.url}/en/report/status")
        reporter.locator("#code").fill(code)
        reporter.get_by_role("button", name="Show the status").click()
        assert "Published." in reporter.locator(".status-line").inner_text()
        assert "Which floor was it on?" in reporter.locator(".messages").inner_text()
        reporter.locator("#reply").fill("Third floor, by the lifts.")
        reporter.get_by_role("button", name="Send the answer").click()
        reporter.get_by_text("Third floor, by the lifts.").wait_for()

        moderator.goto(f"{server.url}/en/organizers/reports/1")
        assert "Third floor, by the lifts." in moderator.locator(".messages").inner_text()
        audit = admin.goto(f"{server.url}/en/organizers/audit")
        assert audit.status == 200
        actions = admin.locator("tbody").inner_text()
        assert "publish" in actions and "reject" in actions and "invite" in actions
        assert admin.context.cookies()[0]["httpOnly"] is True
        assert admin.context.cookies()[0]["sameSite"] == "Strict"
        assert reporter.context.cookies() == []
        for context in contexts:
            context.close()
    assert dialogs == []
