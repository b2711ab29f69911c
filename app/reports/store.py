"""Reports in the database: write once, find by receipt, talk, and forget.

Every write runs in `transaction()` (BEGIN IMMEDIATE ... COMMIT) and a view
answers only after it returns, so an acknowledged report is on disk.
"""

import sqlite3
from dataclasses import asdict
from datetime import date, timedelta

from flask import current_app

from ..db import get_db, inserted_id, transaction
from ..organizers import audit
from . import photos, receipts
from .form import ReportInput


def receipt_salt() -> bytes:
    return receipts.salt_from(current_app.config["SECRET_KEY"])


def receipt_for_retry(idempotency_key: str) -> str | None:
    """The receipt of a report already made with this key, if there is one."""
    row = get_db().execute(
        "SELECT receipt_sealed FROM report WHERE idempotency_hash = ?",
        (receipts.idempotency_hash(idempotency_key),),
    ).fetchone()
    return receipts.unseal(row["receipt_sealed"], idempotency_key) if row else None


def create(report: ReportInput, idempotency_key: str, photo: photos.CleanPhoto | None,
           on: date, held: bool = False) -> str:
    """Store a report exactly once and return its receipt code.

    A second request with the same idempotency key, even one racing this one,
    gets the first report's receipt and stores nothing. A `held` report (sent
    without a proof of work during a flood) waits apart from the review queue
    until an organizer accepts it there (migration 0012).
    """
    db = get_db()
    code = receipts.new_code()
    # The slow hash is worked out before taking the write lock, not while holding it.
    row = {
        **asdict(report),
        "idempotency_hash": receipts.idempotency_hash(idempotency_key),
        "receipt_sealed": receipts.seal(code, idempotency_key),
        "receipt_hash": receipts.hash_code(code, receipt_salt()),
        "submitted_on": on.isoformat(),
        "held": int(held),
    }
    with transaction(db):
        if existing := receipt_for_retry(idempotency_key):
            return existing
        report_id = inserted_id(db.execute(
            """INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, space,
                   what, device, venue, city, latitude, longitude, observed_on,
                   told_venue, told_police, response, description, submitted_on, held)
               VALUES (:idempotency_hash, :receipt_sealed, :receipt_hash, :space, :what,
                   :device, :venue, :city, :latitude, :longitude, :observed_on,
                   :told_venue, :told_police, :response, :description, :submitted_on, :held)""",
            row,
        ))
        if photo:
            photos.store(db, report_id, photo)
    return code


def find_by_receipt(code: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = get_db().execute(
        "SELECT id, status, held, space, what, latitude, submitted_on FROM report "
        "WHERE receipt_hash = ?",
        (receipts.hash_code(code, receipt_salt()),),
    ).fetchone()
    return found


def messages(report_id: int) -> list[sqlite3.Row]:
    return get_db().execute(
        "SELECT author, body, sent_on FROM report_message WHERE report_id = ? ORDER BY id",
        (report_id,),
    ).fetchall()


def add_reply(report_id: int, body: str, on: date, limit: int) -> bool:
    """Add the reporter's message unless she already sent `limit` today (0: no limit).

    Counted and added in one write transaction, so simultaneous sends cannot
    all slip under the limit.
    """
    db = get_db()
    with transaction(db):
        sent = db.execute("SELECT count(*) FROM report_message WHERE report_id = ? "
                          "AND author = 'reporter' AND sent_on = ?",
                          (report_id, on.isoformat())).fetchone()[0]
        if limit > 0 and sent >= limit:
            return False
        db.execute(
            "INSERT INTO report_message (report_id, author, body, sent_on) "
            "VALUES (?, 'reporter', ?, ?)", (report_id, body, on.isoformat()),
        )
    return True


def purge(conn: sqlite3.Connection, keep_days: int, on: date) -> int:
    """Delete unpublished reports older than `keep_days`; returns how many.

    Their photos and messages go with them (ON DELETE CASCADE), overwritten
    (secure_delete); the caller then empties the WAL (db.checkpoint).
    """
    cutoff = (on - timedelta(days=keep_days)).isoformat()
    with transaction(conn):
        deleted: int = conn.execute(
            "DELETE FROM report WHERE status != 'published' AND submitted_on < ?", (cutoff,),
        ).rowcount
        audit.deleted(conn, "delete old reports", deleted)
    return deleted
