"""The front door, the hidden-camera checklists and the found-something guide.

Two blueprints, so their endpoints keep their names: `home` for `/` and
`/<lang>/`, `checklists` for the pages under `/<lang>/check/` and `/found`.
"""

from flask import Blueprint, Flask

home_bp = Blueprint("home", __name__)
bp = Blueprint("checklists", __name__, url_prefix="/<lang:lang>")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprints)

    app.register_blueprint(home_bp)
    app.register_blueprint(bp)
