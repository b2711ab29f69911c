"""What the public map shows, kept in step with the review queue.

Publishing copies a report's approved public fields into `map_report`, with the
location snapped to the grid (grid.py), and adds it to the `map_cell` counts
of every band; unpublishing takes exactly that back out. So the map never reads
the report table, and a zoomed-out answer adds up a few hundred cell rows
instead of a million reports (migration 0004 explains the tables). The coarse
bands are also counted by day (`map_cell_day`, migration 0009), for a `since`
that cuts a month in two.
"""

import json
import sqlite3
from datetime import date
from typing import Any

from ..db import transaction
from ..vocab import SPACES, WHAT
from .grid import BANDS, DAY_BANDS, FINEST_BAND, cell_of, month_number, snap

# One count column per (space, what happened), as in migration 0004.
COUNT_COLUMNS = {(s, w): f"{s.replace('-', '_')}_{w}" for s in SPACES for w in WHAT}
PUBLIC_FIELDS = ("device", "venue", "city", "observed_on")
# The levels at which the public copy may name the venue, if the organizer made it
# public (issue 31): below corroborated it names the kind of place and the area,
# never the venue. Nor while disputed: the venue contests the report and it is
# being looked at again, which is when naming it is the greatest risk.
VENUE_LEVELS = frozenset({"corroborated", "confirmed", "resolved"})


def public_row(report: sqlite3.Row, grid_metres: int) -> dict[str, Any]:
    """The map_report row of a published report: approved fields only, and the venue
    only at a level that may name it."""
    # A report published before levels, or loaded straight into the table: reported.
    level = report["verification"] or "reported"
    fields = set(json.loads(report["public_fields"] or "[]"))
    if level not in VENUE_LEVELS:
        fields.discard("venue")
    published_on = date.fromisoformat(report["reviewed_on"])
    row = {
        "report_id": report["id"],
        # The page of a published report is found by this, never by the number (0014).
        "public_id": report["public_id"],
        "published_on": published_on.isoformat(),
        "month": month_number(published_on),
        "space": report["space"],
        "what": report["what"],
        "verification": level,
        "note": report["public_note"],
        **{f: report[f] if f in fields else None for f in PUBLIC_FIELDS},
        "latitude": None, "longitude": None, "cx": None, "cy": None,
    }
    if "location" in fields and report["latitude"] is not None:
        row["latitude"], row["longitude"] = snap(report["latitude"], report["longitude"],
                                                 grid_metres)
        row["cx"], row["cy"] = cell_of(row["latitude"], row["longitude"])
    return row


def _upsert(table: str, period: str, column: str) -> str:
    return (
        f"INSERT INTO {table} (band, cy, cx, {period}, level, n, latitude_sum, "  # noqa: S608
        f"longitude_sum, {column}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        f"ON CONFLICT (band, {period}, cy, cx, level) "
        "DO UPDATE SET n = n + excluded.n, "
        "latitude_sum = latitude_sum + excluded.latitude_sum, "
        "longitude_sum = longitude_sum + excluded.longitude_sum, "
        f"{column} = {column} + excluded.{column}"
    )


def _count(db: sqlite3.Connection, row: sqlite3.Row | dict[str, Any], sign: int) -> None:
    """Add one located map_report row to (sign=1) or take it from (-1) every band, in
    the cell rows of its verification level (migration 0013)."""
    column = COUNT_COLUMNS[(row["space"], row["what"])]
    level = row["verification"]
    lat, lon = sign * row["latitude"], sign * row["longitude"]

    def cell(band: int) -> tuple[int, int, int]:
        return band, row["cy"] >> (FINEST_BAND - band), row["cx"] >> (FINEST_BAND - band)

    for table, period, changes in (
        ("map_cell", "month", [(*cell(band), month, level, sign, lat, lon, sign)
                               for band in BANDS for month in (0, row["month"])]),
        ("map_cell_day", "day", [(*cell(band), row["published_on"], level, sign, lat, lon,
                                  sign) for band in DAY_BANDS]),
    ):
        db.executemany(_upsert(table, period, column), changes)
        # An empty cell is deleted, so a cell row always has reports behind it.
        db.executemany(f"DELETE FROM {table} WHERE band = ? AND cy = ? AND cx = ? "  # noqa: S608
                       f"AND {period} = ? AND level = ? AND n = 0", [c[:5] for c in changes])


def sync(db: sqlite3.Connection, report_id: int, grid_metres: int) -> None:
    """Make the map agree with one report's status. Call inside its transaction."""
    old = db.execute("SELECT * FROM map_report WHERE report_id = ?", (report_id,)).fetchone()
    if old is not None:
        if old["cx"] is not None:
            _count(db, old, -1)
        db.execute("DELETE FROM map_report WHERE report_id = ?", (report_id,))
    report = db.execute("SELECT * FROM report WHERE id = ? AND status = 'published'",
                        (report_id,)).fetchone()
    if report is not None:
        row = public_row(report, grid_metres)
        db.execute(f"INSERT INTO map_report ({', '.join(row)}) "  # noqa: S608 (our names)
                   f"VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        if row["cx"] is not None:
            _count(db, row, 1)
    db.execute("UPDATE map_state SET version = version + 1")


def rebuild(db: sqlite3.Connection, grid_metres: int) -> int:
    """Recompute both map tables from the reports, in one transaction.

    For a changed grid size, for loading many reports at once (bench/), and to
    mend anything changed behind the app's back. Returns the published count.
    """
    sums = ", ".join(f"sum(space = '{s}' AND what = '{w}')" for s, w in COUNT_COLUMNS)
    columns = ", ".join(COUNT_COLUMNS.values())
    with transaction(db):
        db.execute("DELETE FROM map_cell")
        db.execute("DELETE FROM map_cell_day")
        db.execute("DELETE FROM map_report")
        reports = db.execute("SELECT * FROM report WHERE status = 'published'")
        rows = (public_row(report, grid_metres) for report in reports)
        first = next(rows, None)
        if first is not None:
            db.executemany(f"INSERT INTO map_report ({', '.join(first)}) "  # noqa: S608
                           f"VALUES ({', '.join('?' * len(first))})",
                           (tuple(r.values()) for r in (first, *rows)))
        for band in BANDS:
            shift = FINEST_BAND - band
            # (table, its period column, that period for a report): all time, the
            # month, and in the coarse bands the day, as _count keeps them.
            periods = [("map_cell", "month", "0"), ("map_cell", "month", "month")]
            if band in DAY_BANDS:
                periods.append(("map_cell_day", "day", "published_on"))
            for table, period, value in periods:
                db.execute(
                    f"INSERT INTO {table} (band, cy, cx, {period}, level, n, "  # noqa: S608
                    f"latitude_sum, longitude_sum, {columns}) SELECT {band}, cy >> {shift}, "
                    f"cx >> {shift}, {value}, verification, count(*), sum(latitude), "
                    f"sum(longitude), {sums} FROM map_report "
                    "WHERE cx IS NOT NULL GROUP BY 2, 3, 4, 5")
        db.execute("UPDATE map_state SET version = version + 1")
        published: int = db.execute("SELECT count(*) FROM map_report").fetchone()[0]
        return published

