"""Absolute links from PUBLIC_BASE_URL only, and redirects that stay on this site.

Anyone can send any Host header. Werkzeug builds `url_for(..., _external=True)`
and its own routing redirects (`/en//report` to `/en/report`, `/en` to `/en/`)
from it, so a forged Host could end up in a link an admin passes on (an
invitation, a password reset) or send a browser to another site. Links that
leave the site (shown, printed, exported) come from `public_url`; routing
redirects get a relative Location, which a browser resolves against the
address it actually asked.

Why not TRUSTED_HOSTS from PUBLIC_BASE_URL: every request naming another host
would get a 400, which breaks sites reached under a second name, a check of
/healthz on 127.0.0.1:8000, and anyone trying SpotCheck out on another
machine while PUBLIC_BASE_URL is still its default. A relative Location
can't break any of them.
"""

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, has_request_context, redirect, request, url_for
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response


def public_url(endpoint: str, **values: Any) -> str:
    """url_for(endpoint, **values) as an absolute URL on PUBLIC_BASE_URL."""
    path = url_for(endpoint, **values)
    # Where the app is mounted below a prefix, PUBLIC_BASE_URL already ends with it.
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root):]
    base: str = current_app.config["PUBLIC_BASE_URL"]
    return base.rstrip("/") + path


def redirect_within_site() -> Response | None:
    """Answer Werkzeug's routing redirects with a relative Location (before any view)."""
    exception = request.routing_exception
    if not isinstance(exception, RequestRedirect):
        return None
    parts = urlsplit(exception.new_url)
    # One leading slash: "//x" and "/\x" would name another host to a browser.
    path = "/" + parts.path.lstrip("/\\")
    return redirect(urlunsplit(("", "", path, parts.query, "")), exception.code)


def init_app(app: Flask) -> None:
    # create_app calls this before the other hooks: a redirect needs no session or limit.
    app.before_request(redirect_within_site)
