"""Organizer sign-in, one-time links, accounts and the second factor.

The guard in guard.py protects every page under /<lang>/organizers/; these
views parse forms and call accounts.py and two_step.py, which own every
account change. Links shown to be passed on are built on PUBLIC_BASE_URL,
never on the request's Host header.
"""

import re

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..web import qr
from ..web.links import public_url
from ..web.security import same_origin_post
from . import accounts as auth
from . import bp, two_step
from .guard import admin_required, cookie_name, cookie_secure, current_organizer, safe_next

USERNAME = re.compile(r"[\w.-]{2,40}")
PASSWORD_PROBLEMS = {
    "short": _l("Use at least 12 characters. A few unrelated words make a strong password."),
    "long": _l("Use at most 200 characters."),
}


# -- signing in and out --------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Sign in with username, password and, if turned on, an authenticator code."""
    error = None
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:80]
        if not same_origin_post():
            abort(403)
        if wait := auth.take_try(username, request.remote_addr):
            error = _l("Too many failed tries. Wait %(seconds)s seconds and try again.",
                       seconds=wait)
            status = 429
        else:
            organizer = auth.authenticate(username, request.form.get("password", ""),
                                          request.form.get("code", ""))
            if organizer:
                auth.give_back_try(username, request.remote_addr)
                # A brand-new session token: any cookie from before is dropped.
                if g.organizer_session:
                    auth.end_session(g.organizer_session.token_hash)
                token, _csrf = auth.start_session(organizer.id)
                target = safe_next(request.form.get("next")) or url_for("review.queue")
                response = redirect(target)
                response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict",
                                    secure=cookie_secure(), path="/")
                return response
            # The same words whatever was wrong: names that exist stay secret.
            error = _l("That username, password or code is not right.")
            status = 400
    return render_template("organizers/login.html", error=error,
                           next=safe_next(request.values.get("next"))), status


@bp.post("/logout")
def logout() -> Response:
    """End this session."""
    auth.sign_out(g.organizer_session)
    response = redirect(url_for("organizers.login"))
    response.delete_cookie(cookie_name(), path="/", secure=cookie_secure(), samesite="Strict")
    return response


@bp.post("/logout-everywhere")
def logout_everywhere() -> Response:
    """End every session of this organizer, on every device."""
    auth.end_all_sessions(current_organizer().id)
    response = redirect(url_for("organizers.login"))
    response.delete_cookie(cookie_name(), path="/", secure=cookie_secure(), samesite="Strict")
    return response


# -- one-time links ------------------------------------------------------------

def _choose_password(purpose: str, token: str, title: LazyString, ask_username: bool
                     ) -> ResponseReturnValue:
    """The page behind a setup, invitation or reset link."""
    link = auth.peek_link(token, purpose)
    if link is None or (purpose == "setup" and auth.admin_exists()):
        return render_template("organizers/link_used.html"), 404
    errors: dict[str, LazyString] = {}
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
def setup(token: str) -> ResponseReturnValue:
    """Make the first admin account, from the link printed at the first start."""
    return _choose_password("setup", token, _l("Create the first admin account"), True)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> ResponseReturnValue:
    """An invited organizer chooses her password."""
    return _choose_password("invite", token, _l("Welcome: choose your password"), False)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """An organizer whose password an admin reset chooses a new one."""
    return _choose_password("reset", token, _l("Choose a new password"), False)


# -- accounts (admins) ---------------------------------------------------------

def _accounts_page(new_link: str | None = None, new_link_for: str | None = None,
                   error: LazyString | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("organizers/accounts.html", organizers=auth.all_accounts(),
                           new_link=new_link, new_link_for=new_link_for, error=error), status


@bp.get("/accounts")
@admin_required
def accounts() -> tuple[str, int]:
    """Everyone who can review, and what an admin can do about them."""
    return _accounts_page()


@bp.post("/accounts/invite")
@admin_required
def invite() -> tuple[str, int]:
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
    return _accounts_page(new_link=public_url("organizers.accept_invite", token=token),
                          new_link_for=username)


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
def disable(organizer_id: int) -> Response:
    """Stop an account at once: its sessions end with it."""
    _change_account(organizer_id, "disable")
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/enable")
@admin_required
def enable(organizer_id: int) -> Response:
    """Let a disabled account sign in again."""
    _change_account(organizer_id, "enable")
    return redirect(url_for("organizers.accounts"))


@bp.post("/accounts/<int:organizer_id>/reset")
@admin_required
def reset(organizer_id: int) -> tuple[str, int]:
    """A one-time link to choose a new password; the old password and sessions end now."""
    username = _change_account(organizer_id, "reset")
    token = auth.make_link("reset", organizer_id)
    return _accounts_page(new_link=public_url("organizers.reset_password", token=token),
                          new_link_for=username)


@bp.route("/accounts/<int:organizer_id>/clear-two-step", methods=["GET", "POST"])
@admin_required
def clear_two_step(organizer_id: int) -> Response | str:
    """For a lost phone: turn another organizer's second factor off, once confirmed."""
    account = auth.account(organizer_id)
    if account is None:
        abort(404)
    if organizer_id == current_organizer().id:
        abort(400)  # her own is turned off on the two-step page, with password and code
    if not account["totp"]:  # already off (another admin was quicker): nothing to log
        return redirect(url_for("organizers.accounts"))
    if request.method == "POST":
        _change_account(organizer_id, "clear-two-step")
        return redirect(url_for("organizers.accounts"))
    return render_template("organizers/clear_two_step.html", account=account)


# -- second factor -------------------------------------------------------------

@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor() -> ResponseReturnValue:
    """Turn an authenticator app on (scan, then confirm a code) or off (a current
    code); either way with the password, so an open session alone is not enough."""
    organizer = current_organizer()
    error, status = None, 200
    if request.method == "POST":
        error, status = _change_two_step(organizer)
        if error is None:
            return redirect(url_for("organizers.two_factor"))
    enabled = two_step.secret_of(organizer.id) is not None
    secret = None
    if not enabled:  # keep the key just scanned when a code was mistyped
        secret = request.form.get("secret", "")
        if not two_step.SECRET.fullmatch(secret):
            secret = two_step.new_secret()
    return render_template(
        "organizers/two_factor.html", enabled=enabled, secret=secret, error=error,
        qr=qr.svg(qr.make(two_step.uri(secret, organizer.username), "M"),
                  _("QR code for your authenticator app"), "qr qr-totp") if secret else None,
    ), status


def _change_two_step(organizer: auth.Organizer) -> tuple[LazyString | None, int]:
    """(None, 200) once the change is made, else (message, status) and nothing changed.

    Wrong passwords here count against the same limit as at sign-in: a stolen
    session must not become a way to guess the password.
    """
    if wait := auth.take_try(organizer.username, request.remote_addr):
        return _l("Too many failed tries. Wait %(seconds)s seconds and try again.",
                  seconds=wait), 429
    turning_off = request.form.get("action") == "off"
    enabled = two_step.secret_of(organizer.id) is not None
    if turning_off and not enabled:
        auth.give_back_try(organizer.username, request.remote_addr)
        return None, 200  # a page left open: it is off already
    if not turning_off and enabled:
        # No replacing a second factor in one step: off (password and code), then on.
        auth.give_back_try(organizer.username, request.remote_addr)
        return _l("Two-step sign-in is already on."), 400
    code = request.form.get("code", "")
    password_right = auth.password_matches(organizer.id, request.form.get("password", ""))
    if password_right and (
            two_step.turn_off(organizer.id, code) if turning_off
            else two_step.turn_on(organizer.id, request.form.get("secret", ""), code)):
        auth.give_back_try(organizer.username, request.remote_addr)
        return None, 200
    two_step.failed(organizer.id, turning_off, password_right)
    return _l("That password or code is not right. Codes change every 30 seconds."), 400
