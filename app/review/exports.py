"""Exports for organizers and partners, streamed row by row.

Published exports read the public copy the map shows (`map_report`), so
what is public is decided in one place (map/publish.py) and an export can
never carry more than the map does. The full export is for admins. Every cell
a spreadsheet could read as a formula is defused.
"""

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping

from ..db import get_db

PUBLIC_COLUMNS = ["id", "space", "what", "device", "venue", "city", "observed_on",
                  "latitude", "longitude", "public_note"]
ALL_COLUMNS = ["id", "status", "submitted_on", "reviewed_on", "space", "what", "device",
               "venue", "city", "latitude", "longitude", "observed_on", "told_venue",
               "told_police", "response", "description", "public_fields", "public_note",
               "duplicate_of"]


def defuse(value) -> str:
    """A cell a spreadsheet will never run as a formula.

    Only text is defused: -33.87 (south, or west) must stay a number a
    spreadsheet reads as one, and a finite int or float written out is a
    number (digits, sign, point, exponent) and nothing else; "-inf" is text.
    """
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def published(space: str = "", city: str = "") -> Iterator[dict]:
    """Published reports as the public sees them, newest first.

    The city filter matches only where the city itself was made public.
    """
    sql, params = "SELECT * FROM map_report WHERE 1 = 1", []
    if space:
        sql += " AND space = ?"
        params.append(space)
    if city:
        sql += " AND city = ? COLLATE NOCASE"
        params.append(city)
    for row in get_db().execute(sql + " ORDER BY report_id DESC", params):
        yield {"id": row["report_id"], "space": row["space"], "what": row["what"],
               "device": row["device"], "venue": row["venue"], "city": row["city"],
               "observed_on": row["observed_on"], "latitude": row["latitude"],
               "longitude": row["longitude"], "public_note": row["note"]}


def csv_lines(rows: Iterable[Mapping], columns: list[str]) -> Iterator[str]:
    """A header line, then one line per row, each cell defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([defuse(row[c]) for c in columns])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def geojson_parts(records: Iterable[dict]) -> Iterator[str]:
    """A FeatureCollection of the records that have a public location, in pieces."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in records:
        if record["latitude"] is None:
            continue
        properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
        feature = {"type": "Feature", "properties": properties, "geometry": {
            "type": "Point", "coordinates": [record["longitude"], record["latitude"]]}}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"
