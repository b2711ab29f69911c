"""The organizers' side of responses: the list, each response's page and its actions.

A response is its own kind of item: listed apart (with a count and a marker in
the review queue: templates/review/), shown on its report's card, and decided
on its own page, where the report it answers can also be corrected or
withdrawn. Plain forms with the report's or the response's version, so two
organizers acting at once see a conflict instead of overwriting each other.
"""

import json
import sqlite3

from flask import abort, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..organizers import audit
from ..organizers.guard import current_organizer
from ..reports.lifecycle import Outcome
from ..review.actions import PUBLISHABLE
from ..vocab import LEVEL_MEANINGS, LEVELS, SPACES, STATUSES, WHAT
from ..web.converters import positive_int
from ..web.htmx import render
from . import actions, organizer_bp, store
from .form import ASKS

STATES = {"received": _l("Waiting"), "published": _l("Published beside the report"),
          "declined": _l("Not published")}
CONFLICT = _l("Someone changed this while you had it open. This is how it is now; what you "
              "just did was not saved.")


def responses_of(report_id: int) -> list[sqlite3.Row]:
    """A report's responses, for its card (templates/review/_card.html)."""
    return store.for_report(report_id)


@organizer_bp.get("/responses")
def waiting() -> Response:
    """Responses from places, newest first: waiting ones, or those decided."""
    state = request.args.get("state", "received")
    if state not in STATES:
        state = "received"
    return render("replies/organizer_list.html", "replies/organizer_list.html",
                  responses=store.waiting(state), state=state, states=STATES, asks=ASKS)


def response_page(response_id: int, notice: str | LazyString | None = None,
                  status: int = 200) -> Response:
    found = store.one(response_id)
    if found is None:
        abort(404)
    report = store.report_for(found["report_id"])
    public = set(json.loads(report["public_fields"] or "[]")) if report else set()
    return render("replies/organizer.html", "replies/organizer.html", status=status,
                  response=found, report=report, public=public, publishable=PUBLISHABLE,
                  asks=ASKS, states=STATES, statuses=STATUSES, spaces=SPACES, what=WHAT,
                  levels=LEVELS, level_meanings=LEVEL_MEANINGS, notice=notice)


@organizer_bp.get("/responses/<int:response_id>")
def response(response_id: int) -> Response:
    """One response with everything its sender gave, and what organizers can do."""
    page = response_page(response_id)  # a 404 for no such response
    found = store.one(response_id)
    # It may hold a contact: on the record, like opening a report.
    audit.record_now(current_organizer().id, "open response",
                     found["report_id"] if found else None, actions.detail(response_id))
    return page


def organizer_text(name: str) -> str | None:
    return (request.form.get(name) or "").strip()[:2000] or None


@organizer_bp.post("/responses/<int:response_id>/decide")
def decide(response_id: int) -> Response:
    """Publish the response beside its report, or not; with an answer for the place."""
    found = store.one(response_id)
    if found is None:
        abort(404)
    decision = request.form.get("decision")
    version = request.form.get("version", type=positive_int)
    answer = organizer_text("answer")
    if decision == "publish":
        if not store.report_is_published(found["report_id"]):
            return response_page(response_id, _l("The report is not published, so its "
                                                 "response cannot be. Nothing was changed."),
                                 400)
        done = actions.publish_response(current_organizer().id, found["report_id"],
                                        response_id, version, answer)
        notice = _l("The response is published beside the report.")
    elif decision == "decline":
        done = actions.decline_response(current_organizer().id, found["report_id"],
                                        response_id, version, answer)
        notice = _l("The response is not published.")
    else:
        return response_page(response_id, _l("Choose to publish the response or not. Nothing "
                                             "was changed."), 400)
    return response_page(response_id, notice if done else CONFLICT, 200 if done else 409)


def report_outcome(response_id: int, outcome: Outcome, done: LazyString) -> Response:
    if outcome is Outcome.MISSING:
        abort(404)
    if outcome is Outcome.CONFLICT:
        return response_page(response_id, CONFLICT, 409)
    return response_page(response_id, done)


def answered_report(response_id: int) -> sqlite3.Row:
    found = store.one(response_id)
    report = store.report_for(found["report_id"]) if found else None
    if report is None:
        abort(404)
    return report


@organizer_bp.post("/responses/<int:response_id>/correct")
def correct(response_id: int) -> Response:
    """Correct the report's public side: the place's name, city, public fields, note."""
    report = answered_report(response_id)
    fields = [f for f in request.form.getlist("public") if f in PUBLISHABLE]
    if "location" in fields and report["latitude"] is None:
        fields.remove("location")
    venue, city = organizer_text("venue"), organizer_text("city")
    if (venue and len(venue) > 120) or (city and len(city) > 120):
        return response_page(response_id, _l("Keep the name and the city under 120 "
                                             "characters. Nothing was changed."), 400)
    note = (organizer_text("public_note") or "")[:500] or None
    outcome = actions.correct_report(current_organizer().id, report["id"],
                                     request.form.get("version", type=positive_int),
                                     response_id, venue, city, fields, note)
    return report_outcome(response_id, outcome, _l("The report is corrected."))


@organizer_bp.post("/responses/<int:response_id>/level")
def change_level(response_id: int) -> Response:
    """Change the report's verification level in answer to the response."""
    level = request.form.get("verification")
    if level not in LEVELS:
        return response_page(response_id, _l("Choose a verification level."), 400)
    report = answered_report(response_id)
    outcome = actions.change_level(current_organizer().id, report["id"],
                                   request.form.get("version", type=positive_int), response_id,
                                   level, organizer_text("verification_note"))
    return report_outcome(response_id, outcome, _l("The verification level is changed."))


@organizer_bp.post("/responses/<int:response_id>/withdraw")
def withdraw(response_id: int) -> Response:
    """Take the report off the public map and list."""
    report = answered_report(response_id)
    outcome = actions.withdraw_report(current_organizer().id, report["id"],
                                      request.form.get("version", type=positive_int),
                                      response_id)
    return report_outcome(response_id, outcome, _l("The report is withdrawn: it is no "
                                                   "longer public."))
