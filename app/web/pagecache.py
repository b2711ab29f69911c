"""Public pages kept whole in memory: rendered once per URL, encoding and deploy.

Home, the checklists, the found-something guide, the lens finder and the
offline page are the same for everyone at one URL (the language is in the path)
and change only with a deploy, which restarts the server. A view marks its page
with `@cached_page`; the first answer Flask gives for it (status, every header,
the body as Flask-Compress compressed it) is kept per path, encoding and scheme,
and from then on this WSGI middleware answers without entering Flask at all:
even from bytes, a page through Flask costs about 0.45 ms (routing, contexts,
hooks), which bench/throughput.py's budget for gunicorn alone does not allow.

Because the whole answer is kept, a page from memory has the very headers of
the page as rendered: its policy (web/policy.py) cannot be lost on the way.

Query arguments the page does not read change nothing: the page kept for the
bare path answers `?utm=x` too, without a render or a new entry. A page that
reads an argument names it (`@cached_page(reads=("region",))`) and is rendered
each time that argument is given, never kept (its values are unbounded).
A no-store page, one that sets a cookie, and anything but a 200 are never kept.
Kept or not, the page loses its template indentation (web/indent.py).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ParamSpec, overload
from urllib.parse import parse_qsl

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.http import parse_accept_header, parse_etags, unquote_etag
from werkzeug.wrappers import Response

from .indent import without_indentation
from .mirroring import MIRROR_ENVIRON

MARK = "X-SpotCheck-Keep"  # internal: names the arguments the page reads; never sent
ENCODINGS = ("br", "gzip")  # in the order we prefer them, as COMPRESS_ALGORITHM does

P = ParamSpec("P")
StartResponse = Callable[..., Any]


def preferred_encoding(accept_encoding: str | None) -> str:
    """The encoding we send for an Accept-Encoding header: br, else gzip, else none."""
    accepted = parse_accept_header(accept_encoding)
    return next((e for e in ENCODINGS if accepted.quality(e) > 0), "identity")


@overload
def cached_page(view: Callable[P, ResponseReturnValue], *, reads: Iterable[str] = ()
                ) -> Callable[P, Response]: ...
@overload
def cached_page(view: None = None, *, reads: Iterable[str] = ()
                ) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, Response]]: ...
def cached_page(
    view: Callable[P, ResponseReturnValue] | None = None, *, reads: Iterable[str] = ()
) -> Callable[P, Response] | Callable[[Callable[P, ResponseReturnValue]], Callable[P, Response]]:
    """Keep this view's page whole in memory after its first answer (see module docstring)."""
    read = tuple(reads)

    def decorate(view: Callable[P, ResponseReturnValue]) -> Callable[P, Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
            response = current_app.make_response(view(*args, **kwargs))
            if response.mimetype == "text/html" and not response.is_streamed:
                response.set_data(without_indentation(response.get_data(as_text=True)))
            if not any(name in request.args for name in read):
                response.headers[MARK] = ",".join(read) or "-"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


@dataclass(frozen=True)
class KeptAnswer:
    headers: list[tuple[str, str]]
    body: bytes
    reads: frozenset[str]  # query arguments that mean "render this one afresh"
    varies: frozenset[str]  # request headers (as WSGI keys) it varies on, but encoding
    etag: str  # unquoted; If-None-Match compares weakly (RFC 9110, 13.1.2)


def _varies(headers: list[tuple[str, str]]) -> frozenset[str]:
    """The request headers an answer names in Vary, but Accept-Encoding (in the key)."""
    names = (name.strip() for key, value in headers if key.lower() == "vary"
             for name in value.split(","))
    return frozenset(f"HTTP_{name.upper().replace('-', '_')}" for name in names
                     if name and name.lower() != "accept-encoding")


def _keepable(status: str, headers: list[tuple[str, str]], encoding: str,
              environ: dict[str, Any]) -> bool:
    found = {name.lower(): value for name, value in headers}
    return (status.startswith("200 ") and MIRROR_ENVIRON not in environ
            # An htmx fragment (Vary: HX-Request) is not the page: keep only
            # what a request without those headers gets.
            and not any(key in environ for key in _varies(headers))
            and MARK.lower() in found and "etag" in found
            and "set-cookie" not in found
            and "no-store" not in found.get("cache-control", "")
            # Flask-Compress chose what this request accepts: keep it only
            # where that is what we would choose for the next one too.
            and found.get("content-encoding", "identity") == encoding)


def _asked(environ: dict[str, Any]) -> set[str]:
    """The names of the request's query arguments (none, without a parse, for most)."""
    query = environ.get("QUERY_STRING", "")
    return {name for name, _ in parse_qsl(query, keep_blank_values=True)} if query else set()


class PageCache:
    """WSGI middleware: the one in-process cache of public pages."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app
        self.answers: dict[tuple[str, str, str], KeptAnswer] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        key = (environ.get("PATH_INFO", ""),
               preferred_encoding(environ.get("HTTP_ACCEPT_ENCODING")),
               environ.get("wsgi.url_scheme", "http"))
        # A page rendered for a mirror is neither answered from memory nor kept.
        kept = None if MIRROR_ENVIRON in environ else self.answers.get(key)
        if (kept is None or (kept.reads and kept.reads & _asked(environ))
                or any(k in environ for k in kept.varies)):
            return self._ask_flask(key, environ, start_response)
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(kept.etag):
            start_response("304 NOT MODIFIED", [(k, v) for k, v in kept.headers
                                               if k not in ("Content-Length", "Content-Type")])
            return [b""]
        start_response("200 OK", kept.headers)
        return [b""] if method == "HEAD" else [kept.body]

    def _ask_flask(self, key: tuple[str, str, str], environ: dict[str, Any],
                   start_response: StartResponse) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            sent = [(k, v) for k, v in headers if k != MARK]
            return start_response(status, sent, exc_info) if exc_info else start_response(
                status, sent)

        iterable = self.wsgi_app(environ, remember)  # Flask calls start_response first
        headers: list[tuple[str, str]] = seen.get("headers", [])
        if environ["REQUEST_METHOD"] != "GET" or not _keepable(seen.get("status", ""),
                                                               headers, key[1], environ):
            return iterable  # untouched: streams (exports) stay streams
        try:
            body = b"".join(iterable)  # a page of a few kilobytes
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        found = dict(headers)
        reads = frozenset(name for name in found[MARK].split(",") if name != "-")
        etag, _ = unquote_etag(found["ETag"])
        self.answers[key] = KeptAnswer([(k, v) for k, v in headers if k != MARK], body, reads,
                                       _varies(headers), etag or "")
        return [body]


def kept_paths(app: Flask) -> set[str]:
    """The paths answered from memory now (tests, warm-up)."""
    cache: PageCache = app.extensions["spotcheck_page_cache"]
    return {path for path, _, _ in cache.answers}


def init_app(app: Flask) -> None:
    cache = PageCache(app.wsgi_app)
    app.extensions["spotcheck_page_cache"] = cache
    # Flask's documented way to wrap the app in WSGI middleware; its stubs call
    # wsgi_app a method.
    app.wsgi_app = cache  # type: ignore[method-assign]
