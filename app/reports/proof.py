"""Proof of work for reports while the site is flooded (hashcash, as GlobaLeaks does).

When more reports arrive site-wide than REPORTS_PER_HOUR, a report that goes
straight into the review queue must come with the answer to a small puzzle: a
number that makes the SHA-256 of "<challenge>:<number>" start with `bits` zero
bits. The page's script finds one in a Web Worker (static/js/proof-worker.js)
and sends the report again by itself. A report sent without an answer (a
browser without JavaScript, or a script) is not refused: it is stored and held
apart for organizers (app/reports/views.py), so a flood fills the held list,
never the queue, and silences no one.

How hard the puzzle is depends on the flood and on the client (its limit key,
app/web/limits.py: an IPv4 address or an IPv6 /64):

- POW_BITS at the threshold, one bit more (twice the work) each time the
  site-wide rate of reports that went straight into the queue doubles (held
  reports turn flood mode on and keep it on, but cost an attacker nothing, so
  they must not make every phone's puzzle harder);
- PER_REPORT_BITS more for each report this client already sent in the last
  hour (stored, held, or refused with a challenge), so the second report from
  one place costs four times the first, the third sixteen times;
- never more than MAX_BITS.

Why these numbers. A try is one SHA-256 compression. Plain JavaScript in a
worker does about 3 million a second on a laptop and 300,000 on a mid-range
phone (proof-worker.js); a CPU core with SHA extensions does some 20 million;
a gaming GPU 10-20 billion. Expected tries are 2^bits:

    bits   tries    mid-range phone   laptop JS   GPU
    17     131 k    ~0.4 s            ~0.05 s     ~10 µs
    19     524 k    ~1.7 s            ~0.2 s      ~40 µs
    21     2.1 M    ~7 s              ~0.7 s      ~0.2 ms
    24     16.8 M   ~56 s             ~6 s        ~1 ms

A woman's first report in a flood costs her phone well under a second; a
second one within the hour a couple of seconds; MAX_BITS is the most we ask of
a phone. No count a phone can pay stops a GPU (a report costs it about a
millisecond at the ceiling), and none can stop a botnet of many addresses. So
the proof is not what keeps a flood out: it decides which reports skip the
held list, and it makes one client's repeated sends, including harvested
challenges, cost more each time. The per-client limit (5 an hour) bounds what
each address may store at all; the held list keeps what the rest stores away
from the queue until an organizer looks.

A challenge is stateless: the server signs what it issued (difficulty, the
minute it was made, a nonce) and the client it was issued to with the secret
key, and only checks the signature, its age and the answer. Each answered
challenge is accepted once (remembered in the shared limits file for as long as
it is valid). Every challenge handed out costs the client one of her reports
for the hour (it is not given back), so challenges cannot be collected for free,
and one collected by one client is worth nothing to another.
"""

import hashlib
import hmac
import math
import secrets
import time

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..web import limits

VERSION = "v1"
MAX_AGE_MINUTES = 30  # a challenge older than this is refused (a fresh one is offered)
BUSY_MINUTES = 10  # what a visitor without JavaScript is asked to wait in a flood
MAX_BITS = 24  # ~1 minute on a mid-range phone: the ceiling (see the table above)
PER_REPORT_BITS = 2  # each report a client already sent this hour: four times the work
ANSWER_DIGITS = 12


def busy_notice() -> LazyString:
    """What a form that cannot prove its work is told in a flood: nothing is lost."""
    return _l("SpotCheck is very busy right now. Nothing was stored yet, and what you wrote "
              "is still below: please send it again in %(minutes)s minutes.",
              minutes=BUSY_MINUTES)


def _mac(body: str, client: str) -> str:
    key = hmac.digest(current_app.config["SECRET_KEY"].encode(), b"spotcheck proof", "sha256")
    # The client's limit key (an HMAC of its network under today's key) is signed
    # with the challenge, never written in it. 12 hex digits (48 bits): forging
    # one takes longer than a challenge lives.
    return hmac.new(key, f"{body} {client}".encode(), hashlib.sha256).hexdigest()[:12]


def difficulty(reports_last_hour: float, busy_at: int, sent_by_client: float = 0,
               queued_last_hour: float | None = None) -> int:
    """Zero bits wanted: 0 below the threshold (every report stored, held ones too);
    else POW_BITS, one more each time the rate of reports into the queue
    (`queued_last_hour`, or all of them if not given) doubles past the threshold,
    and PER_REPORT_BITS more for each report this client sent."""
    base: int = current_app.config["POW_BITS"]
    if busy_at <= 0 or reports_last_hour < busy_at:
        return 0
    queued = reports_last_hour if queued_last_hour is None else queued_last_hour
    flood = int(math.log2(max(queued, busy_at) / busy_at))
    # round: the limiter's sliding estimate weighs the previous hour's count.
    own = PER_REPORT_BITS * max(0, round(sent_by_client))
    return min(MAX_BITS, base + flood + own)


def new_challenge(bits: int, client: str) -> str:
    """A challenge for this client, signed; short enough that challenge, colon and
    answer fit one SHA-256 block."""
    body = f"{VERSION}.{bits}.{int(time.time() // 60):x}.{secrets.token_hex(4)}"
    return f"{body}.{_mac(body, client)}"


def leading_zero_bits(digest: bytes) -> int:
    number = int.from_bytes(digest, "big")
    return len(digest) * 8 - number.bit_length()


def verify(challenge: str | None, answer: str | None, bits_needed: int, client: str) -> bool:
    """True if this is our challenge, issued to this client, fresh, hard enough,
    answered, and not used before.

    `bits_needed` is the flood's difficulty now; what the client had sent when
    the challenge was made is already in its signed bits.
    """
    if not challenge or not answer or len(challenge) > 64:
        return False
    if not (answer.isascii() and answer.isdigit() and len(answer) <= ANSWER_DIGITS):
        return False
    body, _, mac = challenge.rpartition(".")
    parts = body.split(".")
    if len(parts) != 4 or parts[0] != VERSION or not hmac.compare_digest(
            mac, _mac(body, client)):
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
