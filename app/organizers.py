"""Organizer sign-in and accounts, and the rule that guards /<lang>/organizers/.

Protected by default: every URL under /<lang>/organizers/ needs a live
session, whichever blueprint serves it, except the few on OPEN_ENDPOINTS.
Every state-changing request there also needs the session's CSRF token.
"""

import functools
import hmac
import re
import sqlite3

import click
from flask import (
    Blueprint,
    Flask,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import auth, qr
from .db import get_db, transaction
from .security import allow_cookies, same_origin_post

bp = Blueprint("organizers", __name__, url_prefix="/<lang:lang>/organizers")

ORGANIZER_PATH = re.compile(r"^/[a-z-]+/organizers(/|$)")
# The only organizer pages reachable without a session.
OPEN_ENDPOINTS = {"organizers.login", "organizers.setup", "organizers.accept_invite",
                  "organizers.reset_password"}
USERNAME = re.compile(r"[\w.-]{2,40}")
PASSWORD_PROBLEMS = {
    "short": _l("Use at least 12 characters. A few unrelated words make a strong password."),
    "long": _l("Use at most 200 characters."),
}


def cookie_name() -> str:
    # __Host- cookies must be Secure, on /, without a Domain: no subdomain can plant one.
    return "__Host-spotcheck" if cookie_secure() else "spotcheck_organizer"


def cookie_secure() -> bool:
    """Secure everywhere but local development over plain HTTP."""
    return request.is_secure or request.host.split(":")[0] not in ("127.0.0.1", "localhost")


def guard():
    """Runs before every request: sessions and CSRF for the organizers' area."""
    if not ORGANIZER_PATH.match(request.path):
        return None
    allow_cookies()
    g.no_store = True
    g.organizer_session = auth.load_session(request.cookies.get(cookie_name()))
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if g.organizer_session is None:
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("organizers.login", lang=_lang(), next=request.path))
        abort(403)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
        if not hmac.compare_digest(sent, g.organizer_session.csrf_token):
            abort(403)
    return None


def _lang() -> str:
    return request.path.strip("/").split("/", 1)[0]


def current_organizer() -> auth.Organizer:
    return g.organizer_session.organizer


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_organizer().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def audit(conn, action: str, report_id: int | None = None, detail: str | None = None) -> None:
    """Append to the audit log, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO audit_log (organizer_id, action, report_id, detail, at) "
        "VALUES (?, ?, ?, ?, datetime('now'))",
        (current_organizer().id, action, report_id, detail),
    )


def _safe_next(target: str | None) -> str | None:
    # Only back into the organizers' area of this site: never an open redirect.
    if target and ORGANIZER_PATH.match(target) and "//" not in target and "\\" not in target:
        return target
    return None


# -- signing in and out --------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with username, password and, if turned on, an authenticator code."""
    error = None
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:80]
        if not same_origin_post():
            abort(403)
        if wait := auth.throttle_wait(username, request.remote_addr):
            error = _l("Too many failed tries. Wait %(seconds)s seconds and try again.",
                       seconds=wait)
            status = 429
        else:
            organizer = auth.authenticate(username, request.form.get("password", ""),
                                          request.form.get("code", ""))
            if organizer:
                # A brand-new session token: any cookie from before is dropped.
                if g.organizer_session:
                    auth.end_session(g.organizer_session.token_hash)
                token, _csrf = auth.start_session(organizer.id)
                target = _safe_next(request.form.get("next")) or url_for("review.queue")
                response = redirect(target)
                response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict",
                                    secure=cookie_secure(), path="/")
                return response
            auth.record_failure(username, request.remote_addr)
            # The same words whatever was wrong: names that exist stay secret.
            error = _l("That username, password or code is not right.")
            status = 400
    return render_template("organizers/login.html", error=error,
                           next=_safe_next(request.values.get("next"))), status


@bp.post("/logout")
def logout():
    """End this session."""
    auth.end_session(g.organizer_session.token_hash)
    response = redirect(url_for("organizers.login"))
    response.delete_cookie(cookie_name(), path="/", secure=cookie_secure(), samesite="Strict")
    return response


@bp.post("/logout-everywhere")
def logout_everywhere():
    """End every session of this organizer, on every device."""
    auth.end_all_sessions(current_organizer().id)
    response = redirect(url_for("organizers.login"))
    response.delete_cookie(cookie_name(), path="/", secure=cookie_secure(), samesite="Strict")
    return response


# -- one-time links ------------------------------------------------------------

def _choose_password(purpose: str, token: str, title, ask_username: bool):
    """The page behind a setup, invitation or reset link."""
    link = auth.peek_link(token, purpose)
    if link is None or (purpose == "setup" and auth.admin_exists()):
        return render_template("organizers/link_used.html"), 404
    errors = {}
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        if not same_origin_post():
            abort(403)
        password = request.form.get("password", "")
        if ask_username and not USERNAME.fullmatch(username):
            errors["username"] = _l("Use 2 to 40 letters, digits, dots, dashes or underscores.")
        if problem := auth.password_problem(password):
            errors["password"] = PASSWORD_PROBLEMS[problem]
        elif password != request.form.get("password_again", ""):
            errors["password_again"] = _l("The two passwords are not the same.")
        if not errors:
            password_hash = auth.hash_password(password)  # slow: before taking the lock
            db = get_db()
            try:
                with transaction(db):
                    if not auth.use_link(db, token, purpose):
                        return render_template("organizers/link_used.html"), 404
                    if purpose == "setup":
                        db.execute(
                            "INSERT INTO organizer (username, password_hash, role, created_on) "
                            "VALUES (?, ?, 'admin', ?)", (username, password_hash, auth.today()))
                    else:
                        db.execute("UPDATE organizer SET password_hash = ? WHERE id = ?",
                                   (password_hash, link["organizer_id"]))
                        db.execute("DELETE FROM organizer_session WHERE organizer_id = ?",
                                   (link["organizer_id"],))
            except sqlite3.IntegrityError:  # the name was taken; the link stays unused
                errors["username"] = _l("That username is taken.")
            else:
                return redirect(url_for("organizers.login", done="1"))
    name = None
    if link["organizer_id"]:
        row = get_db().execute("SELECT username FROM organizer WHERE id = ?",
                               (link["organizer_id"],)).fetchone()
        name = row["username"] if row else None
    return render_template("organizers/choose_password.html", title=title, errors=errors,
                           ask_username=ask_username, username=username, name=name), (
        400 if errors else 200)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Make the first admin account, from the link printed at the first start."""
    return _choose_password("setup", token, _l("Create the first admin account"), True)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """An invited organizer chooses her password."""
    return _choose_password("invite", token, _l("Welcome: choose your password"), False)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """An organizer whose password an admin reset chooses a new one."""
    return _choose_password("reset", token, _l("Choose a new password"), False)


# -- accounts (admins) ---------------------------------------------------------

def _accounts_page(new_link: str | None = None, new_link_for: str | None = None,
                   error=None, status: int = 200):
    organizers = get_db().execute(
        "SELECT id, username, role, disabled, password_hash IS NOT NULL AS active, "
        "totp_secret IS NOT NULL AS totp FROM organizer ORDER BY username"
    ).fetchall()
    return render_template("organizers/accounts.html", organizers=organizers,
                           new_link=new_link, new_link_for=new_link_for, error=error), status


@bp.get("/accounts")
@admin_required
def accounts():
    """Everyone who can review, and what an admin can do about them."""
    return _accounts_page()


@bp.post("/accounts/invite")
@admin_required
def invite():
    """Make an account and a one-time link for its owner to choose a password."""
    username = request.form.get("username", "").strip()
    role = request.form.get("role", "moderator")
    if not USERNAME.fullmatch(username) or role not in ("admin", "moderator"):
        return _accounts_page(error=_l("Use 2 to 40 letters, digits, dots, dashes or "
                                       "underscores."), status=400)
    db = get_db()
    if db.execute("SELECT 1 FROM organizer WHERE username = ?", (username,)).fetchone():
        return _accounts_page(error=_l("That username is taken."), status=400)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO organizer (username, role, created_on) VALUES (?, ?, ?)",
            (username, role, auth.today()))
        audit(db, "invite", detail=f"{username} ({role})")
    token = auth.make_link("invite", cursor.lastrowid)
    return _accounts_page(new_link=url_for("organizers.accept_invite", token=token,
                                           _external=True), new_link_for=username)


def _change_account(organizer_id: int, action: str, *statements: str):
    """Run statements (each taking the organizer's id) on another account, with an audit line."""
    row = get_db().execute("SELECT * FROM organizer WHERE id = ?", (organizer_id,)).fetchone()
    if row is None:
        abort(404)
    if row["id"] == current_organizer().id:
        abort(400)  # not on yourself: an admin must not lock herself out
    db = get_db()
    with transaction(db):
        for statement in statements:
            db.execute(statement, (row["id"],))
        audit(db, action, detail=row["username"])
    return row


END_SESSIONS = "DELETE FROM organizer_session WHERE organizer_id = ?"


@bp.post("/accounts/<int:organizer_id>/disable")
@admin_required
def disable(organizer_id: int):
    """Stop an account at once: its sessions end with it."""
    _change_account(organizer_id, "disable",
                    "UPDATE organizer SET disabled = 1 WHERE id = ?", END_SESSIONS)
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/enable")
@admin_required
def enable(organizer_id: int):
    """Let a disabled account sign in again."""
    _change_account(organizer_id, "enable", "UPDATE organizer SET disabled = 0 WHERE id = ?")
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/reset")
@admin_required
def reset(organizer_id: int):
    """A one-time link to choose a new password; the old sessions end now."""
    row = _change_account(organizer_id, "reset password", END_SESSIONS)
    token = auth.make_link("reset", row["id"])
    return _accounts_page(new_link=url_for("organizers.reset_password", token=token,
                                           _external=True), new_link_for=row["username"])


# -- second factor -------------------------------------------------------------

@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor():
    """Turn an authenticator app on (scan, then confirm a code) or off (with a code)."""
    organizer = current_organizer()
    db = get_db()
    current = db.execute("SELECT totp_secret FROM organizer WHERE id = ?",
                         (organizer.id,)).fetchone()["totp_secret"]
    error = None
    if request.method == "POST":
        turning_off = request.form.get("action") == "off"
        # Off: prove the app still works. On: prove it was set up with this key.
        secret = current if turning_off else request.form.get("secret", "")
        if secret and re.fullmatch(r"[A-Z2-7]{32}", secret) and auth.verify_totp(
                secret, request.form.get("code", "")):
            with transaction(db):
                db.execute("UPDATE organizer SET totp_secret = ? WHERE id = ?",
                           (None if turning_off else secret, organizer.id))
                audit(db, "two-factor off" if turning_off else "two-factor on")
            return redirect(url_for("organizers.two_factor"))
        error = _l("That code is not right. Codes change every 30 seconds.")
    secret = None
    if not current:
        secret = request.form.get("secret", "")
        if not re.fullmatch(r"[A-Z2-7]{32}", secret):
            secret = auth.new_totp_secret()
    return render_template(
        "organizers/two_factor.html", enabled=bool(current), secret=secret, error=error,
        qr=qr.svg(qr.make(auth.totp_uri(secret, organizer.username), "M"),
                  _("QR code for your authenticator app"), "qr qr-totp") if secret else None,
    ), 400 if error else 200


# -- setup from the command line, and at first start ---------------------------

@click.command("create-admin")
@click.argument("username")
@with_appcontext
def create_admin_command(username: str) -> None:
    """Create an admin account, asking for its password."""
    if not USERNAME.fullmatch(username):
        raise click.ClickException("use 2 to 40 letters, digits, dots, dashes or underscores")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problem := auth.password_problem(password):
        raise click.ClickException(str(PASSWORD_PROBLEMS[problem]))
    auth.create_organizer(username, "admin", password)
    click.echo(f"admin {username} created")


def announce_setup_link(app: Flask) -> None:
    """With no admin yet, print a one-time link that makes the first one."""
    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        if auth.admin_exists():
            return
        token = auth.make_link("setup", None)
        link = url_for("organizers.setup", lang=app.config["DEFAULT_LANGUAGE"], token=token,
                       _external=True)
    click.echo(f"\nNo SpotCheck admin exists yet. Open this link once to create one:\n"
               f"  {link}\n(or run: flask --app app create-admin NAME)\n", err=True)


def init_app(app: Flask) -> None:
    app.before_request(guard)
    app.cli.add_command(create_admin_command)
    app.context_processor(lambda: {
        "organizer_session": g.get("organizer_session"),
        "csrf_token": g.organizer_session.csrf_token if g.get("organizer_session") else None,
    })
    if app.config["SETUP_LINK_ON_START"]:
        announce_setup_link(app)

