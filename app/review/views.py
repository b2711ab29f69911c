"""The review queue, one report's card and its actions, exports, statistics, the audit log.

Actions (publish, reject, ask, mark duplicate) work as plain forms and, with
htmx, in place; they carry the report's version, and actions.py refuses a
stale one. Publishing or not can also open the next report waiting, so a
review is one motion. These views parse forms, call actions.py or the
readers, and render.
"""

import json
import sqlite3
from dataclasses import replace
from typing import Any

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..db import get_db
from ..map.tiles import tile_host, tile_source
from ..organizers import audit
from ..organizers.guard import admin_required, current_organizer
from ..reports import photos
from ..reports.lifecycle import Outcome
from ..reports.retention import private_parts
from ..reports.store import messages
from ..vocab import DEVICE_CHOICES, LEVEL_MEANINGS, LEVELS, SPACES, STATUSES, WHAT, today
from ..web.converters import positive_int
from ..web.htmx import is_fragment_request, render
from ..web.policy import PagePolicy, add_policy, origin_of
from . import actions, audit_words, bp, exports_bp, pii, reading
from .actions import PUBLISHABLE
from .stats import summary

PAGE_SIZE = 50
CONFLICT = _l("Another organizer changed this report while you had it open. This is how it "
              "is now; what you just did was not saved.")


def queue_filters(status: str | None = None) -> reading.QueueFilters:
    return reading.QueueFilters.asked(request.args, status)


@bp.get("/")
def queue() -> Response:
    """Reports waiting for review, newest first, with filters."""
    return queue_page()


def queue_page(notices: list[str] | None = None, status: int = 200) -> Response:
    """The queue; `notices`: what became of a bulk action (review/bulk.py)."""
    filters = queue_filters()
    before = request.args.get("before", type=positive_int)
    # Reports held during a flood wait apart (held()), never in the queue.
    reports, more = reading.page(replace(filters, held=False), before, PAGE_SIZE)
    next_page = url_for("review.queue", **filters.as_args(), before=more) if more else None
    return render("review/queue.html", "review/_rows.html", status=status, reports=reports,
                  filters=vars(filters), filter_args=filters.as_args(), next_page=next_page,
                  export_args=filters.published_args(),
                  spaces=SPACES, statuses=STATUSES, what=WHAT, devices=DEVICE_CHOICES,
                  held_count=reading.held_count(), notices=notices or [],
                  publishable=PUBLISHABLE, levels=LEVELS, level_meanings=LEVEL_MEANINGS)


# -- reports held during a flood ----------------------------------------------------

TRIAGE_MOST = 500  # report numbers one triage may name (a page holds PAGE_SIZE)


@bp.get("/held")
def held() -> Response:
    """Reports sent without a proof of work while the site was flooded (reports/proof.py).

    They are stored and the reporter has her receipt, but they wait here, apart
    from the queue, until an organizer moves them into it or discards them.
    """
    return held_page()


def held_page(notice: str | LazyString | None = None, status: int = 200) -> Response:
    filters = replace(queue_filters("received"), held=True)
    before = request.args.get("before", type=positive_int)
    reports, more = reading.page(filters, before, PAGE_SIZE)
    next_page = url_for("review.held", space=filters.space or None, city=filters.city or None,
                        before=more) if more else None
    return render("review/held.html", "review/_held_rows.html", status=status,
                  reports=reports, filters=vars(filters), next_page=next_page, spaces=SPACES,
                  what=WHAT, devices=DEVICE_CHOICES, notice=notice,
                  held_count=reading.held_count())


@bp.post("/held")
def triage() -> Response:
    """Move the reports ticked (or every one on the page) into the queue, or discard them.

    A discarded report is not published, as a rejection: it stays private and
    goes at the purge. From a held report's own card (`back=card`), the card again.
    """
    chosen = request.form.getlist("report", type=positive_int)
    if request.form.get("whole_page"):
        chosen = request.form.getlist("shown", type=positive_int)
    chosen = [number for number in chosen if number][:TRIAGE_MOST]
    action = request.form.get("action")
    back_to_card = request.form.get("back") == "card" and len(chosen) == 1
    if action not in ("accept", "discard") or not chosen:
        notice = _l("Tick at least one report, then choose what to do with them. "
                    "Nothing was changed.")
        return card(chosen[0], notice, 400) if back_to_card else held_page(notice, 400)
    if action == "accept":
        done = actions.accept_held(current_organizer().id, chosen)
        notice = _l("Moved into the review queue: %(count)s.", count=len(done))
    else:
        done = actions.discard_held(current_organizer().id, chosen)
        notice = _l("Discarded, not published: %(count)s.", count=len(done))
    if back_to_card:
        return card(chosen[0], notice)
    return held_page(notice)


def load_report(report_id: int) -> sqlite3.Row:
    row = reading.report(report_id)
    if row is None:
        abort(404)
    return row


def small_map(report: sqlite3.Row) -> dict[str, Any] | None:
    """What static/js/review-map.js needs to show where the report is, or None.

    The public map's own tiles and settings (app/map/tiles.py):
    no other tile host. The page may load them, but review-map.js asks first,
    since the tile host learns her address and the area she looks at.
    """
    if report["latitude"] is None:
        return None
    add_policy(PagePolicy(image_origin=origin_of(current_app.config["MAP_TILE_URL"])))
    return {**tile_source(), "point": [report["latitude"], report["longitude"]]}


def unmapped(report: sqlite3.Row, public: set[str]) -> LazyString | None:
    """What the card says of a report the public map cannot show, or None if it can.

    Published, it is on the map only with a location made public; the list on
    the map page shows it either way.
    """
    if report["latitude"] is None:
        if report["status"] == "published":
            return _l("No location: listed, not shown on the map.")
        return _l("No location: will be listed, not shown on the map.")
    if report["status"] == "published" and "location" not in public:
        return _l("Location not public: listed, not shown on the map.")
    return None


def card(report_id: int, notice: str | LazyString | None = None, status: int = 200
         ) -> Response:
    report = load_report(report_id)
    conversation = messages(report_id)
    warnings = pii.findings(report["description"], report["response"], report["venue"],
                            report["city"], *(m["body"] for m in conversation))
    public = set(json.loads(report["public_fields"] or "[]"))
    return render("review/report.html", "review/_card.html", status=status, report=report,
                  messages=conversation, warnings=warnings, notice=notice, public=public,
                  publishable=PUBLISHABLE, spaces=SPACES, what=WHAT, devices=DEVICE_CHOICES,
                  statuses=STATUSES, levels=LEVELS, level_meanings=LEVEL_MEANINGS,
                  private=private_parts(
                      report, current_app.config["PRIVATE_RETENTION_DAYS"]),
                  small_map=small_map(report), tile_host=tile_host(),
                  unmapped=unmapped(report, public), suggestions=reading.likely_duplicates(
                      report, current_app.config["LOCATION_GRID_METRES"]))


def outcome_card(report_id: int, outcome: Outcome, done: LazyString) -> Response:
    if outcome is Outcome.MISSING:
        abort(404)
    if outcome is Outcome.CONFLICT:
        return card(report_id, notice=CONFLICT, status=409)
    return card(report_id, notice=done)


@bp.get("/reports/<int:report_id>")
def report(report_id: int) -> Response:
    """One report with everything the reporter sent, and the actions.

    `?after=N`: she came here from deciding on report N; say what became of it.
    Opening a card shows a reporter's words and place: logged, like a photo view.
    """
    response = card(report_id,
                    notice=reviewed_notice(request.args.get("after", type=positive_int)))
    audit.record_now(current_organizer().id, "open report", report_id)
    return response


def reviewed_notice(after: int | None) -> str | None:
    # Read from the report itself, so a link can never claim what did not happen.
    decided = reading.report(after) if after else None
    if decided is None:
        return None
    if decided["status"] == "published":
        return _("Report #%(id)s is published. Here is the next report waiting for review.",
                 id=after)
    if decided["status"] == "rejected":
        return _("Report #%(id)s is not published. Here is the next report waiting for "
                 "review.", id=after)
    return None


def then_next(report_id: int, outcome: Outcome, done: LazyString, none_left: LazyString
              ) -> Response:
    """After publishing or not: this card again, or, if she asked, the next report waiting.

    The next one opens as a page of its own (a redirect; with htmx, HX-Redirect),
    so its address, its title and its map are its own.
    """
    if outcome is not Outcome.DONE or request.form.get("then") != "next":
        return outcome_card(report_id, outcome, done)
    following = reading.next_waiting(report_id)
    if following is None:
        return card(report_id, notice=none_left)
    address = url_for("review.report", report_id=following, after=report_id)
    if is_fragment_request():
        # No content: htmx leaves the card alone and loads the address.
        return Response(status=204, headers={"HX-Redirect": address})
    return redirect(address, 303)


def sent_version() -> int | None:
    return request.form.get("version", type=positive_int)


@bp.post("/reports/<int:report_id>/publish")
def publish(report_id: int) -> Response:
    """Make the report public with the fields chosen here and an organizer's note."""
    fields = [f for f in request.form.getlist("public") if f in PUBLISHABLE]
    if "location" in fields and load_report(report_id)["latitude"] is None:
        # The card offers no such choice (a page from before, or a hand-made request).
        return card(report_id, status=400, notice=_l(
            "This report has no location, so nothing was published. Publish it without "
            "“%(field)s”: it will be listed, not shown on the map.",
            field=PUBLISHABLE["location"]))
    note = (request.form.get("public_note") or "").strip()[:500] or None
    level, level_note = sent_level()
    if level is None:
        return card(report_id, status=400, notice=_l("Choose a verification level."))
    outcome = actions.publish(current_organizer().id, report_id, sent_version(), fields, note,
                              level, level_note)
    return then_next(report_id, outcome, _l("Published."),
                     _l("Published. No other report is waiting for review."))


def sent_level() -> tuple[str | None, str | None]:
    """The level chosen (None if not one of LEVELS; "reported" if the form had no such
    field, as a page from before levels) and its private note."""
    level = request.form.get("verification", "reported")
    note = (request.form.get("verification_note") or "").strip()[:500] or None
    return (level if level in LEVELS else None), note


@bp.post("/reports/<int:report_id>/level")
def set_level(report_id: int) -> Response:
    """Change a published report's verification level and what supports it."""
    level, level_note = sent_level()
    if level is None:
        return card(report_id, status=400, notice=_l("Choose a verification level."))
    if load_report(report_id)["status"] != "published":
        return card(report_id, status=409, notice=_l(
            "Only a published report has a verification level. Nothing was changed."))
    outcome = actions.set_level(current_organizer().id, report_id, sent_version(), level,
                                level_note)
    return outcome_card(report_id, outcome, _l("Verification level saved: %(level)s.",
                                               level=LEVELS[level]))


@bp.post("/reports/<int:report_id>/reject")
def reject(report_id: int) -> Response:
    """Keep the report private (it is deleted after the retention period)."""
    outcome = actions.reject(current_organizer().id, report_id, sent_version())
    return then_next(report_id, outcome, _l("Not published."),
                     _l("Not published. No other report is waiting for review."))


@bp.post("/reports/<int:report_id>/duplicate")
def duplicate(report_id: int) -> Response:
    """Mark as a duplicate of another report: not published on its own."""
    original = request.form.get("original", type=positive_int)
    if not original or original == report_id or not reading.exists(original):
        return card(report_id, notice=_l("Give the number of another existing report."),
                    status=400)
    outcome = actions.mark_duplicate(current_organizer().id, report_id, sent_version(), original)
    return outcome_card(report_id, outcome, _l("Marked as a duplicate."))


@bp.post("/reports/<int:report_id>/ask")
def ask(report_id: int) -> Response:
    """Ask the reporter a question; she sees it on her receipt's status page."""
    question = (request.form.get("question") or "").strip()
    if not question or len(question) > 2000:
        return card(report_id, notice=_l("Write a question of up to 2000 characters."),
                    status=400)
    outcome = actions.ask(current_organizer().id, report_id, question)
    return outcome_card(report_id, outcome, _l("Question sent. The reporter sees it when she "
                                               "checks her receipt."))


@bp.get("/reports/<int:report_id>/photo")
def photo(report_id: int) -> Response:
    """The report's photo, for signed-in organizers only, never cached."""
    data = photos.read(get_db(), load_report(report_id)["id"])
    if data is None:
        abort(404)
    # Photos are the most private thing a report holds: each look is on the record.
    audit.record_now(current_organizer().id, "view photo", report_id)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = "no-store"
    return response


# -- statistics, audit log (the exports: workbooks.py) --------------------------------

@exports_bp.get("/stats")
def stats() -> str:
    """Reports per week by space, found against suspected, and time to review."""
    return render_template("review/stats.html", spaces=SPACES, what_labels=WHAT,
                           **summary(today()))


@exports_bp.get("/audit")
@admin_required
def audit_log() -> str:
    """Every organizer action, newest first (admins only; nobody can edit it)."""
    entries, more = audit.entries(get_db(), request.args.get("before", type=positive_int))
    return render_template("review/audit.html", entries=entries, more=more,
                           shown=audit_words.shown)
