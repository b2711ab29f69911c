"""The notebook's page and its paper log sheet."""

import json

from flask import render_template, request, url_for
from flask_babel import force_locale
from markupsafe import Markup

from ..content.regions import REGIONS, find_region, likely_regions
from ..reports import photos
from ..web.i18n import current_language
from ..web.pagecache import cached_page
from ..web.policy import page_policy
from . import bp
from .sheet import COLUMNS, PAPERS, ROWS, SUMMARY

# The summary's words that are also the labels of the entry's fields on the page, by
# the field's data-nb-field: notebook.js reads them there, so the page holds them once.
ON_THE_PAGE = ("happened", "found", "place", "toldVenue", "toldPolice", "toldOthers", "region",
               "policeNumber", "askedFor", "links")


def summary_words(omit: tuple[str, ...] = ()) -> Markup:
    """The summary's words as JSON for a single-quoted attribute: her characters as
    they are (not \\u escapes, twice the bytes in Chinese), only ' & < escaped."""
    words = {key: str(text) for key, text in SUMMARY.items() if key not in omit}
    text = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
    escaped = text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
    return Markup(escaped)  # noqa: S704 (& ' < escaped; page.html single-quotes the attribute)


@bp.get("/notebook")
@cached_page
@page_policy(features={"geolocation"})
def page() -> str:
    """The notebook, drawn on the phone; without JavaScript, why not and the sheet.

    The same page for everyone: whether she has entries is known only to her
    phone. Geolocation is allowed here for "Use my location", which she taps;
    the position stays in her entry on the phone.
    """
    labels = summary_words(omit=ON_THE_PAGE)
    # The English copy beside hers, whole (her page's labels are in her language).
    labels_en = None
    if current_language().code != "en":
        with force_locale("en"):
            labels_en = summary_words()
    return render_template("notebook/page.html", regions=REGIONS.values(),
                           likely=likely_regions(current_language().code), papers=PAPERS,
                           labels=labels, labels_en=labels_en, photo_max_side=photos.MAX_SIDE)


@bp.get("/notebook/sheet")
@cached_page(reads=("paper", "region"))
def sheet() -> str | tuple[str, int]:
    """A paper log sheet to print, on A4 or US Letter (`?paper=a4|letter`).

    What to ask the police for is her region's (`?region=xx`), else the likely
    regions' for her language. Any other paper gets a 400 that names the two.
    """
    code = request.args.get("paper", "a4")
    region = find_region(request.args.get("region"))
    regions = [region] if region else likely_regions(current_language().code)
    paper = PAPERS.get(code)
    if paper is None:
        links = {p: url_for("notebook.sheet", paper=p.code) for p in PAPERS.values()}
        return render_template("notebook/bad_paper.html", links=links), 400
    return render_template("notebook/sheet.html", paper=paper, papers=PAPERS.values(),
                           columns=COLUMNS, rows=ROWS, regions=[r for r in regions if r.ask_for])
