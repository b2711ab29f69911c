"""The public map of published reports, its list view, and the GeoJSON API.

The map page is the list page plus a map: without JavaScript (or with
`?view=list`, which also loads nothing from the tile server) a visitor gets the
same reports grouped by city and venue, with the same filters as a plain form.
With JavaScript, map.js asks the same address for the list alone (an htmx-style
fragment request) whenever a filter changes.
"""

import hashlib
import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import LazyString, gettext, ngettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..db import get_db
from ..replies.store import published as published_responses
from ..vocab import (
    DEVICE_CHOICES,
    LEVEL_MEANINGS,
    LEVELS,
    SPACES,
    WHAT,
    WHAT_PUBLISHED,
    today,
)
from ..web.converters import positive_int
from ..web.htmx import is_fragment_request, render
from ..web.policy import PagePolicy, add_policy, origin_of
from . import bp, listing
from . import query as map_query
from .tiles import tile_host, tile_source

PAGE_SIZE = listing.LIST_PAGE_SIZE
# The time windows the page offers, in days; the API takes any `since` date.
WITHIN = {"30": _l("In the past 30 days"), "365": _l("In the past 12 months"),
          "1095": _l("In the past 3 years")}
# The order a point's marker picks its level in (map.js), when its reports differ:
# the strongest claim made there first; resolved last, no longer a danger.
LEVEL_ORDER = ("confirmed", "corroborated", "reported", "disputed", "resolved")


def fresh(response: Response) -> Response:
    """Kept by browsers and caches only to be asked about again: a level changed
    (or a report published or withdrawn) shows at the next look, never a stale
    copy (issue 31). The ETag makes asking again cheap."""
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response


def api_error(error: map_query.BadParameter) -> Response:
    body = {"error": str(error.message), "parameter": error.parameter}
    response = Response(json.dumps(body, ensure_ascii=False), status=400,
                        mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")  # the message is in the visitor's language
    return response


@bp.get("/api/v1/reports")
def api() -> Response:
    """Published reports as GeoJSON: points up close, counted cells further out."""
    try:
        query = map_query.parse(request.args, today())
    except map_query.BadParameter as error:
        return api_error(error)
    db = get_db()
    version = map_query.version(db)
    # The answer depends only on the map's version and the question, so the
    # ETag is known before any counting, and a revalidation costs one row.
    key = json.dumps([version, query.west, query.south, query.east, query.north, query.zoom,
                      query.space, query.what, query.verification, str(query.since)])
    etag = hashlib.sha256(key.encode()).hexdigest()[:20]
    response = fresh(Response(mimetype="application/geo+json"))
    response.set_etag(etag)
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    answer = map_query.answer(db, query, current_app.config["LOCATION_GRID_METRES"], today())
    response.set_data(json.dumps(answer, ensure_ascii=False, separators=(",", ":")))
    return response


# The API's OpenAPI 3.1 description, read once: it changes only with a deploy.
OPENAPI = (Path(__file__).parent / "openapi.json").read_bytes()
OPENAPI_ETAG = hashlib.sha256(OPENAPI).hexdigest()[:20]


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    """The OpenAPI description of the public API: /api/v1/reports and the timestamps.

    tests/map/test_openapi.py holds it to the truth.
    """
    response = Response(OPENAPI, mimetype="application/json")
    response.set_etag(OPENAPI_ETAG)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["MAP_API_MAX_AGE"]
    return response.make_conditional(request)


def page_filters(args: MultiDict[str, str]
                 ) -> tuple[dict[str, str], LazyString | None]:
    """The page's filters from its query string, or a message about the bad one."""
    filters = {"space": args.get("space") or "", "what": args.get("what") or "",
               "verification": args.get("verification") or "",
               "within": args.get("within") or ""}
    problems = {
        "space": filters["space"] and filters["space"] not in SPACES,
        "what": filters["what"] and filters["what"] not in WHAT,
        "verification": filters["verification"] and filters["verification"] not in LEVELS,
        "within": filters["within"] and filters["within"] not in WITHIN,
    }
    if any(problems.values()):
        return dict.fromkeys(filters, ""), _l("That filter is not one we offer, so all "
                                              "published reports are shown.")
    return filters, None


# [(city, [(venue, [reports])])]
Groups = list[tuple[str | None, list[tuple[str | None, list[sqlite3.Row]]]]]


def grouped(rows: list[sqlite3.Row]) -> Groups:
    """[(city, [(venue, [reports])])], keeping the rows' order."""
    return [(city, [(venue, list(reports))
                    for venue, reports in itertools.groupby(in_city, lambda r: r["venue"])])
            for city, in_city in itertools.groupby(rows, lambda r: r["city"])]


def tile_settings() -> dict[str, Any]:
    """What map.js needs to draw the background and place points."""
    return {**tile_source(), "start": current_app.config["MAP_START"],
            # Where the map may start or go: a list bundled with the site, matched on the phone.
            "cities": url_for("static", filename="data/cities.json")}


def labels() -> dict[str, object]:
    """The words map.js puts in popups and status lines, in the page's language.

    {n} and {date} are filled in by map.js; plurals come in both forms because
    English needs them (Chinese gives the same text twice).
    """
    both = (1, 2)  # the singular and the plural form
    return {
        "spaces": {k: str(v) for k, v in SPACES.items()},
        "what": {k: str(v) for k, v in WHAT_PUBLISHED.items()},
        "levels": {k: str(v) for k, v in LEVELS.items()},
        "levelOrder": LEVEL_ORDER,
        "devices": {k: str(v) for k, v in DEVICE_CHOICES.items()},
        "here": [ngettext("%(count)s report here", "%(count)s reports here", n, count="{n}")
                 for n in both],
        "showing": [ngettext("%(count)s report in this part of the map.",
                             "%(count)s reports in this part of the map.", n, count="{n}")
                    for n in both],
        "more": [ngettext("%(count)s more in the list", "%(count)s more in the list", n,
                          count="{n}") for n in both],
        "none": gettext("No published reports in this part of the map."),
        "loading": gettext("Loading reports…"),
        "failed": gettext("The reports could not be loaded. Check your connection, or use the "
                          "list below."),
        "seen": gettext("Seen on %(date)s", date="{date}"),
        "published": gettext("Published on %(date)s", date="{date}"),
        "note": gettext("Organizers’ note:"),
        # The link from a report in a popup to its public page (app/replies/), as the list's.
        "details": gettext("Details, or respond as this place"),
        **where_labels(),
        "noCity": gettext("That city is not on our list. Try its name in English or Chinese, "
                          "or move the map."),
    }


def where_labels() -> dict[str, str]:
    """The words for finding her on the map, shared by the map and the picker."""
    return {
        "locating": gettext("Finding your location…"),
        "noLocation": gettext("Your location is not available. You can move the map "
                              "yourself."),
    }


def picker_labels() -> dict[str, str]:
    return {
        **where_labels(),
        "moveFirst": gettext("First move the map, or tap the place, so the pin is on it."),
    }


@bp.get("/<lang:lang>/map")
def page() -> str | Response:
    """The map with the list below it, or the list alone (?view=list).

    A fragment request (map.js, after a filter changed) gets only the list,
    templates/maps/_list.html, for the same filters and page.
    """
    view = request.args.get("view", "map")
    if view == "pick":
        return pick()
    if view not in ("map", "list"):
        abort(404)
    filters, notice = page_filters(request.args)
    # url_for's values: Any, as mypy would match a dict[str, str] to its _external too.
    active: dict[str, Any] = {k: v for k, v in filters.items() if v}
    # Pages are keyset-read: ?after=<report id> (or ?before= for the page before);
    # `page` only numbers them. An old ?page=N link (OFFSET paging) starts over.
    # Any other number (too large for SQLite, negative, "1e9") is no cursor at all.
    after = request.args.get("after", type=positive_int)
    before = request.args.get("before", type=positive_int)
    page_number = request.args.get("page", 1, type=int)  # a Python int: any size is fine
    if not 1 <= page_number <= 10_000:
        abort(404)
    if page_number > 1 and after is None and before is None:
        view_arg: dict[str, Any] = {"view": view} if view != "map" else {}
        return redirect(url_for("maps.page", **view_arg, **active), code=301)
    backwards = before is not None and after is None
    rows, more, from_cursor = listing.list_page(get_db(), filters, today(), after, before)
    if backwards and not more:  # read back to the start: the first page, whole
        backwards = False
        rows, more, from_cursor = listing.list_page(get_db(), filters, today())
    if not from_cursor:  # no cursor, or one no longer published
        page_number = 1

    def link(**cursor: Any) -> str:
        return url_for("maps.page", view="list", **active, **cursor)

    links = {
        "previous": None if page_number == 1 else
        link(before=rows[0]["report_id"], page=page_number - 1) if rows and page_number > 2
        else link(),
        "next": link(after=rows[-1]["report_id"], page=page_number + 1)
        if rows and (more or backwards) else None,
    }
    # Only a whole map page shows tiles (once she agrees: map.js); the list
    # fragment never does. "Near me" asks the browser for her position.
    if view == "map" and not is_fragment_request():
        add_policy(map_policy())
    response = render(
        "maps/page.html", "maps/_list.html", status=400 if notice else 200,
        view=view, filters=filters, notice=notice, groups=grouped(rows), links=links,
        page_number=page_number, spaces=SPACES, what_choices=WHAT, within=WITHIN,
        legend=WHAT_PUBLISHED, devices=DEVICE_CHOICES, active=active, levels=LEVELS,
        level_meanings=LEVEL_MEANINGS,
        # Responses from places published beside these reports (app/replies/).
        answered=published_responses([row["report_id"] for row in rows]),
        labels=labels() if view == "map" else None,
        map_settings={**tile_settings(), "api": url_for("maps.api")}, tile_host=tile_host(),
        report_page=report_page(),
    )
    # The list shows each report's level: asked about again at every look (fresh()).
    fresh(response).add_etag()
    return response.make_conditional(request)


def report_page() -> str:
    """Where a report's public page is, but its public id (map.js adds that from the API's
    `public_id`): in the page's language, below the base path. An attribute of its own,
    so a mirror's build points it at the primary, which alone holds those pages."""
    return url_for("replies.page", public_id="-").removesuffix("-")


def map_policy() -> PagePolicy:
    """A map with tiles: images from the tile host, and "near me"."""
    return PagePolicy(features=frozenset({"geolocation"}),
                      image_origin=origin_of(current_app.config["MAP_TILE_URL"]))


def pick() -> str:
    """The location picker the report form opens in a frame (static/js/map.js).

    A page of its own so the form never loads tiles: only this map page may.
    """
    # "Where I am", and starting there if she already allowed it; framed by the form.
    add_policy(map_policy().adding(PagePolicy(framed_by_self=True)))
    return render_template("maps/pick.html", map_settings=tile_settings(), tile_host=tile_host(),
                           labels=picker_labels())
