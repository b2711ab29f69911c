"""The public map in Chromium: points, filters, popups, the list without JS, the picker."""

import json
import math
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.map import publish as public_map
from helpers import node_package

from .harness import PHONE, ROOT, WATCH_CSP, Watch, free_port, running_server

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAYLOAD = '<img src=x onerror="document.title=\'pwned\'">'
TILE_HOST = "tile.openstreetmap.org"
# Three reports a few kilometres apart in Shanghai, and one in Taipei.
REPORTS = [
    {"venue": PAYLOAD, "city": "Shanghai", "space": "hotel-room", "what": "found",
     "lat": 31.2304, "lon": 121.4737},
    {"venue": "Station Mall", "city": "Shanghai", "space": "restroom", "what": "suspected",
     "lat": 31.2600, "lon": 121.5200},
    {"venue": "Riverside Gym", "city": "Shanghai", "space": "changing-room", "what": "filming",
     "lat": 31.2000, "lon": 121.4300},
    {"venue": "Night Market", "city": "Taipei", "space": "restroom", "what": "found",
     "lat": 25.0330, "lon": 121.5654},
]


def publish(database: Path, reports: list[dict]) -> None:
    """Reports published straight into a running server's database."""
    with closing(sqlite3.connect(database)) as db:
        db.row_factory = sqlite3.Row
        db.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on) "
            "VALUES (?, x'00', ?, 'published', ?, ?, ?, ?, ?, ?, '2026-11-01', "
            "'[\"city\", \"location\", \"venue\"]', '2026-11-02')",
            [(secrets.token_hex(16), secrets.token_hex(16), r["space"], r["what"], r["venue"],
              r["city"], r["lat"], r["lon"]) for r in reports])
        db.commit()
        public_map.rebuild(db, 200)


@pytest.fixture(scope="module")
def published(server):
    """The reports above, published on the session's server for this module."""
    database = server.instance / "spotcheck.sqlite3"
    publish(database, REPORTS)
    yield REPORTS
    with closing(sqlite3.connect(database)) as db:
        db.execute("DELETE FROM map_cell")
        db.execute("DELETE FROM map_report")
        db.execute("DELETE FROM report")
        db.commit()


def watched(browser, **options):
    """A phone context that records requests, with tiles failing as they would offline."""
    watch = Watch()
    context = browser.new_context(**{**PHONE, **options})
    context.add_init_script(WATCH_CSP)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("console", lambda message: watch.console.append(message.text))
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    context.watch = watch
    return context


def status_says(page, text):
    page.wait_for_function("(text) => document.querySelector('[data-map-status]')"
                           ".textContent.includes(text)", arg=text)


def test_the_map_shows_points_filters_them_and_keeps_payloads_as_text(
        server, browser, published, output_dir):
    context = watched(browser)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server.url}/en/map")
    status_says(page, "4 reports in this part of the map.")
    assert page.locator(".map-needs-js").count() == 0

    # A filter redraws the map, the list and the address, without a reload.
    page.select_option("#f-what", "found")
    status_says(page, "2 reports in this part of the map.")
    assert page.url == f"{server.url}/en/map?what=found"
    page.wait_for_function("() => document.querySelectorAll('#map-list .list-report').length === 2")
    page.select_option("#f-space", "hotel-room")
    status_says(page, "1 report in this part of the map.")
    assert page.url == f"{server.url}/en/map?space=hotel-room&what=found"

    # Zoom in on the cell until it opens into the point, then open its popup.
    for _ in range(10):
        if page.locator(".leaflet-marker-icon .marker-found").count():
            break
        page.locator(".leaflet-marker-icon .marker-cell").click()
        page.wait_for_timeout(700)
    page.locator(".leaflet-marker-icon .marker-found").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert PAYLOAD in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert page.title() != "pwned" and dialogs == []
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path=str(output_dir / "map-en.png"), full_page=False)

    # Nothing but this site and the configured tile server was asked for anything.
    foreign = {u.split("/")[2] for u in context.watch.foreign_requests()}
    assert foreign <= {TILE_HOST}, foreign
    # Leaflet's way of cancelling tiles (a data: URL) is refused by the CSP; nothing else is.
    blocked = [m for m in context.watch.csp_messages() if "data:image/gif" not in m]
    assert blocked == []
    context.close()


def test_a_filtered_map_address_opens_filtered(server, browser, published):
    context = watched(browser)
    page = context.new_page()
    page.goto(f"{server.url}/zh-hant/map?space=restroom")
    status_says(page, "2")
    assert page.locator("#f-space").input_value() == "restroom"
    context.close()


def test_without_javascript_the_list_works_with_its_filters(server, browser, published,
                                                            output_dir):
    context = watched(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/en/map")
    assert page.locator(".map-needs-js").is_visible()
    cities = page.locator(".list-city").all_inner_texts()
    assert cities == ["Shanghai", "Taipei"]
    assert PAYLOAD in page.locator("#map-list").inner_text()

    page.select_option("#f-space", "restroom")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/map?space=restroom**")
    venues = page.locator(".list-venue").all_inner_texts()
    assert venues == ["Station Mall", "Night Market"]

    page.get_by_role("link", name="Use the list instead").click()
    assert "view=list" in page.url and "space=restroom" in page.url
    page.select_option("#f-what", "found")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**view=list**what=found**")
    assert page.locator(".list-venue").all_inner_texts() == ["Night Market"]
    page.screenshot(path=str(output_dir / "map-list-no-js.png"), full_page=True)
    # No JavaScript, no map: nothing at all from the tile server.
    assert context.watch.foreign_requests() == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_axe_finds_no_violations_on_the_list_view_the_map_and_the_picker(
        server, browser, published, lang):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: scripts/test installs it with npm ci")
    context = browser.new_context(**PHONE)
    context.add_init_script(path=str(AXE))
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = context.new_page()
    for url in (f"/{lang}/map?view=list", f"/{lang}/map?view=list&space=kitchen",
                f"/{lang}/map", f"/{lang}/map?view=pick"):
        page.goto(server.url + url)
        if "view=" not in url:
            page.wait_for_function("() => document.querySelector('.leaflet-marker-icon')")
        result = page.evaluate("axe.run()")
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                      for v in result["violations"]]
        assert violations == [], f"{url}: {violations}"
    context.close()


def test_the_report_form_picker_fills_in_a_rounded_location(server, browser):
    context = watched(browser)
    page = context.new_page()
    form_csp = page.goto(f"{server.url}/en/report").headers["content-security-policy"]
    # The form may frame our own picker but loads no tiles itself; the picker may.
    assert "frame-src 'self'" in form_csp and TILE_HOST not in form_csp
    page.locator("[name=latitude]").fill("31.2304")
    page.locator("[name=longitude]").fill("121.4737")
    page.get_by_role("button", name="Choose on a map").click()
    picker = page.frame_locator("iframe.picker-frame")
    picker.locator("[data-pick-use]").click()
    page.wait_for_function("() => !document.querySelector('iframe.picker-frame')")
    # The pin started where the fields pointed; what came back is rounded to ~100 m.
    assert page.locator("[name=latitude]").input_value() == "31.230"
    assert page.locator("[name=longitude]").input_value() == "121.474"
    assert "rounded" in page.locator("[data-locate-status]").inner_text()
    tile_requests = [u for u in context.watch.requests if TILE_HOST in u]
    assert tile_requests, "the picker showed no map"
    context.close()


def test_the_vendored_leaflet_is_what_the_page_loads(server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/en/map")
    version = page.evaluate("() => window.L && window.L.version")
    context.close()
    assert version == "1.9.4"
    package = node_package("leaflet")  # skipped without node_modules, except on CI
    assert json.loads((package / "package.json").read_text())["version"] == version


# Runs before the page's scripts: notes where map.js puts each marker.
RECORD_MARKERS = """
(() => {
  let leaflet;
  window.__markers = [];
  Object.defineProperty(window, "L", { configurable: true, get: () => leaflet, set: (value) => {
    leaflet = value;
    const marker = value.marker;
    value.marker = (at, options) => {
      window.__markers.push(value.latLng(at));
      return marker(at, options);
    };
  } });
})();
"""


def marker_and_api_point(page, url):
    page.goto(url)
    page.wait_for_function("() => window.__markers.length > 0")
    marker = page.evaluate("() => [window.__markers[0].lat, window.__markers[0].lng]")
    api = page.request.get(url.split("/en/")[0] + "/api/v1/reports?bbox=121,31,122,32&zoom=16")
    return marker, api.json()["features"][0]["geometry"]["coordinates"][::-1]


def test_with_gcj02_tiles_points_are_shifted_for_display_only(browser, tmp_path):
    instance, log = tmp_path / "instance", tmp_path / "server.log"
    instance.mkdir()
    shanghai = [{**REPORTS[0], "venue": "Bund Hotel"}]
    with running_server(instance, free_port(), log, MAP_COORDINATES="gcj02",
                        MAP_START="[31.2304, 121.4737, 16]") as server:
        publish(instance / "spotcheck.sqlite3", shanghai)
        context = watched(browser)
        context.add_init_script(RECORD_MARKERS)
        marker, point = marker_and_api_point(context.new_page(), f"{server.url}/en/map")
        context.close()
    # The API keeps WGS-84; the pin moves a few hundred metres, north-east-ish, as
    # GCJ-02 shifts Shanghai (eviltransform's reference pair: -0.0021°, +0.0043°).
    north = (marker[0] - point[0]) * 111_320
    east = (marker[1] - point[1]) * 111_320 * math.cos(math.radians(point[0]))
    assert 100 < math.hypot(north, east) < 1000
    assert east > 0 and north < 0


def test_with_wgs84_tiles_points_are_drawn_where_they_are(server, browser, published):
    context = watched(browser)
    context.add_init_script(RECORD_MARKERS)
    page = context.new_page()
    page.goto(f"{server.url}/en/map")
    page.wait_for_function("() => window.__markers.length > 0")
    markers = page.evaluate("() => window.__markers.map((m) => [m.lat, m.lng])")
    answer = page.request.get(f"{server.url}/api/v1/reports?bbox=-180,-85,180,85&zoom=4").json()
    assert sorted(markers) == sorted(f["geometry"]["coordinates"][::-1]
                                     for f in answer["features"])
    context.close()
