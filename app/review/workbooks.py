"""The exports as XLSX, beside the CSVs: the same rows, read the same way (views.py),
made into a workbook by xlsx.py. The full one is on the record like its CSV."""

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..organizers.guard import admin_required
from . import exports, exports_bp, xlsx
from .views import every_report, published_records


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
