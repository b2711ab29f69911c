"""What a mirror holds, and where each URL's page lies in it.

Pages are found, not listed: every public GET route whose only argument is
`lang` is mirrored in each language (so a new page such as /<lang>/takedown or
/<lang>/about/policy joins the mirror with no change here), except the
endpoints in LEFT_OUT, which need the server. Routes with other arguments are
added by EXTRA below: the checklists (one per space), the pages that read
`?region=` (one page per region, since a static host cannot read a query
string) and the map's list pages (map.py pages them).

A page at /en/found is written as en/found/index.html and every link to it
points at that file: a bucket or a folder has no "directory index". A link to a
page the mirror does not hold goes to the primary site (PUBLIC_BASE_URL).
"""

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from flask import Flask

from ..content.checklists import CHECKLISTS
from ..content.regions import REGIONS
from ..web.i18n import LANGUAGES

# Public GET pages (argument `lang` only) that a static copy cannot serve:
# forms and pages answered for one visitor, and the organizers' area.
LEFT_OUT_BLUEPRINTS = ("organizers", "review", "exports", "posters")
# A place's response status (replies.status_form) posts to the primary, which takes it
# from its own pages only (replies/views.py): from a mirror it would be refused.
LEFT_OUT = frozenset({"reports.status_form", "replies.status_form"})
# Pages that read ?region=: each region's version is a page of its own.
REGION_PAGES = ("checklists.found", "checklists.home_checklist")
# Pages written as another page's bytes: the report form as its offline shell, which
# holds no idempotency key or post token (one per visitor: outbox.js makes hers), so
# every visitor of a static copy does not send the same key (and issue 32, item 3).
STAND_INS = {"reports.report": "reports.offline_form"}
# Files outside /<lang>/ that the mirror writes as they are.
ROOT_FILES = ("sw.js",)


@dataclass(frozen=True)
class Page:
    endpoint: str
    lang: str
    values: tuple[tuple[str, str], ...] = ()


def mirrored_endpoints(app: Flask) -> list[str]:
    """Every public GET endpoint taking `lang` alone, but LEFT_OUT (see the docstring)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or set(rule.arguments) != {"lang"}:
            continue
        if rule.endpoint in LEFT_OUT or rule.endpoint.split(".")[0] in LEFT_OUT_BLUEPRINTS:
            continue
        if "/organizers" in rule.rule:
            continue
        if rule.endpoint not in found:
            found.append(rule.endpoint)
    return found


def pages(app: Flask) -> Iterator[Page]:
    """Every page of the mirror but the map's list pages (map.py follows those)."""
    endpoints = mirrored_endpoints(app)
    for lang in LANGUAGES:
        for endpoint in endpoints:
            yield Page(endpoint, lang)
        for space, checklist in CHECKLISTS.items():
            if checklist.reportable:  # home has its own endpoint, found above
                yield Page("checklists.checklist", lang, (("space", space),))
        for endpoint in REGION_PAGES:
            if endpoint in endpoints:
                for region in REGIONS:
                    yield Page(endpoint, lang, (("region", region),))


class Layout:
    """Where each URL of the site is in the mirror (paths without the base path)."""

    def __init__(self, page_paths: set[str]) -> None:
        # URL paths of the pages mirrored, such as "en/found" or "en/" (no leading "/").
        self.page_paths = page_paths

    @staticmethod
    def page_file(path: str) -> str:
        """The file of a page at `path` (no leading "/"): en/found -> en/found/index.html."""
        return posixpath.join(path, "index.html") if path else "index.html"

    def file_for(self, url: str) -> tuple[str, str] | None:
        """(file, what the link keeps after it: "?v=..." or "#part") for a URL below the
        base path (given without it), or None for a page the mirror does not hold."""
        parts = urlsplit(url)
        path, fragment = parts.path, f"#{parts.fragment}" if parts.fragment else ""
        query = dict(parse_qsl(parts.query))
        if path.startswith("static/") or path in ROOT_FILES or path.startswith("data/"):
            return path, (f"?{parts.query}" if parts.query else "") + fragment
        if path.endswith(".webmanifest"):
            return (path, fragment) if path.split("/")[0] in LANGUAGES else None
        if path.endswith(".json") and path in self.page_paths:
            # Data, not a page (the kit's letters.json): a file of its own, so a static
            # host serves it as JSON by its name.
            return path, fragment
        region = query.get("region")
        if region in REGIONS and path in self.page_paths and region:
            return self.page_file(posixpath.join(path, f"region-{region}")), fragment
        if path.endswith("/map") and path in self.page_paths:
            return self.map_file(path, query), fragment
        if path in self.page_paths:
            return self.page_file(path), fragment
        return None

    def map_file(self, path: str, query: dict[str, str]) -> str:
        """The map (filters dropped: the mirror shows every report) or one list page."""
        if query.get("view") != "list":
            return self.page_file(path)
        number = query.get("page", "1")
        number = number if number.isdigit() and number != "0" else "1"
        return self.page_file(posixpath.join(path, "list") if number == "1"
                              else posixpath.join(path, "list", number))
