"""The lens finder's page."""

from flask import render_template

from ..web.security import allow_feature, forbid_connections
from . import bp


@bp.get("/lens")
def page():
    """The camera view with its red filter and glint marks, or the manual method.

    Not served from the page cache (web/pagecache.py): that would skip this view,
    and with it the two headers the page depends on. The camera is allowed here
    and nowhere else; connect-src 'none' lets the browser itself refuse any
    request while the camera runs, so no frame can be sent anywhere.
    """
    allow_feature("camera")
    forbid_connections()
    return render_template("lens/page.html")
