"""Stylesheets: app.css on every page; organizers.css and map.css only where they are used.

The precache (app/offline/views.py) keeps app.css in every language, so what only the
organizers' pages, the poster pages or the map use lives in a stylesheet of its own,
which no precached page loads (bench/precache_size.py: the room the notebook needs).
"""

import re

import pytest

from app.offline.views import precache_urls
from app.web.i18n import LANGUAGES
from helpers import ROOT, new_report

CSS = ROOT / "static" / "css"
OWN = ("css/organizers.css", "css/map.css")


def stylesheets(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return set(re.findall(r'<link rel="stylesheet" href="/static/([^"?]+)', html))


def precached_pages(app, lang: str) -> list[str]:
    with app.test_request_context():
        return [u for u in precache_urls(lang) if not u.startswith("/static/")
                and not u.endswith(".webmanifest")]


def selectors_classes(path) -> set[str]:
    """The class names a stylesheet's selectors name."""
    source = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    selectors = re.findall(r"([^{}]+)\{", source)
    return {name for selector in selectors if not selector.strip().startswith("@")
            for name in re.findall(r"\.([a-zA-Z][\w-]*)", selector)}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_precached_page_loads_the_organizers_or_map_styles(app, client, lang):
    with app.test_request_context():
        precached = precache_urls(lang)
    assert not [u for u in precached if any(f"/static/{own}" in u for own in OWN)]
    for url in precached_pages(app, lang):
        # The notebook has styles of its own, precached with it.
        own = {"css/notebook.css"} if "/notebook" in url else set()
        assert stylesheets(client, url) == {"css/app.css", *own}, url


def test_their_classes_are_used_by_no_precached_page_or_module(app, client):
    # A class that app.css no longer styles at all is used by no precached page or module.
    moved = (selectors_classes(CSS / "organizers.css") | selectors_classes(CSS / "map.css")) \
        - selectors_classes(CSS / "app.css")
    assert {"org-nav", "chart", "marker", "map-popup", "pick-frame", "poster-builder"} <= moved
    with app.test_request_context():
        urls = precache_urls("en") + precache_urls("zh-hant")
    for url in urls:
        if url.startswith("/static/") and not url.split("?")[0].endswith(".js"):
            continue
        body = client.get(url).get_data(as_text=True)
        used = {name for attr in re.findall(r'class="([^"]*)"', body) for name in attr.split()}
        if url.split("?")[0].endswith(".js"):  # classes a script sets or looks for
            given = re.findall(r"""(?:className\s*=\s*|classList\.\w+\(\s*)["'`]([^"'`]+)""", body)
            sought = re.findall(r"""querySelector(?:All)?\(\s*["'`]([^"'`]+)""", body)
            used = {n for names in given for n in names.split()}
            used |= {n for selector in sought for n in re.findall(r"\.([a-zA-Z][\w-]*)", selector)}
        assert not used & moved, (url, used & moved)


def test_organizer_and_poster_pages_load_the_organizers_styles(admin):
    new_report(admin, latitude="22.2855", longitude="114.1577")
    for url in ("/en/organizers/", "/en/organizers/reports/1", "/en/organizers/stats",
                "/en/organizers/audit", "/en/organizers/accounts", "/en/organizers/two-factor",
                "/en/organizers/held",
                "/en/organizers/posters", "/en/posters/"):
        # (Beside them: Leaflet's own for the report's small map, the poster's own sheet.)
        others = {"vendor/leaflet-1.9.4/leaflet.css", "css/poster.css"}
        assert stylesheets(admin, url) - others == {"css/app.css", "css/organizers.css"}, url


def test_the_map_and_its_picker_load_the_map_styles(client):
    for url in ("/en/map", "/en/map?view=list", "/zh-hk/map?view=pick"):
        assert "css/map.css" in stylesheets(client, url), url
        assert "css/organizers.css" not in stylesheets(client, url), url


def test_other_public_pages_load_app_css_alone(client):
    for url in ("/en/report", "/en/report/status", "/en/found/sources", "/en/organizers/login"):
        assert stylesheets(client, url) == {"css/app.css"}, url
