"""The evidence notebook (issue 29): what she found, kept on her own phone.

`/<lang>/notebook` is a page like a checklist (cached, precached for every
visitor, so its presence in the cache says nothing about her). Her entries live
in the browser's IndexedDB (static/js/notebook-store.js) and are drawn by
static/js/notebook.js; nothing is sent anywhere but a file's SHA-256, when she
asks for a timestamp (app/timestamps). Without JavaScript the page says so and
offers a paper log sheet to print (`/<lang>/notebook/sheet`).
"""

from flask import Blueprint, Flask

bp = Blueprint("notebook", __name__, url_prefix="/<lang:lang>")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
