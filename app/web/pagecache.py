"""Public pages served from memory: rendered once per URL and deploy, then only bytes.

Home, the checklists, the found-something guide and the offline page are the
same for everyone at one URL (the language is in the path) and change only
with a deploy, which restarts the server. So each is rendered once per worker,
compressed once per encoding, and from then on a request costs a dictionary
lookup: a 304 or a 200 is made from bytes made earlier, without rendering.
Only URLs without a query string are kept, so the cache holds at most one
entry per page and language, whatever anyone asks for.
"""

import functools
import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

ENCODINGS = ("br", "gzip")  # in the order we prefer them


@dataclass(frozen=True)
class CachedPage:
    mimetype: str
    bodies: dict[str, bytes]  # by Content-Encoding, "identity" for the page itself
    etag: str  # of the page; a compressed copy's ETag adds ":br" or ":gzip", as Flask-Compress

    def etag_for(self, encoding: str) -> str:
        return self.etag if encoding == "identity" else f"{self.etag}:{encoding}"


def _compress(body: bytes) -> dict[str, bytes]:
    level = current_app.config["COMPRESS_BR_LEVEL"]
    return {"identity": body,
            "br": brotli.compress(body, quality=max(level, 9)),  # once per deploy: compress hard
            "gzip": gzip.compress(body, compresslevel=9, mtime=0)}


def _best_encoding(page: CachedPage) -> str:
    accepted = request.accept_encodings
    return next((e for e in ENCODINGS if accepted[e] and e in page.bodies), "identity")


def _send(page: CachedPage) -> Response:
    encoding = _best_encoding(page)
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
            if response.status_code != 200 or response.is_streamed or response.headers.get(
                    "Content-Encoding"):
                return response
            body = response.get_data()
            page = CachedPage(response.mimetype, _compress(body),
                              hashlib.sha256(body).hexdigest()[:20])
            pages[request.path] = page
        # No rendering from here on: security.set_headers turns this into a 304
        # when If-None-Match names it, so revalidating costs a lookup.
        return _send(page)

    return wrapper


def init_app(app: Flask) -> None:
    app.extensions["spotcheck_pages"] = {}
