"""The audit log (app/organizers/audit.py): sign-ins and failures, full exports and photo
views, each one line, never with an address or a browser (issue 14, item 6)."""

import re
import shutil
import sqlite3
from contextlib import closing

import pytest

import photo_samples
from app.db import MIGRATIONS_DIR, connect, migrate
from app.organizers import accounts
from helpers import (
    NEW_REPORT,
    PASSWORD,
    act,
    audit,
    code_at,
    csrf,
    db_rows,
    login,
    new_report,
    submit,
    turn_on,
)


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


def test_audit_log_is_append_only(app, admin):
    new_report(admin)
    act(admin, 1, "reject")
    with closing(connect(app.config["DATABASE"])) as conn:
        for sql in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    html = admin.get("/en/organizers/audit").get_data(as_text=True)
    assert "reject" in html and "ada" in html


# -- issue 28, item 7: the lines the review found missing ------------------------------

TYPED = "typed-secret-words-9c1e"  # a name or password typed, which no line may hold


def everything_logged(app) -> str:
    return " ".join(str(v) for row in db_rows(app, "SELECT * FROM audit_log") for v in row)


def shown_link(app, page, kind: str) -> str:
    pattern = re.escape(app.config["PUBLIC_BASE_URL"]) + rf"(/en/organizers/{kind}/[\w-]+)"
    return re.search(pattern, page.get_data(as_text=True))[1]


def choose_password(client, url, password, **extra):
    return client.post(url, data={"password": password, "password_again": password, **extra})


def test_passwords_set_through_setup_invite_and_reset_links_are_logged(app, client):
    with app.test_request_context():
        token = accounts.make_link("setup", None)
    password = f"{TYPED} long enough"
    assert choose_password(client, f"/en/organizers/setup/{token}", password,
                           username="founder").status_code == 302
    assert login(client, "founder", password).status_code == 302
    page = client.post("/en/organizers/accounts/invite",
                       data={"csrf_token": csrf(client), "username": "mo", "role": "moderator"})
    assert choose_password(app.test_client(), shown_link(app, page, "invite"),
                           password).status_code == 302
    page = client.post("/en/organizers/accounts/2/reset", data={"csrf_token": csrf(client)})
    assert choose_password(app.test_client(), shown_link(app, page, "reset"),
                           password).status_code == 302
    assert audit(app) == [
        (1, "create admin", None, "setup link"),
        (1, "sign in", None, None),
        (1, "invite", None, "mo (moderator)"),
        (2, "set password", None, "invitation link"),
        (1, "reset password", None, "mo"),
        (2, "set password", None, "reset link"),
    ]
    assert TYPED not in everything_logged(app)


def test_a_refused_link_password_writes_no_line(app, auth, admin):
    page = admin.post("/en/organizers/accounts/invite",
                      data={"csrf_token": csrf(admin), "username": "mo", "role": "moderator"})
    link = shown_link(app, page, "invite")
    lines = audit(app)
    assert app.test_client().post(link, data={"password": "short", "password_again": "short"}
                                  ).status_code == 400
    assert audit(app) == lines


def test_create_admin_on_the_command_line_is_logged(app, runner):
    password = f"{TYPED} long enough"
    result = runner.invoke(args=["create-admin", "root"], input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    assert audit(app) == [(1, "create admin", None, "command line")]
    again = runner.invoke(args=["create-admin", "root"], input=f"{password}\n{password}\n")
    assert again.exit_code != 0 and "exists already" in again.output
    assert audit(app) == [(1, "create admin", None, "command line")]
    assert TYPED not in everything_logged(app)


def test_signing_out_and_signing_out_everywhere_are_logged(app, auth):
    auth.add()
    first, second = app.test_client(), app.test_client()
    login(first)
    login(second)
    assert first.post("/en/organizers/logout",
                      data={"csrf_token": csrf(first)}).status_code == 302
    assert second.post("/en/organizers/logout-everywhere",
                       data={"csrf_token": csrf(second)}).status_code == 302
    assert audit(app) == [(1, "sign in", None, None), (1, "sign in", None, None),
                          (1, "sign out", None, None), (1, "sign out everywhere", None, None)]


TWO_STEP = "/en/organizers/two-factor"


def two_step_post(client, **data):
    page = client.get(TWO_STEP).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page)
    return client.post(TWO_STEP, data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', page)[1],
        **({"secret": secret[1]} if secret else {}), **data})


def test_wrong_passwords_and_codes_on_the_two_step_page_are_logged(app, admin, clock):
    assert two_step_post(admin, password=TYPED, code="123456").status_code == 400
    assert two_step_post(admin, password=PASSWORD, code="000000").status_code == 400
    secret = turn_on(admin, at=clock[0])
    clock[0] += 30
    assert two_step_post(admin, action="off", password=TYPED,
                         code=code_at(secret, clock[0])).status_code == 400
    assert two_step_post(admin, action="off", password=PASSWORD,
                         code="000000").status_code == 400
    assert audit(app)[1:] == [
        (1, "two-factor on failed", None, "wrong password"),
        (1, "two-factor on failed", None, "right password, wrong code"),
        (1, "two-factor on", None, None),
        (1, "two-factor off failed", None, "wrong password"),
        (1, "two-factor off failed", None, "right password, wrong code"),
    ]
    assert TYPED not in everything_logged(app)


def test_retention_deletions_are_logged_with_how_many_and_never_what(app, admin):
    for venue in ("Harbour Hotel", "Old Mall", "Station"):
        new_report(admin, venue=venue, description=f"{TYPED} description")
    act(admin, 1, "publish", public=["venue"])
    lines = audit(app)
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = '2020-01-01', reviewed_on = '2020-01-02'")
        conn.commit()
    result = app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert audit(app)[len(lines):] == [(None, "delete old reports", None, "2"),
                                       (None, "delete private parts", None, "1")]
    # Nothing more to delete: no line saying nothing.
    app.test_cli_runner().invoke(args=["purge-reports"])
    assert len(audit(app)) == len(lines) + 2
    logged = everything_logged(app)
    assert TYPED not in logged and "Mall" not in logged and "Station" not in logged
    html = admin.get("/en/organizers/audit").get_data(as_text=True)
    assert re.search(r"<td>—</td><td>delete old reports</td><td></td><td>2 reports</td>", html)


def test_opening_a_report_card_is_logged(app, admin):
    new_report(admin, venue=TYPED)
    assert admin.get("/en/organizers/reports/1").status_code == 200
    assert admin.get("/en/organizers/reports/1", headers={"HX-Request": "true"}
                     ).status_code == 200
    assert admin.get("/en/organizers/reports/9").status_code == 404  # none: no line
    assert audit(app)[1:] == [(1, "open report", 1, None), (1, "open report", 1, None)]
    assert TYPED not in everything_logged(app)
