"""Proof of work for reports while the site is flooded (hashcash, as GlobaLeaks does).

When more reports arrive site-wide than REPORTS_PER_HOUR, a report must come
with the answer to a small puzzle: a number that makes the SHA-256 of
"<challenge>:<number>" start with `bits` zero bits. A phone finds one in about
a second in a Web Worker (static/js/proof-worker.js); a script sending
thousands of reports pays that second for each one. The puzzle gets harder as
the flood grows, one bit (twice the work) each time the rate doubles.

A challenge is stateless: the server signs what it issued (difficulty, the
minute it was made, a nonce) with the secret key, and only checks the
signature, its age and the answer. Each answered challenge is accepted once
(remembered in the shared limits file for as long as it is valid).
"""

import hashlib
import hmac
import math
import secrets
import time

from flask import current_app

from ..web import limits

VERSION = "v1"
MAX_AGE_MINUTES = 30  # a challenge older than this is refused (a fresh one is offered)
MAX_BITS = 24  # ~30 s on this 2-core machine, minutes on a slow phone: the ceiling
ANSWER_DIGITS = 12


def _mac(body: str) -> str:
    key = hmac.digest(current_app.config["SECRET_KEY"].encode(), b"spotcheck proof", "sha256")
    # 12 hex digits (48 bits): forging one takes longer than a challenge lives.
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:12]


def difficulty(reports_last_hour: float, busy_at: int) -> int:
    """Zero bits wanted: POW_BITS at the threshold, one more each time the rate doubles."""
    base: int = current_app.config["POW_BITS"]
    if busy_at <= 0 or reports_last_hour < busy_at:
        return 0
    return min(MAX_BITS, base + int(math.log2(reports_last_hour / busy_at)))


def new_challenge(bits: int) -> str:
    """A signed challenge, short enough that challenge, colon and answer fit one SHA-256 block."""
    body = f"{VERSION}.{bits}.{int(time.time() // 60):x}.{secrets.token_hex(4)}"
    return f"{body}.{_mac(body)}"


def leading_zero_bits(digest: bytes) -> int:
    number = int.from_bytes(digest, "big")
    return len(digest) * 8 - number.bit_length()


def verify(challenge: str | None, answer: str | None, bits_needed: int) -> bool:
    """True if this is our challenge, fresh, hard enough, answered, and not used before."""
    if not challenge or not answer or len(challenge) > 64:
        return False
    if not (answer.isascii() and answer.isdigit() and len(answer) <= ANSWER_DIGITS):
        return False
    body, _, mac = challenge.rpartition(".")
    parts = body.split(".")
    if len(parts) != 4 or parts[0] != VERSION or not hmac.compare_digest(mac, _mac(body)):
        return False
    try:
        bits, minute = int(parts[1]), int(parts[2], 16)
    except ValueError:
        return False
    if bits < bits_needed or not 0 <= time.time() // 60 - minute <= MAX_AGE_MINUTES:
        return False
    digest = hashlib.sha256(f"{challenge}:{answer}".encode()).digest()
    if leading_zero_bits(digest) < bits:
        return False
    # Once only: a solved challenge must not carry a thousand reports.
    used = hashlib.sha256(challenge.encode()).hexdigest()
    return limits.limiter().claim("proof-used", used, (MAX_AGE_MINUTES + 2) * 60)
