"""htmx: one template serves as page and fragment."""

from typing import Any

from flask import render_template, request
from werkzeug.wrappers import Response


def is_fragment_request() -> bool:
    """An htmx request that swaps part of a page (not a boosted page load)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def render(page: str, fragment: str, status: int = 200, **context: Any) -> Response:
    """The whole page, or only its fragment for htmx; caches keep the two apart.

    Both headers decide which, so both are in Vary: a cache keyed on HX-Request
    alone would keep a boosted request's whole page as the fragment variant.
    """
    body = render_template(fragment if is_fragment_request() else page, **context)
    response = Response(body, status=status, mimetype="text/html")
    response.vary.add("HX-Request")
    response.vary.add("HX-Boosted")
    return response
