"""Anonymous reports of places where a camera was found or suspected.

A placeholder until the reports issue lands: the page says what it will hold.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from .security import no_store

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang>")


@bp.get("/report")
@no_store
def report():
    """The report form (being built)."""
    return render_template(
        "placeholder.html",
        title=_l("Report a place"),
        promise=_l(
            "An anonymous report form is being built. Nothing you send will be "
            "public until an organizer has checked it."
        ),
    )
