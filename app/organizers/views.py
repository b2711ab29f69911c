"""Organizer sign-in, one-time links, accounts and the second factor.

The guard in guard.py protects every page under /<lang>/organizers/; these
views parse forms and call accounts.py, which owns every account change.
"""

import re

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..web import qr
from ..web.security import same_origin_post
from . import accounts as auth
from . import bp
from .guard import admin_required, cookie_name, cookie_secure, current_organizer, safe_next

USERNAME = re.compile(r"[\w.-]{2,40}")
PASSWORD_PROBLEMS = {
    "short": _l("Use at least 12 characters. A few unrelated words make a strong password."),
    "long": _l("Use at most 200 characters."),
}


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
                target = safe_next(request.form.get("next")) or url_for("review.queue")
                response = redirect(target)
                response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict",
                                    secure=cookie_secure(), path="/")
                return response
            auth.record_failure(username, request.remote_addr)
            # The same words whatever was wrong: names that exist stay secret.
            error = _l("That username, password or code is not right.")
            status = 400
    return render_template("organizers/login.html", error=error,
                           next=safe_next(request.values.get("next"))), status


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
            try:
                if not auth.set_password_from_link(token, purpose, username, password):
                    return render_template("organizers/link_used.html"), 404
            except auth.UsernameTaken:  # the link stays unused
                errors["username"] = _l("That username is taken.")
            else:
                return redirect(url_for("organizers.login", done="1"))
    name = auth.username_of(link["organizer_id"])
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
    return render_template("organizers/accounts.html", organizers=auth.all_accounts(),
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
    try:
        token = auth.invite(current_organizer().id, username, role)
    except auth.UsernameTaken:
        return _accounts_page(error=_l("That username is taken."), status=400)
    return _accounts_page(new_link=url_for("organizers.accept_invite", token=token,
                                           _external=True), new_link_for=username)


def _change_account(organizer_id: int, change: str) -> str:
    """Change another account (never her own); 404 if there is no such account."""
    if organizer_id == current_organizer().id:
        abort(400)  # not on yourself: an admin must not lock herself out
    username = auth.change_account(current_organizer().id, organizer_id, change)
    if username is None:
        abort(404)
    return username


@bp.post("/accounts/<int:organizer_id>/disable")
@admin_required
def disable(organizer_id: int):
    """Stop an account at once: its sessions end with it."""
    _change_account(organizer_id, "disable")
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/enable")
@admin_required
def enable(organizer_id: int):
    """Let a disabled account sign in again."""
    _change_account(organizer_id, "enable")
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/reset")
@admin_required
def reset(organizer_id: int):
    """A one-time link to choose a new password; the old sessions end now."""
    username = _change_account(organizer_id, "reset")
    token = auth.make_link("reset", organizer_id)
    return _accounts_page(new_link=url_for("organizers.reset_password", token=token,
                                           _external=True), new_link_for=username)


# -- second factor -------------------------------------------------------------

@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor():
    """Turn an authenticator app on (scan, then confirm a code) or off (with a code)."""
    organizer = current_organizer()
    current = auth.totp_secret(organizer.id)
    error = None
    if request.method == "POST":
        turning_off = request.form.get("action") == "off"
        # Off: prove the app still works. On: prove it was set up with this key.
        secret = current if turning_off else request.form.get("secret", "")
        if secret and re.fullmatch(r"[A-Z2-7]{32}", secret) and auth.verify_totp(
                secret, request.form.get("code", "")):
            auth.set_totp(organizer.id, None if turning_off else secret)
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
