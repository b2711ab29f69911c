"""The map's data for a mirror: static GeoJSON files a phone reads instead of the API.

A static host answers no questions, so the answers are written out in advance
for fixed zoom levels, each cut into squares (Web Mercator tiles of a coarser
zoom, so a phone's screen needs one to four files):

    data/reports/z{level}/index.json     the squares that hold anything: ["x-y", ...]
    data/reports/z{level}/{x}-{y}.geojson   features as GET /api/v1/reports gives them

Levels 2 to 12 hold counted cells (of band level + 1, 128 px at that zoom),
read from `map_cell` as the API does; level 14 holds the points of the public
grid with their newest few reports, read from `map_report`, for zoom 14 and
closer. The map page says where they are and which levels exist
(`data-static`, static/js/map.js). Everything published is shown: the
mirror's map has no filters (each choice would be another copy of the data).
"""

import itertools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..map import public_copy
from ..map.grid import FINEST_BAND
from ..map.query import REPORTS_PER_POINT
from ..vocab import WHAT

# (level, zoom of the squares its files cover); cells of band level + 1.
CELL_LEVELS = ((2, 0), (4, 1), (6, 3), (8, 5), (10, 7), (12, 9))
POINT_LEVEL = (14, 11)
LEVELS = (*CELL_LEVELS, POINT_LEVEL)
FOLDER = "data/reports"


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def settings(root: str) -> dict[str, Any]:
    """What map.js reads from the map page (data-static): where the files are, and the levels."""
    return {"root": f"{root}{FOLDER}/", "levels": [list(level) for level in LEVELS]}


def cell_files(db: sqlite3.Connection, level: int, file_zoom: int
               ) -> dict[str, list[dict[str, Any]]]:
    """Counted cells of band level + 1, by the square holding them."""
    from ..map.grid import cell_bounds

    band = min(level + 1, FINEST_BAND)
    shift = band + 1 - file_zoom  # a cell is a tile at zoom band + 1
    rows = public_copy.cell_counts(db, band)
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cx, cy, n, lat_sum, lon_sum, *counts in rows:
        files[f"{cx >> shift}-{cy >> shift}"].append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(lon_sum / n, 6), round(lat_sum / n, 6)]},
            "properties": {"kind": "cell", "count": sum(counts),
                           **dict(zip(WHAT, counts, strict=True)),
                           "bounds": [round(v, 6) for v in cell_bounds(band, cx, cy)]},
        })
    return files


def point_squares(db: sqlite3.Connection, file_zoom: int
                  ) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """One feature per public grid point, as the API's points, square by square: read in
    the squares' order, so only one square's points are in memory at a time."""
    shift = FINEST_BAND + 1 - file_zoom  # map_report's cx, cy are band-15 cells
    fields = public_copy.POINT_FIELDS
    db_rows = public_copy.located_by_square(db, shift)
    for (x, y), rows in itertools.groupby(db_rows, key=lambda row: (row[0], row[1])):
        points: dict[tuple[float, float], dict[str, Any]] = {}
        for _, _, lat, lon, *values in rows:
            feature = points.get((lat, lon))
            if feature is None:
                feature = points[(lat, lon)] = {
                    "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"kind": "point", "count": 0, **dict.fromkeys(WHAT, 0),
                                   "reports": []}}
            properties = feature["properties"]
            properties["count"] += 1
            properties[values[1]] += 1
            if len(properties["reports"]) < REPORTS_PER_POINT:
                properties["reports"].append({k: v for k, v in zip(fields, values, strict=True)
                                              if v is not None})
        yield f"{x}-{y}", list(points.values())


def files(db: sqlite3.Connection) -> Iterator[tuple[str, bytes]]:
    """Every file of the map's data: (path in the mirror, bytes), one square at a time."""
    for level, file_zoom in LEVELS:
        squares = (point_squares(db, file_zoom) if (level, file_zoom) == POINT_LEVEL
                   else iter(cell_files(db, level, file_zoom).items()))
        folder = f"{FOLDER}/z{level}"
        names = []
        for name, features in squares:
            names.append(name)
            yield f"{folder}/{name}.geojson", dumps({
                "type": "FeatureCollection", "mode": "points" if level == POINT_LEVEL[0]
                else "cells", "features": features,
                "total": sum(f["properties"]["count"] for f in features)})
        yield f"{folder}/index.json", dumps({"zoom": file_zoom, "files": sorted(names)})
