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

import hashlib
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
# Each point square's digest of its rows, so the next build can tell which changed.
DIGESTS = f"{FOLDER}/z{POINT_LEVEL[0]}/digests.json"


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


def point_squares(db: sqlite3.Connection, file_zoom: int, before: dict[str, str]
                  ) -> Iterator[tuple[str, str, list[dict[str, Any]] | None]]:
    """One feature per public grid point, as the API's points, square by square: read in
    the squares' order, so only one square's points are in memory at a time.

    Yields (square, digest of its rows, features), or None for the features of a square
    whose rows have the digest `before` gives it: its file is the previous mirror's.
    """
    shift = FINEST_BAND + 1 - file_zoom  # map_report's cx, cy are band-15 cells
    rows_read = public_copy.located_by_square(db, shift)
    for (x, y), group in itertools.groupby(rows_read, key=lambda row: (row[0], row[1])):
        name, rows = f"{x}-{y}", list(group)  # tuples (public_copy.located_by_square)
        digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:32]
        if before.get(name) == digest:
            yield name, digest, None
            continue
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
                properties["reports"].append(
                    {k: v for k, v in zip(public_copy.POINT_FIELDS, values, strict=True)
                     if v is not None})
        yield name, digest, list(points.values())


def collection(level: int, features: list[dict[str, Any]]) -> bytes:
    return dumps({"type": "FeatureCollection",
                  "mode": "points" if level == POINT_LEVEL[0] else "cells",
                  "features": features,
                  "total": sum(f["properties"]["count"] for f in features)})


def files(db: sqlite3.Connection, before: dict[str, str] | None = None
          ) -> Iterator[tuple[str, bytes | None]]:
    """Every file of the map's data: (path in the mirror, bytes), one square at a time.

    The points are the bulk (a million reports: 260 MB, 20 s to make). Each point
    square's digest of its rows goes into DIGESTS; a square whose digest is the one
    `before` (the previous mirror's DIGESTS) gives is yielded with None instead of
    bytes: the previous mirror's file for it is still right.
    """
    for level, file_zoom in CELL_LEVELS:
        squares = cell_files(db, level, file_zoom)
        folder = f"{FOLDER}/z{level}"
        for name, features in squares.items():
            yield f"{folder}/{name}.geojson", collection(level, features)
        yield f"{folder}/index.json", dumps({"zoom": file_zoom, "files": sorted(squares)})
    level, file_zoom = POINT_LEVEL
    folder = f"{FOLDER}/z{level}"
    digests = {}
    for name, digest, points in point_squares(db, file_zoom, before or {}):
        digests[name] = digest
        yield f"{folder}/{name}.geojson", None if points is None else collection(level, points)
    yield f"{folder}/index.json", dumps({"zoom": file_zoom, "files": sorted(digests)})
    yield DIGESTS, dumps(digests)
