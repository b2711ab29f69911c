"""Warm the app before gunicorn forks its workers (scripts/gunicorn.conf.py: preload_app).

A cold worker's first visitor used to pay for compiling templates and rendering
the page she asked for: the map 290–388 ms, the found and report pages about
100 ms, once per worker and restart. Done here, in the master, the compiled
templates and the pages kept in memory (web/pagecache.py), compressed as phones
ask for them, are inherited by
every worker at fork. Nothing here keeps a database connection open: each
request closes its own (db.close_db), so no connection crosses the fork.
"""

from flask import Flask

from .i18n import LANGUAGES
from .pagecache import ENCODINGS, kept_paths

# Pages not in the worker's precache list that a visitor may open first.
OTHER_PAGES = ("map", "map?view=list", "report", "lens", "posters/", "report/status")


def warm(app: Flask) -> None:
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    client = app.test_client()
    # The worker script hashes every precached page in every language, which
    # renders each one once and keeps it in memory (pwa/precache_version).
    client.get("/sw.js").close()
    for lang in LANGUAGES:
        for page in OTHER_PAGES:
            client.get(f"/{lang}/{page}").close()
    # Each kept page once more per encoding: browsers ask for br, older ones gzip.
    for path in sorted(kept_paths(app)):
        for encoding in ENCODINGS:
            client.get(path, headers={"Accept-Encoding": encoding}).close()
