"""A full disk or a failing one: the report form answers 503 with her text kept and
nothing half-written; the next report after space returns is stored; other pages
give a plain 503 page rather than a crash (issue 15, item 6)."""

import html
import sqlite3
from pathlib import Path

import pytest

import photo_samples
from helpers import db_rows, form_key, receipt_of, submit

CANNOT_STORE = ("We could not store your report because of a problem on our side. "
                "What you wrote is still below: please send it again later.")
# Multi-byte text over a page (4096 bytes) long: storing it needs new pages.
MARKER = "DISKFULL-7QX " + "举" * 1980
FIELDS = {"space": "hotel-room", "what": "found", "venue": "Hotel Lumen", "city": "Taipei",
          "description": MARKER}


def one(app, sql: str, params=()):
    """The single value a query gives, read on a connection of its own."""
    return db_rows(app, sql, params)[0][0]


def app_connection(app) -> sqlite3.Connection:
    """The connection the app's requests use on this thread (the test client's thread)."""
    return app.extensions["spotcheck_db"].get(app.config["DATABASE"])


def photo_rows(app) -> int:
    """Stored photos in the database (report_photo), or 0 before that table exists."""
    tables = {row[0] for row in db_rows(app, "SELECT name FROM sqlite_master")}
    return one(app, "SELECT count(*) FROM report_photo") if "report_photo" in tables else 0


def photo_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "photos").glob("*"))


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def storage_error(code: int, name: str) -> sqlite3.OperationalError:
    """What sqlite3 raises for this result code (sqlite_errorcode is the extended code)."""
    error = sqlite3.OperationalError("disk I/O error" if "IOERR" in name else name)
    error.sqlite_errorcode, error.sqlite_errorname = code, name
    return error


def test_a_full_database_keeps_her_report_in_the_form_and_stores_nothing(app, client):
    assert receipt_of(submit(client, space="restroom", what="suspected")), "a first report"
    before = one(app, "SELECT count(*) FROM report")
    photos_before = (photo_rows(app), photo_files(app))
    conn = app_connection(app)
    conn.execute("VACUUM")  # no free pages left to reuse: the next page is over the cap
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert conn.execute(f"PRAGMA max_page_count = {pages:d}").fetchone()[0] == pages

    key = form_key(client)
    full = submit(client, key=key, photo=("room.jpg", photo_samples.jpeg_with_gps()), **FIELDS)

    assert full.status_code == 503, full.status_code
    assert full.headers["Retry-After"] == "600"
    assert full.headers["Cache-Control"] == "no-store"
    page = text_of(full)
    assert CANNOT_STORE in page
    assert MARKER in page and "Hotel Lumen" in page and "Taipei" in page
    assert f'value="{key}"' in page  # the same key: sending again cannot store it twice
    assert receipt_of(full) is None
    # Nothing half-written: no row, no photo (row or file), the connection clean.
    assert one(app, "SELECT count(*) FROM report") == before
    assert one(app, "SELECT count(*) FROM report WHERE description LIKE 'DISKFULL-7QX%'") == 0
    assert (photo_rows(app), photo_files(app)) == photos_before
    assert not conn.in_transaction
    assert one(app, "PRAGMA integrity_check") == "ok"

    # Space returns: the same form, sent again (by her, or by the outbox), is stored once.
    conn.execute("PRAGMA max_page_count = 1073741823")
    stored = submit(client, key=key, photo=("room.jpg", photo_samples.jpeg_with_gps()), **FIELDS)
    assert stored.status_code == 200, text_of(stored)
    code = receipt_of(stored)
    assert code
    assert receipt_of(submit(client, key=key, **FIELDS)) == code
    assert one(app, "SELECT count(*) FROM report WHERE description = ?", (MARKER,)) == 1
    assert one(app, "SELECT count(*) FROM report") == before + 1


def test_a_full_disk_does_not_use_up_her_reports_for_the_hour(app, client):
    app.config["REPORTS_PER_CLIENT_PER_HOUR"] = 2
    conn = app_connection(app)
    submit(client, space="restroom", what="suspected")  # one of her two
    conn.execute("VACUUM")
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]:d}")
    for _ in range(3):
        assert submit(client, **FIELDS).status_code == 503
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert receipt_of(submit(client, **FIELDS)), "her second report of the hour is stored"


@pytest.mark.parametrize(("code", "name"), [
    (sqlite3.SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE"),
    (sqlite3.SQLITE_IOERR_FSYNC, "SQLITE_IOERR_FSYNC"),
    (sqlite3.SQLITE_FULL, "SQLITE_FULL"),
])
def test_a_disk_io_error_while_storing_is_a_503_with_her_text_kept(app, client, monkeypatch,
                                                                   code, name):
    def failing_create(*_args, **_kwargs):
        raise storage_error(code, name)

    monkeypatch.setattr("app.reports.store.create", failing_create)
    response = submit(client, **FIELDS)
    assert response.status_code == 503
    assert CANNOT_STORE in text_of(response) and MARKER in text_of(response)
    assert one(app, "SELECT count(*) FROM report") == 0


def test_another_page_gives_a_plain_503_page_on_a_storage_failure(app, client, monkeypatch):
    def failing(*_args, **_kwargs):
        raise storage_error(sqlite3.SQLITE_IOERR_READ, "SQLITE_IOERR_READ")

    monkeypatch.setattr("app.reports.store.find_by_receipt", failing)
    response = client.post("/en/report/status", data={"code": "ABCD-EFGH-JKMN-PQRS"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "600"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Nothing can be saved right now" in text_of(response)
    assert "storage problem" in text_of(response)


def test_other_database_errors_are_still_a_crash_not_a_503(app, client, monkeypatch):
    def failing(*_args, **_kwargs):
        raise storage_error(sqlite3.SQLITE_ERROR, "SQLITE_ERROR")

    monkeypatch.setattr("app.reports.store.find_by_receipt", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise
    response = client.post("/en/report/status", data={"code": "ABCD-EFGH-JKMN-PQRS"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 500
