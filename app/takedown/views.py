"""The takedown kit's page."""

from flask import render_template

from ..checklists.views import where_context
from ..content.found import lead_regions, split_by_region
from ..content.takedown import DESTINATIONS
from ..web.i18n import current_language
from ..web.pagecache import cached_page
from . import bp, letters


@bp.get("/takedown")
@cached_page(reads=("region",))
def page() -> str:
    """The kit: the steps in order, the destinations (her region's first), letters, tracker.

    Her region comes from `?region=xx` (without JavaScript) or, on the phone, from
    her stored choice (static/js/region.js moves the cards the same way).
    """
    where = where_context()
    lead = lead_regions(current_language().code, where["chosen"])
    first, rest = split_by_region(DESTINATIONS, lead, lambda d: d.region)
    return render_template("takedown/page.html", where=where, first=first, rest=rest,
                           **letters.page_context())
