"""Connections, numbered migrations, the migrate and backup commands; deleted rows
overwritten, instance files the server's alone whatever the umask, and migration 0007."""

import io
import os
import re
import shutil
import sqlite3
import stat
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from PIL import Image

import photo_samples
from app import create_app
from app.db import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS_DIR,
    backup,
    checkpoint,
    connect,
    find_migrations,
    migrate,
    schema_version,
    transaction,
)
from helpers import TEST_CONFIG, db_rows, stored_photos, submit


def test_every_connection_has_the_required_pragmas(app):
    with app.app_context():
        from app.db import get_db

        db = get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_database_is_made_in_the_instance_folder_and_migrated_on_start(app, instance):
    path = instance / "spotcheck.sqlite3"
    assert app.config["DATABASE"] == str(path)
    with closing(sqlite3.connect(path)) as conn:
        assert schema_version(conn) == len(find_migrations()) >= 1


def test_database_path_from_environment(instance, tmp_path, monkeypatch):
    elsewhere = tmp_path / "data" / "other.sqlite3"
    monkeypatch.setenv("SPOTCHECK_DATABASE", str(elsewhere))
    app = create_app({"TESTING": True})
    assert app.config["DATABASE"] == str(elsewhere)
    assert elsewhere.exists()


def write_migrations(folder, *scripts):
    folder.mkdir()
    for number, script in enumerate(scripts, start=1):
        (folder / f"{number:04d}_step{number}.sql").write_text(script)
    return folder


def test_migrations_apply_in_order_once(tmp_path):
    folder = write_migrations(
        tmp_path / "migrations",
        "CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
        "-- a trigger has semicolons inside it\n"
        "ALTER TABLE place ADD COLUMN city TEXT;\n"
        "CREATE TRIGGER place_city AFTER INSERT ON place BEGIN\n"
        "  UPDATE place SET city = 'unknown' WHERE id = NEW.id AND city IS NULL;\n"
        "END;\n",
    )
    with closing(connect(tmp_path / "db.sqlite3")) as conn:
        assert [m.version for m in migrate(conn, folder)] == [1, 2]
        assert schema_version(conn) == 2
        assert migrate(conn, folder) == []  # nothing left to do
        conn.execute("INSERT INTO place (name) VALUES ('mall')")
        assert conn.execute("SELECT city FROM place").fetchone()[0] == "unknown"


def test_a_failing_migration_changes_nothing(tmp_path):
    folder = write_migrations(
        tmp_path / "migrations",
        "CREATE TABLE place (id INTEGER PRIMARY KEY);",
        "CREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    with closing(connect(tmp_path / "db.sqlite3")) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, folder)
        assert schema_version(conn) == 1
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "place" in tables and "half" not in tables


def test_a_gap_in_migration_numbers_is_refused(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("SELECT 1;")
    (folder / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(RuntimeError, match="0002"):
        find_migrations(folder)


def test_transaction_rolls_back_on_error(tmp_path):
    with closing(connect(tmp_path / "db.sqlite3")) as conn:
        conn.execute("CREATE TABLE t (x)")
        with pytest.raises(ZeroDivisionError), transaction(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            1 / 0  # noqa: B018
        with transaction(conn):
            conn.execute("INSERT INTO t VALUES (2)")
        assert [r[0] for r in conn.execute("SELECT x FROM t")] == [2]


def test_a_checkpoint_held_up_by_a_reader_holds_writers_back_only_briefly(tmp_path):
    """Litestream keeps a reader open on the database all the time, so the truncating
    checkpoint after a purge (`flask purge-reports`, every start) cannot finish; while
    it waits, no one can write. It used to wait the whole 10 s busy timeout, as long as
    a writer waits: reports, posters and scans behind it failed with "database is
    locked", a 500 (bench/soak.py with the daily purge; issue 28, item 14)."""
    path = tmp_path / "db.sqlite3"
    after: list[int] = []

    def purge() -> None:
        with closing(connect(path)) as conn:
            checkpoint(conn)
            # Its connection waits as long as any other again afterwards.
            after.append(conn.execute("PRAGMA busy_timeout").fetchone()[0])

    with closing(connect(path)) as litestream, closing(connect(path)) as writer:
        writer.execute("CREATE TABLE t (x)")
        writer.execute("INSERT INTO t VALUES (1)")
        litestream.execute("BEGIN")
        litestream.execute("SELECT * FROM t").fetchall()  # a snapshot it keeps
        writer.execute("INSERT INTO t VALUES (2)")  # a frame it has not seen
        checkpointing = threading.Thread(target=purge)
        checkpointing.start()
        time.sleep(0.1)  # the checkpoint now holds writers back
        started = time.monotonic()
        with transaction(writer):  # as every write in the app: BEGIN IMMEDIATE
            writer.execute("INSERT INTO t VALUES (3)")
        waited = time.monotonic() - started
        checkpointing.join()
        litestream.execute("COMMIT")
        assert waited < 3, f"a writer waited {waited:.1f} s behind a blocked checkpoint"
        assert after == [BUSY_TIMEOUT_MS]
        assert [r[0] for r in writer.execute("SELECT x FROM t")] == [1, 2, 3]


def test_migrate_command(runner):
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert f"schema version {len(find_migrations())}" in result.output


def test_backup_command_makes_a_copy_that_restores(app, runner, tmp_path, monkeypatch):
    with closing(connect(app.config["DATABASE"])) as live:
        live.execute("CREATE TABLE note (body TEXT)")
        live.executemany("INSERT INTO note VALUES (?)", [("一",), ("二",), ("three",)])
    destination = tmp_path / "backup.sqlite3"

    result = runner.invoke(args=["backup", str(destination)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "backup.sqlite3.partial").exists()

    # Restore: run a new app on the copy and read the rows back through it.
    monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(tmp_path / "restored"))
    restored = create_app({"TESTING": True, "DATABASE": str(destination)})
    with restored.app_context():
        from app.db import get_db

        rows = [r["body"] for r in get_db().execute("SELECT body FROM note ORDER BY rowid")]
        assert rows == ["一", "二", "three"]
        assert schema_version(get_db()) == len(find_migrations())


def test_backup_refuses_to_overwrite_without_force(runner, tmp_path):
    destination = tmp_path / "exists.sqlite3"
    destination.write_text("precious")
    result = runner.invoke(args=["backup", str(destination)])
    assert result.exit_code != 0
    assert destination.read_text() == "precious"
    assert runner.invoke(args=["backup", "--force", str(destination)]).exit_code == 0
    with closing(sqlite3.connect(destination)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_healthz_answers_with_schema_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "schema_version": len(find_migrations())}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_cannot_open(app, client, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "no" / "such" / "dir" / "db.sqlite3")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


# -- deleted means overwritten, files only the server reads, old databases moved on (issue 15) --

VALID = {"space": "restroom", "what": "found"}


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
