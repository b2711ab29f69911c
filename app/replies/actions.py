"""Organizers' decisions on a response, each with its audit line, in one commit.

Publishing or declining changes the response (store.py, its one writer);
correcting or withdrawing the report it answers changes the report through the
reports package (reports/lifecycle.py) and brings the public map copy in step,
as review/actions.py does. Each audit line names the response it answered
("response #N") in its detail.

Changing the report's verification level after a response (change_level) goes
through review.actions.set_level_within, which audits it and moves the public
copy, with the response's number beside the organizer's note.
"""

from flask import current_app

from ..db import get_db, transaction
from ..map import publish as public_map
from ..organizers import audit
from ..reports import lifecycle
from ..reports.lifecycle import Outcome
from ..review.actions import set_level_within
from ..vocab import today
from . import store


def detail(response_id: int) -> str:
    return f"response #{response_id}"


def publish_response(organizer_id: int, report_id: int | None, response_id: int,
                     version: int | None, answer: str | None) -> bool:
    """Show the response beside its report; `answer` is for the place only."""
    db = get_db()
    with transaction(db):
        done = store.decide(db, response_id, version, "published", answer, today())
        if done:
            audit.record(db, organizer_id, "publish response", report_id, detail(response_id))
    return done


def decline_response(organizer_id: int, report_id: int | None, response_id: int,
                     version: int | None, answer: str | None) -> bool:
    """Not show the response; `answer` tells the place why, on its status page."""
    db = get_db()
    with transaction(db):
        done = store.decide(db, response_id, version, "declined", answer, today())
        if done:
            audit.record(db, organizer_id, "decline response", report_id, detail(response_id))
    return done


def correct_report(organizer_id: int, report_id: int, version: int | None, response_id: int,
                   venue: str | None, city: str | None, fields: list[str],
                   note: str | None) -> Outcome:
    """Correct the public side of a published report after a response."""
    db = get_db()
    with transaction(db):
        outcome = lifecycle.correct(db, report_id, version, venue, city, fields, note)
        if outcome is Outcome.DONE:
            audit.record(db, organizer_id, "correct report", report_id, detail(response_id))
            public_map.sync(db, report_id, current_app.config["LOCATION_GRID_METRES"])
    return outcome


def withdraw_report(organizer_id: int, report_id: int, version: int | None,
                    response_id: int) -> Outcome:
    """Take a published report off the map and the list (it is then not published, and
    goes at the purge like any report not published)."""
    db = get_db()
    with transaction(db):
        outcome = lifecycle.reject(db, report_id, version, today())
        if outcome is Outcome.DONE:
            audit.record(db, organizer_id, "withdraw report", report_id, detail(response_id))
            public_map.sync(db, report_id, current_app.config["LOCATION_GRID_METRES"])
    return outcome


def change_level(organizer_id: int, report_id: int, version: int | None, response_id: int,
                 level: str, level_note: str | None) -> Outcome:
    """Change the report's verification level after a response (disputed, resolved…),
    the response's number on the record beside what supports the new level."""
    note = f"{level_note} ({detail(response_id)})" if level_note else detail(response_id)
    db = get_db()
    with transaction(db):
        return set_level_within(db, organizer_id, report_id, version, level, note)
