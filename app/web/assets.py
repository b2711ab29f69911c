"""Static files: content-hashed URLs, year-long caching, pre-compressed bytes.

`url_for("static", filename=...)` adds `?v=<hash of the file>`, so a changed
file gets a new URL and an unchanged one is cached for a year. The files are
few and small, so each is read and compressed once (brotli at its best level,
and gzip) and served from memory.
"""

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, abort, current_app, request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Asset:
    version: str
    mimetype: str
    encodings: dict[str, bytes]  # "identity", "br", "gzip" -> body


@lru_cache(maxsize=256)
def _load(path: str, mtime_ns: int, size: int) -> Asset:
    # mtime and size are part of the cache key, so an edited file is re-read.
    data = Path(path).read_bytes()
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    encodings = {"identity": data}
    if mimetype.startswith("text/") or mimetype.endswith(("javascript", "json", "+xml")):
        encodings["br"] = brotli.compress(data, quality=11)
        encodings["gzip"] = gzip.compress(data, compresslevel=9, mtime=0)
    return Asset(hashlib.sha256(data).hexdigest()[:12], mimetype, encodings)


def static_root() -> Path:
    """The static folder init_app set (Flask's type for it allows None)."""
    if current_app.static_folder is None:
        raise RuntimeError("assets.init_app sets the static folder")
    return Path(current_app.static_folder)


def find_asset(filename: str) -> Asset | None:
    folder = current_app.static_folder  # always set, by init_app
    path = safe_join(folder, filename) if folder else None
    # No file name holds a NUL, and the OS refuses one with ValueError, not OSError.
    if path is None or "\x00" in path:
        return None
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    if not Path(path).is_file():
        return None
    return _load(path, stat.st_mtime_ns, stat.st_size)


def static_version(filename: str) -> str | None:
    """A short hash of a static file's bytes, or None if there is no such file."""
    asset = find_asset(filename)
    return asset.version if asset else None


def _best_encoding(asset: Asset) -> str:
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if encoding in asset.encodings and accepted.quality(encoding) > 0:
            return encoding
    return "identity"


def serve_static(filename: str) -> Response:
    """One static file, compressed as the browser prefers."""
    asset = find_asset(filename)
    if asset is None:
        abort(404)
    encoding = _best_encoding(asset)
    response = Response(asset.encodings[encoding], mimetype=asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if len(asset.encodings) > 1:
        response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.version}-{encoding}")
    if request.args.get("v") == asset.version:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        # An old or missing ?v= must not pin this file in a cache for a year.
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def _version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    if version := static_version(values["filename"]):
        values["v"] = version


def init_app(app: Flask, folder: Path) -> None:
    # Flask's own static route streams files, which would be compressed on
    # every request; this one replaces it under the same endpoint name.
    app.static_folder = str(folder)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    # Browsers ask for /favicon.ico whatever the page links; a 404 there reads as broken.
    app.add_url_rule("/favicon.ico", endpoint="favicon",
                     view_func=lambda: serve_static("icons/favicon.ico"))
    app.url_defaults(_version_static_urls)
