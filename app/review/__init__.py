"""Review: the queue, one report's card and its actions, exports, statistics, the audit page.

`actions` owns every change to a report's review state (with its audit line
and the public map copy, in one transaction); `reading` reads reports for
organizers; `exports` and `stats` read for the downloads and the stats page;
`pii` warns about personal data in free text; `views` parses and renders.

Two blueprints, so endpoint names stay as they were: `review` for the queue
and reports, `exports` for downloads, statistics and the audit log.
"""

from flask import Blueprint, Flask

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/organizers")
exports_bp = Blueprint("exports", __name__, url_prefix="/<lang:lang>/organizers")


def init_app(app: Flask) -> None:
    from . import bulk, views, workbooks  # noqa: F401 (registers the routes)

    app.register_blueprint(bp)
    app.register_blueprint(exports_bp)
