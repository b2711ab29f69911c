"""Public pages served from memory: rendered once per URL and deploy, then only bytes.

Home, the checklists, the found-something guide and the offline page are the
same for everyone at one URL (the language is in the path) and change only
with a deploy, which restarts the server. So each is rendered once per worker,
compressed once per encoding, and from then on a request costs a dictionary
lookup: a 304 or a 200 is made from bytes made earlier, without rendering.
Only URLs without a query string are kept, so the cache holds at most one
entry per page and language, whatever anyone asks for.

A view may decide its page's headers (web/security.py: the lens page allows
the camera and forbids connections). Those decisions are kept with the page and
replayed on each answer from memory; a page marked no-store, or one that sets
a cookie, is never kept.
"""

import functools
import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from flask import Flask, current_app, g, request
from flask.typing import ResponseReturnValue
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Response

from .security import page_decisions, replay_page_decisions

ENCODINGS = ("br", "gzip")  # in the order we prefer them


@dataclass(frozen=True)
class CachedPage:
    mimetype: str
    bodies: dict[str, bytes]  # by Content-Encoding, "identity" for the page itself
    etag: str  # of the page; a compressed copy's ETag adds ":br" or ":gzip", as Flask-Compress
    decisions: dict  # the view's own header decisions (security.page_decisions)

    def etag_for(self, encoding: str) -> str:
        return self.etag if encoding == "identity" else f"{self.etag}:{encoding}"


def _compress(body: bytes) -> dict[str, bytes]:
    level = current_app.config["COMPRESS_BR_LEVEL"]
    return {"identity": body,
            "br": brotli.compress(body, quality=max(level, 9)),  # once per deploy: compress hard
            "gzip": gzip.compress(body, compresslevel=9, mtime=0)}


def preferred_encoding(accepted) -> str:
    """The encoding we send for a parsed Accept-Encoding: br, else gzip, else none."""
    return next((e for e in ENCODINGS if accepted[e]), "identity")


def _send(page: CachedPage) -> Response:
    encoding = preferred_encoding(request.accept_encodings)
    response = Response(page.bodies[encoding], mimetype=page.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding  # Flask-Compress leaves it alone
    response.vary.add("Accept-Encoding")
    response.set_etag(page.etag_for(encoding))
    return response  # security.set_headers adds the cache policy and answers 304s


def cached_page(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Serve this view's 200 pages from memory after the first time (see module docstring)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.query_string or request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)  # rare (?region=hk): rendered each time, not kept
        pages: dict[str, CachedPage] = current_app.extensions["spotcheck_pages"]
        page = pages.get(request.path)
        if page is None:
            response = current_app.make_response(view(*args, **kwargs))
            if (response.status_code != 200 or response.is_streamed
                    or response.headers.get("Content-Encoding") or g.get("no_store")
                    or "Set-Cookie" in response.headers):
                return response
            body = response.get_data()
            page = CachedPage(response.mimetype, _compress(body),
                              hashlib.sha256(body).hexdigest()[:20], page_decisions())
            pages[request.path] = page
        else:
            replay_page_decisions(page.decisions)
        # No rendering from here on: security.set_headers turns this into a 304
        # when If-None-Match names it, so revalidating costs a lookup.
        g.page_from_memory = True
        return _send(page)

    return wrapper


# -- in front of Flask ------------------------------------------------------------
#
# Even from bytes, a page through Flask costs about 0.45 ms (routing, contexts,
# after-request hooks). For the same pages, this WSGI middleware keeps the whole
# answer Flask gave (status, every header, body) per URL, encoding and scheme,
# and answers the next request for it without entering Flask at all. Flask
# marks which answers may be kept (MARK); nothing else is ever kept.

MARK = "X-SpotCheck-Keep"  # internal: never leaves the server
Answer = tuple[list[tuple[str, str]], bytes]


class WholeAnswerCache:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.answers: dict[tuple[str, str, str], Answer] = {}

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        key = (environ.get("PATH_INFO", ""),
               preferred_encoding(parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))),
               environ.get("wsgi.url_scheme", "http"))
        answer = self.answers.get(key)
        if answer is None:
            return self._ask_flask(key, environ, start_response)
        headers, body = answer
        etag = next(v for k, v in headers if k == "ETag")
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", [(k, v) for k, v in headers
                                               if k not in ("Content-Length", "Content-Type")])
            return [b""]
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _ask_flask(self, key, environ, start_response):
        seen: dict = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            kept = [(k, v) for k, v in headers if k != MARK]
            return start_response(status, kept, exc_info) if exc_info else start_response(
                status, kept)

        iterable = self.wsgi_app(environ, remember)  # Flask calls start_response first
        headers = seen.get("headers", [])
        if not (seen.get("status", "").startswith("200") and environ["REQUEST_METHOD"] == "GET"
                and any(k == MARK for k, _ in headers) and any(k == "ETag" for k, _ in headers)):
            return iterable  # untouched: streams (exports) stay streams
        try:
            body = b"".join(iterable)  # a page of a few kilobytes
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        self.answers[key] = ([(k, v) for k, v in headers if k != MARK], body)
        return [body]


def mark_keepable(response: Response) -> Response:
    """After every other hook: let the middleware keep this answer if it came from memory."""
    if g.get("page_from_memory") and response.status_code == 200:
        response.headers[MARK] = "1"
    return response


def init_app(app: Flask) -> None:
    app.extensions["spotcheck_pages"] = {}
    # Registered first, so it runs after every other after_request hook.
    app.after_request(mark_keepable)
    app.wsgi_app = WholeAnswerCache(app.wsgi_app)
