"""Where a mirror's reports go: the one place issue 32, item 3 changes.

A mirror is static, so its report form and outbox must send to a server. Today
both go to the primary site (PUBLIC_BASE_URL), whose pages are the only ones
that answer a POST; the mirror's <meta> Content-Security-Policy allows exactly
the origins `connect_sources` names (render.py mirror_csp).

Item 3 ("Reports from a mirror") still has to: let the primary accept
cross-origin reports from configured mirror origins (CORS and the Origin check
in web/security.py same_origin_post agree), add the other configured report
endpoints here, and tell her when none answers (outbox.js keeps the report).
Until then a report sent from a mirror is refused by the primary as cross-site,
and outbox.js keeps it waiting.
"""

from urllib.parse import urlsplit

from flask import Flask


def primary(app: Flask) -> str:
    return str(app.config["PUBLIC_BASE_URL"]).rstrip("/")


def report_endpoint(app: Flask, path: str) -> str:
    """Where a form posting to `path` (below the base path: "en/report") sends from a mirror."""
    return f"{primary(app)}/{path}"


def connect_sources(app: Flask) -> list[str]:
    """The origins a mirror's pages may send to (CSP connect-src and form-action)."""
    parts = urlsplit(primary(app))
    return [f"{parts.scheme}://{parts.netloc}"]
