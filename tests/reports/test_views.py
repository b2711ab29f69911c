"""The report form, receipts, limits, posts from other sites and old browsers, retention,
and nothing about the reporter kept. The status page is in test_status.py, photos in
test_photos.py."""

import json
import re
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

import photo_samples
from app import create_app
from app.db import connect
from app.reports.receipts import normalize
from app.vocab import today
from app.web.security import post_token
from helpers import (
    OLD_BROWSER,
    db_rows,
    field,
    form_key,
    receipt_of,
    stored_photos,
    stored_reports,
    submit,
)

VALID = {"space": "restroom", "what": "found"}
USER_AGENT = "ReporterPhone/7.0 (distinctive-test-agent)"


def status(client, lang="en", **data):
    return client.post(f"/{lang}/report/status", data=data)


# -- the form --------------------------------------------------------------

def test_form_explains_privacy_before_the_fields(client, lang):
    response = client.get(f"/{lang}/report")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.index('class="privacy"') < html.index("<form")
    assert {"en": "We don’t record your IP address", "zh-hans": "我们不记录你的 IP 地址",
            "zh-hant": "我們不記錄你的 IP 位址", "zh-hk": "我們不記錄你的 IP 地址"}[lang] in html
    assert 'enctype="multipart/form-data"' in html and 'data-hx-post="' in html


@pytest.mark.parametrize(("lang", "after"), [("zh-hans", "？（必填）"), ("zh-hant", "？（必填）")])
def test_required_mark_follows_a_chinese_question_without_a_space(client, lang, after):
    # Full-width punctuation brings its own gap; the stylesheet gives English its gap.
    html = client.get(f"/{lang}/report").get_data(as_text=True)
    legends = [re.sub(r"<[^>]+>", "", legend)
               for legend in re.findall(r"<legend>(.*?)</legend>", html, re.S)]
    marked = [legend for legend in legends if "必填" in legend]
    assert marked and all(legend.endswith(after) for legend in marked), marked


def test_checklist_link_prefills_space_and_device(client):
    html = client.get("/en/report?space=hotel-room&device=clock").get_data(as_text=True)
    assert re.search(r'name="space" value="hotel-room" required checked', html)
    assert '<option value="clock" selected>' in html
    html = client.get("/en/report?space=<script>&device=bomb").get_data(as_text=True)
    assert " required checked" not in html and " selected>" not in html


def test_each_form_gets_its_own_idempotency_key(client):
    assert form_key(client) != form_key(client)


# -- submitting --------------------------------------------------------------

def test_a_report_is_stored_once_with_a_receipt(app, client):
    before = today()
    response = submit(client, venue="Star Mall", city="Shanghai Jing'an", latitude="31.2304567",
                      longitude="121.4737", observed_on="2026-11-01", told_venue="yes",
                      description="A lens in the coat hook.", **VALID)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = receipt_of(response)
    assert code and normalize(code) == code
    [row] = stored_reports(app)
    assert (row["space"], row["what"], row["venue"], row["city"]) == (
        "restroom", "found", "Star Mall", "Shanghai Jing'an")
    assert (row["latitude"], row["longitude"]) == (31.23, 121.474)  # rounded to ~100 m
    assert row["told_venue"] == 1 and row["told_police"] == 0
    # The day it arrived, in UTC (the one calendar), and no time of day.
    assert row["submitted_on"] in {before.isoformat(), today().isoformat()}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["submitted_on"])  # a day, not a time
    assert row["status"] == "received"
    # The code itself is nowhere in the database, only its hash.
    assert code not in json.dumps([dict(r) for r in stored_reports(app)], default=str)
    assert code.encode() not in Path(app.config["DATABASE"]).read_bytes()


def test_a_retried_post_returns_the_same_receipt_and_stores_nothing(app, client):
    key = form_key(client)
    first = receipt_of(submit(client, key=key, **VALID))
    again = submit(client, key=key, **{**VALID, "description": "sent twice"})
    assert receipt_of(again) == first
    assert len(stored_reports(app)) == 1


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_missing_fields_are_explained_and_nothing_is_stored(app, client, lang):
    response = submit(client, lang=lang, venue="Star Mall", description="kept")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert {"en": "Choose the kind of place.", "zh-hans": "请选择地点类型。",
            "zh-hant": "請選擇地點類型。"}[lang] in html
    assert 'value="Star Mall"' in html and ">kept</textarea>" in html  # what she typed
    assert stored_reports(app) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "x" * 2001}, "description", "under 2000 characters (now 2001)"),
        ({"venue": "v" * 121}, "venue", "under 120 characters"),
        ({"latitude": "31.2"}, "location", "both latitude and longitude"),
        ({"latitude": "95", "longitude": "10"}, "location", "both latitude and longitude"),
        ({"latitude": "nan", "longitude": "inf"}, "location", "both latitude and longitude"),
        ({"observed_on": "2999-01-01"}, "observed_on", "can’t be in the future"),
        ({"observed_on": "yesterday"}, "observed_on", "year-month-day"),
        ({"device": "toaster"}, "device", "Choose a kind of device"),
        ({"what": "maybe"}, "what", "Choose what happened."),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(app, client, fields, field, message):
    response = submit(client, **{**VALID, **fields})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'href="#field-{field}"' in html and message in html
    assert stored_reports(app) == []


def test_htmx_gets_only_the_fragment(client):
    response = submit(client, headers={"HX-Request": "true"}, **VALID)
    html = response.get_data(as_text=True)
    assert html.startswith('<div id="report-form" class="receipt"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_text_is_cleaned_of_control_characters(app, client):
    submit(client, venue="Star\x00 Mall\x1b[31m", description="line one\r\nline two", **VALID)
    [row] = stored_reports(app)
    assert row["venue"] == "Star Mall[31m"
    assert row["description"] == "line one\nline two"


# -- abuse defences ------------------------------------------------------------

def test_the_honeypot_refuses_and_keeps_the_text(app, client):
    response = submit(client, x_check="https://spam.example", venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "should stay empty" in html and 'value="Star Mall"' in html
    assert "spam.example" not in html
    assert stored_reports(app) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
])
def test_posts_from_other_sites_are_refused(app, client, headers):
    response = submit(client, headers=headers, venue="Star Mall", **VALID)
    assert response.status_code == 403
    assert "SpotCheck’s own page" in response.get_data(as_text=True)
    assert stored_reports(app) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Origin": "http://localhost"},
    # "Origin: null" needs the form's post token: see the tests below
])
def test_posts_from_our_own_pages_pass(client, headers):
    assert receipt_of(submit(client, headers=headers, **VALID))


def test_an_invalid_idempotency_key_is_refused_and_replaced(app, client):
    response = submit(client, key="short", **VALID)
    assert response.status_code == 400
    assert stored_reports(app) == []
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', response.get_data(as_text=True))[1]
    assert fresh != "short"
    assert receipt_of(submit(client, key=fresh, **VALID))  # sending again now works


@pytest.fixture
def strict_app(instance):
    return create_app({"TESTING": True, "REPORTS_PER_CLIENT_PER_HOUR": 2, "REPORTS_PER_HOUR": 3})


def test_per_client_limit(strict_app):
    client = strict_app.test_client()
    for _ in range(2):
        assert receipt_of(submit(client, **VALID))
    refused = submit(client, lang="zh-hant", venue="Star Mall", **VALID)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "過去一小時內" in html and 'value="Star Mall"' in html
    assert len(stored_reports(strict_app)) == 2
    # Someone else is not affected by her limit.
    other = strict_app.test_client()
    response = other.post("/en/report", data={"idempotency_key": form_key(other), **VALID},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert receipt_of(response)


def test_past_the_site_wide_rate_a_report_without_javascript_is_held(strict_app):
    """Past REPORTS_PER_HOUR a flood is on: the page's script proves its work
    (tests/reports/test_proof.py); a plain form is stored held, with its receipt."""
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        client = strict_app.test_client()
        response = client.post("/en/report", data={"idempotency_key": form_key(client), **VALID},
                               environ_base={"REMOTE_ADDR": address})
        assert receipt_of(response)
    assert [row["held"] for row in stored_reports(strict_app)] == [0, 0, 0, 1]


def test_failed_validation_does_not_use_up_the_limit(strict_app):
    client = strict_app.test_client()
    for _ in range(4):
        assert submit(client, venue="no space chosen").status_code == 400
    assert receipt_of(submit(client, **VALID))


def test_a_retry_is_answered_even_over_the_limit(strict_app):
    client = strict_app.test_client()
    key = form_key(client)
    code = receipt_of(submit(client, key=key, **VALID))
    receipt_of(submit(client, **VALID))
    assert submit(client, **VALID).status_code == 429
    assert receipt_of(submit(client, key=key, **VALID)) == code


# -- retention -----------------------------------------------------------------

def test_old_unpublished_reports_and_their_photos_are_deleted(app, client, runner):
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        submit(client, photo=(name, photo_samples.jpeg_with_gps()), **VALID)
    old = (today() - timedelta(days=91)).isoformat()
    with closing(connect(app.config["DATABASE"])) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM report ORDER BY id")]
        conn.execute("UPDATE report SET submitted_on = ? WHERE id IN (?, ?)", (old, ids[0], ids[1]))
        conn.execute("UPDATE report SET status = 'published' WHERE id = ?", (ids[1],))
        conn.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                     "VALUES (?, 'organizer', 'q', ?)", (ids[0], old))

    result = runner.invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unpublished reports older than 90 days" in result.output
    assert [r["id"] for r in stored_reports(app)] == ids[1:]  # the published one stays, however old
    assert db_rows(app, "SELECT * FROM report_message") == []
    assert [r[0] for r in db_rows(app, "SELECT report_id FROM report_photo")] == ids[1:]


def test_purge_runs_on_start(app, client, instance):
    submit(client, **VALID)
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = '2020-01-01'")
    create_app({"TESTING": True})
    assert stored_reports(app) == []


# -- nothing about the reporter is kept (docs/privacy.md, promise 1) -------------------

def test_no_address_agent_or_their_hmac_is_stored_anywhere(app, client, caplog):
    caplog.set_level("DEBUG")
    address = "127.0.0.1"
    headers = {"User-Agent": USER_AGENT}
    for _ in range(3):
        submit(client, headers=headers, photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    submit(client, headers=headers)  # a refused one too
    code = receipt_of(submit(client, headers=headers, **VALID))
    status(client, code=code, reply="more detail")
    status(client, code="0000-0000-0000-0000")
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        from app.web.limits import limiter

        hmac_hex = limiter().client_key(address)
        boot_secret = limiter()._boot_secret
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    needles = [address.encode(), USER_AGENT.encode(), hmac_hex.encode(), bytes.fromhex(hmac_hex)]
    files = [p for p in Path(app.instance_path).rglob("*") if p.is_file()]
    scanned = {p.relative_to(app.instance_path).as_posix() for p in files}
    # Everywhere she could have been written down: the database and its WAL (the app
    # keeps its connection open, so recent writes sit there), which hold the photos.
    assert {"spotcheck.sqlite3", "spotcheck.sqlite3-wal"} <= scanned
    assert len(stored_photos(app)) == 3
    for path in files:
        data = path.read_bytes()
        # The HMAC is what the shared rate-limit counts are kept under (only there);
        # its key comes from a boot secret that is never written anywhere.
        allowed = {hmac_hex.encode()} if path.name.startswith("limits.sqlite3") else set()
        for needle in [*needles, boot_secret]:
            assert needle in allowed or needle not in data, f"{needle!r} found in {path}"
    assert any(p.name.startswith("limits.sqlite3") for p in files)
    for needle in (address, USER_AGENT, hmac_hex):
        assert needle not in caplog.text
    # No time of day either: only dates.
    for row in stored_reports(app):
        assert all(not re.search(r"\d\d:\d\d", str(v)) for v in dict(row).values())


def test_a_failed_write_acknowledges_nothing(app, client, monkeypatch):
    from app.reports import store as report_store

    def broken_insert(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(report_store, "receipt_for_retry", lambda key: None)
    original = report_store.get_db

    class Failing:
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            if sql.lstrip().startswith("INSERT INTO report"):
                broken_insert()
            return self.db.execute(sql, *args)

    monkeypatch.setattr(report_store, "get_db", lambda: Failing(original()))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = submit(client, photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    assert response.status_code == 500
    assert receipt_of(response) is None
    assert stored_reports(app) == [] and stored_photos(app) == []


# -- older browsers (Origin: null) need the form's signed token (issue 14, item 9) ----

def report_rows(app) -> int:
    with closing(connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT count(*) FROM report").fetchone()[0]


def token_for(app, key: str = "", days_ago: int = 0) -> str:
    with app.test_request_context():
        return post_token(key, today() - timedelta(days=days_ago))


def test_a_report_with_origin_null_and_no_token_is_refused_and_stores_nothing(app, client):
    key = field(client.get("/en/report").get_data(as_text=True), "idempotency_key")
    response = client.post("/en/report", headers=OLD_BROWSER,
                           data={"idempotency_key": key, "venue": "Star Mall", **VALID})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "We could not confirm that this form was sent from SpotCheck’s own page" in html
    assert report_rows(app) == 0
    # What she typed comes back, with the same key and a token for it: sending again works.
    assert 'value="Star Mall"' in html and field(html, "idempotency_key") == key
    again = client.post("/en/report", headers=OLD_BROWSER, data={
        "idempotency_key": key, "post_token": field(html, "post_token"), **VALID})
    assert receipt_of(again) and report_rows(app) == 1


def test_the_report_forms_own_token_passes_today_and_tomorrow(app, client):
    html = client.get("/en/report").get_data(as_text=True)
    key, token = field(html, "idempotency_key"), field(html, "post_token")
    assert token == token_for(app, key)
    assert receipt_of(client.post("/en/report", headers=OLD_BROWSER, data={
        "idempotency_key": key, "post_token": token, **VALID}))
    # A form opened before midnight still sends after it (its token is yesterday's).
    other = field(client.get("/en/report").get_data(as_text=True), "idempotency_key")
    assert receipt_of(client.post("/en/report", headers=OLD_BROWSER, data={
        "idempotency_key": other, "post_token": token_for(app, other, days_ago=1), **VALID}))
    assert report_rows(app) == 2


@pytest.mark.parametrize("forged", ["another key's", "two days old", "empty", "não-ascii ☃"])
def test_a_token_not_made_for_this_key_today_or_yesterday_is_refused(app, client, forged):
    key = field(client.get("/en/report").get_data(as_text=True), "idempotency_key")
    other = field(client.get("/en/report").get_data(as_text=True), "idempotency_key")
    token = {"another key's": token_for(app, other), "two days old": token_for(app, key, 2),
             "empty": "", "não-ascii ☃": forged}[forged]
    response = client.post("/en/report", headers=OLD_BROWSER,
                           data={"idempotency_key": key, "post_token": token, **VALID})
    assert response.status_code == 403
    assert report_rows(app) == 0


def test_sec_fetch_site_decides_where_sent_and_the_token_only_where_not(app, client):
    """outbox.js may give the form a new idempotency key, which its token does not cover:
    modern browsers are judged by the header alone."""
    rotated = {"idempotency_key": "k" * 24, **VALID}
    old_browser = client.post("/en/report", headers=OLD_BROWSER, data=rotated)
    assert old_browser.status_code == 403
    same = {**OLD_BROWSER, "Sec-Fetch-Site": "same-origin"}
    assert receipt_of(client.post("/en/report", headers=same, data=rotated))
    html = client.get("/en/report").get_data(as_text=True)
    refused = client.post("/en/report", headers={"Sec-Fetch-Site": "cross-site"}, data={
        "idempotency_key": field(html, "idempotency_key"),
        "post_token": field(html, "post_token"), **VALID})
    assert refused.status_code == 403  # a valid token never overrides what the browser says
    assert report_rows(app) == 1


# -- the form cautions her (issue 16) -------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Name the place, not a person"),
    ("zh-hans", "写地点，不要写人名"),
    ("zh-hant", "寫地點，不要寫人名"),
])
def test_the_report_form_cautions_against_naming_people(client, lang, words):
    html = client.get(f"/{lang}/report").get_data(as_text=True)
    assert f'<p class="hint" id="hint-venue">{words}' in html
    assert re.search(r'<input id="venue"[^>]*aria-describedby=" hint-venue"', html)
