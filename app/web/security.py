"""Headers every response carries, cache rules, the no-cookie rule, and forms' origin.

What differs from page to page (the CSP's additions, browser features, no-store,
cookies) is the page's policy (web/policy.py); the rest is the same everywhere.
"""

import hashlib
import hmac
import logging
import re
from datetime import date, timedelta

from flask import Flask, abort, current_app, request
from flask.logging import default_handler
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from .. import vocab
from .policy import current_policy

log = logging.getLogger(__name__)

def post_token(key: str = "", day: date | None = None) -> str:
    """The signed field a public form carries: an HMAC of its idempotency key and the day.

    Stateless and cookieless: whoever holds the secret key can check it, nothing
    is stored. It proves the form came from one of our pages lately, not who
    sends it (anyone can fetch a form), so a frame elsewhere needs a fresh form
    from us for each report: a report's token covers its one idempotency key.
    Forms without one sign "" (one token a day for everyone, so pages cache).
    """
    day = day or vocab.today()
    message = f"spotcheck post token|{day.isoformat()}|{key}".encode()
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), message,
                    hashlib.sha256).hexdigest()[:32]


def valid_post_token(key: str, token: str) -> bool:
    """Was `token` made for `key` today or yesterday (UTC)? A form opened before
    midnight still sends after it."""
    today = vocab.today()
    sent = token.encode()
    return any(hmac.compare_digest(sent, post_token(key, day).encode())
               for day in (today, today - timedelta(days=1)))


def unconfirmed_origin() -> bool:
    """An older browser's form that says only `Origin: null`, without a valid post token.

    Our no-referrer policy makes such browsers send "null" for our own forms,
    but a sandboxed frame on any site sends "null" too: only the token tells
    them apart.
    """
    return ("Sec-Fetch-Site" not in request.headers and request.headers.get("Origin") == "null"
            and not valid_post_token(request.form.get("idempotency_key", ""),
                                     request.form.get("post_token", "")))


# An older browser's `Origin: null` without a valid post token: our own page
# left open past the next midnight, or another site's frame. Sending again
# from the page we give back passes.
UNCONFIRMED = _l("We could not confirm that this form was sent from SpotCheck’s own page, "
                 "so nothing was stored. Please send it again.")


def refused_post_notice(nothing_stored: bool = True) -> LazyString:
    """What she is told when same_origin_post() refused her form (an anonymous one)."""
    if unconfirmed_origin():
        return UNCONFIRMED
    if nothing_stored:
        return _l("This form can only be sent from SpotCheck’s own page. Nothing was stored.")
    return _l("This form can only be sent from SpotCheck’s own page.")


def same_origin_post(mirrors: bool = False) -> bool:
    """Did this POST come from one of our own pages? (Instead of a CSRF cookie.)

    With `mirrors` (reports and their status page only), a page of one of the
    SPOTCHECK_MIRROR_ORIGINS counts as ours too, as their CORS answers agree.

    Browsers since 2020-2023 say so in Sec-Fetch-Site, and only that is asked of
    them: outbox.js may give the report form a fresh idempotency key (its offline
    outbox), which the form's post token does not cover. Older ones send Origin:
    our own origin passes (the Fetch standard has htmx and fetch send it even
    under no-referrer); "null" (a plain form under our no-referrer policy, or a
    sandboxed frame anywhere) needs the form's post token; a request with
    neither header is not from a browser. So the token is for old browsers
    sending a form as the page gave it, key and all.
    """
    if mirrors and request.headers.get("Origin") in current_app.config["MIRROR_ORIGINS"]:
        return True  # a page of one of our mirrors (web/mirroring.py answers its CORS)
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin == "null":
        return not unconfirmed_origin()
    return origin is None or origin == request.host_url.rstrip("/")


def _refuse_oversized_body() -> None:
    # Refuse before any view reads a byte, whatever route was asked for.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit and request.content_length and request.content_length > limit:
        abort(413)


def _set_cache_policy(response: Response) -> None:
    if current_policy().no_store:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return
    if "Cache-Control" in response.headers:
        return  # the view chose (static files choose in assets.py)
    cacheable = (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype == "text/html"
    )
    if cacheable:
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
        response.add_etag()
        response.make_conditional(request)
    else:
        response.cache_control.no_cache = True


def _drop_public_cookies(response: Response) -> None:
    if "Set-Cookie" in response.headers and not current_policy().cookies:
        response.headers.remove("Set-Cookie")
        # A page that meant to set one was made for this visitor: no cache keeps it.
        response.headers["Cache-Control"] = "no-store"
        log.error("dropped a cookie on public endpoint %s", request.endpoint)


def set_headers(response: Response) -> Response:
    """The privacy and security headers, on every response."""
    headers = response.headers
    headers.update(current_policy().headers())
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Don't resolve other sites' names ahead of a click (e.g. the quick exit).
    headers["X-DNS-Prefetch-Control"] = "off"
    if request.is_secure and current_app.config["HSTS_SECONDS"]:
        headers["Strict-Transport-Security"] = f"max-age={current_app.config['HSTS_SECONDS']}"
    _set_cache_policy(response)
    _drop_public_cookies(response)
    return response


class RedactClientFilter(logging.Filter):
    """Strip the client address and time from Werkzeug's development-server log.

    Production runs gunicorn with an access log format that never has them
    (scripts/gunicorn.conf.py); this keeps `flask run` to the same promise.
    """

    PREFIX = re.compile(r"^\S+ - - \[[^\]]*\] ")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.PREFIX.match(message):
            record.msg, record.args = self.PREFIX.sub("", message), None
        return True


def trust_proxies(app: Flask) -> None:
    """Take the client's address from exactly TRUSTED_PROXIES proxies' X-Forwarded-For.

    With 0 (gunicorn facing the internet) the header is ignored, so nobody can
    choose the address her requests are counted under. The shipped nginx
    replaces the header with the address it sees, so with 1 a client's own
    X-Forwarded-For changes nothing either.
    """
    proxies = app.config["TRUSTED_PROXIES"]
    if not isinstance(proxies, int) or isinstance(proxies, bool) or not 0 <= proxies <= 5:
        raise RuntimeError("TRUSTED_PROXIES must be a whole number of proxies from 0 to 5")
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to wrap the app in WSGI middleware; its stubs call
        # wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies)


def init_app(app: Flask) -> None:
    trust_proxies(app)
    app.before_request(_refuse_oversized_body)
    # Registered after Flask-Compress (see below), so it runs before it: the
    # ETag is made from the page, then the compressor tags it per encoding.
    from flask_compress import Compress

    Compress(app)
    app.after_request(set_headers)
    app.jinja_env.globals["post_token"] = post_token
    # base.html: whether this page may fetch anything (the outbox's labels).
    app.jinja_env.globals["current_policy"] = current_policy
    logging.getLogger("werkzeug").addFilter(RedactClientFilter())
    # Flask's own handler stamps every line with the time; the error log has none
    # (docs/privacy.md, promise 1): a line about a failed report must not say when.
    default_handler.setFormatter(logging.Formatter("[%(levelname)s] %(module)s: %(message)s"))
