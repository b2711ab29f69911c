"""The app gunicorn loads is warmed before it forks: no visitor pays for a cold worker."""

import importlib
import sys

from app.offline.views import precache_urls
from app.web.i18n import LANGUAGES


def test_the_wsgi_app_is_warmed_before_any_request(instance, monkeypatch):
    sys.modules.pop("app.wsgi", None)
    wsgi = importlib.import_module("app.wsgi")
    app = wsgi.app
    try:
        # Every template compiled in this process, so forked workers inherit it.
        assert set(app.jinja_env.list_templates()) <= {key[1] for key in app.jinja_env.cache}
        # Every precached page, in every language, already kept in memory.
        kept = set(app.extensions["spotcheck_pages"])
        with app.test_request_context("/"):
            pages = {url for lang in LANGUAGES for url in precache_urls(lang)
                     if not url.startswith("/static/") and not url.endswith(".webmanifest")}
        # The lens page and the report form's shell set headers in their views, so they
        # are rendered each time (their templates are compiled all the same).
        rendered = {f"/{lang}/{page}" for lang in LANGUAGES for page in ("lens", "offline/report")}
        assert pages - kept <= rendered
        assert {"/en/", "/zh-hk/found", "/zh-hans/check/hotel-room"} <= kept
    finally:
        sys.modules.pop("app.wsgi", None)
