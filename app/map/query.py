"""Questions to the public map's API, and their answers (the list view's are in listing.py).

Everything here reads only the public copy (`map_state`, `map_report`,
`map_cell`, `map_cell_day`), never the report table, and always through an
index (tests/map/test_query_plans.py holds every question to that).

`parse` checks every parameter and says exactly what is wrong with the first
bad one. `answer` decides between points and cells from the size of the box:
points only when the box holds at most MAX_FEATURES cells of the public grid,
otherwise the finest band with at most MAX_FEATURES cells in the box. So no
answer can carry more than MAX_FEATURES features, whatever is in the database.
"""

import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..vocab import EARLIEST, LEVELS, SPACES, WHAT
from .grid import (
    BANDS,
    DAY_BANDS,
    FINEST_BAND,
    METRES_PER_DEGREE,
    cell_bounds,
    cell_of,
    month_number,
)
from .publish import COUNT_COLUMNS, PUBLIC_FIELDS

MAX_FEATURES = 500
MAX_ZOOM = 20
REPORTS_PER_POINT = 3  # the newest few, enough for a popup on a phone; the count says the rest
PARAMETERS = ("bbox", "zoom", "space", "what", "verification", "since")
DECIMAL = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", re.ASCII)


@dataclass(frozen=True)
class MapQuery:
    west: float
    south: float
    east: float
    north: float
    zoom: int
    space: str | None = None
    what: str | None = None
    since: date | None = None
    verification: str | None = None


class BadParameter(ValueError):
    def __init__(self, parameter: str, message: LazyString) -> None:
        super().__init__(parameter)
        self.parameter, self.message = parameter, message


def parse_filters(args: MultiDict[str, str], today: date, any_day: bool = False
                  ) -> dict[str, Any]:
    """space, what, verification and since, shared by the API and the list view.

    The list view offers its choices of since, and refuses a day it could not have
    offered. The API (any_day) takes every date its description allows: one before
    EARLIEST keeps every report, one after today none (answer() sees to that).
    """
    filters: dict[str, Any] = {"space": None, "what": None, "verification": None,
                               "since": None}
    # Given but empty is wrong too: the description (openapi.json) offers no empty choice.
    for name, choices in (("space", SPACES), ("what", WHAT), ("verification", LEVELS)):
        if (value := args.get(name)) is not None:
            if value not in choices:
                raise BadParameter(name, _l("%(name)s must be one of: %(choices)s.", name=name,
                                            choices=", ".join(choices)))
            filters[name] = value
    if (value := args.get("since")) is not None:
        try:
            since = date.fromisoformat(value)
        except ValueError:
            since = None
        if since is None or len(value) != 10 or not (any_day or EARLIEST <= since <= today):
            raise BadParameter("since", _l("since must be a date like 2026-03-08, not in the "
                                           "future."))
        filters["since"] = since if since > EARLIEST else None
    return filters


def decimal(text: str) -> float:
    """A number written as JSON writes one (map.js sends toFixed(5)), else ValueError.

    float() alone would also take " 1", "1_0", "+1" and "١", which the description
    of the API does not promise.
    """
    if not DECIMAL.fullmatch(text):
        raise ValueError(text)
    return float(text)


def parse(args: MultiDict[str, str], today: date) -> MapQuery:
    """A MapQuery from the API's query string, or BadParameter."""
    for name in args:
        if name not in PARAMETERS:
            raise BadParameter(name, _l("Unknown parameter %(name)s. This API takes: "
                                        "%(names)s.", name=name, names=", ".join(PARAMETERS)))
        if len(args.getlist(name)) > 1:
            raise BadParameter(name, _l("Give %(name)s only once.", name=name))
    bbox_error = _l("bbox must be west,south,east,north in degrees: longitudes from -180 "
                    "to 180, latitudes from -90 to 90.")
    try:
        west, south, east, north = (decimal(v) for v in args.get("bbox", "").split(","))
    except ValueError:
        raise BadParameter("bbox", bbox_error) from None
    # Any order is a box (boxes): the description allows every one, as GeoJSON does.
    if not (all(math.isfinite(v) for v in (west, south, east, north))
            and all(-180 <= v <= 180 for v in (west, east))
            and all(-90 <= v <= 90 for v in (south, north))):
        raise BadParameter("bbox", bbox_error)
    zoom = args.get("zoom", "")
    if not (zoom.isascii() and zoom.isdigit() and int(zoom) <= MAX_ZOOM):
        raise BadParameter("zoom", _l("zoom must be a whole number from 0 to %(max)s.",
                                      max=MAX_ZOOM))
    return MapQuery(west, south, east, north, int(zoom),
                    **parse_filters(args, today, any_day=True))


def grid_cells_in(query: MapQuery, grid_metres: int) -> float:
    """At most how many public grid points the box can hold."""
    nearest_equator = 0 if query.south < 0 < query.north else min(abs(query.south),
                                                                 abs(query.north))
    rows = (query.north - query.south) * METRES_PER_DEGREE / grid_metres + 2
    columns = ((query.east - query.west) * METRES_PER_DEGREE
               * math.cos(math.radians(nearest_equator)) / grid_metres + 2)
    return rows * columns


def cell_range(query: MapQuery, band: int) -> tuple[int, int, int, int]:
    west, north = cell_of(query.north, query.west, band)
    east, south = cell_of(query.south, query.east, band)
    return west, north, east, south


def band_for(boxes: list[MapQuery]) -> int:
    """The finest band at or below the zoom whose cells in the boxes are few enough."""
    for band in range(min(boxes[0].zoom, FINEST_BAND), -1, -1):
        ranges = [cell_range(box, band) for box in boxes]
        if sum((east - west + 1) * (south - north + 1)
               for west, north, east, south in ranges) <= MAX_FEATURES:
            return band
    return BANDS[0]


def boxes(query: MapQuery, today: date) -> list[MapQuery]:
    """The boxes a bbox stands for, as GeoJSON reads one (RFC 7946, 5.2 and 5.3).

    west > east crosses the 180th meridian: the box from west to 180 and the one
    from -180 to east. west = east or south = north is a box as thin as a line or a
    point, holding only what lies exactly on it. south > north holds nothing:
    latitudes do not wrap; nor does a box of reports published after today.
    """
    if query.south > query.north or (query.since is not None and query.since > today):
        return []
    if query.west > query.east:
        return [replace(query, east=180.0), replace(query, west=-180.0)]
    return [query]


def counted(space: str | None, what: str | None) -> dict[str, str]:
    """For each kind of event, the sum of count columns the filters keep."""
    return {
        w: " + ".join(col for (s, ww), col in COUNT_COLUMNS.items()
                      if ww == w and space in (None, s)) if what in (None, w) else "0"
        for w in WHAT
    }


def filter_sql(query: MapQuery, table_prefix: str = "") -> tuple[str, list[str]]:
    sql, params = "", []
    for name in ("space", "what", "verification"):
        if value := getattr(query, name):
            sql += f" AND {table_prefix}{name} = ?"
            params.append(value)
    return sql, params


def answer(db: sqlite3.Connection, query: MapQuery, grid_metres: int, today: date
           ) -> dict[str, Any]:
    """The GeoJSON FeatureCollection for one question."""
    parts = boxes(query, today)
    if sum(grid_cells_in(box, grid_metres) for box in parts) <= MAX_FEATURES:
        features = [f for box in parts for f in points(db, box)]
        mode = "points"
    else:
        band = band_for(parts)
        # Whole cells: across the 180th meridian both boxes may reach the same one.
        found = {tuple(f["properties"]["bounds"]): f
                 for box in parts for f in cells(db, box, band, today)}
        features = list(found.values())
        mode = "cells"
    return {"type": "FeatureCollection", "mode": mode, "features": features,
            "total": sum(f["properties"]["count"] for f in features)}


def points(db: sqlite3.Connection, query: MapQuery) -> list[dict[str, Any]]:
    """One feature per public grid point, with its count and newest reports."""
    extra, params = filter_sql(query)
    if query.since:
        extra += " AND published_on >= ?"
        params.append(query.since.isoformat())
    rows = db.execute(
        "SELECT latitude, longitude, space, what, verification, device, venue, city, "  # noqa: S608
        "observed_on, note, public_id, "
        # Chosen, not left to the planner: with no statistics it would rather read a
        # whole kind of place in date order than the few reports in the box.
        "published_on FROM map_report INDEXED BY map_report_place "
        "WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? "
        f"AND ? {extra} ORDER BY published_on DESC, report_id DESC",
        (query.south, query.north, query.west, query.east, *params))
    found: dict[tuple[float, float], dict[str, Any]] = {}
    for row in rows:
        key = (row["latitude"], row["longitude"])
        if key not in found:
            found[key] = {"type": "Feature",
                          "geometry": {"type": "Point", "coordinates": [key[1], key[0]]},
                          "properties": {"kind": "point", "count": 0, **dict.fromkeys(WHAT, 0),
                                         "verification": {}, "reports": []}}
        properties = found[key]["properties"]
        properties["count"] += 1
        properties[row["what"]] += 1
        levels = properties["verification"]
        levels[row["verification"]] = levels.get(row["verification"], 0) + 1
        if len(properties["reports"]) < REPORTS_PER_POINT:
            properties["reports"].append(
                {k: row[k] for k in ("space", "what", "verification", *PUBLIC_FIELDS, "note",
                                     "published_on", "public_id") if row[k] is not None})
    return list(found.values())


def cells(db: sqlite3.Connection, query: MapQuery, band: int, today: date) -> list[dict[str, Any]]:
    """One feature per cell of the band with published reports in it.

    Without `since` each cell is one row (month 0: all time). With it, whole
    months come from their rows, added after `since` or taken from all time
    before it (whichever reads fewer). The month `since` falls in is exact to
    the day: in the coarse bands from day rows (at most half a month of them,
    whatever the day), in the fine ones, whose boxes are small, from the reports.
    """
    west, north, east, south = cell_range(query, band)
    sums = counted(query.space, query.what)
    totals: dict[tuple[int, int], list[float]] = {}

    def add(cx: int, cy: int, sign: int, lat: float, lon: float, n: int, *by_what: int) -> None:
        total = totals.setdefault((cx, cy), [0.0, 0.0, 0, *([0] * len(WHAT))])
        for i, value in enumerate((lat, lon, n, *by_what)):
            total[i] += sign * value

    def add_rows(table: str, period: str, values: list[int] | list[str], sign: int) -> None:
        if not values:
            return
        marks = ", ".join("?" * len(values))
        # Each cell has a row per verification level: one level's, or all added up.
        level_sql, level_params = (" AND level = ?", [query.verification]
                                   ) if query.verification else ("", [])
        rows = db.execute(
            f"SELECT cx, cy, sum(latitude_sum), sum(longitude_sum), sum(n), "  # noqa: S608
            f"{', '.join(f'sum({sums[w]})' for w in WHAT)} FROM {table} WHERE band = ? "
            f"AND {period} IN ({marks}) AND cy BETWEEN ? AND ? AND cx BETWEEN ? AND ? "
            f"{level_sql} GROUP BY cy, cx", (band, *values, north, south, west, east,
                                              *level_params))
        for cx, cy, *sums_ in rows:
            add(cx, cy, sign, *sums_)

    if query.since is None:
        add_rows("map_cell", "month", [0], 1)
    else:
        since_month = month_number(query.since)
        # The first month with a located report: the primary key's first row.
        first = db.execute("SELECT min(month) FROM map_cell WHERE band = 0 AND month > 0"
                           ).fetchone()[0] or since_month
        after = list(range(since_month + 1, month_number(today) + 1))
        before = list(range(first, since_month))
        # From all time take away what came before since, or add up what came after.
        sign = -1 if len(before) < len(after) else 1
        if sign < 0:
            add_rows("map_cell", "month", [0], 1)
            add_rows("map_cell", "month", before, -1)
        else:
            add_rows("map_cell", "month", after, 1)
        if band in DAY_BANDS:
            # Its days before since (taken away), or its days from since on (added);
            # when the other side is shorter, the whole month and the other side.
            start = query.since.replace(day=1)
            end = (start + timedelta(days=31)).replace(day=1)
            days_before = [start + timedelta(days=i) for i in range((query.since - start).days)]
            days_from = [query.since + timedelta(days=i) for i in range((end - query.since).days)]
            if len(days_before) <= len(days_from):
                if sign > 0:
                    add_rows("map_cell", "month", [since_month], 1)
                add_rows("map_cell_day", "day", [d.isoformat() for d in days_before], -1)
            else:
                if sign < 0:
                    add_rows("map_cell", "month", [since_month], -1)
                add_rows("map_cell_day", "day", [d.isoformat() for d in days_from], 1)
        else:
            partial(db, query, query.since, band, (west, north, east, south), since_month,
                    sign, add)

    features = []
    for (cx, cy), (lat_sum, lon_sum, n, *by_what) in totals.items():
        count = round(sum(by_what))
        if count <= 0 or n <= 0:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(lon_sum / n, 6), round(lat_sum / n, 6)]},
            "properties": {"kind": "cell", "count": count,
                           **{w: round(v) for w, v in zip(WHAT, by_what, strict=True)},
                           "bounds": [round(v, 6) for v in cell_bounds(band, cx, cy)]},
        })
    return features


def partial(db: sqlite3.Connection, query: MapQuery, since: date, band: int,
            cells: tuple[int, int, int, int], since_month: int, sign: int,
            add: Callable[..., None]) -> None:
    """Count the month `since` falls in from its reports (after since, or before it)."""
    west, north, east, south = cells
    shift = FINEST_BAND - band
    w, _, _, n = cell_bounds(band, west, north)
    _, s, e, _ = cell_bounds(band, east, south)
    extra, params = filter_sql(query)
    compare = ">=" if sign > 0 else "<"
    by_what = ", ".join(f"sum(what = '{what}')" for what in WHAT)
    rows = db.execute(
        f"SELECT cx >> {shift}, cy >> {shift}, sum(latitude), sum(longitude), count(*), "  # noqa: S608
        f"{by_what} FROM map_report INDEXED BY map_report_recent "
        "WHERE month = ? AND latitude BETWEEN ? AND ? "
        f"AND longitude BETWEEN ? AND ? AND published_on {compare} ? {extra} GROUP BY 1, 2",
        (since_month, s, n, w, e, since.isoformat(), *params))
    for cx, cy, *values in rows:
        if west <= cx <= east and north <= cy <= south:
            # Taken away from all time (sign -1) or added to later months (+1).
            add(cx, cy, sign, *values)


def version(db: sqlite3.Connection) -> int:
    """A number that changes whenever anything on the map does (an ETag's base)."""
    return int(db.execute("SELECT version FROM map_state").fetchone()[0])
