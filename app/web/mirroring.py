"""Pages rendered for a mirror, and the reports such a page sends back here.

For the mirror build (issue 32): render every page through

    client = mirror_client(app, base_path="/some/path/")
    html = client.get("/en/report").get_data()  # the path without the base path

or, with a test client of your own, pass `environ_base=mirror_environ(app)` (plus
your own SCRIPT_NAME). Either way each page is rendered for a mirror:

- the report form's action and htmx target, and the outbox's "see its status",
  are absolute URLs of the primary (SPOTCHECK_PUBLIC_BASE_URL, or `primary=`);
- the form lists, in data-report-endpoints, the primary's report URL and then
  each of SPOTCHECK_REPORT_ENDPOINTS' (or `endpoints=`): outbox.js tries them in
  order when one does not answer, and if none does the report waits on her phone
  and she is told that SpotCheck could not be reached;
- the page's Content-Security-Policy (header, and a <meta> copy, since a static
  host sends no headers) lets it connect and post to exactly those URLs (and
  the primary's status page, for the form); htmx may send across origins;
- a proof of work comes back in the primary's answer (SpotCheck-Proof), so the
  challenge is always the primary's; the worker script is the mirror's own copy;
- nothing rendered for a mirror is kept in the page cache (web/pagecache.py).

The primary, for its part, answers reports (POST /<lang>/report and its status
page) from the origins in SPOTCHECK_MIRROR_ORIGINS only: the CORS preflight and
the POST get Access-Control-Allow-Origin with that very origin (never *), and
the Origin check of the views (security.same_origin_post) lets the same origins
through. Any other origin is refused by both, and nothing is stored. No other
path answers across origins.

What htmx swaps into a listed mirror's page (the receipt, the form back, a status)
is rendered here as for ourselves, so its links would lead to the mirror's host
root. Where the page's URL (HX-Current-URL) lies below one of SPOTCHECK_MIRRORS on
that origin, mirror/render.py points them as that mirror's own pages are built
(its pages' files, its static files); the base path comes from the setting, never
from a header alone. Where none matches, they are the primary's absolute URLs.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse
from werkzeug.wrappers import Response

from ..config import address_problem, as_list, browser_origin
from .policy import PagePolicy, add_policy

MIRROR_ENVIRON = "spotcheck.mirror"  # environ key: this request renders a page for a mirror
# The endpoints a listed mirror's page may send to; nothing else answers across origins.
CROSS_ORIGIN = frozenset({"reports.submit", "reports.status"})
# What htmx 2 and outbox.js send with a report; a preflight asks for these.
ALLOWED_HEADERS = "HX-Request, HX-Current-URL, HX-Target, HX-Trigger, HX-Trigger-Name, HX-Boosted"
# What the page reads of an answer: a flood's challenge, and when to try again.
EXPOSED_HEADERS = "SpotCheck-Proof, Retry-After"
PREFLIGHT_SECONDS = 600


@dataclass(frozen=True)
class MirrorTarget:
    """Where a mirror's page sends reports: the primary's base URL, then the others'."""

    primary: str
    endpoints: tuple[str, ...] = ()

    @property
    def bases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(base.rstrip("/") for base in (self.primary, *self.endpoints)))


def mirror_environ(app: Flask, primary: str | None = None,
                   endpoints: Iterable[str] | None = None) -> dict[str, Any]:
    """WSGI environ entries that make a request render its page for a mirror.

    `primary` defaults to SPOTCHECK_PUBLIC_BASE_URL, `endpoints` to
    SPOTCHECK_REPORT_ENDPOINTS; a bad address raises ValueError naming it.
    """
    target = MirrorTarget(
        str(primary or app.config["PUBLIC_BASE_URL"]),
        as_list(app.config["REPORT_ENDPOINTS"] if endpoints is None else tuple(endpoints)))
    for base in (target.primary, *target.endpoints):
        if why := address_problem(base, origin=False):
            raise ValueError(f"report endpoint {base!r} {why}")
    return {MIRROR_ENVIRON: target}


class MirrorClient(FlaskClient):
    """Flask's test client, its requests made under the mirror's base path."""

    base_url = "http://localhost/"

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", self.base_url)
        return super().open(*args, **kwargs)


def mirror_client(app: Flask, base_path: str = "/", primary: str | None = None,
                  endpoints: Iterable[str] | None = None) -> FlaskClient:
    """A test client whose every request renders a page for a mirror under `base_path`
    (ask for paths without it: client.get("/en/report"))."""
    client = MirrorClient(app, app.response_class, use_cookies=False)
    client.environ_base.update(mirror_environ(app, primary, endpoints))
    client.base_url = "http://localhost/" + base_path.strip("/")
    return client


def for_mirror() -> MirrorTarget | None:
    """Where this page's reports go, if it is rendered for a mirror.

    Also when a mirror's page sent a report here: the form or receipt that htmx
    swaps into that page must keep sending here, not to the mirror's host.
    """
    target = request.environ.get(MIRROR_ENVIRON)
    if isinstance(target, MirrorTarget):
        return target
    if request.endpoint in CROSS_ORIGIN and listed_origin():
        config = current_app.config
        return MirrorTarget(str(config["PUBLIC_BASE_URL"]), tuple(config["REPORT_ENDPOINTS"]))
    return None


def _path(endpoint: str) -> str:
    """The endpoint's path on any SpotCheck instance (without this request's base path)."""
    path = url_for(endpoint)
    root = request.script_root
    return path[len(root):] if root and path.startswith(root + "/") else path


def report_url(endpoint: str) -> str:
    """Where a report form posts: our own path, or on a mirror the primary's URL."""
    target = for_mirror()
    return target.bases[0] + _path(endpoint) if target else url_for(endpoint)


def report_endpoints() -> list[str]:
    """On a mirror, every URL the report is tried at, in order; else none."""
    target = for_mirror()
    return [base + _path("reports.submit") for base in target.bases] if target else []


def listed_origin() -> str | None:
    """The request's Origin, if it is one of the configured mirrors'."""
    origin = request.headers.get("Origin")
    return origin if origin and origin in current_app.config["MIRROR_ORIGINS"] else None


def mirror_page() -> str | None:
    """The base path of the configured mirror (SPOTCHECK_MIRRORS) whose page sent this
    request: on the request's listed Origin, the page's URL (htmx's HX-Current-URL)
    below it. None if no configured mirror holds that page."""
    origin = listed_origin()
    if origin is None or request.endpoint not in CROSS_ORIGIN:
        return None
    page = request.headers.get("HX-Current-URL", "")
    if browser_origin(page) != origin:
        return None
    page_path = urlsplit(page).path
    found = []
    for mirror in current_app.config["MIRRORS"]:
        path = urlsplit(mirror).path
        base = path if path.endswith("/") else path + "/"
        if browser_origin(mirror) == origin and page_path.startswith(base):
            found.append(base)
    return max(found, key=len, default=None)  # the deepest, if one lies below another


def _posted_endpoint() -> str | None:
    """The endpoint a POST to this path would reach (an OPTIONS request's own is GET's)."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        endpoint, _ = adapter.match(method="POST")
    except HTTPException:
        return None
    return str(endpoint)


def _preflight() -> Response | None:
    if request.method != "OPTIONS" or "Origin" not in request.headers:
        return None
    if _posted_endpoint() not in CROSS_ORIGIN:
        return None  # Flask's own answer: no CORS headers, so the browser refuses
    if listed_origin() is None:
        return current_app.response_class(
            "This address is not one of SpotCheck's mirrors (SPOTCHECK_MIRROR_ORIGINS), "
            "so it cannot send reports here.\n", status=403, mimetype="text/plain")
    response = current_app.response_class(status=204)
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    return response


def _cors_headers(response: Response) -> Response:
    endpoint = _posted_endpoint() if request.method == "OPTIONS" else request.endpoint
    if endpoint not in CROSS_ORIGIN:
        return response
    response.vary.add("Origin")
    if origin := listed_origin():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _mirror_policy() -> None:
    rule = request.url_rule
    if for_mirror() is None or rule is None or "lang" not in rule.arguments:
        return  # static files, the worker: no page to send from
    reports = tuple(report_endpoints())
    add_policy(PagePolicy(connect_to=reports,
                          post_to=(*reports, report_url("reports.status"))))


def init_app(app: Flask) -> None:
    app.before_request(_preflight)
    app.before_request(_mirror_policy)
    app.after_request(_cors_headers)
    app.jinja_env.globals.update(for_mirror=for_mirror, report_url=report_url,
                                 report_endpoints=report_endpoints)
