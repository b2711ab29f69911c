"""Connections, numbered migrations, the migrate and backup commands."""

import sqlite3
from contextlib import closing

import pytest

from app import create_app
from app.db import connect, find_migrations, migrate, schema_version, transaction


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
