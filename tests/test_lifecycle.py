"""Deleted means deleted, files only the server reads, ids never reused (issue 15, 1, 3, 4)."""

import io
import os
import re
import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

import photo_samples
from app import create_app
from app.db import MIGRATIONS_DIR, backup, connect, find_migrations, migrate, schema_version
from app.vocab import today
from helpers import TEST_CONFIG, db_rows, stored_photos, submit

VALID = {"space": "restroom", "what": "found"}
MARKER = "MARKER-7f3a9c-lifecycle"


@pytest.fixture
def umask_022():
    """A usual umask while the test runs (create_app tightens it; this puts it back)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def make_old(app, report_id: int) -> None:
    old = (today() - timedelta(days=91)).isoformat()
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = ? WHERE id = ?", (old, report_id))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_connection_overwrites_what_it_deletes(tmp_path, monkeypatch):
    # Debian's SQLite has secure_delete on by default, so the value alone can't tell
    # whether connect() asks for it; the statements it runs can.
    said, real_connect = [], sqlite3.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(said.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    with closing(connect(tmp_path / "x.sqlite3")) as conn:
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert any(re.fullmatch(r"PRAGMA secure_delete = (ON|1)", s) for s in said), said


def test_a_purged_report_is_nowhere_in_the_instance_folder(instance, umask_022):
    app = create_app(TEST_CONFIG)
    client = app.test_client()
    submit(client, description=f"{MARKER} description", venue=f"{MARKER} venue",
           photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    submit(client, description="a report that stays", **VALID)
    [photo] = stored_photos(app)
    # Some bytes from the middle of the stored WebP stand for the photo.
    piece = photo[len(photo) // 2: len(photo) // 2 + 48]
    everything = b"".join(p.read_bytes() for p in files_under(instance))
    assert MARKER.encode() in everything and piece in everything  # there, to begin with
    make_old(app, 1)

    result = app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unpublished reports" in result.output
    assert db_rows(app, "SELECT * FROM report_photo") == []
    assert [r["id"] for r in db_rows(app, "SELECT id FROM report")] == [2]
    scanned = {p.name for p in files_under(instance)}
    assert {"spotcheck.sqlite3", "spotcheck.sqlite3-wal", "spotcheck.sqlite3-shm"} <= scanned
    for path in files_under(instance):
        data = path.read_bytes()
        assert MARKER.encode() not in data, f"the description is still in {path.name}"
        assert piece not in data, f"the photo is still in {path.name}"
    assert b"a report that stays" in (instance / "spotcheck.sqlite3").read_bytes()


def test_files_are_only_the_servers_whatever_the_umask(instance, umask_022, tmp_path):
    # A folder an older version made under umask 022: everything readable by all.
    app = create_app(TEST_CONFIG)
    submit(app.test_client(), photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    instance.chmod(0o755)
    for path in files_under(instance):
        path.chmod(0o644)
    os.umask(0o022)

    app = create_app(TEST_CONFIG)
    submit(app.test_client(), description="after the start", **VALID)  # new WAL frames
    assert mode(instance) == 0o700
    names = {p.name: mode(p) for p in files_under(instance)}
    assert {"spotcheck.sqlite3", "spotcheck.sqlite3-wal", "spotcheck.sqlite3-shm",
            "secret_key", "limits.sqlite3"} <= names.keys()
    assert set(names.values()) == {0o600}, names
    # A backup, written while the umask is 022 again, is the server's alone too.
    os.umask(0o022)
    with closing(connect(app.config["DATABASE"])) as conn:
        backup(conn, tmp_path / "copy.sqlite3")
    assert mode(tmp_path / "copy.sqlite3") == 0o600


def test_a_purged_id_is_never_given_again(instance):
    app = create_app(TEST_CONFIG)
    client = app.test_client()
    submit(client, **VALID)
    submit(client, **VALID)
    make_old(app, 2)  # the newest: without AUTOINCREMENT its id would come back
    assert app.test_cli_runner().invoke(args=["purge-reports"]).exit_code == 0
    submit(client, **VALID)
    assert [r["id"] for r in db_rows(app, "SELECT id FROM report ORDER BY id")] == [1, 3]


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 200, 30)).save(out, "WEBP")
    return out.getvalue()


def database_at_0006(instance: Path, tmp_path: Path) -> Path:
    """A database as version 0006 left it: reports with a photo file and a message."""
    folder = tmp_path / "migrations-0006"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[1-6]_*.sql")):
        shutil.copy(path, folder)
    instance.mkdir()
    with closing(connect(instance / "spotcheck.sqlite3")) as conn:
        migrate(conn, folder)
        assert schema_version(conn) == 6
        insert = ("INSERT INTO report (id, idempotency_hash, receipt_sealed, receipt_hash, "
                  "status, space, what, venue, description, photo, submitted_on, "
                  "duplicate_of) VALUES (?, ?, x'01', ?, ?, 'restroom', 'found', ?, ?, ?, "
                  "'2026-11-20', ?)")
        conn.execute(insert, (1, "i1", "r1", "received", "Star Mall", "seen", "old.webp", None))
        conn.execute(insert, (4, "i4", "r4", "rejected", None, "again", None, 1))
        conn.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                     "VALUES (1, 'organizer', 'where?', '2026-11-21')")
        conn.execute("INSERT INTO organizer (id, username, role, created_on) "
                     "VALUES (1, 'ada', 'admin', '2026-11-01')")
        # A report purged before the upgrade, still named in the audit log.
        conn.execute("INSERT INTO audit_log (organizer_id, action, report_id, at) "
                     "VALUES (1, 'publish', 9, '2026-11-02T10:00')")
    photos = instance / "photos"
    photos.mkdir()
    (photos / "old.webp").write_bytes(webp())
    (photos / ".half.webp.partial").write_bytes(b"left by a crash")
    return instance / "spotcheck.sqlite3"


def test_migration_0007_keeps_reports_and_moves_photo_files_in(instance, tmp_path):
    path = database_at_0006(instance, tmp_path)
    before = {r["id"]: dict(r) for r in db_rows_at(path, "SELECT * FROM report")}

    app = create_app(TEST_CONFIG)
    after = {r["id"]: dict(r) for r in db_rows(app, "SELECT * FROM report")}
    assert after.keys() == before.keys()
    for report_id, row in before.items():
        del row["photo"]  # the file name: gone with the file
        assert {k: after[report_id][k] for k in row} == row  # later migrations add columns
    assert stored_photos(app) == [webp()]
    assert [r[0] for r in db_rows(app, "SELECT report_id FROM report_photo")] == [1]
    assert not (instance / "photos").exists()
    assert db_rows(app, "SELECT body FROM report_message")[0][0] == "where?"
    with closing(connect(path)) as conn:
        assert schema_version(conn) == len(find_migrations())
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert {"report_status_submitted", "report_queue", "report_space",
                "report_city"} <= names and "report_photo_file" not in names
        # Cascades still reach the rebuilt table: deleting report 1 takes its photo
        # and messages, and report 4 is no longer its duplicate.
        conn.execute("DELETE FROM report WHERE id = 1")
        assert conn.execute("SELECT count(*) FROM report_photo").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM report_message").fetchone()[0] == 0
        assert conn.execute("SELECT duplicate_of FROM report").fetchone()[0] is None
    # New ids start above every id ever used, the audit log's too.
    submit(app.test_client(), **VALID)
    assert max(r[0] for r in db_rows(app, "SELECT id FROM report")) == 10


def test_photo_files_left_after_the_move_go_at_the_next_start(instance, tmp_path):
    database_at_0006(instance, tmp_path)
    create_app(TEST_CONFIG)
    # As if the last start stopped after committing the move, before deleting.
    (instance / "photos").mkdir()
    (instance / "photos" / "old.webp").write_bytes(webp())
    app = create_app(TEST_CONFIG)
    assert not (instance / "photos").exists()
    assert stored_photos(app) == [webp()]


def db_rows_at(path: Path, sql: str):
    with closing(connect(path)) as conn:
        return conn.execute(sql).fetchall()
