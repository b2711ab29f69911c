"""Organizer accounts: passwords, sessions, one-time links, throttling.

Every change to an account is a function here, with its audit line in the
same transaction; the views only parse forms and render.

Organizers will be targeted, so (docs/privacy.md, promise 8):
- passwords are hashed with scrypt N=2^17 (128 MiB), parameters kept in the
  hash so a stronger setting later still checks old ones;
- sessions live in the database as SHA-256 hashes of 256-bit cookie tokens,
  get a new token at every login, end after 30 idle minutes or 12 hours, and
  can all be ended at once;
- failed logins slow down, per account and per client, counted in the limits file
  every worker shares (web/limits.py);
- a wrong username and a wrong password look and take the same;
- every sign-in, sign-out, failed try and password set has its audit line.
The second factor is in two_step.py.
"""

import base64
import hashlib
import hmac
import secrets
import sqlite3
import time
from dataclasses import dataclass

from flask import current_app

from .. import vocab
from ..db import get_db, inserted_id, transaction
from ..web.limits import limiter
from . import audit, two_step

SESSION_IDLE = 30 * 60
SESSION_MAX = 12 * 3600
LINK_LIFETIME = {"setup": 7 * 24 * 3600, "invite": 7 * 24 * 3600, "reset": 24 * 3600}


def now() -> int:
    return int(time.time())


def today() -> str:
    return vocab.today().isoformat()


# -- passwords -----------------------------------------------------------------

def hash_password(password: str, n: int | None = None) -> str:
    n = n or current_app.config["PASSWORD_SCRYPT_N"]
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1,
                            maxmem=300 * 1024 * 1024, dklen=32)
    return "$".join(["scrypt", str(n), "8", "1", base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def check_password(stored: str | None, password: str) -> bool:
    """Constant work whether or not there is a stored hash (no user enumeration)."""
    if not stored:
        stored = _dummy_hash()
        password += "\0never"
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                                  r=int(r), p=int(p), maxmem=300 * 1024 * 1024, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


def _dummy_hash() -> str:
    # Random salt and digest with today's cost: checking it takes as long as a
    # real check and matches nothing, and making it costs nothing.
    n = current_app.config["PASSWORD_SCRYPT_N"]
    return "$".join(["scrypt", str(n), "8", "1", base64.b64encode(secrets.token_bytes(16)).decode(),
                     base64.b64encode(secrets.token_bytes(32)).decode()])


def password_problem(password: str) -> str | None:
    """Why a new password is not good enough, as a message key, or None."""
    if len(password) < 12:
        return "short"
    if len(password) > 200:
        return "long"
    return None


# -- organizers --------------------------------------------------------------

@dataclass(frozen=True)
class Organizer:
    id: int
    username: str
    role: str
    totp: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _organizer(row: sqlite3.Row) -> Organizer:
    return Organizer(row["id"], row["username"], row["role"], bool(row["totp_secret"]))


def create_organizer(username: str, role: str, password: str | None = None,
                     made_on: str | None = None) -> int:
    """A new account; `made_on` ("command line") logs an admin made outside the app."""
    password_hash = hash_password(password) if password else None  # slow: before the lock
    db = get_db()
    try:
        with transaction(db):
            cursor = db.execute("INSERT INTO organizer (username, password_hash, role, created_on) "
                                "VALUES (?, ?, ?, ?)", (username, password_hash, role, today()))
            if made_on:
                audit.record(db, inserted_id(cursor), "create admin", detail=made_on)
    except sqlite3.IntegrityError:
        raise UsernameTaken(username) from None
    return inserted_id(cursor)


def admin_exists() -> bool:
    return get_db().execute(
        "SELECT 1 FROM organizer WHERE role = 'admin' AND disabled = 0 LIMIT 1"
    ).fetchone() is not None


def authenticate(username: str, password: str, code: str) -> Organizer | None:
    """The organizer for these credentials, or None; same work either way.

    A failure is logged under the account, or under nobody for a name that is
    no account (never the name typed: it may be a password typed in the wrong
    field). One line either way, so both take the same time.
    """
    row = get_db().execute(
        "SELECT * FROM organizer WHERE username = ? AND disabled = 0", (username,)
    ).fetchone()
    password_ok = check_password(row["password_hash"] if row else None, password)
    if row and password_ok and (not row["totp_secret"] or two_step.accept_code(
            row["id"], row["totp_secret"], code)):
        return _organizer(row)
    # A right password with a wrong code tells an admin the password is known.
    audit.record_now(row["id"] if row else None, "sign-in failed",
                     detail="right password, wrong code" if row and password_ok else None)
    return None


def password_matches(organizer_id: int, password: str) -> bool:
    """For a signed-in organizer confirming a change to her own account."""
    row = get_db().execute("SELECT password_hash FROM organizer WHERE id = ?",
                           (organizer_id,)).fetchone()
    return check_password(row["password_hash"] if row else None, password)


# -- sessions ------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(organizer_id: int) -> tuple[str, str]:
    """A brand-new session (never one made before login), logged; returns (token, csrf)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db = get_db()
    with transaction(db):
        db.execute(
            "INSERT INTO organizer_session (token_hash, organizer_id, csrf_token, created_at, "
            "last_seen_at) VALUES (?, ?, ?, ?, ?)",
            (_token_hash(token), organizer_id, csrf, now(), now()),
        )
        audit.record(db, organizer_id, "sign in")
    return token, csrf


@dataclass(frozen=True)
class Session:
    organizer: Organizer
    csrf_token: str
    token_hash: str


def load_session(token: str | None) -> Session | None:
    """The live session for a cookie token, refreshed; None if gone, idle or too old."""
    if not token:
        return None
    db = get_db()
    row = db.execute(
        """SELECT s.token_hash, s.csrf_token, s.created_at, s.last_seen_at, o.*
           FROM organizer_session s JOIN organizer o ON o.id = s.organizer_id
           WHERE s.token_hash = ?""",
        (_token_hash(token),),
    ).fetchone()
    if row is None:
        return None
    t = now()
    expired = t - row["last_seen_at"] > SESSION_IDLE or t - row["created_at"] > SESSION_MAX
    if row["disabled"] or expired:
        with transaction(db):
            db.execute("DELETE FROM organizer_session WHERE token_hash = ?", (row["token_hash"],))
        return None
    if t - row["last_seen_at"] > 60:  # write at most once a minute per session
        with transaction(db):
            db.execute("UPDATE organizer_session SET last_seen_at = ? WHERE token_hash = ?",
                       (t, row["token_hash"]))
    return Session(_organizer(row), row["csrf_token"], row["token_hash"])


def end_session(token_hash: str) -> None:
    """Drop a session without a line: the one a new sign-in replaces."""
    db = get_db()
    with transaction(db):
        db.execute("DELETE FROM organizer_session WHERE token_hash = ?", (token_hash,))


def sign_out(session: Session) -> None:
    """She signed out: this session ends, logged."""
    db = get_db()
    with transaction(db):
        db.execute("DELETE FROM organizer_session WHERE token_hash = ?", (session.token_hash,))
        audit.record(db, session.organizer.id, "sign out")


def end_all_sessions(organizer_id: int) -> None:
    """She signed out everywhere: every session of hers ends, logged."""
    db = get_db()
    with transaction(db):
        db.execute("DELETE FROM organizer_session WHERE organizer_id = ?", (organizer_id,))
        audit.record(db, organizer_id, "sign out everywhere")


# -- one-time links ------------------------------------------------------------

def make_link(purpose: str, organizer_id: int | None) -> str:
    token = secrets.token_urlsafe(32)
    db = get_db()
    with transaction(db):
        db.execute(
            "INSERT INTO one_time_link (token_hash, purpose, organizer_id, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (_token_hash(token), purpose, organizer_id, now() + LINK_LIFETIME[purpose]),
        )
    return token


def peek_link(token: str, purpose: str) -> sqlite3.Row | None:
    """The link if it is still usable (unused, unexpired), without using it."""
    link: sqlite3.Row | None = get_db().execute(
        "SELECT * FROM one_time_link WHERE token_hash = ? AND purpose = ? AND used_at IS NULL "
        "AND expires_at > ?",
        (_token_hash(token), purpose, now()),
    ).fetchone()
    return link


def use_link(conn: sqlite3.Connection, token: str, purpose: str) -> bool:
    """Mark a link used, inside the caller's transaction; False if it was not usable."""
    cursor = conn.execute(
        "UPDATE one_time_link SET used_at = ? WHERE token_hash = ? AND purpose = ? "
        "AND used_at IS NULL AND expires_at > ?",
        (now(), _token_hash(token), purpose, now()),
    )
    return cursor.rowcount == 1


# -- throttling ----------------------------------------------------------------

def _throttle_keys(username: str, address: str | None) -> list[tuple[str, str]]:
    counter = limiter()
    return [("login-account", counter.name_key(username.casefold())),
            ("login-client", counter.client_key(address))]


def take_try(username: str, address: str | None) -> int:
    """Count one sign-in try for this account and this client; 0, or the seconds to wait.

    Past the third try in an hour, each doubles the wait (2 s ... 15 min). The
    try is counted before the password is checked, in the same step as the
    check for a wait, so many tries sent at once cannot all be checked; a right
    password gives its try back (give_back_try). Accounts are counted by the
    name typed, existing or not, so the wait says nothing about which names exist.
    """
    return limiter().take_try(_throttle_keys(username, address), free=3, window=3600,
                              longest_wait=900)


def give_back_try(username: str, address: str | None) -> None:
    """A try that succeeded does not count against her, nor keep her waiting."""
    limiter().give_back_try(_throttle_keys(username, address), 3600)


# -- changes to accounts, each with its audit line -------------------------------

class UsernameTaken(ValueError):
    pass


def set_password_from_link(token: str, purpose: str, username: str, password: str) -> bool:
    """Use a setup, invitation or reset link: False if it was used or expired meanwhile.

    Setup makes the first admin; the others set the linked account's password
    and end its sessions. Raises UsernameTaken (the link stays unused).
    """
    password_hash = hash_password(password)  # slow: before taking the lock
    db = get_db()
    try:
        with transaction(db):
            link = db.execute("SELECT organizer_id FROM one_time_link WHERE token_hash = ?",
                              (_token_hash(token),)).fetchone()
            if not use_link(db, token, purpose):
                return False
            if purpose == "setup":
                cursor = db.execute("INSERT INTO organizer (username, password_hash, role, "
                                    "created_on) VALUES (?, ?, 'admin', ?)",
                                    (username, password_hash, today()))
                audit.record(db, inserted_id(cursor), "create admin", detail="setup link")
            else:
                db.execute("UPDATE organizer SET password_hash = ? WHERE id = ?",
                           (password_hash, link["organizer_id"]))
                db.execute("DELETE FROM organizer_session WHERE organizer_id = ?",
                           (link["organizer_id"],))
                audit.record(db, link["organizer_id"], "set password",
                             detail="invitation link" if purpose == "invite" else "reset link")
    except sqlite3.IntegrityError:
        raise UsernameTaken(username) from None
    return True


def username_of(organizer_id: int | None) -> str | None:
    if organizer_id is None:
        return None
    row = get_db().execute("SELECT username FROM organizer WHERE id = ?",
                           (organizer_id,)).fetchone()
    return row["username"] if row else None


def all_accounts() -> list[sqlite3.Row]:
    return get_db().execute(
        "SELECT id, username, role, disabled, password_hash IS NOT NULL AS active, "
        "totp_secret IS NOT NULL AS totp, EXISTS (SELECT 1 FROM one_time_link l WHERE "
        "l.organizer_id = organizer.id AND l.purpose = 'reset') AS was_reset "
        "FROM organizer ORDER BY username"
    ).fetchall()


def account(organizer_id: int) -> sqlite3.Row | None:
    return next((a for a in all_accounts() if a["id"] == organizer_id), None)


def invite(admin_id: int, username: str, role: str) -> str:
    """A new account without a password, and the one-time link for its owner."""
    db = get_db()
    try:
        with transaction(db):
            cursor = db.execute(
                "INSERT INTO organizer (username, role, created_on) VALUES (?, ?, ?)",
                (username, role, today()))
            audit.record(db, admin_id, "invite", detail=f"{username} ({role})")
    except sqlite3.IntegrityError:
        raise UsernameTaken(username) from None
    return make_link("invite", cursor.lastrowid)


# What an admin can do to another account: the audit word and the statements.
# A reset wipes the password at once: whoever knew it (perhaps why it is being
# reset) can't sign in with it while the link waits. Clearing the second factor
# is for a lost phone, which may also hold a signed-in browser: its sessions end.
ACCOUNT_CHANGES = {
    "disable": ("disable", ("UPDATE organizer SET disabled = 1 WHERE id = ?",
                            "DELETE FROM organizer_session WHERE organizer_id = ?")),
    "enable": ("enable", ("UPDATE organizer SET disabled = 0 WHERE id = ?",)),
    "reset": ("reset password", ("UPDATE organizer SET password_hash = NULL WHERE id = ?",
                                 "DELETE FROM organizer_session WHERE organizer_id = ?")),
    "clear-two-step": ("two-factor cleared", (
        "UPDATE organizer SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?",
        "DELETE FROM organizer_session WHERE organizer_id = ?")),
}


def change_account(admin_id: int, organizer_id: int, change: str) -> str | None:
    """Disable, enable, reset or clear the second factor of another account; its
    username, or None if there is none.

    An admin can't change her own account this way: she must not lock herself out.
    """
    action, statements = ACCOUNT_CHANGES[change]
    db = get_db()
    with transaction(db):
        row = db.execute("SELECT username FROM organizer WHERE id = ?",
                         (organizer_id,)).fetchone()
        if row is None:
            return None
        if organizer_id == admin_id:
            raise PermissionError("an admin can't change her own account")
        for statement in statements:
            db.execute(statement, (organizer_id,))
        username: str = row["username"]
        audit.record(db, admin_id, action, detail=username)
    return username
