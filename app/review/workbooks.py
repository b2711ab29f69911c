"""The exports' views: CSV and GeoJSON (exports.py), and XLSX beside the CSVs, the same
rows read the same way, made into a workbook by xlsx.py. The full ones are on the record.

Each reads the queue's filters with the queue's own code (reading.QueueFilters), so
what an organizer filtered is what she exports, and a value not understood is no filter.
"""

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from flask import request, stream_with_context
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..organizers import audit
from ..organizers.guard import admin_required, current_organizer
from ..vocab import STATUSES
from . import exports, exports_bp, reading, xlsx
from .views import queue_filters


def download(parts: Iterator[str], mimetype: str, name: str) -> Response:
    # Streamed row by row; the request context stays open for the database.
    response = Response(stream_with_context(parts), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def published_records() -> Iterator[dict[str, Any]]:
    """The published reports the queue's filters ask for (read as the queue reads them:
    a value not understood is no filter), as the exports of published reports carry them."""
    filters = queue_filters("published")
    waiting = reading.with_response_waiting() if filters.pending else None
    return exports.published(filters.space, filters.city, filters.level, waiting)


@exports_bp.get("/export/published.csv")
def published_csv() -> Response:
    """Published reports, public fields only, for partners."""
    return download(exports.csv_lines(published_records(), exports.PUBLIC_COLUMNS),
                    "text/csv", "spotcheck-published.csv")


@exports_bp.get("/export/published.geojson")
def published_geojson() -> Response:
    """Published reports with a public location, as GeoJSON points on the grid."""
    return download(exports.geojson_parts(published_records()), "application/geo+json",
                    "spotcheck-published.geojson")


@exports_bp.get("/export/all.csv")
@admin_required
def all_csv() -> Response:
    """Every report with every field (never the photo) for admins."""
    return download(exports.csv_lines(every_report(), exports.ALL_COLUMNS), "text/csv",
                    "spotcheck-all-reports.csv")


def every_report() -> Iterator[sqlite3.Row]:
    """Every report with the statuses and place asked for, on the record as it is read."""
    # With no status asked for, every status, one after the other; with a level or a
    # response waiting, published reports only, as in the queue (reading.QueueFilters).
    statuses = [request.args["status"]] if request.args.get("status") in STATUSES else list(
        STATUSES)
    if (published := queue_filters("published")).level or published.pending:
        statuses = ["published"]
    filters = [queue_filters(status) for status in statuses]
    # Every field of every report leaves the site: on the record, with its filters
    # (audit_words.py reads them back in the organizer's language).
    asked = ["/".join(statuses), f"level={published.level}" if published.level else "",
             "pending=1" if published.pending else "", filters[0].space, filters[0].city]
    audit.record_now(current_organizer().id, "export all reports",
                     detail=" ".join(filter(None, asked)))

    def rows() -> Iterator[sqlite3.Row]:
        for each in filters:
            yield from reading.every_field(each)

    return rows()



def workbook(rows: Iterable[Any], columns: list[exports.Column], title: str, name: str
             ) -> Response:
    response = Response(xlsx.workbook(rows, columns, title), mimetype=xlsx.MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@exports_bp.get("/export/published.xlsx")
def published_xlsx() -> Response:
    """Published reports, public fields only: the published CSV as a workbook."""
    # Translators: the name of a spreadsheet's sheet of published reports (31 characters
    # at most).
    return workbook(published_records(), exports.PUBLIC_COLUMNS, _("Published reports"),
                    "spotcheck-published.xlsx")


@exports_bp.get("/export/all.xlsx")
@admin_required
def all_xlsx() -> Response:
    """Every report with every field (never the photo), for admins: the full CSV as a
    workbook."""
    # Translators: the name of a spreadsheet's sheet of every report (31 characters at most).
    return workbook(every_report(), exports.ALL_COLUMNS, _("All reports"),
                    "spotcheck-all-reports.xlsx")
