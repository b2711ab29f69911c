"""The takedown kit (issue 30): when the footage is already online.

`/<lang>/takedown` walks her through the work in order (evidence, police,
removal, watching), lists every place that can remove it (app/content/
takedown.py) with her region's first, writes a letter for each on her phone and
keeps a tracker of the links there (static/js/takedown*.js). Nothing she types
leaves the phone: she sends each letter herself.
"""

from flask import Blueprint, Flask

bp = Blueprint("takedown", __name__, url_prefix="/<lang:lang>")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
