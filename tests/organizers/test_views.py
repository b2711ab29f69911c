"""Organizer accounts, sessions, signing in and the guard over the organizer area.

The review queue, its actions, exports and statistics are in tests/review/; the second
factor in test_two_step.py, the audit log in test_audit.py.
"""

import re
from pathlib import Path

import pyotp
import pytest

from app import create_app
from app.organizers import accounts, two_step
from app.organizers.guard import OPEN_ENDPOINTS
from helpers import (
    OLD_BROWSER,
    PASSWORD,
    TEST_CONFIG,
    URL_ARGUMENTS,
    act,
    audit,
    csrf,
    csrf_of,
    db_rows,
    field,
    login,
    new_report,
    untranslated_words,
    visible_text,
)


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

def test_login_sets_a_strict_http_only_cookie(auth):
    auth.add()
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("spotcheck_organizer=")  # plain HTTP on 127.0.0.1: local dev
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    secure = auth.login(base_url="https://spotcheck.example").headers["Set-Cookie"]
    assert secure.startswith("__Host-spotcheck=") and "Secure" in secure


def test_outside_local_development_the_cookie_is_secure_even_over_http(auth):
    auth.add()
    cookie = auth.login(base_url="http://spotcheck.example").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_login_makes_a_new_session_and_ignores_planted_ones(app, client, auth):
    auth.add()
    client.set_cookie("spotcheck_organizer", "planted-by-an-attacker")
    assert client.get("/en/organizers/").status_code == 302  # the planted one is nothing
    first = auth.login().headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert first != "planted-by-an-attacker"
    second = auth.login().headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert second != first
    stale = app.test_client()
    stale.set_cookie("spotcheck_organizer", first)
    assert stale.get("/en/organizers/").status_code == 302  # the old one ended at re-login
    assert len(db_rows(app, "SELECT * FROM organizer_session")) == 1


def test_wrong_name_and_wrong_password_look_the_same(auth, monkeypatch):
    auth.add()
    calls = []
    real = accounts.hashlib.scrypt
    monkeypatch.setattr(accounts.hashlib, "scrypt",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    wrong_password = auth.login(password="nope nope nope")
    hashes_for_known = len(calls)
    wrong_name = auth.login(username="nobody")
    assert len(calls) - hashes_for_known == hashes_for_known == 1  # same work
    assert wrong_password.status_code == wrong_name.status_code == 400
    message = "That username, password or code is not right."
    assert message in wrong_password.get_data(as_text=True)
    assert message in wrong_name.get_data(as_text=True)


def test_failed_logins_slow_down(auth):
    auth.add()
    for _ in range(4):
        assert auth.login(password="wrong wrong wrong").status_code == 400
    throttled = auth.login()  # even the right password waits now
    assert throttled.status_code == 429
    assert re.search(r"Wait \d+ seconds", throttled.get_data(as_text=True))


def test_throttling_counts_per_client_across_names(app, auth):
    for name in ("a1", "b2", "c3", "d4"):
        auth.login(username=name, password="wrong wrong wrong")
    assert auth.login(username="e5").status_code == 429
    other = app.test_client()
    auth.add()
    response = other.post("/en/organizers/login", data={"username": "ada", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


def test_a_name_typed_at_sign_in_is_never_stored_but_still_counted(app, auth):
    # Someone may type her password into the name field: the limits file keeps only an
    # HMAC of it, and the account's tries still add up whichever client sends them.
    typed = "correct horse battery staple"
    for peer in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        response = app.test_client().post(
            "/en/organizers/login", data={"username": typed, "password": "wrong wrong wrong"},
            environ_base={"REMOTE_ADDR": peer})
        assert response.status_code == 400
    late = app.test_client().post(
        "/en/organizers/login", data={"username": typed, "password": "wrong wrong wrong"},
        environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert late.status_code == 429
    limits = Path(app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3")
    files = list(limits.parent.glob(limits.name + "*"))
    assert files
    for path in files:
        assert typed.encode() not in path.read_bytes(), path.name


def test_idle_and_old_sessions_end(app, admin, monkeypatch):
    start = accounts.now()
    monkeypatch.setattr(accounts, "now", lambda: start + 29 * 60)
    assert admin.get("/en/organizers/").status_code == 200  # still in time, and refreshed
    monkeypatch.setattr(accounts, "now", lambda: start + 29 * 60 + 31 * 60)
    assert admin.get("/en/organizers/").status_code == 302


def test_sessions_end_after_twelve_hours_however_busy(app, admin, monkeypatch):
    start = accounts.now()
    for minutes in range(20, 12 * 60, 20):
        monkeypatch.setattr(accounts, "now", lambda m=minutes: start + m * 60)
        assert admin.get("/en/organizers/").status_code == 200
    monkeypatch.setattr(accounts, "now", lambda: start + 12 * 3600 + 60)
    assert admin.get("/en/organizers/").status_code == 302


def test_logout_everywhere_ends_every_session(app, admin):
    laptop = app.test_client()
    login(laptop)
    assert laptop.get("/en/organizers/").status_code == 200
    admin.post("/en/organizers/logout-everywhere", data={"csrf_token": csrf(admin)})
    assert laptop.get("/en/organizers/").status_code == 302
    assert admin.get("/en/organizers/").status_code == 302


def test_disabling_an_account_ends_its_sessions_and_sign_ins(app, auth, admin):
    moderator_id = auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    assert mo.get("/en/organizers/").status_code == 200
    admin.post(f"/en/organizers/accounts/{moderator_id}/disable",
               data={"csrf_token": csrf(admin)})
    assert mo.get("/en/organizers/").status_code == 302
    assert login(mo, "mo").status_code == 400
    # The disabled account is no account at sign-in: its failure is logged under nobody.
    assert [tuple(r) for r in db_rows(app, "SELECT action, organizer_id FROM audit_log")] == [
        ("sign in", 1), ("sign in", moderator_id), ("disable", 1), ("sign-in failed", None)]


def test_moderators_cannot_manage_accounts_or_export_everything(client, auth):
    auth.add("mo", "moderator")
    auth.login("mo")
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
        weak = accounts.hash_password("some password here", n=2**10)
        assert weak.startswith("scrypt$1024$8$1$")
        assert accounts.check_password(weak, "some password here")
        assert not accounts.check_password(weak, "some password herE")


# -- one-time links ----------------------------------------------------------------

def choose_password(client, url, **extra):
    return client.post(url, data={"password": PASSWORD, "password_again": PASSWORD, **extra})


def test_setup_link_makes_the_first_admin_once(app, client):
    with app.test_request_context():
        token = accounts.make_link("setup", None)
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


def shown_link(app, page, kind: str) -> str:
    """The path of the one-time link an accounts page shows, on PUBLIC_BASE_URL."""
    pattern = re.escape(app.config["PUBLIC_BASE_URL"]) + rf"(/en/organizers/{kind}/[\w-]+)"
    return re.search(pattern, page.get_data(as_text=True))[1]


def test_invite_link_works_once_and_expires(app, admin, monkeypatch):
    page = admin.post("/en/organizers/accounts/invite",
                      data={"csrf_token": csrf(admin), "username": "mo", "role": "moderator"})
    link = shown_link(app, page, "invite")
    newcomer = app.test_client()
    assert choose_password(newcomer, link, password_again="different").status_code == 400
    assert choose_password(newcomer, link).status_code == 302
    assert choose_password(newcomer, link).status_code == 404
    assert login(newcomer, "mo").status_code == 302
    # A second invitation, left for eight days, has expired.
    page = admin.post("/en/organizers/accounts/invite",
                      data={"csrf_token": csrf(admin), "username": "late", "role": "moderator"})
    late = shown_link(app, page, "invite")
    start = accounts.now()
    monkeypatch.setattr(accounts, "now", lambda: start + 8 * 24 * 3600)
    assert choose_password(app.test_client(), late).status_code == 404


def test_reset_link_replaces_the_password_and_ends_sessions(app, auth, admin):
    moderator_id = auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    page = admin.post(f"/en/organizers/accounts/{moderator_id}/reset",
                      data={"csrf_token": csrf(admin)})
    assert mo.get("/en/organizers/").status_code == 302
    link = shown_link(app, page, "reset")
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


def test_two_factor_enrolment_then_sign_in_needs_the_code(app, admin, monkeypatch):
    clock = [1_800_000_000.0]  # a code works once: each step below is a new 30 seconds
    monkeypatch.setattr(two_step, "now", lambda: clock[0])

    def code_now() -> str:
        clock[0] += 30
        return pyotp.TOTP(secret).at(clock[0])

    page = admin.get("/en/organizers/two-factor").get_data(as_text=True)
    assert "<svg" in page and "<path" in page  # the QR code, inline
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = admin.post("/en/organizers/two-factor", data={
        "csrf_token": csrf_of(page), "secret": secret, "password": PASSWORD,
        "code": code_now()})
    assert response.status_code == 302
    fresh = app.test_client()
    assert login(fresh).status_code == 400  # password alone is not enough now
    assert login(fresh, code="000000").status_code == 400
    assert login(fresh, code=code_now()).status_code == 302
    # Turning it off needs a current code too.
    token = csrf(fresh, "/en/organizers/two-factor")
    off = {"csrf_token": token, "action": "off", "password": PASSWORD}
    assert fresh.post("/en/organizers/two-factor", data={**off, "code": "000000"}
                      ).status_code == 400
    assert fresh.post("/en/organizers/two-factor", data={**off, "code": code_now()}
                      ).status_code == 302
    assert login(app.test_client()).status_code == 302


# -- the organizer area in every language ----------------------------------------------

def test_organizer_pages_are_translated(client, auth):
    auth.add()
    html = client.get("/zh-hant/organizers/login").get_data(as_text=True)
    assert "審核人員登入" in html
    auth.login()
    assert "審核佇列" in client.get("/zh-hant/organizers/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant"])
def test_organizer_pages_have_no_untranslated_english(app, admin, lang):
    new_report(admin, venue="Mall")
    act(admin, 1, "reject")
    new_report(admin)
    for path in ("", "reports/1", "reports/2", "stats", "audit", "accounts", "two-factor"):
        html = admin.get(f"/{lang}/organizers/{path}").get_data(as_text=True)
        html = re.sub(r'<code class="totp-key"[^>]*>[^<]*</code>', "", html)  # a random key
        # The audit log shows its action words in her language too (review/audit_words.py).
        words = untranslated_words(visible_text(html)) - {"Mall", "ada", "CSV", "XLSX",
                                                          "GeoJSON", "UTC", "j", "k", "Enter",
                                                          "QR", "Code"}
        assert words == set(), path


def test_a_reset_ends_the_old_password_before_the_link_is_used(app, auth, admin):
    moderator_id = auth.add("mo", "moderator")
    assert login(app.test_client(), "mo").status_code == 302
    page = admin.post(f"/en/organizers/accounts/{moderator_id}/reset",
                      data={"csrf_token": csrf(admin)})
    assert page.status_code == 200
    assert login(app.test_client(), "mo").status_code == 400  # the old password is gone
    accounts_page = admin.get("/en/organizers/accounts").get_data(as_text=True)
    assert "Password reset" in accounts_page
    assert ("reset password", "mo") in [(a, d) for _, a, _, d in audit(app)]


def test_signing_in_with_origin_null_needs_the_login_pages_token(client, auth):
    auth.add()
    refused = auth.login(headers=OLD_BROWSER)
    assert refused.status_code == 403 and "Set-Cookie" not in refused.headers
    token = field(client.get("/en/organizers/login").get_data(as_text=True), "post_token")
    assert client.post("/en/organizers/login", headers=OLD_BROWSER, data={
        "username": "ada", "password": "correct horse battery staple",
        "post_token": token}).status_code == 302
