"""The map page's list as an htmx-style fragment: what map.js swaps in after a filter changes."""

import re

import pytest

from app.map.listing import LIST_PAGE_SIZE
from helpers import insert_published

FRAGMENT = {"HX-Request": "true"}
PLACES = [("Taipei", "Station B", "transport", "found"),
          ("Hong Kong", "Mall A", "fitting-room", "suspected"),
          ("Taipei", "Station A", "transport", "suspected"),
          ("Hong Kong", "Mall B", "restroom", "found")]


@pytest.fixture
def places(app):
    insert_published(app, [{"city": city, "venue": venue, "space": space, "what": what,
                            "lat": 22.3, "lon": 114.2} for city, venue, space, what in PLACES])


def venues(html: str) -> list[str]:
    return re.findall(r'class="list-venue">([^<]+)', html)


def cities(html: str) -> list[str]:
    return re.findall(r'class="list-city">([^<]+)', html)


@pytest.mark.parametrize("view", ["", "?view=list"])
def test_a_fragment_request_gets_the_list_alone(client, places, view):
    response = client.get(f"/en/map{view}", headers=FRAGMENT)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True).strip()
    assert html.startswith('<section class="report-list" id="map-list"')
    assert html.endswith("</section>")
    assert html.count('id="map-list"') == 1
    for whole_page in ("<html", "<head", "<body", "<header", "<footer", "<main", "<script",
                       "data-map-filters", "data-map "):
        assert whole_page not in html, whole_page
    assert venues(html) == ["Mall A", "Mall B", "Station A", "Station B"]


@pytest.mark.parametrize("view", ["", "?view=list"])
def test_the_whole_page_still_holds_the_same_list(client, places, view):
    page = client.get(f"/en/map{view}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html and "<header" in html and "data-map-filters" in html
    fragment = client.get(f"/en/map{view}", headers=FRAGMENT).get_data(as_text=True).strip()
    assert fragment in html


@pytest.mark.parametrize("url", ["/en/map", "/en/map?view=list", "/zh-hans/map?space=restroom",
                                 "/en/map?view=list&space=kitchen"])
def test_page_and_fragment_both_say_they_vary_on_hx_request(client, url):
    for headers in ({}, FRAGMENT):
        response = client.get(url, headers=headers)
        assert "HX-Request" in response.headers.get("Vary", ""), (url, headers)


def test_a_boosted_request_gets_the_whole_page(client, places):
    html = client.get("/en/map", headers={**FRAGMENT, "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in html and 'id="map-list"' in html


def test_the_fragment_honours_the_filters(client, places):
    html = client.get("/en/map?space=transport", headers=FRAGMENT).get_data(as_text=True)
    assert "<html" not in html
    assert cities(html) == ["Taipei"]
    assert venues(html) == ["Station A", "Station B"]
    html = client.get("/en/map?space=transport&what=found", headers=FRAGMENT).get_data(as_text=True)
    assert venues(html) == ["Station B"]
    html = client.get("/zh-hant/map?what=found", headers=FRAGMENT).get_data(as_text=True)
    assert venues(html) == ["Mall B", "Station B"]
    html = client.get("/en/map?view=list&space=restroom", headers=FRAGMENT).get_data(as_text=True)
    assert venues(html) == ["Mall B"]
    # A filter we don't offer: every report, and a 400 that map.js leaves unswapped.
    response = client.get("/en/map?space=kitchen-sink", headers=FRAGMENT)
    assert response.status_code == 400
    assert venues(response.get_data(as_text=True)) == ["Mall A", "Mall B", "Station A",
                                                       "Station B"]


def test_the_fragment_pages_like_the_list_view(app, client):
    insert_published(app, [{"lat": 22.3, "lon": 114.2, "city": f"City {i:03d}",
                            "space": "transport" if i % 2 else "restroom"}
                           for i in range(2 * LIST_PAGE_SIZE + 20)])
    seen = []
    url = "/en/map?space=transport"
    while url:
        html = client.get(url, headers=FRAGMENT).get_data(as_text=True)
        assert "<html" not in html
        seen += cities(html)
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found[1].replace("&amp;", "&") if found else None
        # The pager keeps the filter, so each next page is filtered too.
        assert url is None or "space=transport" in url
    assert seen == [f"City {i:03d}" for i in range(2 * LIST_PAGE_SIZE + 20) if i % 2]
    first = client.get("/en/map?space=transport", headers=FRAGMENT).get_data(as_text=True)
    next_page = re.search(r'href="([^"]+)" rel="next"', first)[1].replace("&amp;", "&")
    second = client.get(next_page, headers=FRAGMENT).get_data(as_text=True)
    assert "page 2" in second and 'rel="prev"' in second
    assert cities(second)[0] == f"City {2 * LIST_PAGE_SIZE + 1:03d}"
    # An old link to a page by number (before keyset pages) starts the list over.
    old = client.get("/en/map?space=transport&page=2", headers=FRAGMENT)
    assert old.status_code == 301 and old.location == "/en/map?space=transport"


def test_the_fragment_widens_no_policy(client):
    # Only the whole map page may load tiles; the list alone shows none.
    csp = client.get("/en/map", headers=FRAGMENT).headers["Content-Security-Policy"]
    assert "img-src 'self';" in csp
