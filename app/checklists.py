"""Hidden-camera checklists and the found-something guide.

Placeholders until the checklist issue lands: each page says what it will hold.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

bp = Blueprint("checklists", __name__, url_prefix="/<lang:lang>")


@bp.get("/check/")
def spaces():
    """The spaces one can check (being written)."""
    return render_template(
        "placeholder.html",
        title=_l("Check a space"),
        promise=_l(
            "Step-by-step checklists for restrooms, fitting rooms, hotel rooms, "
            "changing rooms, medical rooms and trains are being written."
        ),
    )


@bp.get("/found")
def found():
    """What to do after finding something (being written)."""
    return render_template(
        "placeholder.html",
        title=_l("I found something"),
        promise=_l(
            "A full guide is being written: staying safe, keeping evidence, "
            "calling the police and getting images taken down."
        ),
    )
