"""What other features may read of the public copy (`map_report`), and only through here.

Exports (review/exports.py) take its rows, retention (reports/retention.py)
the place it shows, and static mirrors (mirror/mapdata.py) its counts and
points, so what is public is decided in one place (publish.py), and how the
map keeps it (grid cells, list keys, counts) stays the map's own business: no
SQL outside this package names a map table (tests/test_architecture.py).
"""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..vocab import WHAT
from .publish import COUNT_COLUMNS, PUBLIC_FIELDS

# What the public copy may show of a place: the approved fields and the point
# on the public grid; NULL where the organizer kept one private.
PUBLIC_PLACE = (*PUBLIC_FIELDS, "latitude", "longitude")
# What an export may carry of a published report.
PUBLIC_ROW = ("report_id", "space", "what", "verification", *PUBLIC_PLACE, "note")


def public_rows(db: sqlite3.Connection, space: str = "", city: str = "", level: str = "",
                report_ids: list[int] | None = None) -> Iterator[sqlite3.Row]:
    """Published reports as the public sees them, newest first, read as they stream.

    The city filter matches only where the city itself was made public; `level`,
    a verification level, or "" for all; `report_ids`, only these reports.
    """
    sql, params = f"SELECT {', '.join(PUBLIC_ROW)} FROM map_report WHERE 1 = 1", []  # noqa: S608
    if space:
        sql += " AND space = ?"
        params.append(space)
    if city:
        sql += " AND city = ? COLLATE NOCASE"
        params.append(city)
    if level:
        sql += " AND verification = ?"
        params.append(level)
    if report_ids is not None:
        sql += " AND report_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(report_ids))
    return db.execute(sql + " ORDER BY report_id DESC", params)


def public_place(conn: sqlite3.Connection, report_id: int) -> dict[str, Any]:
    """The place as the public copy shows it, each of PUBLIC_PLACE; all None if the
    report is not published."""
    row = conn.execute(f"SELECT {', '.join(PUBLIC_PLACE)} FROM map_report "  # noqa: S608
                       "WHERE report_id = ?", (report_id,)).fetchone()
    return dict(zip(PUBLIC_PLACE, row, strict=True)) if row else dict.fromkeys(PUBLIC_PLACE)


def cell_counts(db: sqlite3.Connection, band: int) -> Iterator[tuple[Any, ...]]:
    """Every cell of a band with all-time counts, for static copies of the map (app/mirror):
    (cx, cy, n, latitude_sum, longitude_sum, one count per kind of event in WHAT's order)."""
    by_what = [" + ".join(c for (_, w), c in COUNT_COLUMNS.items() if w == what)
               for what in WHAT]
    # A cell has a row per verification level (migration 0013): the copy shows them all.
    return db.execute(
        "SELECT cx, cy, sum(n), sum(latitude_sum), sum(longitude_sum), "  # noqa: S608
        f"{', '.join(f'sum({sql})' for sql in by_what)} FROM map_cell "
        "WHERE band = ? AND month = 0 AND n > 0 GROUP BY cy, cx", (band,))


# What a static copy shows of a located report, after its square and point, as the
# API does (map/query.py points): `public_id` names its public page (app/replies/).
POINT_FIELDS = ("space", "what", *PUBLIC_FIELDS, "note", "published_on", "verification",
                "public_id")


def located_by_square(db: sqlite3.Connection, shift: int) -> Iterator[tuple[Any, ...]]:
    """Located reports as squares of band-15 cells `shift` bits coarser, square by square,
    newest first in each: (x, y, latitude, longitude, *POINT_FIELDS)."""
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: a million sqlite3.Row objects cost seconds
    return cursor.execute(
        f"SELECT cx >> {int(shift)}, cy >> {int(shift)}, latitude, longitude, "  # noqa: S608
        f"{', '.join(POINT_FIELDS)} FROM map_report WHERE latitude IS NOT NULL "
        "ORDER BY 1, 2, published_on DESC, report_id DESC")


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
