"""Rendering the site for a mirror: each page asked of the app, its links made static.

Pages are asked through a test client mounted at the base path (SCRIPT_NAME),
so url_for writes every link and asset below it; nothing is rewritten that
the app could write itself. What is rewritten is where a link lands: a page's
URL becomes its file (`/m/en/found` -> `/m/en/found/index.html`, `?region=hk`
-> `/m/en/found/region-hk/index.html`), and a link to a page the mirror does
not hold goes to the primary site. The app's page cache is bypassed: the
mirror's pages must never be kept for the live site.
"""

import contextvars
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.test import Client
from werkzeug.wrappers import Response as BaseResponse

from ..web.mirroring import mirror_environ
from . import endpoints
from .pages import Layout

# A quoted URL below the base path (filled in per build).
QUOTED = r"""(?P<q>["'])(?P<url>{base}[^"'\s<>]*)(?P=q)"""
FORM = re.compile(r"<form\b[^>]*>", re.I)
POST = re.compile(r"""\bmethod=["']?post\b""", re.I)
ACTION = re.compile(r"""(\b(?:action|data-hx-post)=)(["'])([^"']*)\2""", re.I)
CHARSET = '<meta charset="utf-8">'
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
        self.quoted = re.compile(QUOTED.format(base=re.escape(base_path)))
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
        primary = str(self.app.config["PUBLIC_BASE_URL"]).rstrip("/") + "/"

        def target(url: str) -> str:
            relative = html.unescape(url)[len(self.base):]
            found = layout.file_for(relative)
            if found is None or found[0] not in written:
                return primary + relative if elsewhere else html.unescape(url)
            return self.base + found[0] + found[1]
        return target

    def rewrite(self, text: str, target: Callable[[str], str], escape: bool = True) -> str:
        """Every quoted URL below the base path, pointed at its file or the primary
        (HTML-escaped in a page's attributes, as it is in a script's strings)."""
        quote = html.escape if escape else str
        def form(match: re.Match[str]) -> str:
            tag = match[0]
            if not POST.search(tag):
                return tag
            # A form that sends something goes to a server: the one report_endpoint names
            # (the report form names the primary itself, web/mirroring.py: kept as it is).
            return ACTION.sub(lambda m: m[0] if urlsplit(html.unescape(m[3])).scheme else (
                m[1] + m[2] + html.escape(endpoints.report_endpoint(
                    self.app, html.unescape(m[3])[len(self.base):])) + m[2]), tag)
        text = FORM.sub(form, text)
        return self.quoted.sub(lambda m: m["q"] + quote(target(m["url"])) + m["q"], text)

    def html_page(self, page: Rendered, target: Callable[[str], str]) -> bytes:
        text = self.rewrite(page.body.decode("utf-8"), target)
        # The page carries its own <meta> policy when rendered for a mirror (base.html).
        if page.csp and 'http-equiv="Content-Security-Policy"' not in text:
            policy = mirror_csp(self.app, page.csp)
            meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
            text = text.replace(CHARSET, CHARSET + "\n" + meta, 1)
        return text.encode("utf-8")


def mirror_csp(app: Flask, header: str) -> str:
    """The page's policy as a <meta> can carry it, with the endpoints a mirror's
    forms and scripts send to (endpoints.py) allowed in connect-src and form-action."""
    directives: dict[str, Any] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    directives.pop("frame-ancestors", None)  # a <meta> cannot say it (the host's header may)
    extra = " ".join(endpoints.connect_sources(app))
    if extra:
        if directives.get("connect-src") == "'self'":
            directives["connect-src"] = f"'self' {extra}"
        if directives.get("form-action") == "'self'":
            directives["form-action"] = f"'self' {extra}"
    return html.escape("; ".join(f"{k} {v}" for k, v in directives.items()))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
