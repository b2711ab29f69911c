"""Issue 14, items 9, 11, 12 and 13: cross-site posts from older browsers, poster scans
counted once per phone, replies limited per report, and numbers left numbers in CSV."""

import csv
import io
import re
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app
from app.db import connect
from app.review.exports import defuse
from app.vocab import today
from app.web.limits import Limiter
from app.web.security import post_token, valid_post_token
from helpers import TEST_CONFIG, insert_published, new_report, public_urls, receipt_of

# What Safari before 16.4 sends with our own plain form under Referrer-Policy:
# no-referrer, and what a sandboxed frame on any other site sends too.
OLD_BROWSER = {"Origin": "null"}
VALID = {"space": "restroom", "what": "found"}
PUBLIC = "https://spotcheck.example"


def field(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match[1] if match else None


def report_rows(app) -> int:
    with closing(connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT count(*) FROM report").fetchone()[0]


def token_for(app, key: str = "", days_ago: int = 0) -> str:
    with app.test_request_context():
        return post_token(key, today() - timedelta(days=days_ago))


# -- 9. Origin: null needs the form's signed token ------------------------------------

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
    """app.js may give the form a new idempotency key, which its token does not cover:
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


@pytest.fixture
def poster_app(instance):
    return create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": PUBLIC})


def test_making_a_poster_with_origin_null_needs_the_builders_token(poster_app):
    client = poster_app.test_client()
    assert client.post("/en/posters/", headers=OLD_BROWSER, data={}).status_code == 403
    with closing(connect(poster_app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM poster").fetchone()[0] == 0
    token = field(client.get("/en/posters/").get_data(as_text=True), "post_token")
    made = client.post("/en/posters/", headers=OLD_BROWSER, data={"post_token": token})
    assert made.status_code == 200


def test_signing_in_with_origin_null_needs_the_login_pages_token(client, auth):
    auth.add()
    refused = auth.login(headers=OLD_BROWSER)
    assert refused.status_code == 403 and "Set-Cookie" not in refused.headers
    token = field(client.get("/en/organizers/login").get_data(as_text=True), "post_token")
    assert client.post("/en/organizers/login", headers=OLD_BROWSER, data={
        "username": "ada", "password": "correct horse battery staple",
        "post_token": token}).status_code == 302


def post_forms(html: str) -> list[str]:
    """Each form on a page that can POST (a method, or a button's formmethod)."""
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    return [f for f in forms if re.search(r'(form)?method="post"', f, re.I)]


def test_every_public_post_form_carries_a_valid_token(app, client):
    code = new_report(client)
    pages = {url: client.get(url) for url in public_urls(app)}
    pages["status with a report"] = client.post("/en/report/status", data={"code": code})
    checked = 0
    for url, response in pages.items():
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in post_forms(response.get_data(as_text=True)):
            if 'name="csrf_token"' in form:
                continue  # an organizer's form, bound to her session
            if url.endswith("/offline/report"):
                # The offline shell is the same for everyone, shown only by the service
                # worker, so sent by app.js (fetch, htmx), which always sends Origin or
                # Sec-Fetch-Site; it has no key for a token to cover.
                assert field(form, "idempotency_key") == "" and 'name="post_token"' not in form
                continue
            token = field(form, "post_token")
            assert token, f"a POST form on {url} has no post token"
            with app.test_request_context():
                assert valid_post_token(field(form, "idempotency_key") or "", token), url
            checked += 1
    assert checked >= 3 * 4  # report, code, poster and sign-in forms, in each language


# -- 11. a scan counts once per phone per poster per day ------------------------------------

def scans_today(app, code: str) -> int:
    with closing(connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT coalesce(sum(scans), 0) FROM poster_scan s JOIN poster p "
                          "ON p.id = s.poster_id WHERE p.code = ? AND s.day = ?",
                          (code, today().isoformat())).fetchone()[0]


def make_poster(client) -> str:
    made = client.post("/en/posters/", data={"destination": "check-restroom"})
    return re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", made.get_data(as_text=True))[1]


def test_sixty_scans_from_one_phone_count_once_and_all_are_sent_on(poster_app):
    client = poster_app.test_client()
    code, other = make_poster(client), make_poster(client)
    phone = {"REMOTE_ADDR": "198.51.100.7"}
    answers = [client.get(f"/p/{code}", environ_base=phone) for _ in range(60)]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {
        (302, "/en/check/restroom")}
    assert scans_today(poster_app, code) == 1
    client.get(f"/p/{code}", environ_base={"REMOTE_ADDR": "198.51.100.8"})  # another phone
    client.get(f"/p/{other}", environ_base=phone)  # the same phone, another poster
    assert scans_today(poster_app, code) == 2 and scans_today(poster_app, other) == 1
    # The limits file holds keyed hashes only, one per phone and poster: it cannot
    # say that one phone scanned both posters.
    limits_file = Path(poster_app.instance_path) / "limits.sqlite3"
    with closing(sqlite3.connect(limits_file)) as db:
        keys = [k for (k,) in db.execute("SELECT client FROM rate_block WHERE bucket = 'scan'")]
    assert len(keys) == len(set(keys)) == 3
    assert b"198.51.100" not in b"".join(p.read_bytes() for p in limits_file.parent.glob(
        "limits.sqlite3*"))


def test_a_scan_claim_lasts_until_midnight_utc(tmp_path):
    clock = [20_000 * 86400 + 86400 - 30.0]  # 23:59:30 UTC
    limiter = Limiter(tmp_path / "limits.sqlite3", b"s" * 32, clock=lambda: clock[0])
    assert limiter.claim_today("scan", "phone+poster")
    clock[0] += 20
    assert not limiter.claim_today("scan", "phone+poster")
    clock[0] += 20  # 00:00:10 the next day
    assert limiter.claim_today("scan", "phone+poster")


# -- 12. replies per report per day -----------------------------------------------------

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
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "| `SPOTCHECK_REPLIES_PER_REPORT_PER_DAY` | `10` |" in readme


# -- 13. CSV: numbers stay numbers ---------------------------------------------------------

def test_only_text_cells_are_defused():
    numbers = {-33.87: "-33.87", -70.65: "-70.65", -3: "-3", 12: "12"}
    text = {"-33.87": "'-33.87", "=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "": ""}
    for value, cell in {**numbers, **text, float("-inf"): "'-inf", None: ""}.items():
        assert defuse(value) == cell, value


def test_southern_and_western_coordinates_export_as_numbers(app, admin):
    insert_published(app, [{"lat": -33.87, "lon": -70.65, "venue": "-5 Plaza", "city": "Santiago"}])
    for export in ("published", "all"):
        text = admin.get(f"/en/organizers/export/{export}.csv").data.decode("utf-8-sig")
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert float(row["Latitude"]) < -33 and float(row["Longitude"]) < -70
        # Text that looks like a formula still is defused.
        assert row["Name of the place"] == "'-5 Plaza"
