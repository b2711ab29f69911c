"""About SpotCheck: the publication policy (issue 31, item 2), `/<lang>/about/policy`.

What is published and what never is, what each verification level means, how
a place responds or asks for a correction (app/replies/), how fast organizers
answer, and how to ask for removal. The same for everyone at one URL, so kept
whole in memory like the checklists (web/pagecache.py).
"""

from flask import Blueprint, Flask

bp = Blueprint("about", __name__, url_prefix="/<lang:lang>/about")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
