"""Where she is: what templates/checklists/_where.html needs, for any page that asks.

The found page, the home checklist's help and the takedown kit (app/takedown/) ask
the same question the same way, so its context lives here rather than in one
feature's views (tests/test_architecture.py: no feature imports another's views).
"""

from typing import Any

from flask import request

from ..content.regions import ALIASES, REGIONS, find_region, likely_regions
from ..web.i18n import current_language


def where_context() -> dict[str, Any]:
    """What templates/checklists/_where.html needs: the region she chose (`?region=`),
    else her language's likely ones to ask with, and every region for the phone."""
    return {"chosen": find_region(request.args.get("region")),
            "likely": likely_regions(current_language().code),
            "all_regions": REGIONS.values(), "aliases": ALIASES}
