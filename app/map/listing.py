"""The public list of published reports: keyset pages read from an index.

Like query.py, it reads only the public copy (`map_report`), always through an
index (tests/map/test_query_plans.py holds every question to that).
"""

import sqlite3
from datetime import date, timedelta
from typing import Any

from ..vocab import SPACES, WHAT

LIST_PAGE_SIZE = 50
# The list's order (migration 0009): city, then venue (each NOCASE, not given
# last), then report id, so every report has one place and a page starts at a key.
LIST_ORDER = ("city_key", "venue_key", "list_id")
# A time window with at most this many reports is read by date and sorted; a
# fuller one is read in the list's order, skipping (in the index) at most about
# LIST_PAGE_SIZE * all / FEW_IN_WINDOW reports outside it per page.
FEW_IN_WINDOW = 4000


def list_index(filters: dict[str, str]) -> str:
    """The list index whose leading columns are the chosen space and what, or the
    chosen level (most reports are at a few levels: the rest are found at once)."""
    if filters.get("verification"):
        return "map_report_list_verification"
    chosen = [name for name in ("space", "what") if filters[name]]
    return "_".join(("map_report_list", *chosen))


def list_key(db: sqlite3.Connection, report_id: int | None) -> tuple[Any, ...] | None:
    """Where a report stands in the list's order, or None if it is not published."""
    if report_id is None:
        return None
    row = db.execute(f"SELECT {', '.join(LIST_ORDER)} FROM map_report "  # noqa: S608
                     "WHERE report_id = ?", (report_id,)).fetchone()
    return tuple(row) if row else None


def window_sql(filters: dict[str, str], since: str) -> tuple[str, str, list[str]]:
    """The index, conditions and parameters that read a time window by date.

    A filter not chosen becomes `IN (every value)`, so the index on space,
    what and date is read as a few date ranges.
    """
    if not filters["space"] and not filters["what"]:
        return "map_report_published", "published_on >= ?", [since]
    sql, params = [], []
    for name, choices in (("space", SPACES), ("what", WHAT)):
        values = [filters[name]] if filters[name] else list(choices)
        sql.append(f"{name} IN ({', '.join('?' * len(values))})")
        params += values
    return "map_report_kind_published", " AND ".join([*sql, "published_on >= ?"]), [*params,
                                                                                      since]


def list_page(db: sqlite3.Connection, filters: dict[str, str], today: date,
              after: int | None = None, before: int | None = None
              ) -> tuple[list[sqlite3.Row], bool, bool]:
    """One page of published reports in the list's order, read from an index.

    The page starts after the report `after` (or ends before `before`: the
    previous page); a cursor that is no longer published gives the first page.
    Returns the rows, whether there are more further on (in the direction read),
    and whether a cursor was used. `filters` holds space, what, verification and within (days),
    each "" when not chosen.
    """
    backwards = before is not None and after is None
    cursor = list_key(db, before if backwards else after)
    index = list_index(filters)
    where, params = [], []
    for name in ("space", "what", "verification"):
        if filters.get(name):
            where.append(f"{name} = ?")
            params.append(filters[name])
    if filters["within"]:
        since = (today - timedelta(days=int(filters["within"]))).isoformat()
        window_index, window_where, window_params = window_sql(filters, since)
        few = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM map_report INDEXED BY {window_index} "  # noqa: S608
            f"WHERE {window_where} LIMIT {FEW_IN_WINDOW + 1})", window_params).fetchone()[0]
        if few <= FEW_IN_WINDOW:
            index, where, params = window_index, [window_where], window_params
            if filters.get("verification"):  # checked on each of those few reports
                where.append("verification = ?")
                params.append(filters["verification"])
        else:
            where.append("published_on >= ?")
            params.append(since)
    # The first page is a seek too, from before every key ('0...' or '1...').
    where.append(f"({', '.join(LIST_ORDER)}) {'<' if backwards else '>'} (?, ?, ?)")
    params += cursor or ("", "", 0)
    order = ", ".join(f"{c} DESC" if backwards else c for c in LIST_ORDER)
    rows = db.execute(
        f"SELECT * FROM map_report INDEXED BY {index} WHERE {' AND '.join(where)} "  # noqa: S608
        f"ORDER BY {order} LIMIT {LIST_PAGE_SIZE + 1}", params).fetchall()
    more = len(rows) > LIST_PAGE_SIZE
    rows = rows[:LIST_PAGE_SIZE]
    if backwards:
        rows.reverse()
    return rows, more, cursor is not None
