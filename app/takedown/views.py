"""The takedown kit's page, its letters' text, and where its destinations' facts were read."""

import json

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..checklists.where import where_context
from ..content import takedown as content
from ..content.found import lead_regions, split_by_region
from ..content.regions import REGIONS
from ..web.i18n import current_language
from ..web.indent import without_indentation
from ..web.pagecache import cached_page
from . import bp, letters

# Each group's heading, in model.KINDS order: those who act for her first.
KIND_NAMES = {
    "centre": _l("Centres that ask for removal for you"),
    "national": _l("Official reporting channels"),
    "platform": _l("The platforms’ own reports"),
    "search": _l("Search engines"),
    "hash": _l("Blocking copies of an image you have"),
}
# The language a request to a destination is written in, named in hers.
LETTER_LANGUAGES = {
    "en": _l("English"),
    "zh-hans": _l("Chinese, simplified characters"),
    "zh-hant": _l("Chinese, traditional characters"),
}


@bp.get("/takedown")
@cached_page(reads=("region",))
def page() -> str:
    """The kit: the steps in order, the destinations (her region's first), letters, tracker.

    Her region comes from `?region=xx` (without JavaScript) or, on the phone, from
    her stored choice (static/js/region.js moves the cards and the support lines
    the same way). A `?region=` naming no region is no choice: the page asks.
    """
    where = where_context()
    lead = lead_regions(current_language().code, where["chosen"])
    first, rest = split_by_region(content.DESTINATIONS, lead, lambda d: d.region)
    # Someone to talk to, beside each step: the lead regions' lines shown, the
    # others kept (hidden) for region.js to bring forward when she picks one.
    talk_lead, talk_rest = split_by_region(
        [r for r in REGIONS.values() if r.talk], lead, lambda r: r.code)
    groups = [(kind, KIND_NAMES[kind], [d for d in first if d.kind == kind],
               [d for d in rest if d.kind == kind]) for kind in content.KINDS]
    return render_template("takedown/page.html", where=where, first=first, rest=rest,
                           groups=[g for g in groups if g[2] or g[3]],
                           letter_languages=LETTER_LANGUAGES,
                           talk_lead=talk_lead, talk_rest=talk_rest,
                           # The writer itself is letters.json's: the page needs only these.
                           letter_here=current_language().code,
                           check_again_days=letters.CHECK_AGAIN_DAYS)


@bp.get("/takedown/letters.json")
@cached_page
def letters_json() -> Response:
    """The letter writer for the phone (app/takedown/letters.py): its text to fill in
    and its form, one file the same for everyone in a language, kept in memory and
    by the browser like a page. takedown.js asks for it with nothing of hers in the
    request. Out of the page, which stays within 14 KB compressed with them gone."""
    writer = render_template("takedown/_writer.html", **letters.page_context())
    data = {**letters.letters_data(), "writer": without_indentation(writer)}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
    response.add_etag()
    return response


@bp.get("/takedown/letters")
@cached_page
def blank_letters() -> str:
    """The letters with blanks, to copy by hand where the page cannot fill one in."""
    return render_template("takedown/letters.html", **letters.page_context())


@bp.get("/takedown/sources")
@cached_page
def sources() -> str:
    """Where each destination's facts were read, and when (the kit links here: its
    sources, links to other sites of no use offline, would double the page)."""
    return render_template("takedown/sources.html", destinations=content.DESTINATIONS)
