"""Rate limits counted once for the whole server, that never learn who anyone is.

A client is counted under an HMAC of its address, an IPv6 client by its /64
(docs/privacy.md, promise 1).
The HMAC key is derived in memory from a boot secret and the date. The boot
secret is made when the app is created, which gunicorn does once before it
forks its workers (`preload_app`), so every worker shares it; it is never
written anywhere. So the counts on disk cannot be tied to an address by anyone,
and after a restart or at midnight UTC nobody can read old rows any more:
they simply expire.

The counts live in a small SQLite file of their own (`LIMITS_DATABASE`), which
every worker shares: "5 reports an hour" means 5 with any number of workers.
It holds counts per fixed window, never the time of an event: a sliding
estimate weighs the previous window by the share of it still inside the last
`window` seconds, as Cloudflare's rate limiter does. Nothing in it is worth
backing up; losing it on a crash only forgets some counts.
"""

import hashlib
import hmac
import ipaddress
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from flask import Flask, current_app, request

from .. import vocab
from ..db import transaction

DAY = 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_count (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,      -- an HMAC of the address under the in-memory key, or 'everyone'
    window_number INTEGER NOT NULL,  -- seconds since 1970 // window length
    n INTEGER NOT NULL,
    PRIMARY KEY (bucket, client, window_number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rate_block (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,
    until INTEGER NOT NULL,    -- no try from this client before then (login backoff)
    PRIMARY KEY (bucket, client)
) WITHOUT ROWID;
-- Expired rows go at each block or claim; this finds just them.
CREATE INDEX IF NOT EXISTS rate_block_until ON rate_block (until);
"""


def client_network(address: str | None) -> str:
    """Who a limit counts: an IPv4 address as it is, an IPv6 address by its /64.

    An IPv6 client is usually given a whole /64 and can take a new address in it at
    will (privacy extensions do so by themselves), so counting single addresses would
    let one client rotate past every limit (security review of 2026-12-06). An IPv4
    address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address.
    """
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class Limiter:
    """Counters shared by every process that opens the same file with the same boot secret."""

    def __init__(self, path: str | Path, boot_secret: bytes,
                 clock: Callable[[], float] = time.time):
        self._path = str(path)
        self._boot_secret = boot_secret
        self._clock = clock
        self._local = threading.local()  # one connection per thread, opened after the fork
        # The file's WAL mode and tables, once, before any worker or thread opens it:
        # a brand-new file asked by many threads at once to switch to WAL answers
        # "database is locked" to all but one, without waiting.
        with closing(sqlite3.connect(self._path, isolation_level=None, timeout=10)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, timeout=10)
            # Counts may be lost on a power cut; a report never is (that is app/db.py).
            conn.execute("PRAGMA synchronous = OFF")
            self._local.conn = conn
        return conn

    def _hmac(self, text: str) -> str:
        day_key = hmac.digest(self._boot_secret, vocab.today().isoformat().encode(), "sha256")
        return hmac.new(day_key, text.encode(), hashlib.sha256).hexdigest()

    def client_key(self, address: str | None, subject: str = "") -> str:
        """An HMAC of the client's network (and `subject`) under today's key; neither is
        ever stored."""
        client = f"{client_network(address)} {subject}" if subject else client_network(address)
        return self._hmac(client)

    def name_key(self, name: str) -> str:
        """An HMAC of a typed name under today's key, the way a client is counted: a name
        typed at sign-in may be someone's password, so it is never stored as typed."""
        return self._hmac(f"name {name}")

    def _windows(self, window: float) -> tuple[int, float]:
        """The current window's number, and how far into it we are (0 to 1)."""
        position = self._clock() / window
        return int(position), position - int(position)

    def _estimate(self, db: sqlite3.Connection, bucket: str, key: str,
                  window: float) -> tuple[float, int]:
        """About how many events in the last `window` seconds, and the current window's number."""
        number, elapsed = self._windows(window)
        counts = dict(db.execute(
            "SELECT window_number, n FROM rate_count WHERE bucket = ? AND client = ? "
            "AND window_number IN (?, ?)", (bucket, key, number - 1, number)).fetchall())
        return counts.get(number, 0) + counts.get(number - 1, 0) * (1 - elapsed), number

    @staticmethod
    def _add(db: sqlite3.Connection, bucket: str, key: str, number: int) -> None:
        """One more in window `number`; this bucket's windows that no longer matter go."""
        db.execute("INSERT INTO rate_count (bucket, client, window_number, n) "
                   "VALUES (?, ?, ?, 1) ON CONFLICT (bucket, client, window_number) "
                   "DO UPDATE SET n = n + 1", (bucket, key, number))
        db.execute("DELETE FROM rate_count WHERE bucket = ? AND window_number < ?",
                   (bucket, number - 1))

    def count(self, bucket: str, key: str, window: float) -> float:
        """About how many events were counted in the last `window` seconds."""
        return self._estimate(self._db(), bucket, key, window)[0]

    def record(self, bucket: str, key: str, window: float) -> None:
        """Count one event."""
        with transaction(self._db()) as db:
            self._add(db, bucket, key, self._windows(window)[0])

    def take(self, bucket: str, key: str, limit: int, window: float) -> bool:
        """Count one event if fewer than `limit` were counted; check and count are one step.

        Separate check and record let simultaneous requests all pass the check.
        """
        with transaction(self._db()) as db:
            counted, number = self._estimate(db, bucket, key, window)
            if counted >= limit:
                return False
            self._add(db, bucket, key, number)
        return True

    def give_back(self, bucket: str, key: str, window: float) -> None:
        """Uncount one event taken in this window or the one before (a try that failed)."""
        with transaction(self._db()) as db:
            self._uncount(db, bucket, key, self._windows(window)[0])

    @staticmethod
    def _uncount(db: sqlite3.Connection, bucket: str, key: str, number: int) -> None:
        for candidate in (number, number - 1):
            if db.execute("UPDATE rate_count SET n = n - 1 WHERE bucket = ? AND client = ? "
                          "AND window_number = ? AND n > 0", (bucket, key, candidate)).rowcount:
                break

    @staticmethod
    def _until(db: sqlite3.Connection, bucket: str, key: str) -> int:
        row = db.execute("SELECT until FROM rate_block WHERE bucket = ? AND client = ?",
                         (bucket, key)).fetchone()
        return row[0] if row else 0

    @staticmethod
    def _set_until(db: sqlite3.Connection, bucket: str, key: str, until: float) -> None:
        db.execute("INSERT INTO rate_block (bucket, client, until) VALUES (?, ?, ?) "
                   "ON CONFLICT (bucket, client) DO UPDATE SET until = excluded.until",
                   (bucket, key, int(until)))

    def take_try(self, keys: list[tuple[str, str]], free: int, window: float,
                 longest_wait: float) -> int:
        """Count one try under each (bucket, key) unless one of them must wait; past
        `free` tries in `window`, each doubles the wait before the next (2 s, 4 s
        ... `longest_wait`).

        Returns 0 when the try is counted, else the seconds to wait. The check,
        the count and the new wait are one step, so tries sent all at once are
        refused as surely as tries sent one after another.
        """
        now = self._clock()
        with transaction(self._db()) as db:
            until = max(self._until(db, bucket, key) for bucket, key in keys)
            if until > now:
                return int(until - now) + 1
            for bucket, key in keys:
                counted, number = self._estimate(db, bucket, key, window)
                self._add(db, bucket, key, number)
                tries = round(counted) + 1
                if tries > free:
                    wait = min(2 ** (tries - free), longest_wait)
                    self._set_until(db, bucket, key, now + wait)
            db.execute("DELETE FROM rate_block WHERE until < ?", (int(now),))
        return 0

    def give_back_try(self, keys: list[tuple[str, str]], window: float) -> None:
        """Undo a `take_try` that succeeded: its count, and the wait it began."""
        with transaction(self._db()) as db:
            for bucket, key in keys:
                self._uncount(db, bucket, key, self._windows(window)[0])
            db.executemany("DELETE FROM rate_block WHERE bucket = ? AND client = ?", keys)

    def claim(self, bucket: str, key: str, seconds: float) -> bool:
        """True the first time this key is claimed in `seconds`; False while it stays claimed."""
        now = self._clock()
        with transaction(self._db()) as db:
            if self._until(db, bucket, key) > now:
                return False
            self._set_until(db, bucket, key, now + seconds)
            db.execute("DELETE FROM rate_block WHERE until < ?", (int(now),))
        return True

    def claim_today(self, bucket: str, key: str) -> bool:
        """`claim` until the next midnight UTC, when client keys change anyway."""
        return self.claim(bucket, key, DAY - self._clock() % DAY)

    def blocked_for(self, bucket: str, key: str) -> int:
        """Seconds until this client may try again in this bucket (0: now)."""
        until, now = self._until(self._db(), bucket, key), self._clock()
        return int(until - now) + 1 if until > now else 0


def limiter() -> Limiter:
    found: Limiter = current_app.extensions["spotcheck_limiter"]
    return found


def _key(per_client: bool) -> str:
    # per_client=False counts every client together: a site-wide rate.
    return limiter().client_key(request.remote_addr) if per_client else "everyone"


def take(bucket: str, limit: int, window: float = 3600, per_client: bool = True) -> bool:
    """Count one event for this client (or everyone) unless `limit` is used up; 0 is no limit.

    The one way to apply a limit: the check and the count are one step.
    """
    return limit <= 0 or limiter().take(bucket, _key(per_client), limit, window)


def give_back(bucket: str, window: float = 3600, per_client: bool = True) -> None:
    """Undo a `take` whose try came to nothing, so it does not use up her limit."""
    limiter().give_back(bucket, _key(per_client), window)


def count(bucket: str, window: float = 3600, per_client: bool = True) -> float:
    """About how many events this client (or everyone) had in the last `window` seconds."""
    return limiter().count(bucket, _key(per_client), window)


def record(bucket: str, window: float = 3600, per_client: bool = True) -> None:
    """Count one event for this client (or for everyone): a rate, not a limit."""
    limiter().record(bucket, _key(per_client), window)


def first_today(bucket: str, subject: str) -> bool:
    """True the first time today (UTC) that this client comes for `subject` (one poster, say).

    One HMAC of the address and the subject together, under today's key, so
    the file cannot tell that one client asked about two subjects; the claim
    ends at midnight, when the key changes anyway.
    """
    counter = limiter()
    return counter.claim_today(bucket, counter.client_key(request.remote_addr, subject))


def init_app(app: Flask) -> None:
    # Made here, in the process that creates the app: gunicorn's master, before
    # it forks, so all workers share it. Never written down.
    path = app.config["LIMITS_DATABASE"] or Path(app.instance_path) / "limits.sqlite3"
    app.extensions["spotcheck_limiter"] = Limiter(path, secrets.token_bytes(32))
