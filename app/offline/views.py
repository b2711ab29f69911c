"""The web app manifest, the service worker and the offline page.

The worker (templates/pwa/sw.js) precaches, per language, the home page, the
six checklists, the found-something guide, the lens finder, the evidence
notebook, the offline page (with the list of mirrors), the report form's shell
(nothing personal in it) and the static files they use; and the takedown kit
(kit_urls) only on a phone whose tracker holds a link. Its cache name
carries a hash of exactly those bytes, so any deploy that changes one of them
installs a new worker everywhere.
"""

import contextvars
import hashlib
import json
import threading

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..content.checklists import CHECKLISTS
from ..web.assets import module_graph
from ..web.i18n import LANGUAGES, current_language
from ..web.pagecache import cached_page
from . import bp

# Static files every precached page uses; url_for adds their ?v=<hash>.
PRECACHED_STATIC = ("css/app.css", "css/notebook.css", "drawings.svg", "icons/icon.svg",
                    "icons/icon-192.png", "js/lens-worker.js",
                    # The notebook's export imports it only when she exports (notebook-export.js):
                    # offline too, as where storage fails the export is all she has.
                    "vendor/client-zip-2.5.1/index.js")
# The precached pages' modules (their templates' module_scripts()), with every
# module they import, also later (common.js may import outbox.js): offline, a
# module missing from the cache would stop the page's script altogether.
PRECACHED_MODULES = ("js/common.js", "js/checklist.js", "js/region.js", "js/lens.js",
                     "js/new-report.js", "js/outbox.js", "js/notebook.js")
THEME_COLOUR = "#3d1f5c"

# The takedown kit (issue 30), kept only on a phone whose tracker holds a link
# (static/js/takedown-store.js asks the worker): not precached for everyone.
KIT_STATIC = ("css/takedown.css",)
KIT_MODULES = ("js/takedown.js",)

# Paths the worker must never answer from or store in a cache (docs/privacy.md, promise 7).
NEVER_CACHED = ("/report", "/organizers", "/api/", "/p/", "/healthz")


def precache_urls(lang: str) -> list[str]:
    """Everything a visitor needs offline in one language, as the pages request it."""
    pages = [url_for("home.index", lang=lang), url_for("checklists.spaces", lang=lang)]
    pages += [url_for("checklists.checklist", lang=lang, space=s) for s in CHECKLISTS]
    # The notebook for every visitor: its presence in the cache says nothing about her.
    pages += [url_for("checklists.found", lang=lang), url_for("lens.page", lang=lang),
              url_for("notebook.page", lang=lang),
              url_for("pwa.offline", lang=lang),
              url_for("reports.offline_form", lang=lang), url_for("pwa.manifest", lang=lang)]
    modules = list(PRECACHED_MODULES)
    for entry in PRECACHED_MODULES:
        modules += [m for m in module_graph(entry, dynamic=True) if m not in modules]
    return pages + [url_for("static", filename=f) for f in PRECACHED_STATIC + tuple(modules)]


def kit_urls(lang: str) -> list[str]:
    """The takedown kit in one language, its page first, then its letter writer
    (letters.json, which takedown.js fetches): what the worker keeps offline while her tracker holds
    a link, and drops when it is emptied."""
    # The entry modules themselves, then all they import (module_graph gives only those).
    modules = list(KIT_MODULES)
    modules += [m for entry in KIT_MODULES for m in module_graph(entry, dynamic=True)]
    files = KIT_STATIC + tuple(dict.fromkeys(modules))
    return [url_for("takedown.page", lang=lang), url_for("takedown.letters_json", lang=lang)] + [
        url_for("static", filename=f) for f in files]


_version_lock = threading.Lock()


def precache_version() -> str:
    """A hash of every precached response body, in every language.

    Computed once per process (a deploy restarts the server) by requesting the
    pages through the app itself, so it changes exactly when their bytes do.
    """
    # The app itself, not the proxy; Flask's types say current_app is a Flask already.
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    version: str | None = app.extensions.get("spotcheck_precache_version")
    if version:
        return version
    with _version_lock:
        if not (version := app.extensions.get("spotcheck_precache_version")):
            # At the site's root, whatever the asking request's SCRIPT_NAME (a mirror's).
            # The kit too: a phone that keeps it gets its new version with the worker's.
            with app.test_request_context("/"):
                urls = [url for lang in LANGUAGES
                        for url in precache_urls(lang) + kit_urls(lang)]
            # An empty context: each inner request gets its own app context and
            # `g`, instead of sharing the one of the request that asked.
            version = contextvars.Context().run(_hash_responses, app, urls)
            app.extensions["spotcheck_precache_version"] = version
    return version


def _hash_responses(app: Flask, urls: list[str]) -> str:
    digest = hashlib.sha256()
    client = app.test_client()
    for url in urls:
        with client.get(url, base_url="http://localhost") as response:
            if response.status_code != 200:
                raise RuntimeError(f"precached page {url} answered {response.status_code}")
            digest.update(url.encode() + b"\0" + response.get_data() + b"\0")
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, with its version and precache lists written in."""
    body = render_template(
        "pwa/sw.js",
        version=precache_version(),
        precache=json.dumps({lang: precache_urls(lang) for lang in LANGUAGES}),
        kit=json.dumps({lang: kit_urls(lang) for lang in LANGUAGES}),
        languages=json.dumps(list(LANGUAGES)),
        never_cached=json.dumps(NEVER_CACHED),
        # Mounted below a path (a mirror, issue 32): every path the worker knows is under it.
        root=request.script_root,
        offline_pages=json.dumps({lang: url_for("pwa.offline", lang=lang) for lang in LANGUAGES}),
        report_shells=json.dumps({lang: url_for("reports.offline_form", lang=lang)
                                  for lang in LANGUAGES}),
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    # Browsers check for a new worker on navigation; let them always ask.
    response.cache_control.no_cache = True
    response.add_etag()
    return response


@bp.get("/<lang:lang>/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest for one language: start URL and scope in it."""
    lang = current_language()

    def icon(name: str) -> str:
        return url_for("static", filename=f"icons/{name}")

    data = {
        "id": url_for("home.index"),
        "name": "SpotCheck",
        "short_name": "SpotCheck",
        "description": _("Check a toilet, fitting room or hotel room for hidden cameras, "
                          "and warn others without giving away who you are."),
        "lang": lang.html_lang,
        "dir": "ltr",
        "start_url": url_for("home.index"),
        "scope": url_for("home.index"),
        "display": "standalone",
        "background_color": "#fdfcff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
    response.add_etag()
    return response


@bp.get("/<lang:lang>/offline")
@cached_page
def offline() -> str:
    """Shown by the worker when a page is wanted that this phone has not saved."""
    return render_template("pwa/offline.html", checklists=CHECKLISTS.values(),
                           mirrors=current_app.config["MIRRORS"])



@bp.get("/<lang:lang>/mirrors")
@cached_page
def mirrors() -> str:
    """Other copies of the site (SPOTCHECK_MIRRORS), for when this one is blocked.

    The list itself is also on the offline page, which the worker keeps: a phone
    that once visited still has it when this site cannot be reached. This page,
    with how to check a copy, would take the precache over its budget
    (bench/precache_size.py); every page's footer and the offline page link to it.
    """
    return render_template("pwa/mirrors.html", mirrors=current_app.config["MIRRORS"],
                           report_endpoints=current_app.config["REPORT_ENDPOINTS"])
