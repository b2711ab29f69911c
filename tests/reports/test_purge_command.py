"""`flask purge-reports` under a reader that will not let go (issue 28, item 6).

Litestream keeps a read transaction open on the database nearly all the time, and
SQLite cannot copy a deleted row's overwritten page into the database file, nor
empty the WAL, past what a reader still sees. The command used to ignore the busy
answer and say nothing: the purged text stayed in the file. It also said "deleted 0"
when the start-up purge of its own run had already deleted them.
"""

import sqlite3
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app
from app.db import connect
from app.vocab import today
from helpers import NEW_REPORT, TEST_CONFIG, db_rows, receipt_of, submit

MARKER = "ZZPURGETEXT91"


@pytest.fixture
def app(migrated):
    return create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0})


def old_reports(app, n: int, marker: str = MARKER) -> None:
    """n unpublished reports, 91 days old, their text in the database file itself."""
    client = app.test_client()
    for i in range(n):
        assert receipt_of(submit(client, **NEW_REPORT, description=f"{marker}-{i}"))
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = ?",
                     ((today() - timedelta(days=91)).isoformat(),))
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    assert MARKER.encode() in Path(app.config["DATABASE"]).read_bytes()


def files_with(app, needle: str) -> list[str]:
    return sorted(p.name for p in Path(app.instance_path).rglob("*")
                  if p.is_file() and needle.encode() in p.read_bytes())


def reader(app) -> sqlite3.Connection:
    """What Litestream holds: a read transaction on the database as it is now."""
    conn = sqlite3.connect(app.config["DATABASE"], isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM report").fetchone()
    return conn


def test_it_keeps_trying_while_a_reader_holds_the_wal_and_empties_it_once_released(app):
    old_reports(app, 2)
    held = reader(app)
    # Longer than the connection's own busy timeout (10 s), which alone once hid it.
    releaser = threading.Timer(12, held.rollback)
    releaser.start()
    began = time.monotonic()
    try:
        result = app.test_cli_runner().invoke(args=["purge-reports"])  # --wait 60
    finally:
        releaser.cancel()
        held.rollback()
        held.close()
    assert result.exit_code == 0, result.output
    assert "deleted 2 unpublished reports" in result.output
    assert db_rows(app, "SELECT count(*) FROM report")[0][0] == 0
    assert files_with(app, MARKER) == []  # not in the database file, not in its WAL
    assert "the WAL is empty" in result.output
    assert time.monotonic() - began >= 11  # it waited for the reader


def test_it_fails_loudly_when_the_reader_never_lets_go(app):
    old_reports(app, 1)
    held = reader(app)
    try:
        began = time.monotonic()
        result = app.test_cli_runner().invoke(args=["purge-reports", "--wait", "3"])
        took = time.monotonic() - began
        assert files_with(app, MARKER)  # the reason it must not say it is done
    finally:
        held.rollback()
        held.close()
    assert result.exit_code == 1, result.output
    assert took < 8
    assert "deleted 1 unpublished reports" in result.output  # the rows are gone all the same
    assert "the WAL could not be emptied in 3 s" in result.output
    assert "Stop Litestream" in result.output
    assert "the WAL is empty" not in result.output
    # Run again once nothing holds it: it finishes the job.
    again = app.test_cli_runner().invoke(args=["purge-reports", "--wait", "3"])
    assert again.exit_code == 0, again.output
    assert files_with(app, MARKER) == []


def test_the_count_includes_what_the_start_up_purge_of_the_same_run_deleted(app):
    old_reports(app, 3)
    before = db_rows(app, "SELECT count(*) FROM report")[0][0]
    # `flask purge-reports` makes the app first, and making it purges (PURGE_ON_START).
    cli_app = create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0})
    result = cli_app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    removed = before - db_rows(app, "SELECT count(*) FROM report")[0][0]
    assert removed == 3
    assert f"deleted {removed} unpublished reports older than 90 days" in result.output
    # Said once: a second run in the same process deleted nothing more.
    again = cli_app.test_cli_runner().invoke(args=["purge-reports"])
    assert "deleted 0 unpublished reports" in again.output
