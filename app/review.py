"""The review queue: organizers read reports and decide what becomes public.

Actions (publish, reject, ask, mark duplicate) work as plain forms and, with
htmx, in place. Each carries the report's version: when two organizers act on
the same report, the second one is told instead of silently overwriting.
"""

import json
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_file, url_for
from flask_babel import lazy_gettext as _l

from . import pii, public_map, report_store
from .auth import today
from .db import get_db, transaction
from .htmx import render
from .organizers import audit
from .report_form import DEVICE_CHOICES, SPACES, WHAT

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/organizers")

PAGE_SIZE = 50
# Fields an organizer may make public; space and what happened always are.
# The description, the answers and the photo never are (DESIGN.md promise 6).
PUBLISHABLE = {
    "device": _l("Kind of device"),
    "venue": _l("Name of the place"),
    "city": _l("City and district"),
    "observed_on": _l("Date seen"),
    "location": _l("Approximate location (on the public grid)"),
}
STATUSES = {"received": _l("Waiting for review"), "published": _l("Published"),
            "rejected": _l("Not published")}


def queue_filters() -> dict:
    args = request.args
    return {
        "status": args.get("status") if args.get("status") in STATUSES else "received",
        "space": args.get("space") if args.get("space") in SPACES else "",
        "city": (args.get("city") or "").strip()[:120],
    }


def filtered(filters: dict, columns: str, before: int | None = None, limit: int | None = None):
    """Reports matching the filters, newest first (an index walk, fast at 100,000)."""
    sql = f"SELECT {columns} FROM report WHERE status = ?"  # noqa: S608 (columns are ours)
    params: list = [filters["status"]]
    if filters["space"]:
        sql += " AND space = ?"
        params.append(filters["space"])
    if filters["city"]:
        sql += " AND city = ? COLLATE NOCASE"
        params.append(filters["city"])
    if before:
        sql += " AND id < ?"
        params.append(before)
    sql += " ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return get_db().execute(sql, params)


@bp.get("/")
def queue():
    """Reports waiting for review, newest first, with filters."""
    filters = queue_filters()
    before = request.args.get("before", type=int)
    reports = filtered(filters, "id, submitted_on, space, what, device, venue, city, status, "
                       "photo IS NOT NULL AS has_photo", before, PAGE_SIZE + 1).fetchall()
    more = len(reports) > PAGE_SIZE
    reports = reports[:PAGE_SIZE]
    next_page = url_for("review.queue", **filters, before=reports[-1]["id"]) if more else None
    return render("review/queue.html", "review/_rows.html", reports=reports, filters=filters,
                  next_page=next_page, spaces=SPACES, statuses=STATUSES, what=WHAT,
                  devices=DEVICE_CHOICES)


def load_report(report_id: int):
    row = get_db().execute("SELECT * FROM report WHERE id = ?", (report_id,)).fetchone()
    if row is None:
        abort(404)
    return row


def card(report_id: int, notice=None, status: int = 200):
    report = load_report(report_id)
    messages = report_store.messages(report_id)
    warnings = pii.findings(report["description"], report["response"], report["venue"],
                            report["city"], *(m["body"] for m in messages))
    public = set(json.loads(report["public_fields"] or "[]"))
    return render("review/report.html", "review/_card.html", status=status, report=report,
                  messages=messages, warnings=warnings, notice=notice, public=public,
                  publishable=PUBLISHABLE, spaces=SPACES, what=WHAT, devices=DEVICE_CHOICES,
                  statuses=STATUSES)


@bp.get("/reports/<int:report_id>")
def report(report_id: int):
    """One report with everything the reporter sent, and the actions."""
    return card(report_id)


CONFLICT = _l("Another organizer changed this report while you had it open. This is how it "
              "is now; what you just did was not saved.")


def act(report_id: int, action: str, sql: str, params: tuple, detail: str | None = None,
        done=None):
    """Apply one action if the report is still the version the organizer saw."""
    version = request.form.get("version", type=int)
    db = get_db()
    with transaction(db):
        cursor = db.execute(
            f"UPDATE report SET {sql}, version = version + 1 WHERE id = ? AND version = ?",  # noqa: S608
            (*params, report_id, version))
        if cursor.rowcount == 1:
            audit(db, action, report_id, detail)
            public_map.sync(db, report_id)  # in the same transaction: never half done
    if cursor.rowcount != 1:
        load_report(report_id)  # 404 if it is gone
        return card(report_id, notice=CONFLICT, status=409)
    return card(report_id, notice=done)


@bp.post("/reports/<int:report_id>/publish")
def publish(report_id: int):
    """Make the report public with the fields chosen here and an organizer's note."""
    fields = [f for f in request.form.getlist("public") if f in PUBLISHABLE]
    note = (request.form.get("public_note") or "").strip()[:500] or None
    return act(report_id, "publish",
               "status = 'published', public_fields = ?, public_note = ?, reviewed_on = ?",
               (json.dumps(sorted(fields)), note, today()), ", ".join(sorted(fields)),
               _l("Published."))


@bp.post("/reports/<int:report_id>/reject")
def reject(report_id: int):
    """Keep the report private (it is deleted after the retention period)."""
    return act(report_id, "reject",
               "status = 'rejected', public_fields = NULL, public_note = NULL, reviewed_on = ?",
               (today(),), done=_l("Not published."))


@bp.post("/reports/<int:report_id>/duplicate")
def duplicate(report_id: int):
    """Mark as a duplicate of another report: not published on its own."""
    original = request.form.get("original", type=int)
    if not original or original == report_id or get_db().execute(
            "SELECT 1 FROM report WHERE id = ?", (original,)).fetchone() is None:
        return card(report_id, notice=_l("Give the number of another existing report."),
                    status=400)
    return act(report_id, "duplicate",
               "status = 'rejected', duplicate_of = ?, public_fields = NULL, reviewed_on = ?",
               (original, today()), f"of #{original}", _l("Marked as a duplicate."))


@bp.post("/reports/<int:report_id>/ask")
def ask(report_id: int):
    """Ask the reporter a question; she sees it on her receipt's status page."""
    question = (request.form.get("question") or "").strip()
    if not question or len(question) > 2000:
        return card(report_id, notice=_l("Write a question of up to 2000 characters."),
                    status=400)
    load_report(report_id)
    db = get_db()
    with transaction(db):
        db.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                   "VALUES (?, 'organizer', ?, ?)", (report_id, question, today()))
        db.execute("UPDATE report SET version = version + 1 WHERE id = ?", (report_id,))
        audit(db, "ask", report_id)
    return card(report_id, notice=_l("Question sent. The reporter sees it when she checks "
                                     "her receipt."))


@bp.get("/reports/<int:report_id>/photo")
def photo(report_id: int):
    """The report's photo, for signed-in organizers only, never cached."""
    name = load_report(report_id)["photo"]
    if not name:
        abort(404)
    path = Path(current_app.instance_path) / "photos" / name
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=0, conditional=False, etag=False)
    response.headers["Cache-Control"] = "no-store"
    return response
