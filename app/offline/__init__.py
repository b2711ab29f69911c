"""Offline: the service worker, the web app manifest and the offline page.

The blueprint keeps its first name, `pwa`, so `url_for("pwa.offline")` and the
templates in templates/pwa/ stay as they were. The worker's own code is
templates/pwa/sw.js; the page side is static/js/common.js (update notice) and outbox.js.
"""

from flask import Blueprint, Flask

bp = Blueprint("pwa", __name__)


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
