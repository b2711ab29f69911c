"""Reports held during a flood (issue 28, item 3): organizers triage them apart.

A report sent without JavaScript while the site is flooded is stored held: its
reporter has her receipt, but it is not in the review queue until an organizer
moves it there; discarded, it is not published, like a rejection. Nothing held
is ever public.
"""

import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app
from app.db import get_db
from app.reports.store import purge
from app.vocab import today
from app.web.limits import Limiter
from helpers import (
    NEW_REPORT,
    TEST_CONFIG,
    act,
    add_organizer,
    audit,
    csrf_of,
    db_rows,
    form_key,
    login,
    receipt_of,
)

BUSY_AT = 2


@pytest.fixture
def app(migrated):
    app = create_app({**TEST_CONFIG, "REPORTS_PER_HOUR": BUSY_AT, "POW_BITS": 8,
                      "REPORTS_PER_CLIENT_PER_HOUR": 0})
    path = app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3"
    frozen = time.time()
    app.extensions["spotcheck_limiter"] = Limiter(path, secrets.token_bytes(32), lambda: frozen)
    return app


@pytest.fixture
def organizer(app):
    add_organizer(app)
    client = app.test_client()
    assert login(client).status_code == 302
    return client


def send(app, venue: str, address: str = "10.0.0.1") -> str:
    """A report through the form without JavaScript; its receipt code."""
    client = app.test_client()
    response = client.post("/en/report", environ_base={"REMOTE_ADDR": address},
                           data={"idempotency_key": form_key(client), **NEW_REPORT,
                                 "venue": venue})
    code = receipt_of(response)
    assert code, response.status_code
    return code


def flood(app, count: int) -> list[int]:
    """BUSY_AT reports into the queue, then `count` held ones; the held ones' ids."""
    for number in range(BUSY_AT):
        send(app, f"Calm {number}", f"10.1.0.{number}")
    for number in range(count):
        send(app, f"Held {number}", f"10.2.0.{number}")
    return [row[0] for row in db_rows(app, "SELECT id FROM report WHERE held = 1 ORDER BY id")]


def listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="queue-link">#(\d+)', html)]


def status_of(app, code: str) -> str:
    page = app.test_client().post("/en/report/status", data={"code": code})
    return page.get_data(as_text=True)


def test_held_reports_are_listed_apart_from_the_queue(app, organizer):
    held = flood(app, 3)
    queue = organizer.get("/en/organizers/").get_data(as_text=True)
    assert listed(queue) == [2, 1]
    assert "Held during a flood (3)" in queue
    page = organizer.get("/en/organizers/held").get_data(as_text=True)
    assert listed(page) == held[::-1]
    assert "Held 2" in page
    # Reviewing one after another never opens a held report.
    response = act(organizer, 2, "reject", then="next")
    assert response.headers["Location"].endswith("/en/organizers/reports/1?after=2")


def test_the_held_list_needs_a_signed_in_organizer(app):
    flood(app, 1)
    response = app.test_client().get("/en/organizers/held")
    assert response.status_code in (302, 303, 401)
    assert "Held 0" not in response.get_data(as_text=True)


def triage(organizer, action, ids, **extra):
    page = organizer.get("/en/organizers/held").get_data(as_text=True)
    return organizer.post("/en/organizers/held", data={
        "csrf_token": csrf_of(page), "action": action, "report": ids, **extra})


def test_an_organizer_moves_held_reports_into_the_queue(app, organizer):
    held = flood(app, 3)
    response = triage(organizer, "accept", [held[0], held[2]])
    assert response.status_code == 200
    assert "Moved into the review queue: 2." in response.get_data(as_text=True)
    assert listed(organizer.get("/en/organizers/").get_data(as_text=True)) == [
        held[2], held[0], 2, 1]
    assert listed(organizer.get("/en/organizers/held").get_data(as_text=True)) == [held[1]]
    assert [(a, r) for _, a, r, *_ in audit(app) if a == "accept held"] == [
        ("accept held", held[0]), ("accept held", held[2])]
    # Now reviewed like any other: published, it is on the map.
    assert act(organizer, held[0], "publish", public=["city"]).status_code == 200
    assert db_rows(app, "SELECT status FROM report WHERE id = ?", (held[0],))[0][0] == "published"


def test_an_organizer_discards_held_reports(app, organizer):
    held = flood(app, 3)
    response = triage(organizer, "discard", [held[1]])
    assert "Discarded, not published: 1." in response.get_data(as_text=True)
    [(status, is_held, reviewed)] = [tuple(r) for r in db_rows(
        app, "SELECT status, held, reviewed_on FROM report WHERE id = ?", (held[1],))]
    assert (status, is_held) == ("rejected", 0) and reviewed
    assert listed(organizer.get("/en/organizers/").get_data(as_text=True)) == [2, 1]


def test_every_report_on_the_page_at_once(app, organizer):
    held = flood(app, 4)
    page = organizer.get("/en/organizers/held").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'name="shown" value="(\d+)"', page)]
    assert sorted(shown) == held
    response = organizer.post("/en/organizers/held", data={
        "csrf_token": csrf_of(page), "action": "discard", "whole_page": "yes", "shown": shown})
    assert "Discarded, not published: 4." in response.get_data(as_text=True)
    assert db_rows(app, "SELECT count(*) FROM report WHERE held = 1")[0][0] == 0
    assert db_rows(app, "SELECT count(*) FROM report WHERE status = 'rejected'")[0][0] == 4


def test_triage_with_nothing_ticked_changes_nothing(app, organizer):
    held = flood(app, 2)
    for action, ids in (("accept", []), ("discard", []), ("publish", held), ("", held)):
        response = triage(organizer, action, ids)
        assert response.status_code == 400
        assert "Tick at least one report" in response.get_data(as_text=True)
    assert db_rows(app, "SELECT count(*) FROM report WHERE held = 1")[0][0] == 2


def test_triage_needs_the_csrf_token(app, organizer):
    held = flood(app, 1)
    response = organizer.post("/en/organizers/held", data={"action": "accept", "report": held})
    assert response.status_code in (400, 403)
    assert db_rows(app, "SELECT held FROM report WHERE id = ?", held)[0][0] == 1


def test_reports_not_held_are_not_touched_by_triage(app, organizer):
    flood(app, 1)
    response = triage(organizer, "discard", [1, 2])  # in the queue, not held
    assert "Discarded, not published: 0." in response.get_data(as_text=True)
    assert [r[0] for r in db_rows(app, "SELECT status FROM report WHERE id IN (1, 2)")] == [
        "received", "received"]


def test_a_held_report_is_never_published_before_it_is_accepted(app, organizer):
    [held] = flood(app, 1)
    card = organizer.get(f"/en/organizers/reports/{held}").get_data(as_text=True)
    assert "Held during a flood: this report is not in the review queue." in card
    assert f"/en/organizers/reports/{held}/publish" not in card
    # A hand-made publish is refused and changes nothing.
    response = organizer.post(f"/en/organizers/reports/{held}/publish", data={
        "csrf_token": csrf_of(card), "version": "1", "public": ["city"]})
    assert response.status_code == 409
    assert tuple(db_rows(app, "SELECT status, held FROM report WHERE id = ?", (held,))[0]) == (
        "received", 1)
    assert db_rows(app, "SELECT count(*) FROM map_report")[0][0] == 0
    # From its card, one click moves it into the queue.
    response = organizer.post("/en/organizers/held", data={
        "csrf_token": csrf_of(card), "action": "accept", "report": held, "back": "card"})
    page = response.get_data(as_text=True)
    assert "Moved into the review queue: 1." in page
    assert f"/en/organizers/reports/{held}/publish" in page


def test_her_status_page_follows_the_triage(app, organizer):
    for number in range(BUSY_AT):
        send(app, f"Calm {number}", f"10.1.0.{number}")
    kept, dropped = send(app, "Real one", "10.3.0.1"), send(app, "Junk", "10.3.0.2")
    waiting = "Received, and waiting for review."
    assert waiting in status_of(app, kept) and waiting in status_of(app, dropped)
    held = [r[0] for r in db_rows(app, "SELECT id FROM report WHERE held = 1 ORDER BY id")]
    triage(organizer, "accept", [held[0]])
    triage(organizer, "discard", [held[1]])
    assert "Received. An organizer has not looked at it yet." in status_of(app, kept)
    assert "Not published." in status_of(app, dropped)


def test_held_reports_are_purged_like_any_report_not_published(app):
    flood(app, 2)
    with app.app_context():
        keep = app.config["REPORT_RETENTION_DAYS"]
        deleted = purge(get_db(), keep, today() + timedelta(days=keep + 1))
    assert deleted == BUSY_AT + 2
    assert db_rows(app, "SELECT count(*) FROM report")[0][0] == 0
