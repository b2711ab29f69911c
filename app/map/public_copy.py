"""What other features may read of the public copy (`map_report`), and only through here.

Exports (review/exports.py) take its rows and retention (reports/retention.py)
the place it shows, so what is public is decided in one place (publish.py),
and how the map keeps it (grid cells, list keys, counts) stays the map's own
business: no SQL outside this package names a map table
(tests/test_architecture.py).
"""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from .publish import PUBLIC_FIELDS

# What the public copy may show of a place: the approved fields and the point
# on the public grid; NULL where the organizer kept one private.
PUBLIC_PLACE = (*PUBLIC_FIELDS, "latitude", "longitude")
# What an export may carry of a published report.
PUBLIC_ROW = ("report_id", "space", "what", *PUBLIC_PLACE, "note")


def public_rows(db: sqlite3.Connection, space: str = "", city: str = "") -> Iterator[sqlite3.Row]:
    """Published reports as the public sees them, newest first, read as they stream.

    The city filter matches only where the city itself was made public.
    """
    sql, params = f"SELECT {', '.join(PUBLIC_ROW)} FROM map_report WHERE 1 = 1", []  # noqa: S608
    if space:
        sql += " AND space = ?"
        params.append(space)
    if city:
        sql += " AND city = ? COLLATE NOCASE"
        params.append(city)
    return db.execute(sql + " ORDER BY report_id DESC", params)


def public_place(conn: sqlite3.Connection, report_id: int) -> dict[str, Any]:
    """The place as the public copy shows it, each of PUBLIC_PLACE; all None if the
    report is not published."""
    row = conn.execute(f"SELECT {', '.join(PUBLIC_PLACE)} FROM map_report "  # noqa: S608
                       "WHERE report_id = ?", (report_id,)).fetchone()
    return dict(zip(PUBLIC_PLACE, row, strict=True)) if row else dict.fromkeys(PUBLIC_PLACE)


# What the public page of one published report shows (app/replies/): its public
# row, found by its public id (migration 0014), never by the internal number.
PUBLIC_CARD = ("report_id", "public_id", "published_on", "space", "what", "verification",
               *PUBLIC_PLACE, "note")


def public_report(conn: sqlite3.Connection, public_id: str) -> sqlite3.Row | None:
    """One published report as the public copy shows it, or None if none is published
    under this id."""
    found: sqlite3.Row | None = conn.execute(
        f"SELECT {', '.join(PUBLIC_CARD)} FROM map_report WHERE public_id = ?",  # noqa: S608
        (public_id,)).fetchone()
    return found


def public_ids(conn: sqlite3.Connection, report_ids: list[int]) -> dict[int, str]:
    """The public id of each of these reports that is published."""
    return dict(conn.execute(
        "SELECT report_id, public_id FROM map_report "
        "WHERE report_id IN (SELECT value FROM json_each(?))", (json.dumps(report_ids),)))
