"""SQLite: one connection per request, numbered migrations, online backups.

Connections run in autocommit mode; code that writes opens a transaction with
`with transaction(db):`, which takes the write lock up front (BEGIN IMMEDIATE)
so two writers never deadlock on a lock upgrade, and returns only after COMMIT.
"""

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
# A truncating checkpoint holds every writer back while it waits for readers to move
# on, for as long as its connection's busy timeout; with Litestream, which always
# keeps a reader open, that is the whole timeout. So it waits far less than a
# writer does: a writer waiting behind it (10 s) is never refused "database is
# locked" (bench/soak.py; issue 28, item 14).
CHECKPOINT_BUSY_MS = 500


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database with the settings every connection must have."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    # WAL lets readers go on while one writer commits; FULL makes each commit
    # durable on power loss, because an acknowledged report must never be lost.
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # A deleted report is overwritten with zeros, not just marked free: not every
    # SQLite build does this by default (Debian's does, others don't).
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def checkpoint(conn: sqlite3.Connection, wait: float = 0.0, pause: float = 1.0) -> bool:
    """Copy the WAL into the database and empty it, so deleted rows linger in no old
    frame; True once it is empty.

    A reader that holds a read transaction (Litestream holds one nearly all the
    time) makes SQLite answer busy, having copied only what that reader can no
    longer see, or nothing: deleted rows may still be in the database file and in
    the WAL. So try again every `pause` seconds for up to `wait` seconds (0: once),
    and return False if it never worked. Outside any transaction: a checkpoint
    can't run inside one.
    """
    deadline = time.monotonic() + wait
    # Each try waits for readers (SQLite's busy handler) at most CHECKPOINT_BUSY_MS,
    # since every writer waits for it meanwhile.
    conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
    try:
        while True:
            if not conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                return True
            if time.monotonic() + pause > deadline:
                return False
            time.sleep(pause)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def lock_down(instance: Path, *files: str | Path) -> None:
    """The instance folder 0700, everything in it and `files` (with their -wal and
    -shm) 0600: made before the umask was set (create_app), they may be 0644."""
    instance.chmod(0o700)
    found = [p for p in instance.rglob("*") if not p.is_symlink()]
    found += [Path(f"{name}{suffix}") for name in files for suffix in ("", "-wal", "-shm")]
    for path in found:
        # Gone already (another worker's temporary file), or not ours to change (a
        # config.py root put there): the server can only chmod its own files anyway.
        with suppress(FileNotFoundError, PermissionError):
            path.chmod(0o700 if path.is_dir() else 0o600)


class ThreadConnections:
    """One open connection per server thread and database file, reused by its requests.

    Opening a connection per request costs the PRAGMAs each time, and closing
    the last one makes SQLite checkpoint and delete the WAL file, only for the
    next request to make it again. Connections die with their thread or app.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, path: str) -> sqlite3.Connection:
        connections: dict[str, sqlite3.Connection] = self._local.__dict__.setdefault(
            "connections", {})
        if path not in connections:
            connections[path] = connect(path)
        return connections[path]


def get_db() -> sqlite3.Connection:
    """This request's connection."""
    if "db" not in g:
        connections: ThreadConnections = current_app.extensions["spotcheck_db"]
        g.db = connections.get(current_app.config["DATABASE"])
    db: sqlite3.Connection = g.db
    return db


def close_db(_error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None and db.in_transaction:
        db.rollback()  # the next request on this thread starts clean


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an INSERT just made (sqlite3 types it int | None: None
    only for a cursor that never ran an INSERT)."""
    if cursor.lastrowid is None:
        raise RuntimeError("the statement inserted no row")
    return cursor.lastrowid


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if anything inside raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # On a full disk or an I/O error SQLite may already have rolled the whole
        # transaction back; a second ROLLBACK would hide that error behind its own.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def find_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The numbered .sql files in order; numbers must run 1, 2, 3 ... with no gap."""
    found = []
    for path in folder.glob("*.sql"):
        match = re.fullmatch(r"(\d{4})_([a-z0-9_]+)\.sql", path.name)
        if not match:
            raise RuntimeError(f"migration {path.name} is not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {expected:04d} is missing (found {migration.path.name})")
    return found


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def _statements(script: str) -> Iterator[str]:
    # executescript() would COMMIT our transaction first, so we run a
    # migration one complete statement at a time instead.
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip() and not _only_comments(buffer):
        raise RuntimeError(f"unterminated SQL statement: {buffer.strip()[:80]}")


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


def migrate(conn: sqlite3.Connection, folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply the migrations the database has not seen, each in its own transaction.

    The version is re-read under the write lock, so several processes starting
    at once apply each migration exactly once. Foreign keys are off meanwhile,
    as SQLite's table rebuild needs (dropping a parent table would otherwise
    delete or orphan its children), and checked before each commit instead.
    """
    applied = []
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, so here
    try:
        for migration in find_migrations(folder):
            with transaction(conn):
                if schema_version(conn) >= migration.version:
                    continue
                for statement in _statements(migration.path.read_text(encoding="utf-8")):
                    conn.execute(statement)
                if broken := conn.execute("PRAGMA foreign_key_check").fetchall():
                    raise RuntimeError(f"{migration.path.name} breaks foreign keys: "
                                       f"{[tuple(row) for row in broken[:5]]}")
                conn.execute(f"PRAGMA user_version = {migration.version:d}")
            applied.append(migration)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return applied


def backup(conn: sqlite3.Connection, destination: Path) -> None:
    """Copy a live database with SQLite's online backup API.

    Writers can go on meanwhile. The copy is written beside its destination and
    renamed into place only when complete and checked, so a crash never leaves
    a half backup where a whole one is expected.
    """
    destination = destination.resolve()
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    # Only the server's user may read a copy, whatever the umask.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with closing(sqlite3.connect(partial)) as copy:
        conn.backup(copy, pages=1024)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise RuntimeError(f"backup failed its integrity check: {verdict}")
    partial.replace(destination)


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Apply any pending database migrations."""
    applied = migrate(get_db())
    for migration in applied:
        click.echo(f"applied {migration.path.name}")
    click.echo(f"database at schema version {schema_version(get_db())}")


@click.command("backup")
@with_appcontext
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the destination if it exists.")
def backup_command(destination: Path, force: bool) -> None:
    """Write a consistent copy of the live database to DESTINATION."""
    if destination.exists() and not force:
        raise click.ClickException(f"{destination} exists; pass --force to replace it")
    backup(get_db(), destination)
    click.echo(f"backed up to {destination}")


def init_app(app: Flask) -> None:
    app.extensions["spotcheck_db"] = ThreadConnections()
    app.teardown_appcontext(close_db)
    app.cli.add_command(migrate_command)
    app.cli.add_command(backup_command)
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    if app.config["MIGRATE_ON_START"]:
        with closing(connect(app.config["DATABASE"])) as conn:
            migrate(conn)
    lock_down(Path(app.instance_path), app.config["DATABASE"],
              *filter(None, [app.config.get("LIMITS_DATABASE")]))
