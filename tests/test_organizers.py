"""Organizer accounts, sessions, the protected area, review actions and exports."""

import csv
import io
import json
import re
import sqlite3
from contextlib import closing

import pyotp
import pytest

from app import create_app
from app.db import connect
from app.map.grid import snap
from app.organizers import accounts as auth
from app.organizers.guard import OPEN_ENDPOINTS
from conftest import TEST_CONFIG, URL_ARGUMENTS

PASSWORD = "correct horse battery staple"
VALID = {"space": "hotel-room", "what": "found"}


def add_organizer(app, username="ada", role="admin", password=PASSWORD):
    with app.test_request_context():
        return auth.create_organizer(username, role, password)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def login(client, username="ada", password=PASSWORD, code="", **kwargs):
    return client.post("/en/organizers/login", data={"username": username, "password": password,
                                                     "code": code}, **kwargs)


@pytest.fixture
def admin(app, client):
    add_organizer(app)
    assert login(client).status_code == 302
    return client


def csrf(client, url="/en/organizers/") -> str:
    return csrf_of(client.get(url).get_data(as_text=True))


def new_report(client, **fields) -> str:
    html = client.get("/en/report").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)[1]
    response = client.post("/en/report", data={"idempotency_key": key, **VALID, **fields})
    return re.search(r'data-receipt="([^"]+)"', response.get_data(as_text=True))[1]


def db_rows(app, sql, params=()):
    with closing(connect(app.config["DATABASE"])) as conn:
        return conn.execute(sql, params).fetchall()


def organizer_rules(app):
    return [r for r in app.url_map.iter_rules() if "/organizers" in r.rule]


def sample_url(app, rule) -> str:
    values = {name: URL_ARGUMENTS[name][0] for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


# -- protected by default --------------------------------------------------------

def test_every_organizer_url_needs_a_session(app, client):
    rules = organizer_rules(app)
    assert len(rules) >= 20
    for rule in rules:
        url = sample_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.endpoint in OPEN_ENDPOINTS:
                continue
            if method == "GET":
                assert response.status_code == 302, url
                assert response.headers["Location"].startswith("/en/organizers/login?next=")
            else:
                assert response.status_code == 403, f"{method} {url}"


def test_the_open_endpoints_are_exactly_the_sign_in_pages(app):
    endpoints = {r.endpoint for r in organizer_rules(app)}
    assert endpoints >= OPEN_ENDPOINTS
    sign_in_pages = {"organizers.login", "organizers.setup", "organizers.accept_invite",
                     "organizers.reset_password"}
    assert sign_in_pages == OPEN_ENDPOINTS


def test_unknown_organizer_paths_also_ask_for_sign_in(client):
    response = client.get("/zh-hant/organizers/no-such-page")
    assert response.status_code == 302 and "/organizers/login" in response.headers["Location"]


def test_every_state_changing_request_needs_the_csrf_token(app, admin):
    token = csrf(admin)
    for rule in organizer_rules(app):
        if "POST" not in rule.methods or rule.endpoint in OPEN_ENDPOINTS:
            continue
        url = sample_url(app, rule)
        assert admin.post(url).status_code == 403, url
        assert admin.post(url, data={"csrf_token": "forged"}).status_code == 403, url
        assert admin.post(url, headers={"X-CSRF-Token": token[:-1] + "x"}).status_code == 403


# -- signing in --------------------------------------------------------------------

def test_login_sets_a_strict_http_only_cookie(app, client):
    add_organizer(app)
    response = login(client)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("spotcheck_organizer=")  # plain HTTP on 127.0.0.1: local dev
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    secure = login(client, base_url="https://spotcheck.example").headers["Set-Cookie"]
    assert secure.startswith("__Host-spotcheck=") and "Secure" in secure


def test_outside_local_development_the_cookie_is_secure_even_over_http(app, client):
    add_organizer(app)
    cookie = login(client, base_url="http://spotcheck.example").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_login_makes_a_new_session_and_ignores_planted_ones(app, client):
    add_organizer(app)
    client.set_cookie("spotcheck_organizer", "planted-by-an-attacker")
    assert client.get("/en/organizers/").status_code == 302  # the planted one is nothing
    first = login(client).headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert first != "planted-by-an-attacker"
    second = login(client).headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert second != first
    stale = app.test_client()
    stale.set_cookie("spotcheck_organizer", first)
    assert stale.get("/en/organizers/").status_code == 302  # the old one ended at re-login
    assert len(db_rows(app, "SELECT * FROM organizer_session")) == 1


def test_wrong_name_and_wrong_password_look_the_same(app, client, monkeypatch):
    add_organizer(app)
    calls = []
    real = auth.hashlib.scrypt
    monkeypatch.setattr(auth.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    wrong_password = login(client, password="nope nope nope")
    hashes_for_known = len(calls)
    wrong_name = login(client, username="nobody")
    assert len(calls) - hashes_for_known == hashes_for_known == 1  # same work
    assert wrong_password.status_code == wrong_name.status_code == 400
    message = "That username, password or code is not right."
    assert message in wrong_password.get_data(as_text=True)
    assert message in wrong_name.get_data(as_text=True)


def test_failed_logins_slow_down(app, client):
    add_organizer(app)
    for _ in range(4):
        assert login(client, password="wrong wrong wrong").status_code == 400
    throttled = login(client)  # even the right password waits now
    assert throttled.status_code == 429
    assert re.search(r"Wait \d+ seconds", throttled.get_data(as_text=True))


def test_throttling_counts_per_client_across_names(app, client):
    for name in ("a1", "b2", "c3", "d4"):
        login(client, username=name, password="wrong wrong wrong")
    assert login(client, username="e5").status_code == 429
    other = app.test_client()
    add_organizer(app)
    response = other.post("/en/organizers/login", data={"username": "ada", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


def test_idle_and_old_sessions_end(app, admin, monkeypatch):
    start = auth.now()
    monkeypatch.setattr(auth, "now", lambda: start + 29 * 60)
    assert admin.get("/en/organizers/").status_code == 200  # still in time, and refreshed
    monkeypatch.setattr(auth, "now", lambda: start + 29 * 60 + 31 * 60)
    assert admin.get("/en/organizers/").status_code == 302


def test_sessions_end_after_twelve_hours_however_busy(app, admin, monkeypatch):
    start = auth.now()
    for minutes in range(20, 12 * 60, 20):
        monkeypatch.setattr(auth, "now", lambda m=minutes: start + m * 60)
        assert admin.get("/en/organizers/").status_code == 200
    monkeypatch.setattr(auth, "now", lambda: start + 12 * 3600 + 60)
    assert admin.get("/en/organizers/").status_code == 302


def test_logout_everywhere_ends_every_session(app, admin):
    laptop = app.test_client()
    login(laptop)
    assert laptop.get("/en/organizers/").status_code == 200
    admin.post("/en/organizers/logout-everywhere", data={"csrf_token": csrf(admin)})
    assert laptop.get("/en/organizers/").status_code == 302
    assert admin.get("/en/organizers/").status_code == 302


def test_disabling_an_account_ends_its_sessions_and_sign_ins(app, admin):
    moderator_id = add_organizer(app, "mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    assert mo.get("/en/organizers/").status_code == 200
    admin.post(f"/en/organizers/accounts/{moderator_id}/disable",
               data={"csrf_token": csrf(admin)})
    assert mo.get("/en/organizers/").status_code == 302
    assert login(mo, "mo").status_code == 400
    assert [r[0] for r in db_rows(app, "SELECT action FROM audit_log")] == ["disable"]


def test_moderators_cannot_manage_accounts_or_export_everything(app, client):
    add_organizer(app, "mo", "moderator")
    login(client, "mo")
    token = csrf(client)
    assert client.get("/en/organizers/accounts").status_code == 403
    assert client.get("/en/organizers/audit").status_code == 403
    assert client.get("/en/organizers/export/all.csv").status_code == 403
    invite = client.post("/en/organizers/accounts/invite",
                         data={"csrf_token": token, "username": "eve"})
    assert invite.status_code == 403


def test_password_hash_defaults_to_scrypt_2_17_and_keeps_its_parameters(instance):
    app = create_app({**TEST_CONFIG, "PASSWORD_SCRYPT_N": None})
    app.config.pop("PASSWORD_SCRYPT_N")
    assert create_app({"TESTING": True, "SETUP_LINK_ON_START": False}
                      ).config["PASSWORD_SCRYPT_N"] == 2**17
    with create_app(TEST_CONFIG).app_context():
        weak = auth.hash_password("some password here", n=2**10)
        assert weak.startswith("scrypt$1024$8$1$")
        assert auth.check_password(weak, "some password here")
        assert not auth.check_password(weak, "some password herE")


# -- one-time links ----------------------------------------------------------------

def choose_password(client, url, **extra):
    return client.post(url, data={"password": PASSWORD, "password_again": PASSWORD, **extra})


def test_setup_link_makes_the_first_admin_once(app, client):
    with app.test_request_context():
        token = auth.make_link("setup", None)
    url = f"/en/organizers/setup/{token}"
    assert client.get(url).status_code == 200
    response = choose_password(client, url, username="founder")
    assert response.status_code == 302
    assert [tuple(r) for r in db_rows(app, "SELECT username, role FROM organizer")] == [
        ("founder", "admin")]
    again = choose_password(client, url, username="intruder")
    assert again.status_code == 404 and "no longer works" in again.get_data(as_text=True)
    assert login(client, "founder").status_code == 302


def test_setup_link_is_printed_at_first_start_only(instance, capsys):
    create_app({**TEST_CONFIG, "SETUP_LINK_ON_START": True})
    link = re.search(r"(/en/organizers/setup/\S+)", capsys.readouterr().err)[1]
    app = create_app({**TEST_CONFIG, "SETUP_LINK_ON_START": True})
    capsys.readouterr()
    choose_password(app.test_client(), link, username="founder")
    create_app({**TEST_CONFIG, "SETUP_LINK_ON_START": True})
    assert "setup" not in capsys.readouterr().err


def test_invite_link_works_once_and_expires(app, admin, monkeypatch):
    page = admin.post("/en/organizers/accounts/invite",
                      data={"csrf_token": csrf(admin), "username": "mo", "role": "moderator"})
    link = re.search(r"http://localhost(/en/organizers/invite/[\w-]+)",
                     page.get_data(as_text=True))[1]
    newcomer = app.test_client()
    assert choose_password(newcomer, link, password_again="different").status_code == 400
    assert choose_password(newcomer, link).status_code == 302
    assert choose_password(newcomer, link).status_code == 404
    assert login(newcomer, "mo").status_code == 302
    # A second invitation, left for eight days, has expired.
    page = admin.post("/en/organizers/accounts/invite",
                      data={"csrf_token": csrf(admin), "username": "late", "role": "moderator"})
    late = re.search(r"http://localhost(/en/organizers/invite/[\w-]+)",
                     page.get_data(as_text=True))[1]
    start = auth.now()
    monkeypatch.setattr(auth, "now", lambda: start + 8 * 24 * 3600)
    assert choose_password(app.test_client(), late).status_code == 404


def test_reset_link_replaces_the_password_and_ends_sessions(app, admin):
    moderator_id = add_organizer(app, "mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    page = admin.post(f"/en/organizers/accounts/{moderator_id}/reset",
                      data={"csrf_token": csrf(admin)})
    assert mo.get("/en/organizers/").status_code == 302
    link = re.search(r"http://localhost(/en/organizers/reset/[\w-]+)",
                     page.get_data(as_text=True))[1]
    new = "a brand new long password"
    assert mo.post(link, data={"password": new, "password_again": new}).status_code == 302
    assert login(mo, "mo", new).status_code == 302
    assert login(app.test_client(), "mo").status_code == 400


def test_create_admin_command(app, runner):
    result = runner.invoke(args=["create-admin", "root"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "root").status_code == 302
    short = runner.invoke(args=["create-admin", "other"], input="short\nshort\n")
    assert short.exit_code != 0


def test_two_factor_enrolment_then_sign_in_needs_the_code(app, admin):
    page = admin.get("/en/organizers/two-factor").get_data(as_text=True)
    assert "<svg" in page and "<path" in page  # the QR code, inline
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = admin.post("/en/organizers/two-factor", data={
        "csrf_token": csrf_of(page), "secret": secret, "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    fresh = app.test_client()
    assert login(fresh).status_code == 400  # password alone is not enough now
    assert login(fresh, code="000000").status_code == 400
    assert login(fresh, code=pyotp.TOTP(secret).now()).status_code == 302
    # Turning it off needs a current code too.
    token = csrf(fresh, "/en/organizers/two-factor")
    off = {"csrf_token": token, "action": "off"}
    assert fresh.post("/en/organizers/two-factor", data={**off, "code": "000000"}
                      ).status_code == 400
    assert fresh.post("/en/organizers/two-factor",
                      data={**off, "code": pyotp.TOTP(secret).now()}).status_code == 302
    assert login(app.test_client()).status_code == 302


# -- reviewing -------------------------------------------------------------------

def test_queue_lists_pending_reports_newest_first_and_filters(app, admin):
    for city in ("Shanghai", "Taipei", "Shanghai"):
        new_report(admin, city=city, venue=f"Mall in {city}")
    html = admin.get("/en/organizers/").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == ["3", "2", "1"]
    html = admin.get("/en/organizers/?city=shanghai").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == ["3", "1"]
    html = admin.get("/en/organizers/?space=restroom").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == []


def act(client, report_id, action, **data):
    page = client.get(f"/en/organizers/reports/{report_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    return client.post(f"/en/organizers/reports/{report_id}/{action}",
                       data={"csrf_token": csrf_of(page), "version": version, **data})


def test_publish_with_chosen_fields_then_export_only_those(app, admin):
    new_report(admin, venue="Harbour Hotel", city="Hong Kong", latitude="22.2855",
               longitude="114.1577", description="SECRET free text", device="clock")
    response = act(admin, 1, "publish", public=["venue", "location"], public_note="Confirmed.")
    assert response.status_code == 200 and "Published." in response.get_data(as_text=True)
    [row] = db_rows(app, "SELECT status, public_fields, public_note FROM report")
    assert tuple(row) == ("published", '["location", "venue"]', "Confirmed.")

    geojson = json.loads(admin.get("/en/organizers/export/published.geojson").data)
    [feature] = geojson["features"]
    [(lat, lon)] = db_rows(app, "SELECT latitude, longitude FROM report")
    assert feature["geometry"]["coordinates"] == list(snap(lat, lon, 200))[::-1]
    assert feature["geometry"]["coordinates"] != [lon, lat]
    assert feature["properties"]["venue"] == "Harbour Hotel"
    assert feature["properties"]["city"] is None and feature["properties"]["device"] is None
    exported = admin.get("/en/organizers/export/published.csv").get_data(as_text=True)
    assert "SECRET" not in exported and "SECRET" not in json.dumps(geojson)
    assert "Harbour Hotel" in exported and "Hong Kong" not in exported
    log = [tuple(r) for r in db_rows(app, "SELECT action, report_id FROM audit_log")]
    assert log == [("publish", 1)]


def test_two_organizers_on_one_report_see_the_conflict(app, admin):
    new_report(admin)
    add_organizer(app, "mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    page = mo.get("/en/organizers/reports/1").get_data(as_text=True)  # she opens it...
    assert act(admin, 1, "reject").status_code == 200  # ...meanwhile it is rejected
    late = mo.post("/en/organizers/reports/1/publish", data={
        "csrf_token": csrf_of(page), "version": re.search(r'name="version" value="(\d+)"',
                                                           page)[1], "public": ["venue"]})
    assert late.status_code == 409
    assert "Another organizer changed this report" in late.get_data(as_text=True)
    assert db_rows(app, "SELECT status FROM report")[0][0] == "rejected"


def test_asking_reaches_the_reporters_status_page(app, admin):
    code = new_report(admin)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    admin.post("/en/organizers/reports/1/ask", data={"csrf_token": csrf_of(page),
                                                     "question": "Which floor?"})
    status = app.test_client().post("/zh-hans/report/status", data={"code": code})
    assert "Which floor?" in status.get_data(as_text=True)


def test_mark_duplicate(app, admin):
    new_report(admin)
    new_report(admin)
    assert act(admin, 2, "duplicate", original="2").status_code == 400
    assert act(admin, 2, "duplicate", original="1").status_code == 200
    assert tuple(db_rows(app, "SELECT status, duplicate_of FROM report WHERE id = 2")[0]) == (
        "rejected", 1)


def test_personal_data_in_a_report_is_flagged(admin):
    new_report(admin, description="call me on 13812345678 or mail jane@example.com, "
                                  "tg @leaker_channel, t.me/xyz, id 11010519491231002X")
    html = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    for kind in ("a phone number", "an e-mail address", "a Chinese ID number", "a web address",
                 "a Telegram account"):
        assert kind in html
    new_report(admin, description="A small lens in the clock by the bed.")
    assert "seems to contain personal data" not in admin.get(
        "/en/organizers/reports/2").get_data(as_text=True)


PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)'


def test_report_text_is_inert_in_queue_detail_and_exports(app, admin):
    new_report(admin, venue=PAYLOAD, city="=HYPERLINK(\"http://evil\")", description=PAYLOAD,
               response="+SUM(A1:A9)")
    for url in ("/en/organizers/", "/en/organizers/reports/1"):
        html = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    act(admin, 1, "publish", public=["venue", "city"])
    rows = list(csv.reader(io.StringIO(
        admin.get("/en/organizers/export/all.csv").get_data(as_text=True))))
    header, row = rows[0], rows[1]
    assert row[header.index("city")] == "'=HYPERLINK(\"http://evil\")"
    assert row[header.index("response")] == "'+SUM(A1:A9)"
    public = admin.get("/en/organizers/export/published.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in public


def test_photo_only_for_organizers_and_never_cached(app, admin):
    import photo_samples

    html = admin.get("/en/report").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)[1]
    admin.post("/en/report", data={"idempotency_key": key, **VALID,
                                   "photo": (io.BytesIO(photo_samples.jpeg_with_gps()), "p.jpg")},
               content_type="multipart/form-data")
    with admin.get("/en/organizers/reports/1/photo") as response:
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/en/organizers/reports/1/photo").status_code == 302


def test_audit_log_is_append_only(app, admin):
    new_report(admin)
    act(admin, 1, "reject")
    with closing(connect(app.config["DATABASE"])) as conn:
        for sql in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    html = admin.get("/en/organizers/audit").get_data(as_text=True)
    assert "reject" in html and "ada" in html


def test_stats_page_draws_its_charts(admin):
    for space in ("restroom", "restroom", "hotel-room"):
        new_report(admin, space=space)
    html = admin.get("/en/organizers/stats").get_data(as_text=True)
    assert html.count('<rect x="') >= 2 and "Public restroom, " in html
    assert "No report has been reviewed yet." in html
    act(admin, 1, "reject")
    assert "Median: 0.0 days" in admin.get("/en/organizers/stats").get_data(as_text=True)


def test_organizer_pages_are_translated(app, client):
    add_organizer(app)
    html = client.get("/zh-hant/organizers/login").get_data(as_text=True)
    assert "審核人員登入" in html
    login(client)
    assert "審核佇列" in client.get("/zh-hant/organizers/").get_data(as_text=True)


# -- the public grid ---------------------------------------------------------------

def test_snap_puts_every_point_of_a_cell_on_one_centre():
    assert snap(22.28550, 114.15770, 200) == snap(22.28551, 114.15771, 200)
    lat, lon = snap(31.2304, 121.4737, 200)
    assert abs(lat - 31.2304) * 111_320 <= 100.1
    assert snap(lat, lon, 200) == (lat, lon)  # a centre snaps to itself
    assert snap(31.2304, 121.4737, 200) != snap(31.2330, 121.4737, 200)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant"])
def test_organizer_pages_have_no_untranslated_english(app, admin, lang):
    from test_checklists import untranslated_words, visible_text

    new_report(admin, venue="Mall")
    act(admin, 1, "reject")
    new_report(admin)
    for path in ("", "reports/1", "reports/2", "stats", "audit", "accounts", "two-factor"):
        html = admin.get(f"/{lang}/organizers/{path}").get_data(as_text=True)
        html = re.sub(r'<code class="totp-key"[^>]*>[^<]*</code>', "", html)  # a random key
        words = untranslated_words(visible_text(html)) - {"Mall", "ada", "CSV", "GeoJSON",
                                                          "UTC", "j", "k", "Enter", "reject",
                                                          "QR", "Code"}
        assert words == set(), path
