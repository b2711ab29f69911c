"""The right of reply (issue 31, item 3): a published report's public page, a response
from the place that reaches organizers as its own item, is published beside the report
and followed with a receipt code; bad input changes nothing; limits hold."""

import re
import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from app import create_app
from app.db import get_db
from app.replies.store import pending_among
from app.web.limits import Limiter
from helpers import TEST_CONFIG, act, csrf_of, db_rows, new_report

RECEIPT = re.compile(r'data-response-receipt="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ANSWER = {"role": "Manager of the shop", "body": "We had the socket removed and checked "
          "the room with the police.", "asks": "publish"}
PENDING = {"en": "Someone responsible for this place has responded.",
           "zh-hans": "这个场所的负责人已经回应。", "zh-hant": "這個場所的負責人已經回應。",
           "zh-hk": "這個場所的負責人已經回應。"}


def published_report(admin, **fields) -> str:
    """A report sent, then published by the admin with the venue and city public, at a
    level that names the venue (issue 31: corroborated); its public id."""
    new_report(admin, venue="Harbour Mall", city="Taipei", **fields)
    assert act(admin, 1, "publish", public=["venue", "city"],
               verification="corroborated").status_code == 200
    [(public_id,)] = db_rows(admin.application, "SELECT public_id FROM report WHERE id = 1")
    return public_id


def respond(client, public_id, lang="en", headers=None, **fields):
    """The response form, sent as a browser sends it from its page."""
    page = client.get(f"/{lang}/published/{public_id}/respond").get_data(as_text=True)
    return client.post(f"/{lang}/published/{public_id}/respond", headers=headers or {},
                       data={"idempotency_key": KEY.search(page)[1], **fields})


def responses(app) -> list[tuple]:
    return [tuple(r) for r in db_rows(app, "SELECT report_id, status, held, role, body, asks, "
                                           "contact FROM response")]


def test_a_response_reaches_the_queue_is_published_and_its_receipt_follows_it(app, admin):
    public_id = published_report(admin)
    visitor = app.test_client()
    assert re.fullmatch(r"[0-9a-f]{16}", public_id)
    assert "response-pending" not in visitor.get(f"/en/published/{public_id}").get_data(
        as_text=True)

    sent = respond(visitor, public_id, contact="shop@example.com", **ANSWER)
    assert sent.status_code == 200
    code = RECEIPT.search(sent.get_data(as_text=True))[1]
    assert responses(app) == [(1, "received", 0, ANSWER["role"], ANSWER["body"], "publish",
                               "shop@example.com")]
    # The public page says one waits, without its words.
    page = visitor.get(f"/en/published/{public_id}").get_data(as_text=True)
    assert PENDING["en"] in page and ANSWER["body"] not in page
    # The organizers' queue: a count, and a marker on the report.
    queue = admin.get("/en/organizers/?status=published").get_data(as_text=True)
    assert "Responses from places (1)" in queue and "data-response-pending" in queue
    assert "Response #1" in admin.get("/en/organizers/reports/1").get_data(as_text=True)
    assert "Response #1" in admin.get("/en/organizers/responses").get_data(as_text=True)
    status = visitor.post("/en/published/status", data={"code": code})
    assert "Received. An organizer has not decided on it yet." in status.get_data(as_text=True)

    card = admin.get("/en/organizers/responses/1").get_data(as_text=True)
    assert "shop@example.com" in card
    decided = admin.post("/en/organizers/responses/1/decide", data={
        "csrf_token": csrf_of(card), "version": VERSION.search(card)[1], "decision": "publish",
        "answer": "Thank you: your response is beside the report."})
    assert decided.status_code == 200
    page = visitor.get(f"/en/published/{public_id}").get_data(as_text=True)
    assert ANSWER["body"] in page and PENDING["en"] not in page
    assert "shop@example.com" not in page  # the contact is never public
    listing = visitor.get("/en/map?view=list").get_data(as_text=True)
    assert ANSWER["body"] in listing and f"/en/published/{public_id}" in listing
    status = visitor.post("/en/published/status", data={"code": code}).get_data(as_text=True)
    assert "Published beside the report." in status
    assert "Thank you: your response is beside the report." in status
    assert "The report is still published." in status
    # Both actions are on the record, in the organizer's language.
    assert [tuple(r) for r in db_rows(app, "SELECT action, report_id, detail FROM audit_log "
                                           "WHERE detail LIKE 'response%' ORDER BY id")] == [
        ("open response", 1, "response #1"), ("publish response", 1, "response #1")]
    audit = admin.get("/zh-hant/organizers/audit").get_data(as_text=True)
    assert "公開回應" in audit and "回應 #1" in audit


def test_organizers_correct_and_withdraw_the_report_after_a_response(app, admin):
    public_id = published_report(admin)
    visitor = app.test_client()
    respond(visitor, public_id, **{**ANSWER, "asks": "correct"})
    card = admin.get("/en/organizers/responses/1").get_data(as_text=True)
    report_version = VERSION.findall(card)[1]
    corrected = admin.post("/en/organizers/responses/1/correct", data={
        "csrf_token": csrf_of(card), "version": report_version, "venue": "Harbour Mall",
        "city": "Taipei", "public": ["city"], "public_note": "The place was inspected."})
    assert corrected.status_code == 200
    page = visitor.get(f"/en/published/{public_id}").get_data(as_text=True)
    assert "Harbour Mall" not in page and "The place was inspected." in page
    # A second organizer acting on the older version is told, and nothing changes.
    stale = admin.post("/en/organizers/responses/1/withdraw", data={
        "csrf_token": csrf_of(card), "version": report_version})
    assert stale.status_code == 409
    assert visitor.get(f"/en/published/{public_id}").status_code == 200

    card = admin.get("/en/organizers/responses/1").get_data(as_text=True)
    withdrawn = admin.post("/en/organizers/responses/1/withdraw", data={
        "csrf_token": csrf_of(card), "version": VERSION.findall(card)[1]})
    assert withdrawn.status_code == 200
    gone = visitor.get(f"/en/published/{public_id}")
    assert gone.status_code == 410
    assert "This report is no longer published" in gone.get_data(as_text=True)
    # A response sent to it now is refused the same way, and nothing is stored.
    assert visitor.post(f"/en/published/{public_id}/respond", data=ANSWER).status_code == 410
    assert len(responses(app)) == 1
    assert db_rows(app, "SELECT count(*) FROM map_report")[0][0] == 0
    assert [r[0] for r in db_rows(app, "SELECT action FROM audit_log WHERE detail = "
                                       "'response #1' ORDER BY id")] == [
        "open response", "correct report", "open response", "withdraw report"]


def test_organizers_change_the_level_after_a_response_on_the_record(app, admin):
    public_id = published_report(admin)
    visitor = app.test_client()
    assert "Harbour Mall" in visitor.get(f"/en/published/{public_id}").get_data(as_text=True)
    respond(visitor, public_id, **{**ANSWER, "asks": "correct"})
    card = admin.get("/en/organizers/responses/1").get_data(as_text=True)
    changed = admin.post("/en/organizers/responses/1/level", data={
        "csrf_token": csrf_of(card), "version": VERSION.findall(card)[-1],
        "verification": "disputed", "verification_note": "The shop contests it."})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    page = visitor.get(f"/en/published/{public_id}").get_data(as_text=True)
    # Disputed: said so, and the venue no longer named (app/map/publish.py VENUE_LEVELS).
    assert "Disputed" in page and "Harbour Mall" not in page
    assert "contests" not in page  # the organizers' note is never public
    assert db_rows(app, "SELECT verification FROM report WHERE id = 1")[0][0] == "disputed"
    assert db_rows(app, "SELECT detail FROM audit_log WHERE action = 'set level' "
                        "ORDER BY id DESC LIMIT 1")[0][0] == \
        "disputed: The shop contests it. (response #1)"
    # No level, or an unknown one: said, and nothing changed.
    card = admin.get("/en/organizers/responses/1").get_data(as_text=True)
    refused = admin.post("/en/organizers/responses/1/level", data={
        "csrf_token": csrf_of(card), "version": VERSION.findall(card)[-1],
        "verification": "proven"})
    assert refused.status_code == 400
    assert "Choose a verification level." in refused.get_data(as_text=True)
    assert db_rows(app, "SELECT verification FROM report WHERE id = 1")[0][0] == "disputed"


@pytest.mark.parametrize(("fields", "message"), [
    ({**ANSWER, "body": "  "}, "Write what you want to say about the report."),
    ({**ANSWER, "role": ""}, "Say who you are for this place"),
    ({**ANSWER, "body": "x" * 2001}, "Please keep this under 2000 characters (now 2001)."),
    ({**ANSWER, "asks": "burn it"}, "Choose what you ask us to do."),
    ({**ANSWER, "x_check": "bot"}, "The form has a field that should stay empty."),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(app, admin, fields, message):
    public_id = published_report(admin)
    answer = respond(app.test_client(), public_id, **fields)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert responses(app) == []


def test_bad_input_in_chinese(app, admin):
    public_id = published_report(admin)
    answer = respond(app.test_client(), public_id, "zh-hk", **{**ANSWER, "body": ""})
    assert answer.status_code == 400
    assert "請寫下你對這則舉報想說的話。" in answer.get_data(as_text=True)


def test_unknown_or_unpublished_reports_are_not_found(app, admin):
    new_report(admin)  # received, never published
    [(hidden,)] = db_rows(app, "SELECT public_id FROM report")
    visitor = app.test_client()
    for public_id in (hidden, "0123456789abcdef", "1", "../../etc"):
        assert visitor.get(f"/en/published/{public_id}").status_code == 404
        assert visitor.get(f"/en/published/{public_id}/respond").status_code == 404
        assert visitor.post(f"/en/published/{public_id}/respond",
                            data=ANSWER).status_code == 404
    # The internal number is no way in either.
    assert visitor.get("/en/published/1").status_code == 404
    assert responses(app) == []


def test_a_retry_is_stored_once_with_the_same_receipt(app, admin):
    public_id = published_report(admin)
    visitor = app.test_client()
    page = visitor.get(f"/en/published/{public_id}/respond").get_data(as_text=True)
    data = {"idempotency_key": KEY.search(page)[1], **ANSWER}
    first = visitor.post(f"/en/published/{public_id}/respond", data=data)
    second = visitor.post(f"/en/published/{public_id}/respond", data=data)
    assert RECEIPT.search(first.get_data(as_text=True))[1] == RECEIPT.search(
        second.get_data(as_text=True))[1]
    assert len(responses(app)) == 1


def test_the_per_client_limit_holds(app, admin):
    public_id = published_report(admin)
    visitor = app.test_client()
    for _ in range(app.config["RESPONSES_PER_CLIENT_PER_HOUR"]):
        assert respond(visitor, public_id, **ANSWER).status_code == 200
    refused = respond(visitor, public_id, **ANSWER)
    assert refused.status_code == 429
    assert "Too many responses have been sent from here" in refused.get_data(as_text=True)
    assert ANSWER["body"] in refused.get_data(as_text=True)  # what they wrote is kept
    assert len(responses(app)) == app.config["RESPONSES_PER_CLIENT_PER_HOUR"]
    # Wrong receipt codes are limited too.
    for _ in range(app.config["RECEIPT_TRIES_PER_HOUR"]):
        assert visitor.post("/en/published/status", data={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
                            ).status_code == 400
    assert visitor.post("/en/published/status", data={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
                        ).status_code == 429


def flood_app():
    app = create_app({**TEST_CONFIG, "RESPONSES_PER_HOUR": 1, "POW_BITS": 8,
                      "RESPONSES_PER_CLIENT_PER_HOUR": 0})
    path = app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3"
    frozen = time.time()
    app.extensions["spotcheck_limiter"] = Limiter(path, secrets.token_bytes(32), lambda: frozen)
    return app


def test_in_a_flood_the_script_proves_its_work_and_a_plain_form_is_held(migrated, auth):
    app = flood_app()
    admin = app.test_client()
    auth.add()
    admin.post("/en/organizers/login", data={"username": "ada",
                                             "password": "correct horse battery staple"})
    public_id = published_report(admin)
    visitor = app.test_client()
    assert respond(visitor, public_id, **ANSWER).status_code == 200  # the first: no flood
    # The page's script is asked for a proof of work, and nothing is stored.
    busy = respond(visitor, public_id, headers={"HX-Request": "true"}, **ANSWER)
    assert busy.status_code == 429 and busy.headers["SpotCheck-Proof"].startswith("v1.")
    assert len(responses(app)) == 1
    # Without JavaScript it is stored, held apart, and the sender gets a receipt.
    plain = respond(visitor, public_id, **ANSWER)
    assert plain.status_code == 200 and RECEIPT.search(plain.get_data(as_text=True))
    assert [r[2] for r in responses(app)] == [0, 1]
    assert "held during a flood" in admin.get("/en/organizers/responses").get_data(
        as_text=True)


def test_only_a_response_not_held_marks_its_report_pending_in_the_queue(app, admin):
    published_report(admin)
    with closing(sqlite3.connect(app.config["DATABASE"])) as db, db:
        db.execute("INSERT INTO response (report_id, idempotency_hash, receipt_sealed, "
                   "receipt_hash, held, role, body, asks, received_on) VALUES "
                   "(1, 'k', x'00', 'r', 1, 'Owner', 'Spam during a flood', 'remove', "
                   "'2026-12-06')")
    with app.app_context():
        assert pending_among([1]) == set()
        db = get_db()
        with db:
            db.execute("UPDATE response SET held = 0")
        assert pending_among([1]) == {1}


def test_public_pages_set_no_cookie_and_keep_the_strict_policy(app, admin, lang):
    public_id = published_report(admin)
    visitor = app.test_client()
    for url in (f"/{lang}/published/{public_id}", f"/{lang}/published/{public_id}/respond",
                f"/{lang}/published/status", f"/{lang}/about/policy"):
        answer = visitor.get(url)
        assert answer.status_code == 200, url
        assert "Set-Cookie" not in answer.headers, url
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy, url
        assert "<script>" not in answer.get_data(as_text=True), url
    sent = respond(visitor, public_id, lang, **ANSWER)
    assert "Set-Cookie" not in sent.headers and sent.headers["Cache-Control"] == "no-store"
    assert visitor.get(f"/{lang}/published/{public_id}/respond").headers[
        "Cache-Control"] == "no-store"
    page = visitor.get(f"/{lang}/published/{public_id}")
    assert PENDING[lang] in page.get_data(as_text=True)
    # Shared, but asked again each time: a decision shows at once.
    assert "no-cache" in page.headers["Cache-Control"] and page.headers["ETag"]
    again = visitor.get(f"/{lang}/published/{public_id}",
                        headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_retention_deletes_what_is_not_public_and_clears_contacts(app, admin):
    from datetime import date, timedelta

    from app.db import connect
    from app.replies import store

    public_id = published_report(admin)
    visitor = app.test_client()
    for body in ("kept beside the report", "declined long ago", "waiting, forgotten"):
        respond(visitor, public_id, contact="x@example.com", **{**ANSWER, "body": body})
    long_ago = (date.today() - timedelta(days=200)).isoformat()
    with connect(app.config["DATABASE"]) as conn:
        conn.execute("UPDATE response SET status = 'published', decided_on = ? WHERE id = 1",
                     (long_ago,))
        conn.execute("UPDATE response SET status = 'declined', decided_on = ? WHERE id = 2",
                     (long_ago,))
        conn.execute("UPDATE response SET received_on = ? WHERE id = 3", (long_ago,))
    with connect(app.config["DATABASE"]) as conn:
        assert store.purge(conn, 90, 30, date.today()) == 2
    assert [tuple(r) for r in db_rows(app, "SELECT body, contact FROM response")] == [
        ("kept beside the report", None)]
    assert db_rows(app, "SELECT detail FROM audit_log WHERE action = 'delete old responses'"
                   )[0][0] == "2"
