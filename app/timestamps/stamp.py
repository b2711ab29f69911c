"""What a timestamp is: the request it answers, the message signed, and checking one.

docs/timestamps.md is the specification for anyone who verifies one without us.
The signed message is one ASCII line without a line ending, 108 bytes:

    spotcheck-timestamp-v1 <sha256: 64 lowercase hex digits> <time: YYYY-MM-DDTHH:MM:SSZ>

with one space (0x20) between the three parts. The time is UTC, rounded up to
the next whole second: the hash reached the server at or before that second, so
"the file existed no later than this time" holds to the second.
"""

import base64
import binascii
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..web.keys import PublicKey, SigningKey

FORMAT = "spotcheck-timestamp-v1"
KEY_FILE = "timestamp_key.pem"
# One spelling per hash, so one message per hash and time: lowercase only.
SHA256 = re.compile(r"[0-9a-f]{64}")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# {"sha256": "<64 hex digits>"} is 77 bytes; room for spaces and a line ending, no more.
MAX_BODY = 1024
MEMBERS = ("sha256",)

# The server's clock, as seconds since 1970 (tests put their own in its place).
clock: Callable[[], float] = time.time

HASH_MESSAGE = _l("sha256 must be the file’s SHA-256 as 64 lowercase hexadecimal characters "
                  "(0–9, a–f).")

TOO_LARGE = _l("The request is too large: send only the file’s SHA-256.")


class BadRequest(ValueError):
    """What is wrong with a request, for a 400: the field, a stable code, a message."""

    def __init__(self, parameter: str, code: str, message: LazyString) -> None:
        super().__init__(parameter)
        self.parameter, self.code, self.message = parameter, code, message


def message(sha256: str, when: str) -> bytes:
    """The exact bytes signed for this hash and time."""
    return f"{FORMAT} {sha256} {when}".encode("ascii")


def stamp_time(seconds: float) -> str:
    """A moment as the message writes it: UTC, rounded up to the whole second."""
    return datetime.fromtimestamp(math.ceil(seconds), UTC).strftime(TIME_FORMAT)


def shown(name: str) -> str:
    """A member's name as an error may repeat it: short, and UTF-8 even when JSON's
    escapes made it a lone surrogate ("\\ud800"), which no answer could carry."""
    return name[:64].encode("utf-8", "backslashreplace").decode("utf-8")


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            raise BadRequest(shown(name), "repeated", _l("Give %(name)s only once.",
                                                         name=shown(name)))
        seen.add(name)
    return dict(pairs)


def parse_request(content_type: str | None, body: bytes) -> str:
    """The hash from a request's body, {"sha256": "<64 lowercase hex digits>"}, or BadRequest."""
    shape = _l("Send a JSON object with one member, sha256, as Content-Type: "
               "application/json.")
    if len(body) > MAX_BODY:
        raise BadRequest("body", "too_large", TOO_LARGE)
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        raise BadRequest("Content-Type", "not_json", shape)
    try:
        sent = json.loads(body, object_pairs_hook=_refuse_repeats)
    except BadRequest:
        raise
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
        raise BadRequest("body", "not_json", shape) from None
    if not isinstance(sent, dict):
        raise BadRequest("body", "not_json", shape)
    for name in sent:
        if name not in MEMBERS:
            raise BadRequest(shown(name), "unknown", _l(
                "Unknown member %(name)s. Send only sha256.", name=shown(name)))
    sha256 = sent.get("sha256")
    if sha256 is None:
        raise BadRequest("sha256", "missing", HASH_MESSAGE)
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
        raise BadRequest("sha256", "bad_hash", HASH_MESSAGE)
    return sha256


def sign(key: SigningKey, sha256: str) -> dict[str, str]:
    """The answer: the hash, the server's time, and the key's signature over both."""
    when = stamp_time(clock())
    return {
        "format": FORMAT,
        "sha256": sha256,
        "time": when,
        "signature": base64.b64encode(key.sign(message(sha256, when))).decode("ascii"),
        "key_id": key.public.id,
    }


def public_key_answer(key: PublicKey) -> dict[str, str]:
    """What GET /api/v1/timestamp/key says."""
    return {"format": FORMAT, "algorithm": "Ed25519", "key_id": key.id,
            "public_key": key.base64, "pem": key.pem}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str


def verify(key: PublicKey, sha256: str, when: str, signature: str,
           claimed_key_id: str | None = None) -> Verdict:
    """Whether `signature` (base64) is `key`'s over this hash and time, and why not."""
    if not SHA256.fullmatch(sha256):
        return Verdict(False, "the hash is not 64 lowercase hexadecimal digits")
    if not TIME.fullmatch(when):
        return Verdict(False, "the time is not written as YYYY-MM-DDTHH:MM:SSZ")
    if claimed_key_id is not None and claimed_key_id != key.id:
        return Verdict(False, f"it names key {claimed_key_id[:32]!r}, but this key is "
                              f"{key.id!r}")
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return Verdict(False, "the signature is not base64")
    if len(raw) != 64 or not key.verifies(raw, message(sha256, when)):
        return Verdict(False, f"the signature does not match this hash and time under key "
                              f"{key.id}")
    return Verdict(True, f"{sha256} was presented to this server no later than {when} "
                         f"(key {key.id})")
