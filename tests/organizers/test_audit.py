"""The audit log (app/organizers/audit.py): sign-ins and failures, full exports and photo
views, each one line, never with an address or a browser (issue 14, item 6)."""

import re
import shutil
import sqlite3
from contextlib import closing

import pytest

import photo_samples
from app.db import MIGRATIONS_DIR, connect, migrate
from helpers import (
    NEW_REPORT,
    PASSWORD,
    act,
    audit,
    code_at,
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
