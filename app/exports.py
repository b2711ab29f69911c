"""Exports for organizers and partners, the stats page and the audit log.

Exports stream row by row, so a large one never sits in memory. Published
exports carry public fields only, with snapped locations; the full export is
for admins. Every cell that a spreadsheet could read as a formula is defused.
"""

import csv
import io
import json
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

from flask import Blueprint, current_app, render_template, request, stream_with_context
from werkzeug.wrappers import Response

from .db import get_db
from .geo import snap
from .organizers import admin_required
from .report_form import SPACES, WHAT
from .review import filtered, queue_filters

bp = Blueprint("exports", __name__, url_prefix="/<lang:lang>/organizers")

PUBLIC_COLUMNS = ["id", "space", "what", "device", "venue", "city", "observed_on",
                  "latitude", "longitude", "public_note"]
ALL_COLUMNS = ["id", "status", "submitted_on", "reviewed_on", "space", "what", "device",
               "venue", "city", "latitude", "longitude", "observed_on", "told_venue",
               "told_police", "response", "description", "public_fields", "public_note",
               "duplicate_of"]


def defuse(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def public_record(row) -> dict:
    """Only what the organizer chose to publish; the location on the grid."""
    chosen = set(json.loads(row["public_fields"] or "[]"))
    record = {"id": row["id"], "space": row["space"], "what": row["what"],
              "public_note": row["public_note"]}
    for field in ("device", "venue", "city", "observed_on"):
        record[field] = row[field] if field in chosen else None
    record["latitude"] = record["longitude"] = None
    if "location" in chosen and row["latitude"] is not None:
        record["latitude"], record["longitude"] = snap(
            row["latitude"], row["longitude"], current_app.config["LOCATION_GRID_METRES"])
    return record


def _csv(rows, columns) -> Response:
    def generate():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([defuse(row[c]) for c in columns])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv")


def _published_filters() -> dict:
    return {**queue_filters(), "status": "published"}


def _attachment(response: Response, name: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/export/published.csv")
def published_csv():
    """Published reports, public fields only, for partners."""
    rows = (public_record(r) for r in filtered(_published_filters(), "*"))
    return _attachment(_csv(rows, PUBLIC_COLUMNS), "spotcheck-published.csv")


@bp.get("/export/published.geojson")
def published_geojson():
    """Published reports with a public location, as GeoJSON points on the grid."""
    def generate():
        yield '{"type": "FeatureCollection", "features": ['
        first = True
        for row in filtered(_published_filters(), "*"):
            record = public_record(row)
            if record["latitude"] is None:
                continue
            properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
            feature = {"type": "Feature", "properties": properties, "geometry": {
                "type": "Point", "coordinates": [record["longitude"], record["latitude"]]}}
            yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
            first = False
        yield "]}"

    return _attachment(Response(stream_with_context(generate()),
                                mimetype="application/geo+json"),
                       "spotcheck-published.geojson")


@bp.get("/export/all.csv")
@admin_required
def all_csv():
    """Every report with every field (never the photo) for admins."""
    filters = queue_filters()
    # With no status asked for, every status, one after the other.
    statuses = [filters["status"]] if request.args.get("status") else ["received", "published",
                                                                       "rejected"]

    def rows():
        for status in statuses:
            yield from filtered({**filters, "status": status}, "*")

    return _attachment(_csv(rows(), ALL_COLUMNS), "spotcheck-all-reports.csv")


# -- stats ---------------------------------------------------------------------

SPACE_COLOURS = {"restroom": "#3d1f5c", "fitting-room": "#8c1d18", "hotel-room": "#1d5c8c",
                 "changing-room": "#2e7d32", "medical-room": "#b26a00", "transport": "#5c5c5c",
                 "other": "#9e8fb2"}
WEEKS = 12


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@bp.get("/stats")
def stats():
    """Reports per week by space, found against suspected, and time to review."""
    db = get_db()
    this_week = week_start(date.today())
    weeks = [this_week - timedelta(weeks=i) for i in range(WEEKS - 1, -1, -1)]
    per_week: dict[date, Counter] = defaultdict(Counter)
    for row in db.execute("SELECT submitted_on, space, count(*) AS n FROM report "
                          "WHERE submitted_on >= ? GROUP BY submitted_on, space",
                          (weeks[0].isoformat(),)):
        per_week[week_start(date.fromisoformat(row["submitted_on"]))][row["space"]] += row["n"]
    what = dict(db.execute("SELECT what, count(*) FROM report GROUP BY what").fetchall())
    waits = [row[0] for row in db.execute(
        "SELECT julianday(reviewed_on) - julianday(submitted_on) FROM report "
        "WHERE reviewed_on IS NOT NULL")]
    tallest = max([sum(per_week[w].values()) for w in weeks] + [1])
    bars = []
    for index, week in enumerate(weeks):
        y = 0.0
        for space in SPACES:
            count = per_week[week][space]
            if count:
                height = count / tallest * 160
                bars.append({"x": 40 + index * 30, "y": 180 - y - height, "height": height,
                             "colour": SPACE_COLOURS[space], "space": space, "count": count,
                             "week": week})
                y += height
    return render_template("review/stats.html", bars=bars, weeks=weeks,
                  tallest=tallest, colours=SPACE_COLOURS, spaces=SPACES,
                  what={k: what.get(k, 0) for k in WHAT}, what_labels=WHAT,
                  what_max=max(list(what.values()) + [1]),
                  median_days=statistics.median(waits) if waits else None,
                  reviewed=len(waits), total=sum(what.values()))


# -- audit log -----------------------------------------------------------------

@bp.get("/audit")
@admin_required
def audit_log():
    """Every organizer action, newest first (admins only; nobody can edit it)."""
    before = request.args.get("before", type=int)
    rows = get_db().execute(
        "SELECT a.id, a.at, a.action, a.report_id, a.detail, o.username FROM audit_log a "
        "JOIN organizer o ON o.id = a.organizer_id WHERE (? IS NULL OR a.id < ?) "
        "ORDER BY a.id DESC LIMIT 101", (before, before)).fetchall()
    return render_template("review/audit.html", entries=rows[:100],
                  more=rows[99]["id"] if len(rows) > 100 else None)

