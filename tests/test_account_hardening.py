"""Issue 14, items 3 to 6 and 10: what an outside review broke in organizer accounts.

The second factor can't be replaced or turned off with a session alone, and a
code works once; a password reset ends the old password at once, and an admin
can clear a lost phone's second factor; sign-ins, full exports and photo views
are in the audit log (never with an address); links and redirects never name a
forged Host.
"""

import re
import shutil
import sqlite3
from contextlib import closing

import pyotp
import pytest

import photo_samples
from app.db import MIGRATIONS_DIR, connect, migrate
from app.organizers import two_step
from app.web.links import public_url
from helpers import NEW_REPORT, PASSWORD, csrf, csrf_of, db_rows, login, new_report, submit

TWO_STEP = "/en/organizers/two-factor"
START = 1_800_000_000  # a fixed clock, a multiple of 30: step START // 30 begins here


@pytest.fixture
def clock(monkeypatch):
    """The time two_step.py sees; tests move it by whole 30-second steps."""
    now = [float(START)]
    monkeypatch.setattr(two_step, "now", lambda: now[0])
    return now


def code_at(secret: str, seconds: float) -> str:
    return pyotp.TOTP(secret).at(seconds)


def turn_on(client, password=PASSWORD, at=START) -> str:
    """Turn the second factor on from the page's own key; its secret."""
    page = client.get(TWO_STEP).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = client.post(TWO_STEP, data={"csrf_token": csrf_of(page), "secret": secret,
                                           "password": password, "code": code_at(secret, at)})
    assert response.status_code == 302
    return secret


def stored_secret(app, username="ada"):
    return db_rows(app, "SELECT totp_secret FROM organizer WHERE username = ?",
                   (username,))[0][0]


def audit(app) -> list[tuple]:
    return [tuple(r) for r in db_rows(
        app, "SELECT organizer_id, action, report_id, detail FROM audit_log ORDER BY id")]


# -- 3. changing the second factor needs the password and a current code -------------------

def test_a_session_alone_cannot_replace_the_second_factor(app, admin, clock):
    secret = turn_on(admin)
    # Someone at an unlocked laptop brings her own key and a code from it.
    theirs = pyotp.random_base32()
    for extra in ({}, {"password": PASSWORD}):
        response = admin.post(TWO_STEP, data={"csrf_token": csrf(admin, TWO_STEP),
                                              "secret": theirs, "code": code_at(theirs, START),
                                              **extra})
        assert response.status_code == 400
        assert "Two-step sign-in is already on." in response.get_data(as_text=True)
    assert stored_secret(app) == secret
    clock[0] += 30
    assert login(app.test_client(), code=code_at(secret, clock[0])).status_code == 302


def test_turning_it_off_needs_the_password_too(app, admin, clock):
    secret = turn_on(admin)
    off = {"csrf_token": csrf(admin, TWO_STEP), "action": "off"}
    for password in ({}, {"password": "not my password at all"}):
        clock[0] += 30
        response = admin.post(TWO_STEP, data={**off, **password,
                                              "code": code_at(secret, clock[0])})
        assert response.status_code == 400
        assert "That password or code is not right." in response.get_data(as_text=True)
    assert stored_secret(app) == secret
    clock[0] += 30
    response = admin.post(TWO_STEP, data={**off, "password": PASSWORD,
                                          "code": code_at(secret, clock[0])})
    assert response.status_code == 302 and stored_secret(app) is None


def test_turning_it_on_needs_the_password(app, admin, clock):
    page = admin.get(TWO_STEP).get_data(as_text=True)
    assert 'name="password"' in page
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    response = admin.post(TWO_STEP, data={"csrf_token": csrf_of(page), "secret": secret,
                                          "code": code_at(secret, START)})
    assert response.status_code == 400
    # The key just scanned stays on the page, so a retry needs no new scan.
    assert f'value="{secret}"' in response.get_data(as_text=True)
    assert stored_secret(app) is None


def test_wrong_passwords_on_the_two_step_page_are_throttled_like_sign_ins(app, admin, clock):
    page = admin.get(TWO_STEP).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)[1]
    form = {"csrf_token": csrf_of(page), "secret": secret, "code": code_at(secret, START)}
    for _ in range(4):
        assert admin.post(TWO_STEP, data={**form, "password": "guess guess guess"}
                          ).status_code == 400
    assert admin.post(TWO_STEP, data={**form, "password": PASSWORD}).status_code == 429
    assert stored_secret(app) is None


# -- 4. a code works once ------------------------------------------------------------------

def test_a_code_works_once_and_never_an_older_one(app, admin, clock):
    secret = turn_on(admin)  # uses the code of START's step
    client = app.test_client()
    assert login(client, code=code_at(secret, START)).status_code == 400  # used to turn on
    clock[0] += 60
    now = code_at(secret, clock[0])
    assert login(client, code=now).status_code == 302
    assert login(client, code=now).status_code == 400  # the same code, a second time
    assert login(client, code=code_at(secret, clock[0] - 30)).status_code == 400  # older
    # A phone 30 s ahead still works, once.
    assert login(client, code=code_at(secret, clock[0] + 30)).status_code == 302
    assert login(client, code=code_at(secret, clock[0] + 30)).status_code == 400
    [(step,)] = db_rows(app, "SELECT totp_last_step FROM organizer")
    assert step == clock[0] // 30 + 1


def test_a_code_used_to_sign_in_cannot_turn_two_step_off(app, admin, clock):
    secret = turn_on(admin)
    clock[0] += 30
    client = app.test_client()
    assert login(client, code=code_at(secret, clock[0])).status_code == 302
    response = client.post(TWO_STEP, data={"csrf_token": csrf(client, TWO_STEP),
                                           "action": "off", "password": PASSWORD,
                                           "code": code_at(secret, clock[0])})
    assert response.status_code == 400 and stored_secret(app) == secret


# -- 5. resets end the old password; admins clear a lost phone -------------------------------

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


def test_an_admin_clears_a_lost_phone_after_confirming(app, auth, admin, clock):
    moderator_id = auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    turn_on(mo)
    clock[0] += 30
    listing = admin.get("/en/organizers/accounts").get_data(as_text=True)
    confirm_url = f"/en/organizers/accounts/{moderator_id}/clear-two-step"
    assert f'href="{confirm_url}"' in listing
    confirm = admin.get(confirm_url)
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "mo" in text and f'action="{confirm_url}"' in text
    assert stored_secret(app, "mo") is not None  # asking changed nothing
    assert admin.post(confirm_url, data={"csrf_token": csrf_of(text)}).status_code == 302
    assert stored_secret(app, "mo") is None
    assert mo.get("/en/organizers/").status_code == 302  # the lost phone's session ended
    assert login(app.test_client(), "mo").status_code == 302  # the password alone, now
    assert (1, "two-factor cleared", None, "mo") in audit(app)


def test_only_admins_clear_two_step_and_never_their_own(app, auth, admin, clock):
    turn_on(admin)
    assert admin.get("/en/organizers/accounts/1/clear-two-step").status_code == 400
    assert admin.post("/en/organizers/accounts/1/clear-two-step",
                      data={"csrf_token": csrf(admin)}).status_code == 400
    assert admin.get("/en/organizers/accounts/99/clear-two-step").status_code == 404
    auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    assert mo.post("/en/organizers/accounts/1/clear-two-step",
                   data={"csrf_token": csrf(mo)}).status_code == 403
    assert stored_secret(app) is not None


# -- 6. the audit log: sign-ins, full exports, photo views -----------------------------------

def test_sign_ins_and_failures_are_logged_without_address_or_browser(app, auth, clock):
    auth.add()
    secret = None
    client = app.test_client()
    seen = {"environ_base": {"REMOTE_ADDR": "203.0.113.77"},
            "headers": {"User-Agent": "ProbeBrowser/9.1"}}
    assert login(client, **seen).status_code == 302
    secret = turn_on(client)
    clock[0] += 30
    assert login(client, "ada", "wrong wrong wrong", **seen).status_code == 400
    assert login(client, "ada", PASSWORD, "000000", **seen).status_code == 400
    assert login(client, "my password typed here", "x", **seen).status_code == 400
    assert login(client, code=code_at(secret, clock[0]), **seen).status_code == 302
    assert audit(app) == [
        (1, "sign in", None, None),
        (1, "two-factor on", None, None),
        (1, "sign-in failed", None, None),
        (1, "sign-in failed", None, "right password, wrong code"),
        (None, "sign-in failed", None, None),  # no account: nobody, and never the name
        (1, "sign in", None, None),
    ]
    everything = " ".join(str(v) for row in db_rows(app, "SELECT * FROM audit_log") for v in row)
    assert "203.0.113" not in everything and "Probe" not in everything
    assert "my password" not in everything


def test_wrong_name_and_wrong_password_each_write_one_line(app, auth):
    auth.add()
    login(app.test_client(), "ada", "wrong wrong wrong")
    login(app.test_client(), "nobody", "wrong wrong wrong")
    assert [row[1] for row in audit(app)] == ["sign-in failed", "sign-in failed"]


def test_the_audit_page_shows_failures_under_no_name(app, auth, admin):
    login(app.test_client(), "nobody", "wrong wrong wrong")
    html = admin.get("/en/organizers/audit").get_data(as_text=True)
    assert re.search(r"<td>—</td><td>sign-in failed</td>", html)


def test_the_full_export_and_photo_views_are_logged(app, admin):
    new_report(admin)
    submit(admin, photo=("p.jpg", photo_samples.jpeg_with_gps()), **NEW_REPORT)
    assert admin.get("/en/organizers/export/all.csv?space=hotel-room").status_code == 200
    assert admin.get("/en/organizers/export/all.csv?status=published").status_code == 200
    with admin.get("/en/organizers/reports/2/photo") as response:
        assert response.status_code == 200
    assert admin.get("/en/organizers/reports/1/photo").status_code == 404  # none: no line
    # The public exports hold only what the map shows: nothing private to log.
    admin.get("/en/organizers/export/published.csv")
    assert audit(app)[1:] == [
        (1, "export all reports", None, "received/published/rejected hotel-room"),
        (1, "export all reports", None, "published"),
        (1, "view photo", 2, None),
    ]


def test_the_migration_keeps_old_lines_and_the_log_append_only(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[1-5]_*.sql")):
        shutil.copy(path, old)
    with closing(connect(tmp_path / "db.sqlite3")) as conn:
        migrate(conn, old)
        conn.execute("INSERT INTO organizer (username, role, created_on) "
                     "VALUES ('ada', 'admin', '2026-01-01')")
        conn.execute("INSERT INTO audit_log (organizer_id, action, at) "
                     "VALUES (1, 'invite', '2026-01-01 10:00:00')")
        migrate(conn)
        assert [tuple(r) for r in conn.execute("SELECT id, organizer_id, action FROM audit_log")
                ] == [(1, 1, "invite")]
        conn.execute("INSERT INTO audit_log (organizer_id, action, at) "
                     "VALUES (NULL, 'sign-in failed', datetime('now'))")
        for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


# -- 10. links and redirects never name the request's Host -----------------------------------

FORGED = "evil.example"


def test_invite_and_reset_links_use_the_public_address_not_the_host(app, auth):
    app.config["PUBLIC_BASE_URL"] = "https://spotcheck.example.org"
    auth.add()
    moderator_id = auth.add("mo", "moderator")
    client = app.test_client()
    base = f"https://{FORGED}"
    assert login(client, base_url=base).status_code == 302
    token = csrf(client, f"{base}/en/organizers/accounts")
    invite = client.post(f"{base}/en/organizers/accounts/invite",
                         data={"csrf_token": token, "username": "eve", "role": "moderator"})
    reset = client.post(f"{base}/en/organizers/accounts/{moderator_id}/reset",
                        data={"csrf_token": token})
    for page, kind in ((invite, "invite"), (reset, "reset")):
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and FORGED not in html
        assert re.search(rf"https://spotcheck\.example\.org/en/organizers/{kind}/[\w-]+", html)


@pytest.mark.parametrize("path", ["/en//report", "/en", "/zh-hant//check//", "/en/check",
                                  "/en//organizers//login", "/en//report?from=poster"])
def test_redirects_never_lead_to_a_forged_host(client, path):
    response = client.get(path, headers={"Host": FORGED})
    assert response.status_code in (301, 302, 308)
    location = response.headers["Location"]
    assert FORGED not in location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert client.get(location).status_code == 200


def test_public_url_keeps_a_path_prefix_once(app):
    app.config["PUBLIC_BASE_URL"] = "https://example.org/spotcheck"
    with app.test_request_context(base_url="http://internal:8000/spotcheck"):
        assert public_url("organizers.login", lang="en") == (
            "https://example.org/spotcheck/en/organizers/login")
    with app.test_request_context(base_url=f"http://{FORGED}"):
        assert public_url("organizers.login", lang="en") == (
            "https://example.org/spotcheck/en/organizers/login")
