"""The public map in Chromium: points, filters, popups, the list without JS, the picker."""

import colorsys
import json
import math
import re
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.map import publish as public_map
from helpers import ROOT, node_package
from support.browser import PHONE, WATCH_CSP, WATCH_LAYOUT_SHIFTS, Watch, running_server, slow_page
from support.servers import free_port

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAYLOAD = '<img src=x onerror="document.title=\'pwned\'">'
TILE_HOST = "tile.openstreetmap.org"
# She said yes to the tiles once before: map.js remembers it (static/js/storage.js).
SAID_YES = "try { localStorage.setItem('spotcheck.map-tiles', 'yes'); } catch {}"
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
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on, "
            "verification) VALUES (?, x'00', ?, 'published', ?, ?, ?, ?, ?, ?, '2026-11-01', "
            "'[\"city\", \"location\", \"venue\"]', '2026-11-02', 'corroborated')",
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
    context.add_init_script(SAID_YES)
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
    page.wait_for_url(f"{server.url}/en/map?what=found")  # htmx, once the list is back
    page.wait_for_function("() => document.querySelectorAll('#map-list .list-report').length === 2")
    page.select_option("#f-space", "hotel-room")
    status_says(page, "1 report in this part of the map.")
    page.wait_for_url(f"{server.url}/en/map?space=hotel-room&what=found")

    # The cell holds one grid point: one tap opens it.
    page.get_by_title("1 report here").click()
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

    def no_violations(url):
        result = page.evaluate("axe.run()")
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                      for v in result["violations"]]
        assert violations == [], f"{url}: {violations}"

    # Every view in English; in Chinese, each view in one of the two scripts (the
    # same template again in another script checks nothing new), two in each.
    views = {"en": ["map?view=list", "map?view=list&space=kitchen", "map", "map?view=pick"],
             "zh-hans": ["map?view=list", "map"],
             "zh-hant": ["map?view=list&space=kitchen", "map?view=pick"]}[lang]
    for url in (f"/{lang}/{view}" for view in views):
        page.goto(server.url + url)
        no_violations(url)  # the map page: before she agrees to the tiles
        if "view=" not in url:
            page.locator("[data-map-consent-yes]").click()
            page.wait_for_function("() => document.querySelector('.leaflet-marker-icon')")
            no_violations(f"{url}, the map shown")
    context.close()


def test_the_report_form_picker_fills_in_a_rounded_location(server, browser):
    context = watched(browser)
    page = context.new_page()
    form_csp = page.goto(f"{server.url}/en/report").headers["content-security-policy"]
    # The form may frame our own picker but loads no tiles itself; the picker may.
    assert "frame-src 'self'" in form_csp and TILE_HOST not in form_csp
    # The boxes may sit behind "Enter coordinates".
    page.evaluate("() => document.querySelector('[name=latitude]').closest('details')"
                  "?.setAttribute('open', '')")
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


# ---- Issue 17: the map and the picker, for a thumb on a 360 x 740 phone ------------------

SHOTS = "issue17"
# Runs before the page's scripts (in frames too): keeps the Leaflet map as window.__map.
RECORD_MAP = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", { configurable: true, get: () => leaflet, set: (value) => {
    leaflet = value;
    const make = value.map;
    value.map = (...args) => (window.__map = make(...args));
  } });
})();
"""


def shot(page, name, output_dir):
    (output_dir / SHOTS).mkdir(exist_ok=True)
    page.screenshot(path=str(output_dir / SHOTS / f"{name}-after.png"))


def centre_of(frame):
    return frame.evaluate("() => { const c = window.__map.getCenter(); return [c.lat, c.lng]; }")


def picker_of(page):
    frame = page.locator("iframe.picker-frame").element_handle().content_frame()
    frame.wait_for_load_state()
    frame.wait_for_function("() => window.__map && document.querySelector('.leaflet-container')")
    return frame


def open_picker(page, server, city=""):
    page.goto(f"{server.url}/en/report")
    if city:
        page.locator("[name=city]").fill(city)
    page.get_by_role("button", name="Choose on a map").click()
    return picker_of(page)


def test_the_picker_buttons_are_in_view_without_scrolling(server, phone, output_dir):
    phone.add_init_script(RECORD_MAP)
    page = phone.new_page()
    frame = open_picker(page, server)
    page.wait_for_timeout(300)  # the frame settles
    shot(page, "picker-buttons", output_dir)
    frame_box = page.locator("iframe.picker-frame").bounding_box()
    for button in ("[data-pick-use]", "[data-pick-cancel]"):
        box = frame.locator(button).bounding_box()
        # Wholly inside the frame and on the phone's screen, as she sees them now.
        bottom = box["y"] + box["height"]
        assert frame_box["y"] <= box["y"] and bottom <= frame_box["y"] + frame_box["height"], button
        assert box["y"] >= 0 and bottom <= 740, button
        assert box["height"] >= 44, button
    # Nothing inside the frame scrolls: a swipe there pans the map, never the page.
    assert frame.evaluate("() => document.scrollingElement.scrollHeight <= innerHeight + 1")


def test_the_picker_starts_at_the_typed_city_and_refuses_an_unmoved_pin(
        server, phone, output_dir):
    phone.add_init_script(RECORD_MAP)
    page = phone.new_page()
    frame = open_picker(page, server, city="深圳市南山区")
    frame.wait_for_function("() => Math.abs(window.__map.getCenter().lat - 22.55) < 0.2")
    latitude, longitude = centre_of(frame)
    assert abs(longitude - 114.06) < 0.2 and frame.evaluate("() => window.__map.getZoom()") >= 10

    # Not moved yet: "Use this place" says why, and nothing reaches the form.
    assert frame.locator("[data-pick-use]").get_attribute("aria-disabled") == "true"
    frame.locator("[data-pick-use]").click(force=True)  # she can still tap it
    refusal = frame.locator("[data-pick-status]")
    refusal.wait_for()
    assert "move the map" in refusal.inner_text().lower()
    shot(page, "picker-refuses", output_dir)
    assert page.locator("iframe.picker-frame").count() == 1
    assert page.locator("[name=latitude]").input_value() == ""

    # A tap on the map brings the pin there; now the place is hers.
    map_box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(map_box["x"] + map_box["width"] / 2 + 40,
                     map_box["y"] + map_box["height"] / 2 + 30)
    page.wait_for_timeout(400)
    frame.locator("[data-pick-use]").click()
    page.wait_for_function("() => !document.querySelector('iframe.picker-frame')")
    assert abs(float(page.locator("[name=latitude]").input_value()) - 22.55) < 0.2
    assert abs(float(page.locator("[name=longitude]").input_value()) - 114.06) < 0.2


def test_the_picker_starts_where_she_is_when_she_allows_it(server, browser):
    context = browser.new_context(**PHONE, geolocation={"latitude": 22.2819, "longitude": 114.1583},
                                  permissions=["geolocation"])
    context.add_init_script(RECORD_MAP)
    page = context.new_page()
    frame = open_picker(page, server, city="Beijing")
    # Her own position wins over the typed city.
    frame.wait_for_function("() => Math.abs(window.__map.getCenter().lat - 22.28) < 0.01")
    assert abs(centre_of(frame)[1] - 114.158) < 0.01
    # "Where I am" is a choice: the place can be used at once.
    frame.locator("[data-pick-here]").click()
    frame.locator("[data-pick-use]").click()
    page.wait_for_function("() => !document.querySelector('iframe.picker-frame')")
    assert page.locator("[name=latitude]").input_value() == "22.282"
    assert page.locator("[name=longitude]").input_value() == "114.158"
    context.close()


def test_tiles_load_only_after_she_agrees_and_the_phone_remembers(
        server, phone, published, output_dir):
    page = phone.new_page()
    page.goto(f"{server.url}/en/map")
    consent = page.get_by_role("button", name="Show the map")
    consent.wait_for()
    assert TILE_HOST in consent.inner_text()
    page.wait_for_timeout(500)
    shot(page, "map-asks-first", output_dir)
    # Before: the list, and nothing asked of the tile server.
    assert page.locator("#map-list .list-report").first.is_visible()
    assert [u for u in phone.watch.requests if TILE_HOST in u] == []

    consent.click()
    page.wait_for_function("() => document.querySelector('.leaflet-tile')")
    page.wait_for_timeout(300)
    shot(page, "map-shown", output_dir)
    assert [u for u in phone.watch.requests if TILE_HOST in u], "no tile was asked for"
    assert consent.is_hidden()

    # Remembered on this phone: the next visit shows the map without asking.
    phone.watch.requests.clear()
    page.reload()
    page.wait_for_function("() => document.querySelector('.leaflet-tile')")
    assert page.get_by_role("button", name="Show the map").is_hidden()
    assert [u for u in phone.watch.requests if TILE_HOST in u]

    # And forgotten when she says so.
    page.get_by_role("button", name="Hide the map").click()
    page.get_by_role("button", name="Show the map").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("() => localStorage.getItem('spotcheck.map-tiles')") is None


def test_one_tap_opens_a_lone_report_and_a_cluster_fits_its_reports(
        server, phone, published, output_dir):
    phone.add_init_script(SAID_YES)
    phone.add_init_script(RECORD_MAP)
    page = phone.new_page()
    page.goto(f"{server.url}/en/map")
    status_says(page, "4 reports in this part of the map.")
    shot(page, "map-far-out", output_dir)

    # Every marker is a target of at least 44 x 44 px.
    boxes = [m.bounding_box() for m in page.locator(".leaflet-marker-icon").all()]
    assert boxes and all(b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes

    # From all of China the four share one cell: a tap shows all four, no further out.
    everything = [(r["lat"], r["lon"]) for r in published]
    page.get_by_title("4 reports here").click()
    page.wait_for_function("() => window.__map.getZoom() >= 6", timeout=5000)
    page.wait_for_timeout(600)
    assert page.evaluate("(points) => points.every((p) => window.__map.getBounds().contains(p))",
                         everything)
    boxes = [m.bounding_box() for m in page.locator(".leaflet-marker-icon").all()]
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes

    # Taipei's one report: the next tap opens it.
    page.get_by_title("1 report here").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert "Night Market" in popup.inner_text()
    page.wait_for_timeout(400)
    shot(page, "map-second-tap", output_dir)

    # Shanghai's three: one tap shows the three of them.
    page.evaluate("() => { window.__map.closePopup(); window.__map.setView([30, 113], 4); }")
    page.get_by_title("4 reports here").click()
    page.wait_for_function("() => window.__map.getZoom() >= 6", timeout=5000)
    page.get_by_title("3 reports here").click()
    page.wait_for_function("() => window.__map.getZoom() >= 10", timeout=5000)
    page.wait_for_timeout(600)
    shanghai = [(r["lat"], r["lon"]) for r in published if r["city"] == "Shanghai"]
    assert page.evaluate("(points) => points.every((p) => window.__map.getBounds().contains(p))",
                         shanghai)
    boxes = [m.bounding_box() for m in page.locator(".leaflet-marker-icon").all()]
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes


def test_the_cluster_is_not_the_filming_purple(server, phone, published):
    page = phone.new_page()
    page.goto(f"{server.url}/en/map?view=list")
    colours = page.evaluate("""() => ["cell", "filming"].map((kind) => {
      const probe = document.createElement("span");
      probe.className = `marker marker-${kind}`;
      document.body.append(probe);
      return getComputedStyle(probe).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number);
    })""")
    cell, filming = (colorsys.rgb_to_hsv(*(c / 255 for c in rgb)) for rgb in colours)
    hue_apart = abs(cell[0] - filming[0]) * 360
    assert min(hue_apart, 360 - hue_apart) >= 60, colours


def test_near_me_and_in_my_city_take_her_there(server, browser, published, output_dir):
    context = browser.new_context(**PHONE, geolocation={"latitude": 25.0330, "longitude": 121.5654},
                                  permissions=["geolocation"])
    context.add_init_script(SAID_YES)
    context.add_init_script(RECORD_MAP)
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{server.url}/en/map")
    status_says(page, "4 reports")
    near_me = page.get_by_role("button", name="Near me")
    assert near_me.bounding_box()["height"] >= 44
    near_me.click()
    page.wait_for_function("() => window.__map.getZoom() >= 13 && "
                           "Math.abs(window.__map.getCenter().lat - 25.033) < 0.01")
    page.get_by_label("Go to a city").fill("上海")
    page.get_by_role("button", name="Go", exact=True).click()
    page.wait_for_function("() => Math.abs(window.__map.getCenter().lat - 31.23) < 0.1 && "
                           "Math.abs(window.__map.getCenter().lng - 121.47) < 0.1")
    page.wait_for_timeout(300)
    shot(page, "map-in-my-city", output_dir)
    context.close()


def test_without_javascript_the_legend_does_not_speak_of_tapping(server, browser, published):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/en/map")
    legend = page.locator(".map-legend").inner_text().lower()
    assert "found" in legend and "tap" not in legend, legend
    # Nothing offers what only the script could do, and the map's box is one
    # sentence, so the filters and the list come up the screen.
    for part in ("[data-map-consent-yes]", "[data-map-city]", "[data-map-hide]"):
        assert page.locator(part).is_hidden(), part
    assert page.locator("[data-map]").bounding_box()["height"] < 150
    context.close()


# ---- Issue 19: the first pin fast on a slow phone ------------------------------------------

TIMINGS = """() => {
  const entry = (part) => performance.getEntriesByType("resource")
    .find((e) => e.name.includes(part));
  return { api: entry("/api/v1/reports").startTime, leaflet: entry("leaflet.js").responseEnd,
           leafletCss: entry("leaflet.css").renderBlockingStatus };
}"""


def test_the_first_view_is_asked_for_while_leaflet_still_loads(server, phone, published,
                                                                output_dir):
    phone.add_init_script(SAID_YES)
    phone.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = slow_page(phone)
    page.goto(f"{server.url}/en/map")
    status_says(page, "4 reports in this part of the map.")
    timings = page.evaluate(TIMINGS)
    # The map's question left before Leaflet had even arrived, and Leaflet's
    # stylesheet held back no paint of the page.
    assert timings["api"] < timings["leaflet"], timings
    assert timings["leafletCss"] == "non-blocking", timings
    # The early answer is the one drawn: the first view was asked for once, not twice.
    asked = [u for u in phone.watch.requests if "/api/v1/reports" in u]
    assert len(asked) == 1, asked
    (output_dir / SHOTS).mkdir(exist_ok=True)
    page.screenshot(path=str(output_dir / SHOTS / "map-first-view-after.png"))


@pytest.mark.parametrize("agreed", [False, True], ids=["first-visit", "agreed-before"])
def test_nothing_on_the_map_page_jumps_while_its_scripts_arrive(server, phone, published,
                                                                agreed):
    # On a slow phone map.js runs a second after the page is drawn. It used to hide
    # the map's box (first visit) or show the shortcuts above it (she agreed before)
    # only then, and everything below jumped: layout shifts of 0.05-0.11.
    phone.add_init_script(WATCH_LAYOUT_SHIFTS)
    if agreed:
        phone.add_init_script(SAID_YES)
    phone.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = slow_page(phone)
    page.goto(f"{server.url}/en/map", wait_until="load")
    if agreed:
        status_says(page, "4 reports in this part of the map.")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.001
    # What shows is what her answer asks for.
    assert page.locator("[data-map-consent-yes]").is_visible() is not agreed
    assert page.locator("[data-map]").is_visible() is agreed
    assert page.locator("[data-map-city]").is_visible() is agreed
    assert page.locator("[data-map-hide]").is_visible() is agreed


def test_a_filter_change_asks_for_the_list_alone(server, phone, published):
    phone.add_init_script(SAID_YES)
    phone.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = phone.new_page()
    page.goto(f"{server.url}/en/map")
    status_says(page, "4 reports in this part of the map.")
    with page.expect_response(lambda r: "/en/map?" in r.url) as answer:
        page.select_option("#f-what", "found")
    response = answer.value
    # The htmx-style fragment request: the list section alone, not the page around it.
    assert response.request.headers.get("hx-request") == "true"
    body = response.text()
    assert body.lstrip().startswith('<section class="report-list" id="map-list"'), body[:200]
    assert "<html" not in body and "leaflet" not in body
    page.wait_for_function("() => document.querySelectorAll('#map-list .list-report').length === 2")
    # Swapped in place: the map, its markers and the page are the same ones.
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert page.locator(".leaflet-marker-icon").count() >= 1


# ---- Issue 31: a place on the map finds where to respond ---------------------------

@pytest.mark.parametrize("lang", ["zh-hant", "en"])
def test_a_popups_link_opens_the_reports_public_page_in_the_same_language(
        server, phone, published, output_dir, lang):
    phone.add_init_script(SAID_YES)
    phone.add_init_script(RECORD_MAP)
    phone.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = phone.new_page()
    page.goto(f"{server.url}/{lang}/map")
    html_lang = page.locator("html").get_attribute("lang")
    page.wait_for_function("() => window.__map && document.querySelector('.leaflet-marker-icon')")
    # Close in on Taipei's one report: one marker, a point.
    page.evaluate("() => window.__map.setView([25.0330, 121.5654], 17)")
    marker = page.locator(".leaflet-marker-icon")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length === 1"
                           " && !document.querySelector('.leaflet-marker-icon .marker-cell')",
                           timeout=5000)
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert "Night Market" in popup.inner_text()
    link = popup.locator("a.map-popup-link")
    assert link.count() == 1
    box = link.bounding_box()
    assert box["height"] >= 44, box  # a thumb's target
    page.wait_for_timeout(400)  # the popup fades in
    shot(page, f"map-popup-link-{lang}", output_dir)
    link.click()
    page.wait_for_url(f"{server.url}/{lang}/published/*")
    assert re.fullmatch(rf"{re.escape(server.url)}/{lang}/published/[0-9a-f]{{16}}", page.url)
    # The report's own page, in the map's language, with the place's way to respond.
    assert page.locator("html").get_attribute("lang") == html_lang
    assert "Night Market" in page.locator("main").inner_text()
    assert page.locator(f"a[href^='/{lang}/published/'][href$='/respond']").count() >= 1
    assert phone.watch.csp_messages() == [] or all(
        "data:image/gif" in m for m in phone.watch.csp_messages())
