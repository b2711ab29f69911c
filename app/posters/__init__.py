"""QR posters: the builder, the printed poster and its PDF, short links and scan counts.

`store` owns the poster and poster_scan rows; `render` draws a poster (its
link, QR code, words and PDF); `views` parses requests and renders. What a
poster may say and where it may lead is in app/content/posters.py.
"""

from flask import Blueprint, Flask

bp = Blueprint("posters", __name__)


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
