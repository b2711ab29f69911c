"""The right of reply (issue 31, item 3): a published report's public page, where
whoever is responsible for the place responds or asks for a correction, and the
organizers' side of those responses.

`views` serves the public page, the response form, its receipt and status page;
`organizer_views` the organizers' list and each response's page; `form` checks
what arrives; `store` owns the `response` table (migration 0014); `actions`
runs each organizer decision with its audit line and the public map copy in one
commit.
"""

from flask import Blueprint, Flask

bp = Blueprint("replies", __name__, url_prefix="/<lang:lang>")
organizer_bp = Blueprint("responses", __name__, url_prefix="/<lang:lang>/organizers")


def init_app(app: Flask) -> None:
    from . import organizer_views, views  # noqa: F401 (registers the routes)
    from .store import pending_among, waiting_count

    app.register_blueprint(bp)
    app.register_blueprint(organizer_bp)
    # For the review queue's marker and count (templates/review/), without the
    # review package reading this table itself.
    app.add_template_global(pending_among, "responses_pending_among")
    app.add_template_global(waiting_count, "responses_waiting_count")
    app.add_template_global(organizer_views.responses_of, "responses_of")
