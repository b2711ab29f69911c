"""The audit log: what each organizer did, appended and never changed.

Organizer accounts and report reviews both write it, always inside the
transaction of the change they record, so a change and its line are one.
"""

import sqlite3

PAGE_SIZE = 100


def record(conn: sqlite3.Connection, organizer_id: int, action: str,
           report_id: int | None = None, detail: str | None = None) -> None:
    """Append one line, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO audit_log (organizer_id, action, report_id, detail, at) "
        "VALUES (?, ?, ?, ?, datetime('now'))",
        (organizer_id, action, report_id, detail),
    )


def entries(conn: sqlite3.Connection, before: int | None) -> tuple[list[sqlite3.Row], int | None]:
    """One page of lines, newest first, and the id to ask `before` for the next page."""
    rows = conn.execute(
        "SELECT a.id, a.at, a.action, a.report_id, a.detail, o.username FROM audit_log a "
        "JOIN organizer o ON o.id = a.organizer_id WHERE (? IS NULL OR a.id < ?) "
        "ORDER BY a.id DESC LIMIT ?", (before, before, PAGE_SIZE + 1)).fetchall()
    more = rows[PAGE_SIZE - 1]["id"] if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], more
