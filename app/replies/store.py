"""Responses from places in the database: the one writer of `response` (migration 0014).

Like reports/store.py: every write in `transaction()`, a view answers after it
returns; nothing about who sent it but what they typed and the day; the
receipt code only as a slow hash (reports/receipts.py, the same codes).
Organizer decisions run inside the caller's transaction (replies/actions.py),
with their audit line and any change to the report, in one commit.
"""

import json
import sqlite3
from datetime import date, timedelta

from flask import current_app

from ..db import get_db, inserted_id, transaction
from ..organizers import audit
from ..reports import receipts
from .form import ResponseInput

WAITING_PAGE = 50


def receipt_salt() -> bytes:
    return receipts.salt_from(current_app.config["SECRET_KEY"])


def receipt_for_retry(idempotency_key: str) -> str | None:
    """The receipt of a response already stored with this key, if there is one."""
    row = get_db().execute("SELECT receipt_sealed FROM response WHERE idempotency_hash = ?",
                           (receipts.idempotency_hash(idempotency_key),)).fetchone()
    return receipts.unseal(row["receipt_sealed"], idempotency_key) if row else None


def create(report_id: int, response: ResponseInput, idempotency_key: str, on: date,
           held: bool = False) -> str:
    """Store a response exactly once and return its receipt code."""
    db = get_db()
    code = receipts.new_code()
    row = {
        "report_id": report_id, "role": response.role, "body": response.body,
        "asks": response.asks, "contact": response.contact,
        "idempotency_hash": receipts.idempotency_hash(idempotency_key),
        "receipt_sealed": receipts.seal(code, idempotency_key),
        "receipt_hash": receipts.hash_code(code, receipt_salt()),
        "received_on": on.isoformat(), "held": int(held),
    }
    with transaction(db):
        if existing := receipt_for_retry(idempotency_key):
            return existing
        inserted_id(db.execute(
            "INSERT INTO response (report_id, role, body, asks, contact, idempotency_hash, "
            "receipt_sealed, receipt_hash, received_on, held) VALUES (:report_id, :role, "
            ":body, :asks, :contact, :idempotency_hash, :receipt_sealed, :receipt_hash, "
            ":received_on, :held)", row))
    return code


def find_by_receipt(code: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = get_db().execute(
        "SELECT id, report_id, status, held, asks, received_on, decided_on, answer "
        "FROM response WHERE receipt_hash = ?",
        (receipts.hash_code(code, receipt_salt()),)).fetchone()
    return found


# -- reading, for the public page and for organizers --------------------------------

def report_was_published(public_id: str) -> bool:
    """Whether a report with this public id exists (so was reviewed, maybe published),
    though the public copy has it no more."""
    return get_db().execute("SELECT 1 FROM report WHERE public_id = ? AND reviewed_on IS NOT "
                            "NULL", (public_id,)).fetchone() is not None


def report_for(report_id: int | None) -> sqlite3.Row | None:
    """What a response's page shows of the report it answers, and its version."""
    found: sqlite3.Row | None = get_db().execute(
        "SELECT id, public_id, status, version, space, what, venue, city, latitude, "
        "public_fields, public_note, verification, verification_note FROM report "
        "WHERE id = ?", (report_id,)).fetchone()
    return found


def report_is_published(report_id: int | None) -> bool:
    return report_id is not None and get_db().execute(
        "SELECT 1 FROM report WHERE id = ? AND status = 'published'",
        (report_id,)).fetchone() is not None


def pending(report_id: int) -> bool:
    """Whether a response to this report waits for organizers (held ones aside)."""
    return get_db().execute(
        "SELECT 1 FROM response WHERE report_id = ? AND status = 'received' AND held = 0 "
        "LIMIT 1", (report_id,)).fetchone() is not None


def published(report_ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    """The responses shown beside each of these reports, oldest first."""
    shown: dict[int, list[sqlite3.Row]] = {}
    for row in get_db().execute(
            "SELECT report_id, role, body, decided_on FROM response WHERE report_id IN "
            "(SELECT value FROM json_each(?)) AND status = 'published' ORDER BY id",
            (json.dumps(report_ids),)):
        shown.setdefault(row["report_id"], []).append(row)
    return shown


def pending_among(report_ids: list[int]) -> set[int]:
    """Which of these reports have a response waiting for organizers (held ones aside,
    as pending() and the queue's filter count them)."""
    return {row[0] for row in get_db().execute(
        "SELECT DISTINCT report_id FROM response WHERE report_id IN "
        "(SELECT value FROM json_each(?)) AND status = 'received' AND held = 0",
        (json.dumps(report_ids),))}


def waiting_count() -> int:
    count: int = get_db().execute(
        "SELECT count(*) FROM response WHERE status = 'received'").fetchone()[0]
    return count


def waiting(status: str = "received") -> list[sqlite3.Row]:
    """Responses in this state, newest first (the organizers' list)."""
    return get_db().execute(
        "SELECT id, report_id, status, held, role, asks, received_on, decided_on "
        "FROM response WHERE status = ? ORDER BY id DESC LIMIT ?",
        (status, WAITING_PAGE)).fetchall()


def for_report(report_id: int) -> list[sqlite3.Row]:
    return get_db().execute("SELECT * FROM response WHERE report_id = ? ORDER BY id",
                            (report_id,)).fetchall()


def one(response_id: int) -> sqlite3.Row | None:
    found: sqlite3.Row | None = get_db().execute(
        "SELECT * FROM response WHERE id = ?", (response_id,)).fetchone()
    return found


# -- organizer decisions (inside the caller's transaction) ---------------------------

def decide(conn: sqlite3.Connection, response_id: int, version: int | None, status: str,
           answer: str | None, on: date) -> bool:
    """Publish or decline a response at `version`, with the organizers' answer to the
    venue; False if it changed meanwhile (or is gone)."""
    if not conn.in_transaction:
        raise RuntimeError("a response's state changes only inside the caller's transaction")
    cursor = conn.execute(
        "UPDATE response SET status = ?, answer = ?, decided_on = ?, held = 0, "
        "version = version + 1 WHERE id = ? AND version = ?",
        (status, answer, on.isoformat(), response_id, version))
    return cursor.rowcount == 1


# -- retention ------------------------------------------------------------------------

def purge(conn: sqlite3.Connection, keep_days: int, private_days: int, on: date) -> int:
    """Delete responses not shown in public `keep_days` after they arrived or were
    decided; clear the contact of decided ones `private_days` after the decision.

    As for reports: what is public stays; what only organizers saw goes. Returns
    how many responses were deleted.
    """
    cutoff = (on - timedelta(days=keep_days)).isoformat()
    private_cutoff = (on - timedelta(days=private_days)).isoformat()
    with transaction(conn):
        deleted: int = conn.execute(
            "DELETE FROM response WHERE coalesce(decided_on, received_on) < ? AND "
            "(status != 'published' OR report_id IS NULL OR NOT EXISTS (SELECT 1 FROM report "
            "WHERE report.id = response.report_id AND report.status = 'published'))",
            (cutoff,)).rowcount
        conn.execute("UPDATE response SET contact = NULL, private_cleared_on = ? "
                     "WHERE private_cleared_on IS NULL AND decided_on <= ?",
                     (on.isoformat(), private_cutoff))
        audit.deleted(conn, "delete old responses", deleted)
    return deleted
