"""The status page: her receipt code shows the report's status and takes her answers, never
in a URL; wrong codes are rate limited, answers per report per day too (issue 14, item 12)."""

import re
from contextlib import closing
from pathlib import Path

from app import create_app
from app.db import connect
from helpers import (
    OLD_BROWSER,
    TEST_CONFIG,
    db_rows,
    field,
    new_report,
    receipt_of,
    stored_reports,
    submit,
)

VALID = {"space": "restroom", "what": "found"}


def status(client, lang="en", **data):
    return client.post(f"/{lang}/report/status", data=data)


def test_status_page_shows_status_and_takes_answers(app, client, lang):
    code = receipt_of(submit(client, **VALID))
    [row] = stored_reports(app)
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute(
            "INSERT INTO report_message (report_id, author, body, sent_on) "
            "VALUES (?, 'organizer', 'Which floor was it on?', '2026-11-02')",
            (row["id"],),
        )
    typed = code.lower().replace("-", " ").replace("1", "l")  # as she might type it
    html = status(client, lang, code=typed).get_data(as_text=True)
    assert {"en": "Received.", "zh-hans": "已收到。", "zh-hant": "已收到。",
            "zh-hk": "已收到。"}[lang] in html
    assert "Which floor was it on?" in html
    answered = status(client, lang, code=code, reply="Third floor, by the lifts.")
    assert answered.status_code == 200
    assert "Third floor, by the lifts." in answered.get_data(as_text=True)
    messages = db_rows(app, "SELECT author, body FROM report_message ORDER BY id")
    assert [tuple(m) for m in messages] == [("organizer", "Which floor was it on?"),
                                            ("reporter", "Third floor, by the lifts.")]


def test_status_never_puts_the_code_in_a_url(client):
    html = client.get("/en/report/status").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/en/report/status"', html)
    assert client.get("/en/report/status?code=ABCD").status_code == 200  # ignored, not used


def test_published_and_rejected_read_as_such(app, client):
    code = receipt_of(submit(client, **VALID))
    for state, words in (("published", "Published."), ("rejected", "Not published.")):
        with closing(connect(app.config["DATABASE"])) as conn:
            conn.execute("UPDATE report SET status = ?", (state,))
        assert words in status(client, code=code).get_data(as_text=True)


def test_wrong_codes_are_refused_then_rate_limited(instance):
    app = create_app({"TESTING": True, "RECEIPT_TRIES_PER_HOUR": 3})
    client = app.test_client()
    code = receipt_of(submit(client, **VALID))
    for guess in ("0000-0000-0000-0000", "not a code", "", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"[:14]):
        response = status(client, code=guess)
    assert response.status_code == 429
    # Even the right code waits now: guessing must not pay.
    assert status(client, code=code).status_code == 429


def test_empty_answer_is_refused(client):
    code = receipt_of(submit(client, **VALID))
    response = status(client, code=code, reply="   ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write your answer first." in html
    # The box comes back empty, not with the word "None" in it.
    assert re.search(r'<textarea id="reply"[^>]*></textarea>', html)


def test_the_status_page_refuses_origin_null_without_its_token(app, client):
    code = new_report(client)
    response = client.post("/en/report/status", headers=OLD_BROWSER,
                           data={"code": code, "reply": "The camera is still there."})
    assert response.status_code == 403
    assert "We could not confirm" in response.get_data(as_text=True)
    # The reply form carries the token, and with it the same post goes through.
    page = client.post("/en/report/status", data={"code": code}).get_data(as_text=True)
    token = field(page.split('name="reply"')[0].rsplit("<form", 1)[1], "post_token")
    sent = client.post("/en/report/status", headers=OLD_BROWSER, data={
        "code": code, "reply": "The camera is still there.", "post_token": token})
    assert sent.status_code == 200
    with closing(connect(app.config["DATABASE"])) as db:
        assert [r[0] for r in db.execute("SELECT body FROM report_message")] == [
            "The camera is still there."]


def test_replies_are_limited_per_report_per_day_and_her_text_is_kept(instance):
    app = create_app({**TEST_CONFIG, "REPLIES_PER_REPORT_PER_DAY": 2})
    client = app.test_client()
    code, other = new_report(client), new_report(client)

    def reply(receipt: str, text: str):
        return client.post("/en/report/status", data={"code": receipt, "reply": text})

    assert [reply(code, f"Detail {n}").status_code for n in (1, 2)] == [200, 200]
    refused = reply(code, "A third detail, kept for tomorrow")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "You can add 2 answers a day to a report" in html
    assert re.search(r'<textarea id="reply"[^>]*>A third detail, kept for tomorrow</textarea>',
                     html)
    assert reply(other, "Another report has its own count").status_code == 200
    with closing(connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM report_message").fetchone()[0] == 3


def test_the_reply_limit_is_a_documented_setting():
    from app.config import DEFAULTS

    assert DEFAULTS["REPLIES_PER_REPORT_PER_DAY"] == 10
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "| `SPOTCHECK_REPLIES_PER_REPORT_PER_DAY` | `10` |" in readme
