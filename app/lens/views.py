"""The lens finder's page."""

from flask import render_template

from ..web.pagecache import cached_page
from ..web.policy import page_policy
from . import bp


@bp.get("/lens")
@cached_page
@page_policy(features={"camera"}, no_connections=True)
def page() -> str:
    """The camera view with its red filter and glint marks, or the manual method.

    The camera is allowed here and nowhere else; connect-src 'none' lets the
    browser itself refuse any request while the camera runs, so no frame can be
    sent anywhere. The page cache keeps the headers whole with the page.
    """
    return render_template("lens/page.html")
