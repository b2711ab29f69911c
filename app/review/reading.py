"""Reading reports for organizers: the queue, one report, all of them for an export."""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from ..db import get_db

HAS_PHOTO = "EXISTS (SELECT 1 FROM report_photo WHERE report_id = report.id)"
QUEUE_COLUMNS = ("id, submitted_on, space, what, device, venue, city, status, held, "
                 f"{HAS_PHOTO} AS has_photo")


@dataclass(frozen=True)
class QueueFilters:
    status: str  # a key of vocab.STATUSES
    space: str = ""  # a key of vocab.SPACES, or "" for every kind of place
    city: str = ""  # matched whole, ignoring case, or "" for every city
    # Held during a flood (migration 0012): False, the queue; True, the held list;
    # None, both (exports).
    held: bool | None = None


def _where(filters: QueueFilters, before: int | None) -> tuple[str, list[str | int]]:
    sql = "status = ?"
    params: list[str | int] = [filters.status]
    if filters.held is not None:
        sql += " AND held = ?"
        params.append(int(filters.held))
    if filters.space:
        sql += " AND space = ?"
        params.append(filters.space)
    if filters.city:
        sql += " AND city = ? COLLATE NOCASE"
        params.append(filters.city)
    if before is not None:
        sql += " AND id < ?"
        params.append(before)
    return sql, params


def page(filters: QueueFilters, before: int | None, size: int
         ) -> tuple[list[sqlite3.Row], int | None]:
    """Up to `size` reports, newest first (an index walk), and where the next page starts."""
    where, params = _where(filters, before)
    # Held reports are triaged from the list itself: the start of what she wrote shows.
    columns = QUEUE_COLUMNS + (", substr(description, 1, 300) AS excerpt" if filters.held
                               else "")
    rows = get_db().execute(
        f"SELECT {columns} FROM report WHERE {where} ORDER BY id DESC LIMIT ?",  # noqa: S608
        (*params, size + 1)).fetchall()
    more = rows[size - 1]["id"] if len(rows) > size else None
    return rows[:size], more


def every_field(filters: QueueFilters) -> Iterator[sqlite3.Row]:
    """Every matching report with all its columns, newest first, read as it streams."""
    where, params = _where(filters, None)
    return get_db().execute(
        f"SELECT * FROM report WHERE {where} ORDER BY id DESC", params)  # noqa: S608


def report(report_id: int) -> sqlite3.Row | None:
    # `photo` says whether there is one; the photo itself is read only by its own view.
    found: sqlite3.Row | None = get_db().execute(
        f"SELECT *, {HAS_PHOTO} AS photo FROM report WHERE id = ?",  # noqa: S608
        (report_id,)).fetchone()
    return found


def exists(report_id: int) -> bool:
    return get_db().execute("SELECT 1 FROM report WHERE id = ?",
                            (report_id,)).fetchone() is not None


def next_waiting(after_id: int) -> int | None:
    """The report to review after this one: the next waiting one down the queue.

    The queue lists newest first, so "down" is the next older report; past the
    oldest, back to the newest still waiting (one that came in meanwhile).
    """
    db = get_db()
    for sql in ("SELECT id FROM report WHERE status = 'received' AND held = 0 AND id < ? "
                "ORDER BY id DESC LIMIT 1",
                "SELECT id FROM report WHERE status = 'received' AND held = 0 AND id > ? "
                "ORDER BY id DESC LIMIT 1"):
        row = db.execute(sql, (after_id,)).fetchone()
        if row:
            following: int = row["id"]
            return following
    return None


def held_count() -> int:
    """How many reports are held apart from the queue (sent without proof in a flood)."""
    count: int = get_db().execute(
        "SELECT count(*) FROM report WHERE status = 'received' AND held = 1").fetchone()[0]
    return count
