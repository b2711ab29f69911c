"""The second factor: TOTP secrets, and codes that work once.

A code is good for its 30-second step and, for phones whose clocks are a
little off, the steps either side. Each accepted code moves the account's
`totp_last_step` forward, with a compare-and-set in one statement, so that
step and every earlier one are refused afterwards: a code seen over a
shoulder, or sent twice at once, opens nothing.

Turning the second factor on needs the password and a code from the new
secret; turning it off needs the password and a current code. There is no
"replace": a session left open somewhere must not be enough to move the
second factor to someone else's phone. An admin can clear it for a lost
phone (accounts.change_account, audited).
"""

import hmac
import re
import time

import pyotp

from ..db import get_db, transaction
from . import audit

SECRET = re.compile(r"[A-Z2-7]{32}")
STEP_SECONDS = 30


def now() -> float:
    return time.time()


def new_secret() -> str:
    return pyotp.random_base32()


def uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="SpotCheck")


def secret_of(organizer_id: int) -> str | None:
    row = get_db().execute("SELECT totp_secret FROM organizer WHERE id = ?",
                           (organizer_id,)).fetchone()
    return row["totp_secret"] if row else None


def matching_step(secret: str, code: str) -> int | None:
    """The latest of the last, this and the next step whose code this is, or None."""
    code = code.replace(" ", "").strip()
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    step = int(now() // STEP_SECONDS)
    matches = [s for s in (step - 1, step, step + 1)
               if hmac.compare_digest(totp.generate_otp(s), code)]
    return max(matches, default=None)


# Moves the step forward only past the last one used, and only for the secret
# the code was checked against (not one changed meanwhile).
_USE_STEP = ("UPDATE organizer SET totp_last_step = ? WHERE id = ? AND totp_secret = ? "
             "AND (totp_last_step IS NULL OR totp_last_step < ?)")


def accept_code(organizer_id: int, secret: str, code: str) -> bool:
    """True, once, for a right code that is newer than the last one accepted."""
    step = matching_step(secret, code)
    if step is None:
        return False
    db = get_db()
    with transaction(db):
        used = db.execute(_USE_STEP, (step, organizer_id, secret, step)).rowcount == 1
    return used


def turn_on(organizer_id: int, secret: str, code: str) -> bool:
    """Start asking for codes from this new secret; False if the code is wrong or
    a second factor is already on (it must be turned off first)."""
    step = matching_step(secret, code) if SECRET.fullmatch(secret) else None
    if step is None:
        return False
    db = get_db()
    with transaction(db):
        changed = db.execute(
            "UPDATE organizer SET totp_secret = ?, totp_last_step = ? "
            "WHERE id = ? AND totp_secret IS NULL", (secret, step, organizer_id)).rowcount
        if changed:
            audit.record(db, organizer_id, "two-factor on")
    return changed == 1


def failed(organizer_id: int, turning_off: bool, password_right: bool) -> None:
    """Log a try to turn the second factor on or off that failed: a wrong password
    here means someone with her open session is guessing it, and a right password
    with a wrong code that the password is known."""
    detail = "right password, wrong code" if password_right else "wrong password"
    if turning_off:
        audit.record_now(organizer_id, "two-factor off failed", detail=detail)
    else:
        audit.record_now(organizer_id, "two-factor on failed", detail=detail)


def turn_off(organizer_id: int, code: str) -> bool:
    """Stop asking for codes, given a current code not used before; False otherwise."""
    secret = secret_of(organizer_id)
    step = matching_step(secret, code) if secret else None
    if step is None:
        return False
    db = get_db()
    with transaction(db):
        if db.execute(_USE_STEP, (step, organizer_id, secret, step)).rowcount != 1:
            return False
        db.execute("UPDATE organizer SET totp_secret = NULL, totp_last_step = NULL "
                   "WHERE id = ?", (organizer_id,))
        audit.record(db, organizer_id, "two-factor off")
    return True
