"""The audit log: what each organizer did, appended and never changed.

Organizer accounts and report reviews both write it, always inside the
transaction of the change they record, so a change and its line are one.
Reading private data (the full export, a report's card or photo) and signing in
change nothing else, so their lines get a transaction of their own
(`record_now`). No line holds an address or a browser's name
(docs/privacy.md), nor anything typed (a name, a password) or any words of a
report. Lines with no organizer: a failed sign-in under a name that is no
account, and the retention deletions, which say only how many (`deleted`).
"""

import sqlite3

from ..db import get_db, transaction

PAGE_SIZE = 100


def record(conn: sqlite3.Connection, organizer_id: int | None, action: str,
           report_id: int | None = None, detail: str | None = None) -> None:
    """Append one line, inside the caller's transaction.

    `organizer_id` is None only for a failed sign-in under a name that is no
    account, and for the retention deletions, which no organizer made.
    """
    conn.execute(
        "INSERT INTO audit_log (organizer_id, action, report_id, detail, at) "
        "VALUES (?, ?, ?, ?, datetime('now'))",
        (organizer_id, action, report_id, detail),
    )


def record_now(organizer_id: int | None, action: str, report_id: int | None = None,
               detail: str | None = None) -> None:
    """Append one line in a transaction of its own: for what changes nothing else."""
    db = get_db()
    with transaction(db):
        record(db, organizer_id, action, report_id, detail)


def deleted(conn: sqlite3.Connection, action: str, count: int) -> None:
    """Log a retention deletion inside its transaction: how many reports, never which."""
    if count:
        record(conn, None, action, detail=str(count))


def entries(conn: sqlite3.Connection, before: int | None) -> tuple[list[sqlite3.Row], int | None]:
    """One page of lines, newest first, and the id to ask `before` for the next page."""
    # A failed sign-in under an unknown name has no organizer: shown as a dash.
    rows = conn.execute(
        "SELECT a.id, a.at, a.action, a.report_id, a.detail, "
        "COALESCE(o.username, '—') AS username FROM audit_log a "
        "LEFT JOIN organizer o ON o.id = a.organizer_id WHERE (? IS NULL OR a.id < ?) "
        "ORDER BY a.id DESC LIMIT ?", (before, before, PAGE_SIZE + 1)).fetchall()
    more = rows[PAGE_SIZE - 1]["id"] if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], more
