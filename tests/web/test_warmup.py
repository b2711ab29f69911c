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
        # Every precached page, in every language and encoding, already kept in memory,
        # the lens page and the report form's shell (with policies of their own) too.
        answers = app.extensions["spotcheck_page_cache"].answers
        with app.test_request_context("/"):
            pages = {url for lang in LANGUAGES for url in precache_urls(lang)
                     if not url.startswith("/static/") and not url.endswith(".webmanifest")}
        assert {f"/{lang}/lens" for lang in LANGUAGES} | {"/zh-hk/offline/report"} <= pages
        for encoding in ("identity", "br", "gzip"):
            kept = {path for path, kept_encoding, _ in answers if kept_encoding == encoding}
            assert pages - kept == set(), encoding
    finally:
        sys.modules.pop("app.wsgi", None)
