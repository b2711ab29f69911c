"""Questions to the public map, and their answers: the API and the list view.

Everything here reads only the public copy (`map_state`, `map_report`,
`map_cell`), never the report table.

`parse` checks every parameter and says exactly what is wrong with the first
bad one. `answer` decides between points and cells from the size of the box:
points only when the box holds at most MAX_FEATURES cells of the public grid,
otherwise the finest band with at most MAX_FEATURES cells in the box. So no
answer can carry more than MAX_FEATURES features, whatever is in the database.
"""

import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..vocab import EARLIEST, SPACES, WHAT
from .grid import BANDS, FINEST_BAND, METRES_PER_DEGREE, cell_bounds, cell_of, month_number
from .publish import COUNT_COLUMNS, PUBLIC_FIELDS

MAX_FEATURES = 500
MAX_ZOOM = 20
REPORTS_PER_POINT = 3  # the newest few, enough for a popup on a phone; the count says the rest
PARAMETERS = ("bbox", "zoom", "space", "what", "since")
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


class BadParameter(ValueError):
    def __init__(self, parameter: str, message: LazyString):
        super().__init__(parameter)
        self.parameter, self.message = parameter, message


def parse_filters(args: MultiDict, today: date) -> dict:
    """space, what and since, shared by the API and the list view."""
    filters = {"space": None, "what": None, "since": None}
    # Given but empty is wrong too: the description (openapi.json) offers no empty choice.
    for name, choices in (("space", SPACES), ("what", WHAT)):
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
        if since is None or len(value) != 10 or not EARLIEST <= since <= today:
            raise BadParameter("since", _l("since must be a date like 2026-03-08, not in the "
                                           "future."))
        filters["since"] = since
    return filters


def decimal(text: str) -> float:
    """A number written as JSON writes one (map.js sends toFixed(5)), else ValueError.

    float() alone would also take " 1", "1_0", "+1" and "١", which the description
    of the API does not promise.
    """
    if not DECIMAL.fullmatch(text):
        raise ValueError(text)
    return float(text)


def parse(args: MultiDict, today: date) -> MapQuery:
    """A MapQuery from the API's query string, or BadParameter."""
    for name in args:
        if name not in PARAMETERS:
            raise BadParameter(name, _l("Unknown parameter %(name)s. This API takes: "
                                        "%(names)s.", name=name, names=", ".join(PARAMETERS)))
        if len(args.getlist(name)) > 1:
            raise BadParameter(name, _l("Give %(name)s only once.", name=name))
    bbox_error = _l("bbox must be west,south,east,north in degrees, with west < east "
                    "(from -180 to 180) and south < north (from -90 to 90).")
    try:
        west, south, east, north = (decimal(v) for v in args.get("bbox", "").split(","))
    except ValueError:
        raise BadParameter("bbox", bbox_error) from None
    if not (all(math.isfinite(v) for v in (west, south, east, north))
            and -180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadParameter("bbox", bbox_error)
    zoom = args.get("zoom", "")
    if not (zoom.isascii() and zoom.isdigit() and int(zoom) <= MAX_ZOOM):
        raise BadParameter("zoom", _l("zoom must be a whole number from 0 to %(max)s.",
                                      max=MAX_ZOOM))
    return MapQuery(west, south, east, north, int(zoom), **parse_filters(args, today))


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


def band_for(query: MapQuery) -> int:
    """The finest band at or below the zoom whose cells in the box are few enough."""
    for band in range(min(query.zoom, FINEST_BAND), -1, -1):
        west, north, east, south = cell_range(query, band)
        if (east - west + 1) * (south - north + 1) <= MAX_FEATURES:
            return band
    return BANDS[0]


def counted(space: str | None, what: str | None) -> dict[str, str]:
    """For each kind of event, the sum of count columns the filters keep."""
    return {
        w: " + ".join(col for (s, ww), col in COUNT_COLUMNS.items()
                      if ww == w and space in (None, s)) if what in (None, w) else "0"
        for w in WHAT
    }


def filter_sql(query, table_prefix: str = "") -> tuple[str, list]:
    sql, params = "", []
    for name in ("space", "what"):
        if value := getattr(query, name):
            sql += f" AND {table_prefix}{name} = ?"
            params.append(value)
    return sql, params


def answer(db: sqlite3.Connection, query: MapQuery, grid_metres: int, today: date) -> dict:
    """The GeoJSON FeatureCollection for one question."""
    if grid_cells_in(query, grid_metres) <= MAX_FEATURES:
        features = points(db, query)
        mode = "points"
    else:
        features = cells(db, query, band_for(query), today)
        mode = "cells"
    return {"type": "FeatureCollection", "mode": mode, "features": features,
            "total": sum(f["properties"]["count"] for f in features)}


def points(db: sqlite3.Connection, query: MapQuery) -> list[dict]:
    """One feature per public grid point, with its count and newest reports."""
    extra, params = filter_sql(query)
    if query.since:
        extra += " AND published_on >= ?"
        params.append(query.since.isoformat())
    rows = db.execute(
        "SELECT latitude, longitude, space, what, device, venue, city, observed_on, note, "  # noqa: S608
        "published_on FROM map_report WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? "
        f"AND ? {extra} ORDER BY published_on DESC, report_id DESC",
        (query.south, query.north, query.west, query.east, *params))
    found: dict[tuple[float, float], dict] = {}
    for row in rows:
        key = (row["latitude"], row["longitude"])
        if key not in found:
            found[key] = {"type": "Feature",
                          "geometry": {"type": "Point", "coordinates": [key[1], key[0]]},
                          "properties": {"kind": "point", "count": 0, **dict.fromkeys(WHAT, 0),
                                         "reports": []}}
        properties = found[key]["properties"]
        properties["count"] += 1
        properties[row["what"]] += 1
        if len(properties["reports"]) < REPORTS_PER_POINT:
            properties["reports"].append(
                {k: row[k] for k in ("space", "what", *PUBLIC_FIELDS, "note", "published_on")
                 if row[k] is not None})
    return list(found.values())


def cells(db: sqlite3.Connection, query: MapQuery, band: int, today: date) -> list[dict]:
    """One feature per cell of the band with published reports in it.

    Without `since` each cell is one row (month 0: all time). With it, whole
    months come from their rows, added after `since` or taken from all time
    before it (whichever reads fewer), and the month `since` falls in is
    counted from the reports themselves, so the count is exact to the day.
    """
    west, north, east, south = cell_range(query, band)
    sums = counted(query.space, query.what)
    totals: dict[tuple[int, int], list[float]] = {}

    def add(cx: int, cy: int, sign: int, lat: float, lon: float, n: int, *by_what: int):
        total = totals.setdefault((cx, cy), [0.0, 0.0, 0, *([0] * len(WHAT))])
        for i, value in enumerate((lat, lon, n, *by_what)):
            total[i] += sign * value

    # Which month rows to add (+1) or take away (-1).
    plan: list[tuple[list[int], int]] = [([0], 1)]
    if query.since is not None:
        since_month = month_number(query.since)
        # The first month with a located report: the primary key's first row.
        first = db.execute("SELECT min(month) FROM map_cell WHERE band = 0 AND month > 0"
                           ).fetchone()[0] or since_month
        after = list(range(since_month + 1, month_number(today) + 1))
        before = list(range(first, since_month))
        plan = [([0], 1), (before, -1)] if len(before) < len(after) else [(after, 1)]
        partial(db, query, band, (west, north, east, south), since_month, plan[-1][1], add)
    for months, sign in plan:
        if not months:
            continue
        marks = ", ".join("?" * len(months))
        rows = db.execute(
            f"SELECT cx, cy, sum(latitude_sum), sum(longitude_sum), sum(n), "  # noqa: S608
            f"{', '.join(f'sum({sums[w]})' for w in WHAT)} FROM map_cell WHERE band = ? "
            f"AND month IN ({marks}) AND cy BETWEEN ? AND ? AND cx BETWEEN ? AND ? "
            "GROUP BY cy, cx", (band, *months, north, south, west, east))
        for cx, cy, *values in rows:
            add(cx, cy, sign, *values)

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


def partial(db, query: MapQuery, band: int, cells: tuple, since_month: int, sign: int, add):
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
        f"{by_what} FROM map_report WHERE month = ? AND latitude BETWEEN ? AND ? "
        f"AND longitude BETWEEN ? AND ? AND published_on {compare} ? {extra} GROUP BY 1, 2",
        (since_month, s, n, w, e, query.since.isoformat(), *params))
    for cx, cy, *values in rows:
        if west <= cx <= east and north <= cy <= south:
            # Taken away from all time (sign -1) or added to later months (+1).
            add(cx, cy, sign, *values)


def version(db: sqlite3.Connection) -> int:
    """A number that changes whenever anything on the map does (an ETag's base)."""
    return db.execute("SELECT version FROM map_state").fetchone()[0]


LIST_PAGE_SIZE = 50


def list_page(db: sqlite3.Connection, filters: dict, page: int, today: date) -> list:
    """One page of published reports, by city then venue, and one more row if there is more.

    `filters` holds space, what and within (days), each "" when not chosen.
    """
    sql = "SELECT * FROM map_report WHERE 1 = 1"
    params: list = []
    for name in ("space", "what"):
        if filters[name]:
            sql += f" AND {name} = ?"
            params.append(filters[name])
    if filters["within"]:
        sql += " AND published_on >= ?"
        params.append((today - timedelta(days=int(filters["within"]))).isoformat())
    sql += (" ORDER BY city IS NULL, city COLLATE NOCASE, venue IS NULL, venue COLLATE NOCASE,"
            f" report_id LIMIT {LIST_PAGE_SIZE + 1} OFFSET {(page - 1) * LIST_PAGE_SIZE}")
    return db.execute(sql, params).fetchall()
