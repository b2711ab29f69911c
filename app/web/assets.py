"""Static files: content-hashed URLs, year-long caching, pre-compressed bytes.

`url_for("static", filename=...)` adds `?v=<hash of the file>`, so a changed
file gets a new URL and an unchanged one is cached for a year. The files are
few and small, so each is read and compressed once (brotli at its best level,
and gzip) and served from memory.

JavaScript modules (static/js/*.js) import each other as `"./name.js"`. A
browser would ask for that plain URL, which is not the hashed one: after a
deploy it could mix a new module with an old one from its cache. So when a
module is served, each such import is rewritten to the hashed URL of the file
it names (`"./name.js?v=<hash>"`), and the module's own hash is taken over the
rewritten bytes: a change in storage.js changes the URL of every module that
imports it, however indirectly. The alternatives were worse: an import map is
inline JSON, which the CSP (`script-src 'self'`, no inline script) forbids,
and unversioned imports with `no-cache` cost a revalidation per module per
page. The rewrite is a plain text replacement of a quoted "./name.js" after
`from`, `import` or `import(`; tests/web/test_front_modules.py checks that every
import in static/js resolves to a file. `module_scripts()` writes the
`<script type="module">` tags and a `<link rel="modulepreload">` per imported
module, so a page fetches its whole module graph at once, not level by level.
"""

import gzip
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, abort, before_render_template, current_app, g, request, url_for
from markupsafe import Markup
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600


# A module named in an import: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
IMPORT = re.compile(rb"""(\bfrom\s*|\bimport\s*(\(\s*)?)(["'])\./([\w-]+\.js)\3""")


# A line holding only a // comment.
COMMENT_LINE = re.compile(rb"^[ \t]*//[^\n]*\n", re.M)
# A /* */ comment in our stylesheets, with its line when it stands alone.
CSS_COMMENT = re.compile(rb"^[ \t]*/\*.*?\*/[ \t]*\n|/\*.*?\*/", re.M | re.S)
# A line's indentation, in our scripts and stylesheets.
INDENT = re.compile(rb"^[ \t]+", re.M)
# A // comment after code that ends a statement or opens or closes a block or list.
TRAILING_COMMENT = re.compile(rb"^([^\n]*?[;{}(),\[\]])[ \t]+//[^\n]*$", re.M)


# A script's line that ends a statement or opens a block, list or call, with no "//" or
# "/*" in it (a comment left after code, or one that may be): the line break after it is
# never one JavaScript reads (no semicolon is inserted after ";", "{", ",", "(" or "[",
# and no string runs over lines), so the next line joins it.
JS_JOINABLE = re.compile(rb"^((?:(?!//|/\*)[^\n])*[;{,(\[])\n", re.M)
# Blank lines, in both (a line break is a line break, however many).
BLANK_LINES = re.compile(rb"\n{2,}")
# A stylesheet's line that ends a rule, a declaration or a selector: the same.
CSS_JOINABLE = re.compile(rb"([;{},])\n")


def _drop_trailing_comment(match: re.Match[bytes]) -> bytes:
    code = match[1]
    # Kept if the "//" may sit inside a string: any quote left open before it.
    if any(code.count(quote) % 2 for quote in (b'"', b"'", b"`")):
        return match[0]
    return code


@dataclass(frozen=True)
class Asset:
    version: str
    mimetype: str
    encodings: dict[str, bytes]  # "identity", "br", "gzip" -> body
    imports: tuple[str, ...] = ()  # modules this one imports statically (./name.js)
    dynamic: tuple[str, ...] = ()  # ...and with import(), loaded only when needed


def imports_of(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The modules a script imports: (static, dynamic), file names beside it."""
    static: list[str] = []
    dynamic: list[str] = []
    for match in IMPORT.finditer(data):
        (dynamic if match[2] else static).append(match[4].decode())
    return tuple(dict.fromkeys(static)), tuple(dict.fromkeys(dynamic))


@lru_cache(maxsize=256)
def _imports_in(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """imports_of a script file, read once per version of it (others import nothing)."""
    return imports_of(Path(path).read_bytes()) if path.endswith(".js") else ((), ())


@lru_cache(maxsize=256)
def _load(path: str, mtime_ns: int, size: int, links: tuple[tuple[str, str], ...] = ()) -> Asset:
    # mtime and size are part of the cache key, so an edited file is re-read;
    # `links` (imported module -> its version) too, so an edited import is.
    data = Path(path).read_bytes()
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    static, dynamic = _imports_in(path, mtime_ns, size)
    if path.endswith(".js") and Path(path).parent.name == "js":
        # Our own scripts are written for people, a third of them comments: lines
        # that are only a comment are not sent (none of them sits inside a
        # multi-line string; tests/web/test_front_modules.py checks). Vendored files
        # are served as they are. Nor is the indentation (4 KB of what every
        # language's precache holds): with no string running over lines, a line's
        # leading spaces are never inside one, and the line breaks stay where they were;
        # nor a comment after code, unless a quote before it is left open (3 KB more).
        # And the line breaks no parser reads (JS_JOINABLE; 1.9 KB more).
        data = TRAILING_COMMENT.sub(_drop_trailing_comment,
                                    INDENT.sub(b"", COMMENT_LINE.sub(b"", data)))
        data = JS_JOINABLE.sub(rb"\1", BLANK_LINES.sub(b"\n", data))
    if path.endswith(".css") and Path(path).parent.name == "css":
        # The same for our stylesheets' comments (a seventh of app.css, kept by every
        # precache): no string in them holds "/*" (tests/web/test_front_modules.py);
        # and their indentation, never inside a string either.
        # And the line breaks after a rule, a declaration or a selector.
        data = BLANK_LINES.sub(b"\n", INDENT.sub(b"", CSS_COMMENT.sub(b"", data)))
        data = CSS_JOINABLE.sub(rb"\1", data)
    if links:
        versions = dict(links)
        data = IMPORT.sub(lambda m: m[0][:-1] + b"?v=" + versions[m[4].decode()].encode() + m[3],
                          data)
    encodings = {"identity": data}
    if mimetype.startswith("text/") or mimetype.endswith(("javascript", "json", "+xml")):
        encodings["br"] = brotli.compress(data, quality=11)
        encodings["gzip"] = gzip.compress(data, compresslevel=9, mtime=0)
    return Asset(hashlib.sha256(data).hexdigest()[:12], mimetype, encodings, static, dynamic)


def static_root() -> Path:
    """The static folder init_app set (Flask's type for it allows None)."""
    if current_app.static_folder is None:
        raise RuntimeError("assets.init_app sets the static folder")
    return Path(current_app.static_folder)


def _stat(filename: str) -> tuple[str, int, int] | None:
    path = safe_join(str(static_root()), filename)
    # No file name holds a NUL, and the OS refuses one with ValueError, not OSError.
    if path is None or "\x00" in path:
        return None
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    if not Path(path).is_file():
        return None
    return path, stat.st_mtime_ns, stat.st_size


def find_asset(filename: str, _importers: tuple[str, ...] = ()) -> Asset | None:
    if not (found := _stat(filename)):
        return None
    # A module's bytes name the versions of what it imports, so those come first;
    # each version of a file is compressed once.
    static, dynamic = _imports_in(*found)
    names = static + dynamic
    if not names:
        return _load(*found)
    if filename in _importers:
        raise ValueError(f"modules import each other in a circle: {_importers + (filename,)}")
    folder = posixpath.dirname(filename)
    links = []
    for name in names:
        imported = find_asset(posixpath.join(folder, name), _importers + (filename,))
        if imported is None:
            raise FileNotFoundError(f"{filename} imports ./{name}, which does not exist")
        links.append((name, imported.version))
    return _load(*found, tuple(sorted(links)))


def module_graph(entry: str, dynamic: bool = False) -> list[str]:
    """The modules `entry` imports, directly or not, as static file names.

    Static imports only (what the browser fetches before running the entry),
    or with `dynamic`, also what it may import later (what must be precached).
    """
    found: list[str] = []
    todo = [entry]
    while todo:
        filename = todo.pop(0)
        asset = find_asset(filename)
        if asset is None:
            raise FileNotFoundError(filename)
        folder = posixpath.dirname(filename)
        for name in asset.imports + (asset.dynamic if dynamic else ()):
            path = posixpath.join(folder, name)
            if path not in found and path != entry:
                found.append(path)
                todo.append(path)
    return found


def module_scripts(*entries: str, early: bool = False) -> Markup:
    """`<script type="module">` for each entry (files in static/), and a modulepreload
    link for each module they import, each once per page.

    Module scripts run after the page is parsed, in order with `defer` scripts;
    `early` makes them `async` instead: they run as soon as they have arrived.
    """
    page = g.setdefault("spotcheck_modules", {"preloaded": set(), "run": set()})
    def url(path: str) -> str:
        return url_for("static", filename=path)

    tags = []
    for entry in entries:
        for path in module_graph(entry):
            if path not in page["preloaded"] and path not in page["run"]:
                page["preloaded"].add(path)
                tags.append(Markup('<link rel="modulepreload" href="{}">').format(url(path)))
    script = (Markup('<script type="module" src="{}" async></script>') if early
              else Markup('<script type="module" src="{}"></script>'))
    for entry in entries:
        if entry not in page["run"]:
            page["run"].add(entry)
            tags.append(script.format(url(entry)))
    return Markup("\n").join(tags)


def page_loads(path: str) -> bool:
    """Whether this page's module_scripts() so far run or preload `path` (base.html)."""
    page = g.get("spotcheck_modules", {"preloaded": set(), "run": set()})
    return path in page["preloaded"] or path in page["run"]


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
    app.jinja_env.globals["module_scripts"] = module_scripts
    app.jinja_env.globals["page_loads"] = page_loads
    # Each page names each module once, even when the error page follows a failed one.
    before_render_template.connect(_new_page, app)


def _new_page(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
    g.pop("spotcheck_modules", None)
