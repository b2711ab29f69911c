"""Rendering the site for a mirror: each page asked of the app, its links made static.

Pages are asked through a test client mounted at the base path (SCRIPT_NAME),
so url_for writes every link and asset below it; nothing is rewritten that
the app could write itself. What is rewritten is where a link lands: a page's
URL becomes its file (`/m/en/found` -> `/m/en/found/index.html`, `?region=hk`
-> `/m/en/found/region-hk/index.html`), and a link to a page the mirror does
not hold goes to the primary site. The app's page cache is bypassed: the
mirror's pages must never be kept for the live site.

The same mapping points the links of what the primary answers a mirror's page
(for_mirror_page): the receipt or the form that htmx swaps into it.
"""

import contextvars
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request
from werkzeug.test import Client
from werkzeug.wrappers import Response as BaseResponse

from ..web.htmx import is_fragment_request
from ..web.mirroring import CROSS_ORIGIN, listed_origin, mirror_environ, mirror_page
from .pages import Layout, pages

# A quoted URL below the base path (filled in per build).
QUOTED = r"""(?P<q>["'])(?P<url>{base}[^"'\s<>]*)(?P=q)"""
NEXT = re.compile(r'href="([^"]+)" rel="next"')


class RenderError(RuntimeError):
    """A page the mirror needs did not answer 200."""


@dataclass
class Rendered:
    body: bytes
    csp: str | None = None  # an HTML page's Content-Security-Policy, to write into it


class Renderer:
    def __init__(self, app: Flask, base_path: str) -> None:
        self.app, self.base = app, base_path
        # Below the page cache (web/pagecache.py): nothing rendered here is kept.
        inner = app.extensions["spotcheck_page_cache"].wsgi_app
        self.client = Client(inner, BaseResponse)
        self.root = "http://localhost" + base_path.rstrip("/")
        self.quoted = quoted_urls(base_path)
        # Rendered for a mirror (web/mirroring.py): the report form and outbox send to
        # the primary and the other endpoints, and the page's policy allows exactly those.
        self.environ = mirror_environ(app)

    def get(self, path: str) -> Rendered:
        """One URL of the app (a path with its query, without the base path)."""
        # An empty context: each request gets its own app context and `g` (the page's
        # policy lives there), not the one of the command that asked (offline/views.py).
        response = contextvars.Context().run(
            self.client.get, path, base_url=self.root,
            environ_overrides=self.environ)
        if response.status_code != 200:
            raise RenderError(f"{path} answered {response.status_code}, not 200")
        csp = (response.headers.get("Content-Security-Policy")
               if response.mimetype == "text/html" else None)
        return Rendered(response.get_data(), csp)

    def list_pages(self, lang: str, limit: int) -> list[tuple[str, Rendered]]:
        """The map's list pages in one language, following each page's "next" link."""
        found: list[tuple[str, Rendered]] = []
        url: str | None = f"/{lang}/map?view=list"
        while url is not None and len(found) < limit:
            page = self.get(url)
            found.append((url, page))
            link = NEXT.search(page.body.decode("utf-8"))
            url = html.unescape(link[1])[len(self.base) - 1:] if link else None
        return found

    def link_target(self, layout: Layout, written: set[str], elsewhere: bool = True
                    ) -> Callable[[str], str]:
        """Where a URL below the base path lands: its file, else (`elsewhere`) the primary
        site, or the URL as it was (the worker's paths such as "/report", which are
        prefixes, not links: with a base path of "/" they look like one)."""
        return link_target(layout, self.base, self.base, str(self.app.config["PUBLIC_BASE_URL"]),
                           written, elsewhere)

    def rewrite(self, text: str, target: Callable[[str], str], escape: bool = True) -> str:
        """Every quoted URL below the base path, pointed at its file or the primary
        (HTML-escaped in a page's attributes, as it is in a script's strings)."""
        return rewrite(text, self.quoted, target, escape)

    def html_page(self, page: Rendered, target: Callable[[str], str]) -> bytes:
        """A page with its links made static. Rendered for a mirror, it carries its own
        policy as a <meta> (base.html: a static host sends no headers), and its forms
        and outbox send to the primary and the report endpoints (web/mirroring.py)."""
        text = self.rewrite(page.body.decode("utf-8"), target)
        if 'http-equiv="Content-Security-Policy"' not in text:
            raise RenderError("a page came without its <meta> policy: every page of a "
                              "mirror must extend base.html")
        return text.encode("utf-8")


def link_target(layout: Layout, below: str, base: str, primary: str,
                written: set[str] | None = None, elsewhere: bool = True
                ) -> Callable[[str], str]:
    """Where a URL below the path `below` lands on a mirror at `base`: the mirror's file
    (of those `written`, or of any the layout places), else (`elsewhere`) the primary
    site, else the URL as it was."""
    primary = primary.rstrip("/") + "/"

    def target(url: str) -> str:
        relative = html.unescape(url)[len(below):]
        found = layout.file_for(relative)
        if found is None or (written is not None and found[0] not in written):
            return primary + relative if elsewhere else html.unescape(url)
        return base + found[0] + found[1]
    return target


def quoted_urls(below: str) -> re.Pattern[str]:
    """Quoted URLs below the path `below` (such as "/" or "/some/path/")."""
    return re.compile(QUOTED.format(base=re.escape(below)))


def rewrite(text: str, quoted: re.Pattern[str], target: Callable[[str], str],
            escape: bool = True) -> str:
    """Every URL `quoted` matches in `text`, pointed where `target` says."""
    quote = html.escape if escape else str
    return quoted.sub(lambda m: m["q"] + quote(target(m["url"])) + m["q"], text)


def for_mirror_page(response: BaseResponse) -> BaseResponse:
    """An answer htmx swaps into a listed mirror's page (the receipt, the form back, a
    status), its links made as that page's own: the mirror's files below its base path
    (web/mirroring.py, mirror_page), or with no configured mirror matching, the
    primary's absolute URLs. Where the forms send is for_mirror's already."""
    if (request.endpoint not in CROSS_ORIGIN or listed_origin() is None
            or not is_fragment_request() or response.mimetype != "text/html"
            or response.direct_passthrough):
        return response
    response.vary.add("HX-Current-URL")  # beside Origin (web/mirroring.py)
    below = request.script_root + "/"
    base, primary = mirror_page(), str(current_app.config["PUBLIC_BASE_URL"])
    if base:
        target = link_target(mirror_layout(current_app), below, base, primary)
    else:  # below no configured mirror: nothing is known to be there, all is the primary's
        target = link_target(Layout(set()), below, "", primary, written=set())
    response.set_data(rewrite(response.get_data(as_text=True), quoted_urls(below), target))
    return response


def mirror_layout(app: Flask) -> Layout:
    """Where a mirror of this app holds each page (as build.py lays it out), made once."""
    layout = app.extensions.get("spotcheck_mirror_layout")
    if layout is None:
        adapter = app.url_map.bind("localhost")
        layout = Layout({adapter.build(page.endpoint, {"lang": page.lang, **dict(page.values)})
                         .lstrip("/").split("?")[0] for page in pages(app)})
        app.extensions["spotcheck_mirror_layout"] = layout
    return layout
