"""The publication policy page."""

from flask import current_app, render_template

from ..web.pagecache import cached_page
from . import bp
from .policy import ANSWER_HOURS, LEVELS


@bp.get("/policy")
@cached_page
def policy() -> str:
    """What SpotCheck publishes, what it never does, the levels, and the right of reply."""
    return render_template(
        "about/policy.html", levels=LEVELS, hours=ANSWER_HOURS,
        private_days=current_app.config["PRIVATE_RETENTION_DAYS"],
        report_days=current_app.config["REPORT_RETENTION_DAYS"],
        grid=current_app.config["LOCATION_GRID_METRES"])
