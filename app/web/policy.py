"""A page's header policy: one immutable value, rendered into headers in one place.

docs/privacy.md, promises 2, 3 and 7: a strict Content-Security-Policy with no
inline code, nothing loaded from another host, no browser feature a page does
not use, no cookies on public pages and `no-store` for pages about reports.
Every page starts from STRICT. A view that needs more says so once, with
`@page_policy(...)`; the organizers' area sets its own before any of its views
run (organizers/guard.py), and a view there adds to it. The value is frozen, so
a page kept in memory (web/pagecache.py) keeps the very headers it was rendered
with: there is nothing to copy by hand, and nothing to forget.
"""

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ParamSpec, TypedDict, TypeVar, Unpack
from urllib.parse import urlsplit

from flask import g

# Browser features no page gets unless its policy names them.
FEATURES = (
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
    "browsing-topics",
)


@dataclass(frozen=True)
class PagePolicy:
    """What one page may do beyond the site's strict defaults."""

    # Permissions-Policy: these features are allowed to the page itself.
    features: frozenset[str] = frozenset()
    # img-src adds this origin: the map's tile host, from a URL template.
    image_origin: str | None = None
    # Our own pages may show this one in a frame (the map's location picker:
    # only the map page may load tiles, so the report form frames it).
    framed_by_self: bool = False
    # This page may hold a frame of one of our own pages (the report form).
    frames_self: bool = False
    # connect-src 'none': the page may fetch nothing at all (the lens finder:
    # frames never leave the phone, and the browser itself enforces it).
    no_connections: bool = False
    # Cache-Control: no-store: pages about reports and every organizer page.
    no_store: bool = False
    # Only the organizers' area may set a cookie; anywhere else one is dropped.
    cookies: bool = False
    # A page rendered for a mirror (web/mirroring.py): the exact URLs it may fetch
    # from (connect-src) and post a form to (form-action), besides its own host.
    connect_to: tuple[str, ...] = ()
    post_to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown browser features {sorted(unknown)}")

    def adding(self, other: "PagePolicy") -> "PagePolicy":
        """This policy with everything `other` allows or asks for as well."""
        return PagePolicy(
            features=self.features | other.features,
            image_origin=other.image_origin or self.image_origin,
            framed_by_self=self.framed_by_self or other.framed_by_self,
            frames_self=self.frames_self or other.frames_self,
            no_connections=self.no_connections or other.no_connections,
            no_store=self.no_store or other.no_store,
            cookies=self.cookies or other.cookies,
            connect_to=tuple(dict.fromkeys(self.connect_to + other.connect_to)),
            post_to=tuple(dict.fromkeys(self.post_to + other.post_to)),
        )

    def content_security_policy(self, meta: bool = False) -> str:
        """The header's value; `meta`: as a <meta> may hold it (no frame-ancestors)."""
        connect = " ".join(("'self'", *self.connect_to))
        directives = {
            "default-src": "'none'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": f"'self' {self.image_origin}" if self.image_origin else "'self'",
            "font-src": "'self'",
            "connect-src": "'none'" if self.no_connections else connect,
            "manifest-src": "'self'",
            "worker-src": "'self'",
            "form-action": " ".join(("'self'", *self.post_to)),
            "frame-ancestors": "'self'" if self.framed_by_self else "'none'",
            "base-uri": "'none'",
            "object-src": "'none'",
        }
        if self.frames_self:
            directives["frame-src"] = "'self'"
        if meta:
            del directives["frame-ancestors"]  # ignored, and warned about, in a <meta>
        return "; ".join(f"{name} {value}" for name, value in directives.items())

    def permissions_policy(self) -> str:
        return ", ".join(f"{f}=(self)" if f in self.features else f"{f}=()" for f in FEATURES)

    def headers(self) -> dict[str, str]:
        """The headers this policy decides (security.set_headers adds the rest)."""
        return {
            "Content-Security-Policy": self.content_security_policy(),
            "Permissions-Policy": self.permissions_policy(),
            "X-Frame-Options": "SAMEORIGIN" if self.framed_by_self else "DENY",
        }


STRICT = PagePolicy()
NO_STORE = PagePolicy(no_store=True)
# Every page under /<lang>/organizers/: the session cookie, and nothing kept anywhere.
ORGANIZER_AREA = PagePolicy(no_store=True, cookies=True)


def origin_of(url_template: str) -> str:
    """The origin a tile URL template loads from, for img-src.

    "https://{s}.tile.example/{z}/{x}/{y}.png" gives https://*.tile.example.
    """
    parts = urlsplit(url_template.replace("{s}", "*"))
    if parts.scheme not in ("https", "http") or not parts.netloc or "{" in parts.netloc:
        raise ValueError(f"not a usable tile URL: {url_template!r}")
    return f"{parts.scheme}://{parts.netloc}"


def current_policy() -> PagePolicy:
    """This request's policy so far (STRICT outside a request's own choices)."""
    policy: PagePolicy = g.get("page_policy", STRICT)
    return policy


def add_policy(policy: PagePolicy) -> None:
    """Add to this request's policy (the organizers' guard, an error page)."""
    g.page_policy = current_policy().adding(policy)


P = ParamSpec("P")
R = TypeVar("R")


class PolicyFields(TypedDict, total=False):
    """PagePolicy's fields but `features`, as page_policy takes them."""

    image_origin: str | None
    framed_by_self: bool
    frames_self: bool
    no_connections: bool
    no_store: bool
    cookies: bool
    connect_to: tuple[str, ...]
    post_to: tuple[str, ...]


def page_policy(
    policy: PagePolicy | Callable[[], PagePolicy] | None = None,
    *,
    features: Iterable[str] | None = None,
    **fields: Unpack[PolicyFields],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a view's page policy: `@page_policy(features={"camera"}, no_connections=True)`.

    A callable gives a policy that depends on the settings (the map's tile host),
    made for each request.
    """
    if features is not None or fields:
        if policy is not None:
            raise TypeError("give a policy or its fields, not both")
        policy = dataclasses.replace(STRICT, features=frozenset(features or STRICT.features),
                                     **fields)

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            chosen = policy() if callable(policy) else policy
            if chosen is not None:
                add_policy(chosen)
            return view(*args, **kwargs)

        return wrapper

    return decorate


no_store = page_policy(NO_STORE)
