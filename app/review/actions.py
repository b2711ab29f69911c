"""Every organizer decision on a report, on the record and on the map in the same commit.

The report's own change is the reports package's (reports/lifecycle.py, the
only writer of `report` and `report_message`); here each one runs inside one
BEGIN IMMEDIATE transaction with its audit line and the public map copy brought
in step, as datasette's execute_write_fn runs a function inside its one write:
a report is never published without its audit line, nor on the map after it
was taken back.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..db import get_db, transaction
from ..map import publish as public_map
from ..organizers import audit
from ..reports import lifecycle
from ..reports.lifecycle import Outcome
from ..vocab import LEVELS, today

# Fields an organizer may make public; space and what happened always are.
# The description, the answers and the photo never are (docs/privacy.md, promise 6).
PUBLISHABLE = {
    "device": _l("Kind of device"),
    "venue": _l("Name of the place"),
    "city": _l("City and district"),
    "observed_on": _l("Date seen"),
    "location": _l("Approximate location (on the public grid)"),
}


@dataclass(frozen=True)
class Decision:
    """One decision on one report, not yet made: what the audit line says, and the change.

    Single actions and bulk ones (apply_all) make the same Decision, so a report
    is published, rejected or marked a duplicate the same way either way.
    """

    report_id: int
    action: str  # the audit line's key (review/audit_words.py)
    decide: Callable[[sqlite3.Connection], Outcome]
    detail: str | None = None
    also: tuple[tuple[str, str], ...] = ()  # more audit lines (action, detail), if made


def _make(db: sqlite3.Connection, organizer_id: int, decision: Decision) -> Outcome:
    """Make one decision inside the caller's transaction; if it changed the report, its
    audit line and the map too."""
    outcome = decision.decide(db)
    if outcome is Outcome.DONE:
        audit.record(db, organizer_id, decision.action, decision.report_id, decision.detail)
        for action, detail in decision.also:
            audit.record(db, organizer_id, action, decision.report_id, detail)
        public_map.sync(db, decision.report_id, current_app.config["LOCATION_GRID_METRES"])
    return outcome


def _apply(organizer_id: int, decision: Decision) -> Outcome:
    db = get_db()
    with transaction(db):
        return _make(db, organizer_id, decision)


def apply_all(organizer_id: int, decisions: list[Decision]) -> dict[int, Outcome]:
    """Many decisions in one write transaction, each with its audit line; what became of
    each report. Each is still guarded by its own version: one that someone changed
    meanwhile is refused (Outcome.CONFLICT) and the others are made."""
    db = get_db()
    with transaction(db):
        return {d.report_id: _make(db, organizer_id, d) for d in decisions}


def publishing(report_id: int, version: int | None, fields: list[str], note: str | None,
               level: str = "reported", level_note: str | None = None) -> Decision:
    """Make public the fields chosen (keys of PUBLISHABLE) and the organizer's note, at a
    verification level: two audit lines, what was published and the level (as
    set_level writes it)."""
    if level not in LEVELS:
        raise ValueError(f"no such verification level: {level!r}")
    chosen = sorted(fields)
    return Decision(report_id, "publish", lambda db: lifecycle.publish(
        db, report_id, version, chosen, note, today(), level, level_note), ", ".join(chosen),
        also=(("set level", level_detail(level, level_note)),))


def rejecting(report_id: int, version: int | None) -> Decision:
    """Keep the report private (it is deleted after the retention period)."""
    return Decision(report_id, "reject",
                    lambda db: lifecycle.reject(db, report_id, version, today()))


def marking_duplicate(report_id: int, version: int | None, original: int) -> Decision:
    """Not published on its own: another report tells the same. Private like a rejection."""
    return Decision(report_id, "duplicate", lambda db: lifecycle.mark_duplicate(
        db, report_id, version, original, today()), f"of #{original}")


def level_detail(level: str, level_note: str | None) -> str:
    """The audit line's detail for a level set: the level's key, then what supports it.

    The note is private (never public), but on the record: what the organizers
    knew when they named a level (review/audit_words.py shows it).
    """
    return f"{level}: {level_note}" if level_note else level


def publish(organizer_id: int, report_id: int, version: int | None, fields: list[str],
            note: str | None, level: str = "reported", level_note: str | None = None
            ) -> Outcome:
    """Make public the fields chosen (keys of PUBLISHABLE) and the organizer's note, at a
    verification level (a key of vocab.LEVELS) with its private note, in a transaction
    of its own."""
    return _apply(organizer_id, publishing(report_id, version, fields, note, level, level_note))


def publish_within(db: sqlite3.Connection, organizer_id: int, report_id: int,
                   version: int | None, fields: list[str], note: str | None,
                   level: str = "reported", level_note: str | None = None) -> Outcome:
    """publish() inside the caller's write transaction."""
    return _make(db, organizer_id, publishing(report_id, version, fields, note, level,
                                              level_note))


def set_level(organizer_id: int, report_id: int, version: int | None, level: str,
              level_note: str | None) -> Outcome:
    """Change a published report's verification level and its private note, on the
    record, and the public copy with it (the map's version moves on, so no cached
    answer keeps the old level). The one way to change a level after publishing;
    set_level_within does the same inside the caller's transaction.
    """
    db = get_db()
    with transaction(db):
        return set_level_within(db, organizer_id, report_id, version, level, level_note)


def set_level_within(db: sqlite3.Connection, organizer_id: int, report_id: int,
                     version: int | None, level: str, level_note: str | None) -> Outcome:
    """set_level() inside the caller's write transaction (e.g. with a venue's response
    published in the same commit). CONFLICT if the report is not published."""
    if level not in LEVELS:
        raise ValueError(f"no such verification level: {level!r}")
    outcome = lifecycle.set_level(db, report_id, version, level, level_note)
    if outcome is Outcome.DONE:
        audit.record(db, organizer_id, "set level", report_id, level_detail(level, level_note))
        public_map.sync(db, report_id, current_app.config["LOCATION_GRID_METRES"])
    return outcome


def reject(organizer_id: int, report_id: int, version: int | None) -> Outcome:
    return _apply(organizer_id, rejecting(report_id, version))


def mark_duplicate(organizer_id: int, report_id: int, version: int | None,
                   original: int) -> Outcome:
    return _apply(organizer_id, marking_duplicate(report_id, version, original))


def ask(organizer_id: int, report_id: int, question: str) -> Outcome:
    """Send the reporter a question, on the record; the public map has nothing to change."""
    db = get_db()
    with transaction(db):
        outcome = lifecycle.ask(db, report_id, question, today())
        if outcome is Outcome.DONE:
            audit.record(db, organizer_id, "ask", report_id)
    return outcome


def accept_held(organizer_id: int, report_ids: list[int]) -> list[int]:
    """Move held reports into the review queue, each on the record; those that moved.

    Held reports were never public and stay so: the map has nothing to change.
    """
    db = get_db()
    with transaction(db):
        done = lifecycle.accept_held(db, report_ids)
        for report_id in done:
            audit.record(db, organizer_id, "accept held", report_id)
    return done


def discard_held(organizer_id: int, report_ids: list[int]) -> list[int]:
    """Not publish held reports (private, purged like rejections), each on the record."""
    db = get_db()
    with transaction(db):
        done = lifecycle.discard_held(db, report_ids, today())
        for report_id in done:
            audit.record(db, organizer_id, "discard held", report_id)
    return done
