"""Hidden-camera checklists and the found-something guide.

These are the pages a woman opens in a restroom stall: plain server-rendered
HTML that works without JavaScript, is cacheable, and stays small (DESIGN.md
budgets). Marks made on a checklist stay in the browser (static/js/app.js).
"""

from flask import Blueprint, abort, render_template, request

from .content.checklists import CHECKLISTS, DEVICES
from .content.found import region_order, regions_with_services, services_for
from .i18n import current_language

bp = Blueprint("checklists", __name__, url_prefix="/<lang:lang>")


@bp.get("/check/")
def spaces():
    """Choose the space to check."""
    return render_template("checklists/spaces.html", checklists=CHECKLISTS.values())


@bp.get("/check/<space>")
def checklist(space: str):
    """One checklist: a quick check, and a thorough one where the space allows."""
    checklist = CHECKLISTS.get(space)
    if checklist is None:
        abort(404)
    return render_template("checklists/checklist.html", checklist=checklist, devices=DEVICES)


@bp.get("/found")
def found():
    """What to do if you find something, and where to get help."""
    regions = region_order(current_language().code, request.args.get("region"))
    return render_template(
        "checklists/found.html",
        regions=regions,
        services=services_for(regions),
        region_choices=regions_with_services(),
    )
