"""Home, the checklists and the found-something guide.

These are the pages a woman opens in a restroom stall: plain server-rendered
HTML that works without JavaScript, is cacheable, and stays small (the budgets in
docs/deploy.md). Marks made on a checklist stay in the browser (static/js/checklist.js).
"""

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..content.checklists import CHECKLISTS
from ..content.found import SERVICES, lead_regions, split_by_region
from ..content.home import DRAWINGS
from ..content.regions import DV_HELP, REGIONS
from ..vocab import DEVICES
from ..web.i18n import current_language, negotiate
from ..web.pagecache import cached_page
from . import bp, home_bp
from .where import where_context


@home_bp.get("/")
def choose_language() -> Response:
    """Send the visitor to the home page in the language her browser asks for."""
    code = negotiate(request.headers.get("Accept-Language"), current_app.config["DEFAULT_LANGUAGE"])
    response = redirect(url_for("home.index", lang=code), code=302)
    response.headers["Vary"] = "Accept-Language"
    response.cache_control.no_cache = True
    return response


@home_bp.get("/<lang:lang>/")
@cached_page
def index() -> str:
    """Home: check a space, I found something, report a place."""
    return render_template("home/index.html")


@bp.get("/check/")
@cached_page
def spaces() -> str:
    """Choose the space to check."""
    return render_template("checklists/spaces.html", checklists=CHECKLISTS.values())


@bp.get("/check/home")
@cached_page(reads=("region",))
def home_checklist() -> str:
    """At home and on her own phone: the checklist, then domestic violence help.

    As on the found page, one region's help only for a region she chose (`?region=xx`,
    or on the phone with static/js/region.js); otherwise the likely regions' side by
    side. No report link: a report must never put her home on a map (vocab.py).
    """
    return render_template("checklists/home.html", checklist=CHECKLISTS["home"],
                           devices=DEVICES | DRAWINGS, where=where_context(), dv_help=DV_HELP)


@bp.get("/check/<space>")
@cached_page
def checklist(space: str) -> str:
    """One checklist: a quick check, and a thorough one where the space allows."""
    checklist = CHECKLISTS.get(space)
    if checklist is None or not checklist.reportable:  # home has its own view, above
        abort(404)
    return render_template("checklists/checklist.html", checklist=checklist, devices=DEVICES)


@bp.get("/found/sources")
@cached_page
def found_sources() -> str:
    """Where each region's facts on the found page were checked, and when."""
    return render_template("checklists/sources.html", regions=REGIONS.values())


@bp.get("/found")
@cached_page(reads=("region",))
def found() -> str:
    """What to do if you find something, and where to get help.

    One number only for a region the reader chose (`?region=hk`, or on the phone
    with static/js/region.js); never one guessed from the language or from
    Accept-Language, since this page is cached per URL.
    """
    where = where_context()
    lead = lead_regions(current_language().code, where["chosen"])
    cards, other_cards = split_by_region(REGIONS.values(), lead, lambda r: r.code)
    services, other_services = split_by_region(SERVICES, lead, lambda s: s.region)
    return render_template(
        "checklists/found.html",
        where=where,
        cards=cards,
        other_cards=other_cards,
        services=services,
        other_services=other_services,
    )
