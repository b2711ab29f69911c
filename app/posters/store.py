"""Posters in the database: make one, find it, count its scans.

A poster's code is public (it is printed on the poster); its management token
is private, shown once to whoever made it and stored only as a SHA-256 hash
(a 192-bit random token needs no slow hash). Scans are a number per day.
"""

import hashlib
import secrets
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from ..db import get_db, inserted_id, transaction

# Crockford's base32 without I, L, O and U: nothing to misread when typed from
# a poster, and all upper case, so the QR code can use its compact alphanumeric mode.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6  # 2^30 codes: room for every poster, and short on paper
# What Crockford's base32 reads as the letters it leaves out, as receipt codes do:
# a code typed from a poster with O for 0, or I or L for 1, still finds it.
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class PosterChoice:
    destination: str
    languages: str
    format: str
    headline: str
    label: str | None


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_code(text: str) -> str | None:
    """A code as typed or scanned, upper-cased, look-alikes read as digits, or None."""
    code = text.strip().upper().translate(LOOKALIKES)
    if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code):
        return code
    return None


def create(choice: PosterChoice, today: date) -> tuple[sqlite3.Row, str]:
    """Store a new poster; returns it and its management token (never stored)."""
    db = get_db()
    token = secrets.token_urlsafe(24)
    for _ in range(10):  # a clash among a billion codes is rare; retry on one
        try:
            with transaction(db):
                cursor = db.execute(
                    "INSERT INTO poster (code, manage_hash, destination, languages, format, "
                    "headline, label, created_on) VALUES (:code, :manage_hash, :destination, "
                    ":languages, :format, :headline, :label, :created_on)",
                    {**asdict(choice), "code": new_code(), "manage_hash": token_hash(token),
                     "created_on": today.isoformat()})
            break
        except sqlite3.IntegrityError:
            continue
    else:
        raise RuntimeError("no free poster code after 10 tries")
    return db.execute("SELECT * FROM poster WHERE id = ?", (inserted_id(cursor),)).fetchone(), token


def by_code(code: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = get_db().execute("SELECT * FROM poster WHERE code = ?",
                                                 (code,)).fetchone()
    return found


def by_token(token: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = get_db().execute("SELECT * FROM poster WHERE manage_hash = ?",
                                                 (token_hash(token),)).fetchone()
    return found


def count_scan(poster_id: int, day: date) -> None:
    db = get_db()
    with transaction(db):
        db.execute("INSERT INTO poster_scan (poster_id, day, scans) VALUES (?, ?, 1) "
                   "ON CONFLICT (poster_id, day) DO UPDATE SET scans = scans + 1",
                   (poster_id, day.isoformat()))


def daily_scans(poster_id: int, today: date, days: int = 30) -> list[tuple[date, int]]:
    """Scans on each of the last `days` days, oldest first, days without any as 0."""
    first = today - timedelta(days=days - 1)
    counted = dict(get_db().execute(
        "SELECT day, scans FROM poster_scan WHERE poster_id = ? AND day >= ?",
        (poster_id, first.isoformat())).fetchall())
    return [(first + timedelta(days=i), counted.get((first + timedelta(days=i)).isoformat(), 0))
            for i in range(days)]


def total_scans(poster_id: int) -> int:
    total: int = get_db().execute(
        "SELECT coalesce(sum(scans), 0) FROM poster_scan WHERE poster_id = ?",
        (poster_id,)).fetchone()[0]
    return total


def all_posters(today: date, before: int | None, limit: int) -> list[sqlite3.Row]:
    """Posters newest first, with their scans in all and in the last 7 days."""
    week_ago = (today - timedelta(days=6)).isoformat()
    return get_db().execute(
        "SELECT p.*, coalesce(sum(s.scans), 0) AS scans, "
        "coalesce(sum(s.scans) FILTER (WHERE s.day >= ?), 0) AS scans_week "
        "FROM poster p LEFT JOIN poster_scan s ON s.poster_id = p.id "
        "WHERE (? IS NULL OR p.id < ?) GROUP BY p.id ORDER BY p.id DESC LIMIT ?",
        (week_ago, before, before, limit)).fetchall()
