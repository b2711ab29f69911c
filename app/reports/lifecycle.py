"""A report's review state and its organizers' questions: the only code that changes them.

Each decision is one named-column UPDATE guarded by the report's version (when
two organizers act on the same report, the second is told instead of silently
overwriting). Every function here writes through the caller's connection and
must run inside the caller's write transaction (db.transaction): the caller
puts the audit line and the public map copy in the same commit
(review/actions.py), so a report is never published without its audit line,
nor on the map after it was taken back.
"""

import json
import sqlite3
from datetime import date
from enum import Enum
from typing import Any


class Outcome(Enum):
    DONE = "done"
    CONFLICT = "conflict"  # someone changed the report since this version
    MISSING = "missing"  # no such report


def _inside_transaction(conn: sqlite3.Connection) -> None:
    # In autocommit mode a change made outside one would commit alone, without
    # its audit line or the map: refuse it loudly instead.
    if not conn.in_transaction:
        raise RuntimeError("a report's state changes only inside the caller's transaction")


def _decide(conn: sqlite3.Connection, report_id: int, version: int | None, update: str,
            params: dict[str, Any]) -> Outcome:
    """Run one of this module's UPDATEs if the report is still at `version`."""
    _inside_transaction(conn)
    cursor = conn.execute(update, {**params, "id": report_id, "version": version})
    if cursor.rowcount == 1:
        return Outcome.DONE
    exists = conn.execute("SELECT 1 FROM report WHERE id = ?", (report_id,)).fetchone()
    return Outcome.CONFLICT if exists else Outcome.MISSING


def publish(conn: sqlite3.Connection, report_id: int, version: int | None,
            fields: list[str], note: str | None, on: date, level: str = "reported",
            level_note: str | None = None) -> Outcome:
    """Make public the fields chosen (keys of review.actions.PUBLISHABLE) and the note,
    at a verification level (a key of vocab.LEVELS) with its private note.

    A held report is never published: it must be accepted into the queue first.
    """
    return _decide(
        conn, report_id, version,
        "UPDATE report SET status = 'published', duplicate_of = NULL, public_fields = :fields, "
        "public_note = :note, reviewed_on = :on, verification = :level, "
        "verification_note = :level_note, version = version + 1 "
        "WHERE id = :id AND version = :version AND held = 0",
        {"fields": json.dumps(sorted(fields)), "note": note, "on": on.isoformat(),
         "level": level, "level_note": level_note})


def set_level(conn: sqlite3.Connection, report_id: int, version: int | None, level: str,
              level_note: str | None) -> Outcome:
    """Change a published report's verification level and its private note.

    Only a published report has a level: any other is a conflict (it was
    withdrawn, or never published, since the organizer's page was drawn).
    """
    return _decide(
        conn, report_id, version,
        "UPDATE report SET verification = :level, verification_note = :level_note, "
        "version = version + 1 WHERE id = :id AND version = :version AND status = 'published'",
        {"level": level, "level_note": level_note})


def reject(conn: sqlite3.Connection, report_id: int, version: int | None, on: date) -> Outcome:
    """Keep the report private (it is deleted after the retention period)."""
    return _decide(
        conn, report_id, version,
        "UPDATE report SET status = 'rejected', duplicate_of = NULL, public_fields = NULL, "
        "public_note = NULL, verification = NULL, reviewed_on = :on, held = 0, "
        "version = version + 1 "
        "WHERE id = :id AND version = :version",
        {"on": on.isoformat()})


def mark_duplicate(conn: sqlite3.Connection, report_id: int, version: int | None,
                   original: int, on: date) -> Outcome:
    """Not published on its own: another report tells the same. Private like a rejection."""
    return _decide(
        conn, report_id, version,
        "UPDATE report SET status = 'rejected', duplicate_of = :original, public_fields = NULL, "
        "public_note = NULL, verification = NULL, reviewed_on = :on, held = 0, "
        "version = version + 1 "
        "WHERE id = :id AND version = :version",
        {"original": original, "on": on.isoformat()})


def ask(conn: sqlite3.Connection, report_id: int, question: str, on: date) -> Outcome:
    """Send the reporter a question; she sees it on her receipt's status page.

    Not guarded by the version (a question changes nothing she wrote), but it
    moves the version on, so an organizer acting on an older card is told.
    """
    _inside_transaction(conn)
    cursor = conn.execute("UPDATE report SET version = version + 1 WHERE id = ?", (report_id,))
    if cursor.rowcount != 1:
        return Outcome.MISSING
    conn.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                 "VALUES (?, 'organizer', ?, ?)", (report_id, question, on.isoformat()))
    return Outcome.DONE


# -- reports held during a flood (migration 0012) ----------------------------------

def accept_held(conn: sqlite3.Connection, report_ids: list[int]) -> list[int]:
    """Move these held reports into the review queue; returns those that were held.

    Nothing else changes: each is then reviewed like any other report.
    """
    _inside_transaction(conn)
    return [row[0] for row in conn.execute(
        "UPDATE report SET held = 0, version = version + 1 WHERE held = 1 "
        "AND id IN (SELECT value FROM json_each(?)) RETURNING id", (json.dumps(report_ids),))]


def discard_held(conn: sqlite3.Connection, report_ids: list[int], on: date) -> list[int]:
    """Not publish these held reports, as a rejection does; returns those that were held.

    They stay private and go at the purge like every report not published;
    the reporter's status page says it was not published.
    """
    _inside_transaction(conn)
    return [row[0] for row in conn.execute(
        "UPDATE report SET held = 0, status = 'rejected', reviewed_on = ?, "
        "version = version + 1 WHERE held = 1 AND id IN (SELECT value FROM json_each(?)) "
        "RETURNING id", (on.isoformat(), json.dumps(report_ids)))]


# -- corrections after a venue's response (issue 31, app/replies/) ---------------------

def correct(conn: sqlite3.Connection, report_id: int, version: int | None, venue: str | None,
            city: str | None, fields: list[str], note: str | None) -> Outcome:
    """Correct a published report's public side: the place's name and city as they
    should read, which fields are public, and the public note.

    Only a published report: one taken back meanwhile is a conflict.
    """
    return _decide(
        conn, report_id, version,
        "UPDATE report SET venue = :venue, city = :city, public_fields = :fields, "
        "public_note = :note, version = version + 1 "
        "WHERE id = :id AND version = :version AND status = 'published'",
        {"venue": venue, "city": city, "fields": json.dumps(sorted(fields)), "note": note})
