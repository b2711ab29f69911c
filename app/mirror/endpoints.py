"""Where a mirror's other forms and scripts send: the primary and the report endpoints.

A mirror is static, so whatever sends must send to a server. The report form and
the outbox are rendered for a mirror by web/mirroring.py (the primary first, then
SPOTCHECK_REPORT_ENDPOINTS; the primary accepts them from SPOTCHECK_MIRROR_ORIGINS).
Any other form that posts goes to the primary (report_endpoint), and a page whose
policy came without a <meta> copy gets these origins in connect-src and
form-action (render.py mirror_csp).
"""

from urllib.parse import urlsplit

from flask import Flask

from ..config import as_list


def primary(app: Flask) -> str:
    return str(app.config["PUBLIC_BASE_URL"]).rstrip("/")


def report_endpoint(app: Flask, path: str) -> str:
    """Where a form posting to `path` (below the base path: "en/report") sends from a mirror."""
    return f"{primary(app)}/{path}"


def connect_sources(app: Flask) -> list[str]:
    """The origins a mirror's pages may send to (CSP connect-src and form-action)."""
    bases = [primary(app), *as_list(app.config["REPORT_ENDPOINTS"])]
    return list(dict.fromkeys(f"{p.scheme}://{p.netloc}" for p in map(urlsplit, bases)))
