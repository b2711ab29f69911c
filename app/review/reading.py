"""Reading reports for organizers: the queue, one report, all of them for an export."""

import json
import math
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Self

from ..db import get_db
from ..map.grid import METRES_PER_DEGREE, snap
from ..vocab import LEVELS, SPACES, STATUSES

HAS_PHOTO = "EXISTS (SELECT 1 FROM report_photo WHERE report_id = report.id)"
# `version`: what a bulk action sends back, so a report changed meanwhile is refused.
QUEUE_COLUMNS = ("id, submitted_on, space, what, device, venue, city, status, held, version, "
                 f"{HAS_PHOTO} AS has_photo")


@dataclass(frozen=True)
class QueueFilters:
    status: str  # a key of vocab.STATUSES
    space: str = ""  # a key of vocab.SPACES, or "" for every kind of place
    city: str = ""  # matched whole, ignoring case, or "" for every city
    # Held during a flood (migration 0012): False, the queue; True, the held list;
    # None, both (exports).
    held: bool | None = None
    # Published reports at this level (a key of vocab.LEVELS), or "" for every level.
    level: str = ""
    # Only reports a place has responded to, the response waiting for organizers
    # (app/replies/store.py pending: status 'received', not held).
    pending: bool = False

    @classmethod
    def asked(cls, args: Mapping[str, str], status: str | None = None) -> Self:
        """The filters a request's arguments ask for; a value not understood is no filter.
        With `status` (the held list, exports), that status and the place; with
        "published", the level and a response pending too. The queue's own filters by
        level and by a response pending show published reports, the only ones that have
        either."""
        asked_status, asked_space = args.get("status", ""), args.get("space", "")
        space = asked_space if asked_space in SPACES else ""
        city = (args.get("city") or "").strip()[:120]
        level = args.get("level", "") if args.get("level") in LEVELS else ""
        pending = args.get("pending") == "1"
        if status:
            if status != "published":
                level, pending = "", False
            return cls(status=status, space=space, city=city, level=level, pending=pending)
        if level or pending:
            status = "published"
        return cls(status=status or (asked_status if asked_status in STATUSES else "received"),
                   space=space, city=city, level=level, pending=pending)

    def as_args(self) -> dict[str, Any]:
        """The filters as the queue's address carries them (none for one not set)."""
        return {"status": self.status, **self.published_args()}

    def published_args(self) -> dict[str, Any]:
        """The filters the exports of published reports take: all but the status."""
        return {"space": self.space or None, "city": self.city or None,
                "level": self.level or None, "pending": "1" if self.pending else None}


# Reports a place has responded to, the response waiting for organizers
# (app/replies/store.py pending: status 'received', not held); a few at most, read
# through the response_waiting index.
WAITING_RESPONSE = "SELECT report_id FROM response WHERE status = 'received' AND held = 0"


def with_response_waiting() -> list[int]:
    """The reports a response waits for organizers on, as the filter `pending` reads them."""
    return [row[0] for row in get_db().execute(WAITING_RESPONSE)]


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
    if filters.level:
        sql += " AND verification = ?"  # through report_level (migration 0015)
        params.append(filters.level)
    if filters.pending:
        sql += f" AND id IN ({WAITING_RESPONSE})"
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


# How far apart in time two reports of one place may be sent to count as likely the same.
SAME_PLACE_DAYS = 30


def likely_duplicates(report: sqlite3.Row, grid_metres: int, most: int = 5
                      ) -> list[sqlite3.Row]:
    """Reports that likely tell the same as this one: the same kind of place in the same
    square of the public grid (map/grid.py snap), sent within SAME_PLACE_DAYS of it.

    Only reports that could be the original: waiting or published, not held, not
    themselves a duplicate. Published ones first, then the oldest. None for a report
    with no location. Read through the place's index (report_place, migration 0015):
    the kind of place, then a band of latitude.
    """
    if report["latitude"] is None:
        return []
    square = snap(report["latitude"], report["longitude"], grid_metres)
    # Every point of the square lies within one square's size of this point, each way.
    rise = grid_metres / METRES_PER_DEGREE
    run = rise / max(math.cos(math.radians(min(abs(report["latitude"]) + rise, 90))), 1e-6)
    rows = get_db().execute(
        "SELECT id, submitted_on, status, venue, city, latitude, longitude FROM report "
        "WHERE space = ? AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? "
        "AND submitted_on BETWEEN date(?, ?) AND date(?, ?) AND id != ? "
        "AND status != 'rejected' AND held = 0 "
        "ORDER BY status = 'published' DESC, id LIMIT 100",
        (report["space"], report["latitude"] - rise, report["latitude"] + rise,
         report["longitude"] - run, report["longitude"] + run,
         report["submitted_on"], f"-{SAME_PLACE_DAYS} days",
         report["submitted_on"], f"+{SAME_PLACE_DAYS} days", report["id"])).fetchall()
    return [row for row in rows
            if snap(row["latitude"], row["longitude"], grid_metres) == square][:most]


def without_location(report_ids: list[int]) -> list[int]:
    """Those of these reports that have no location, in order."""
    return [row[0] for row in get_db().execute(
        "SELECT id FROM report WHERE latitude IS NULL AND id IN "
        "(SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(report_ids),))]
