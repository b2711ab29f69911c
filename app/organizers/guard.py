"""The rule that guards /<lang>/organizers/, whichever blueprint serves a page there.

Protected by default: every URL under /<lang>/organizers/ needs a live
session except the few on OPEN_ENDPOINTS, and every state-changing request
there also needs the session's CSRF token. Other features' organizer pages
(review, exports, posters) only add `admin_required` where they need it.
"""

import functools
import hmac
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort, g, redirect, request, url_for
from werkzeug.wrappers import Response

from ..web.policy import ORGANIZER_AREA, add_policy
from . import accounts

ORGANIZER_PATH = re.compile(r"^/[a-z-]+/organizers(/|$)")
# The only organizer pages reachable without a session.
P = ParamSpec("P")
R = TypeVar("R")
OPEN_ENDPOINTS = {"organizers.login", "organizers.setup", "organizers.accept_invite",
                  "organizers.reset_password"}


def cookie_name() -> str:
    # __Host- cookies must be Secure, on /, without a Domain: no subdomain can plant one.
    return "__Host-spotcheck" if cookie_secure() else "spotcheck_organizer"


def cookie_secure() -> bool:
    """Secure everywhere but local development over plain HTTP."""
    return request.is_secure or request.host.split(":")[0] not in ("127.0.0.1", "localhost")


def guard() -> Response | None:
    """Runs before every request: sessions and CSRF for the organizers' area."""
    if not ORGANIZER_PATH.match(request.path):
        return None
    add_policy(ORGANIZER_AREA)
    g.organizer_session = accounts.load_session(request.cookies.get(cookie_name()))
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


def current_organizer() -> accounts.Organizer:
    session: accounts.Session = g.organizer_session
    return session.organizer


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_organizer().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None) -> str | None:
    # Only back into the organizers' area of this site: never an open redirect.
    if target and ORGANIZER_PATH.match(target) and "//" not in target and "\\" not in target:
        return target
    return None


def template_context() -> dict[str, object]:
    return {
        "organizer_session": g.get("organizer_session"),
        "csrf_token": g.organizer_session.csrf_token if g.get("organizer_session") else None,
    }
