"""The lens finder: the phone's camera and light look for the glint of a hidden lens.

`/<lang>/lens` is a page like a checklist (precached, works offline); the work is
done on the phone by static/js/lens.js, and no frame ever leaves it. Without
JavaScript, or without a camera, the page is the manual method: a torch beside
the eye, red film over the camera.
"""

from flask import Blueprint, Flask

bp = Blueprint("lens", __name__, url_prefix="/<lang:lang>")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
