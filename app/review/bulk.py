"""Many reports at once from the queue: reject them, mark them duplicates of one, or
publish them (issue 31, item 4).

A plain form: a checkbox per report (and, with JavaScript, "select all on this
page" and a count, static/js/queue.js). Each ticked box sends the report's
number and the version the organizer saw ("17:3"), so a report someone changed
after her page was shown is refused, by number, and the rest are done, in one
transaction with an audit line each (actions.apply_all). Each decision is the
one the report's own card makes (actions.publishing, rejecting,
marking_duplicate).
"""

import re

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..organizers.guard import current_organizer
from ..reports.lifecycle import Outcome
from . import actions, bp, reading
from .actions import PUBLISHABLE, Decision
from .views import TRIAGE_MOST, queue_page, sent_level

CHOSEN = re.compile(r"(\d{1,18}):(\d{1,18})")


def chosen_reports() -> dict[int, int]:
    """The reports ticked: number -> the version the organizer saw; at most TRIAGE_MOST."""
    chosen: dict[int, int] = {}
    for value in request.form.getlist("report"):
        if (match := CHOSEN.fullmatch(value)) and int(match[1]) > 0:
            chosen[int(match[1])] = int(match[2])
    return dict(list(chosen.items())[:TRIAGE_MOST])


def numbers(ids: list[int]) -> str:
    return _(", ").join(f"#{number}" for number in ids)


def chosen_original() -> int | None:
    """The number typed, or else the original picked in the list."""
    for field in ("original_number", "original"):
        value = (request.form.get(field) or "").strip().lstrip("#")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


@bp.post("/bulk")
def bulk() -> Response:
    """One action on every report ticked in the queue; then the queue, saying what became
    of them."""
    chosen = chosen_reports()
    action = request.form.get("action")
    if action not in ("reject", "duplicate", "publish") or not chosen:
        return queue_page([_("Tick at least one report, then choose what to do with them. "
                             "Nothing was changed.")], 400)
    notices: list[str] = []
    if action == "duplicate":
        original = chosen_original()
        if original is None or not reading.exists(original):
            return queue_page([_("Choose the original among the reports, or give the number "
                                 "of another existing report. Nothing was changed.")], 400)
        # The original itself, ticked or not, stays as it is.
        chosen.pop(original, None)
        decisions = [actions.marking_duplicate(report_id, version, original)
                     for report_id, version in chosen.items()]
    elif action == "reject":
        decisions = [actions.rejecting(report_id, version)
                     for report_id, version in chosen.items()]
    else:
        fields = [f for f in request.form.getlist("public") if f in PUBLISHABLE]
        unmappable = reading.without_location(list(chosen)) if "location" in fields else []
        if unmappable:
            notices.append(_(
                "Not published, because they have no location: %(numbers)s. Publish them "
                "without “%(field)s”: they will be listed, not shown on the map.",
                numbers=numbers(unmappable), field=PUBLISHABLE["location"]))
        level, level_note = sent_level()
        if level is None:
            return queue_page([_("Choose a verification level. Nothing was changed.")], 400)
        # Each as its own card publishes it, all at the level chosen.
        decisions = [actions.publishing(report_id, version, fields, None, level, level_note)
                     for report_id, version in chosen.items() if report_id not in unmappable]
    return queue_page(outcome_notices(action, decisions, notices))


def outcome_notices(action: str, decisions: list[Decision], notices: list[str]) -> list[str]:
    """Make the decisions; what was done and, by number, what was refused and why."""
    outcomes = actions.apply_all(current_organizer().id, decisions) if decisions else {}
    done = [number for number, outcome in outcomes.items() if outcome is Outcome.DONE]
    refused = sorted(number for number, outcome in outcomes.items()
                     if outcome is not Outcome.DONE)
    said = {"reject": _("Not published: %(count)s.", count=len(done)),
            "duplicate": _("Marked as duplicates: %(count)s.", count=len(done)),
            "publish": _("Published: %(count)s.", count=len(done))}
    if refused:
        notices.insert(0, _("Not changed, because someone changed them after this page was "
                            "shown: %(numbers)s. Open them to see how they are now.",
                            numbers=numbers(refused)))
    return [said[action], *notices]
