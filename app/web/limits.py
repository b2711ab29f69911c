"""Rate limits that never learn who anyone is (DESIGN.md promise 1).

A client is counted under an HMAC of its address with a random key that lives
only in this process's memory and is replaced every day; the address itself
is never kept. Counters are in memory too, so a restart forgets everything.
Each server process keeps its own counters: with several gunicorn workers a
client may get up to that many times the limit before every worker refuses.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from datetime import date

from flask import Flask, current_app, request


class Limiter:
    """Sliding-window counters: at most `limit` events per `window` seconds per key."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._events: dict[tuple[str, str], deque[float]] = {}
        self._day: date | None = None
        self._key = b""

    def client_key(self, address: str | None) -> str:
        """An HMAC of the address under today's key; the address is not kept."""
        with self._lock:
            today = date.today()
            if today != self._day:
                # A new day: new key, and yesterday's counters go with the old one.
                self._day, self._key = today, secrets.token_bytes(32)
                self._events.clear()
            key = self._key
        return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()

    def recent(self, bucket: str, key: str, window: float) -> list[float]:
        """The times of the events counted in the last `window` seconds, oldest first."""
        now = self._clock()
        with self._lock:
            events = self._events.get((bucket, key)) or deque()
            while events and events[0] <= now - window:
                events.popleft()
            return list(events)

    def exhausted(self, bucket: str, key: str, limit: int, window: float) -> bool:
        """True if `limit` events were already counted in the last `window` seconds."""
        return len(self.recent(bucket, key, window)) >= limit

    def clock(self) -> float:
        return self._clock()

    def record(self, bucket: str, key: str) -> None:
        with self._lock:
            self._events.setdefault((bucket, key), deque()).append(self._clock())



def limiter() -> Limiter:
    return current_app.extensions["spotcheck_limiter"]


def _key(per_client: bool) -> str:
    # per_client=False counts every client together: a site-wide cap.
    return limiter().client_key(request.remote_addr) if per_client else "everyone"


def exhausted(bucket: str, limit: int, window: float = 3600, per_client: bool = True) -> bool:
    """Has this client (or everyone) used up `limit` in the last `window` seconds?

    A limit of 0 is off (benchmarks, closed test setups).
    """
    return limit > 0 and limiter().exhausted(bucket, _key(per_client), limit, window)


def record(bucket: str, per_client: bool = True) -> None:
    """Count one event for this client (or for everyone)."""
    limiter().record(bucket, _key(per_client))


def init_app(app: Flask) -> None:
    app.extensions["spotcheck_limiter"] = Limiter()
