"""Every change to a report's review state, and nothing else changes it.

Each action is one named-column UPDATE guarded by the report's version (when
two organizers act on the same report, the second is told instead of silently
overwriting), its audit line, and the public map copy brought in step, all in
one BEGIN IMMEDIATE transaction: a report is never published without its
audit line, nor on the map after it was taken back.
"""

import json
from enum import Enum

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..db import get_db, transaction
from ..map import publish as public_map
from ..organizers import audit
from ..vocab import today

# Fields an organizer may make public; space and what happened always are.
# The description, the answers and the photo never are (docs/privacy.md, promise 6).
PUBLISHABLE = {
    "device": _l("Kind of device"),
    "venue": _l("Name of the place"),
    "city": _l("City and district"),
    "observed_on": _l("Date seen"),
    "location": _l("Approximate location (on the public grid)"),
}

class Outcome(Enum):
    DONE = "done"
    CONFLICT = "conflict"  # someone changed the report since this version
    MISSING = "missing"  # no such report


def _apply(organizer_id: int, report_id: int, version: int | None, action: str,
           update: str, params: dict, detail: str | None = None) -> Outcome:
    """Run one of this module's UPDATEs if the report is still at `version`."""
    db = get_db()
    with transaction(db):
        cursor = db.execute(update, {**params, "id": report_id, "version": version})
        if cursor.rowcount == 1:
            audit.record(db, organizer_id, action, report_id, detail)
            public_map.sync(db, report_id, current_app.config["LOCATION_GRID_METRES"])
            return Outcome.DONE
        exists = db.execute("SELECT 1 FROM report WHERE id = ?", (report_id,)).fetchone()
    return Outcome.CONFLICT if exists else Outcome.MISSING


def publish(organizer_id: int, report_id: int, version: int | None, fields: list[str],
            note: str | None) -> Outcome:
    """Make public the fields chosen (keys of PUBLISHABLE) and the organizer's note."""
    chosen = sorted(fields)
    return _apply(
        organizer_id, report_id, version, "publish",
        "UPDATE report SET status = 'published', duplicate_of = NULL, public_fields = :fields, "
        "public_note = :note, reviewed_on = :today, version = version + 1 "
        "WHERE id = :id AND version = :version",
        {"fields": json.dumps(chosen), "note": note, "today": today().isoformat()},
        ", ".join(chosen))


def reject(organizer_id: int, report_id: int, version: int | None) -> Outcome:
    """Keep the report private (it is deleted after the retention period)."""
    return _apply(
        organizer_id, report_id, version, "reject",
        "UPDATE report SET status = 'rejected', duplicate_of = NULL, public_fields = NULL, "
        "public_note = NULL, reviewed_on = :today, version = version + 1 "
        "WHERE id = :id AND version = :version",
        {"today": today().isoformat()})


def mark_duplicate(organizer_id: int, report_id: int, version: int | None,
                   original: int) -> Outcome:
    """Not published on its own: another report tells the same. Private like a rejection."""
    return _apply(
        organizer_id, report_id, version, "duplicate",
        "UPDATE report SET status = 'rejected', duplicate_of = :original, public_fields = NULL, "
        "public_note = NULL, reviewed_on = :today, version = version + 1 "
        "WHERE id = :id AND version = :version",
        {"original": original, "today": today().isoformat()}, f"of #{original}")


def ask(organizer_id: int, report_id: int, question: str) -> Outcome:
    """Send the reporter a question; she sees it on her receipt's status page.

    Not guarded by the version (a question changes nothing she wrote), but it
    moves the version on, so an organizer acting on an older card is told.
    """
    db = get_db()
    with transaction(db):
        cursor = db.execute("UPDATE report SET version = version + 1 WHERE id = ?",
                            (report_id,))
        if cursor.rowcount != 1:
            return Outcome.MISSING
        db.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                   "VALUES (?, 'organizer', ?, ?)", (report_id, question, today().isoformat()))
        audit.record(db, organizer_id, "ask", report_id)
    return Outcome.DONE

