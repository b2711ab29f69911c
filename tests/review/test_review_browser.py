"""The review pages on an organizer's laptop, and on her phone, in Chromium (issue 17): the
queue, the statistics, publishing with a small map, axe."""

import base64
import re
import sqlite3
from contextlib import closing

import pytest

from helpers import ROOT
from support.browser import (
    ADMIN_PASSWORD,
    PHONE,
    USER_AGENT,
    WATCH_CSP,
    Watch,
    choose_password,
    running_server,
    sign_in,
)
from support.servers import free_port

pytestmark = pytest.mark.e2e

LAPTOP = {"viewport": {"width": 1280, "height": 800}, "user_agent": USER_AGENT}


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


SHOTS = "issue17"


# A one-pixel PNG: what the tile server would send, served by the test instead.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==")


LAPTOP_REPORTS = [
    {"space": "hotel-room", "what": "found", "venue": "Harbour View Hotel, room 1204",
     "city": "Hong Kong, Wan Chai", "device": "clock", "latitude": "22.2805",
     "longitude": "114.1722", "observed_on": "2026-01-05", "description": "Behind the clock."},
    {"space": "fitting-room", "what": "suspected", "venue": "Star Mall", "city": "Taipei",
     "description": "A small hole in the mirror frame."},
    {"space": "restroom", "what": "filming", "venue": "Central Station", "city": "Shanghai",
     "latitude": "31.2304", "longitude": "121.4737", "description": "Someone with a phone."},
]


def send_report(request, url, fields):
    form = request.get(f"{url}/en/report").text()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form)[1]
    answer = request.post(f"{url}/en/report", form={"idempotency_key": key, **fields})
    assert answer.ok, answer.status


@pytest.fixture(scope="module")
def laptop_site(browser, tmp_path_factory):
    """A server of its own with an admin ("founder") and three reports waiting."""
    instance = tmp_path_factory.mktemp("laptop")
    log = instance.parent / "laptop-server.log"
    with running_server(instance, free_port(), log) as server:
        context = browser.new_context(**LAPTOP)
        page = context.new_page()
        page.goto(server.url + re.search(r"(/en/organizers/setup/[\w-]+)", log.read_text())[1])
        choose_password(page, ADMIN_PASSWORD, "founder")
        for fields in LAPTOP_REPORTS:
            send_report(page.request, server.url, fields)
        context.close()
        yield server


@pytest.fixture
def laptop(browser, laptop_site):
    """A signed-in admin on a 1280 x 800 laptop screen, recording requests and CSP refusals."""
    watch = Watch()
    context = browser.new_context(**LAPTOP)
    context.add_init_script(WATCH_CSP)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.route("https://tile.openstreetmap.org/**",
                  lambda route: route.fulfill(body=TILE, content_type="image/png"))
    page = context.new_page()
    page.watch = watch
    sign_in(page, laptop_site.url, "founder", ADMIN_PASSWORD)
    yield page
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def shot(page, output_dir, name):
    (output_dir / SHOTS).mkdir(exist_ok=True)
    page.screenshot(path=str(output_dir / SHOTS / f"{name}-after.png"), full_page=True)


def box(page, selector):
    return page.locator(selector).first.bounding_box(timeout=5000)


def cut_filters(page) -> list[str]:
    """The ids of the filters whose chosen option does not fit in its box."""
    return page.evaluate("""() => [...document.querySelectorAll('.filters select')]
    .filter(select => {
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.style.position = 'absolute'; probe.style.whiteSpace = 'nowrap';
      probe.textContent = select.selectedOptions[0].text;
      document.body.append(probe);
      const needed = probe.getBoundingClientRect().width;
      probe.remove();
      // Room for the padding and the arrow.
      return needed + 48 > select.getBoundingClientRect().width;
    }).map(select => select.id)""")


def test_the_queue_uses_a_laptop_screen(laptop, laptop_site, output_dir):
    laptop.goto(f"{laptop_site.url}/en/organizers/?space=hotel-room")
    shot(laptop, output_dir, "organizer-queue-1280")
    assert box(laptop, "main")["width"] >= 1100, "the organizer's pages use the width"
    # Every date on one line, and the table is as wide as the page.
    lines = laptop.evaluate("""() => [...document.querySelectorAll('#queue-rows td:nth-child(2)')]
      .map(cell => { const r = document.createRange(); r.selectNodeContents(cell);
        return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; })""")
    assert lines and set(lines) == {1}, f"dates wrap over {lines} lines"
    # The filters sit in one row and show the whole of their choice.
    # (Their bottoms: the row aligns them there, and a checkbox field is taller.)
    bottoms = [box["bottom"] for box in laptop.locator(".filters .field").evaluate_all(
        "fields => fields.map(f => f.getBoundingClientRect().toJSON())")]
    assert max(bottoms) - min(bottoms) < 8, f"the filters take more than one row: {bottoms}"
    assert cut_filters(laptop) == []


def test_the_queue_stays_readable_on_a_phone(browser, laptop_site, output_dir):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, laptop_site.url, "founder", ADMIN_PASSWORD)
    shot(page, output_dir, "organizer-queue-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for link in page.locator(".queue-link").all():
        assert link.bounding_box()["height"] >= 44
    # Each report's date stays whole.
    lines = page.evaluate("""() => [...document.querySelectorAll('#queue-rows td:nth-child(2)')]
      .map(cell => { const r = document.createRange(); r.selectNodeContents(cell);
        return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; })""")
    assert set(lines) == {1}, f"dates wrap over {lines} lines"
    assert cut_filters(page) == []
    # A report's card reads in one column, nothing wider than the phone.
    page.goto(f"{laptop_site.url}/en/organizers/reports/1")
    shot(page, output_dir, "organizer-card-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_statistics_legend_keeps_swatches_small_and_labels_beside_them(laptop, laptop_site,
                                                                          output_dir):
    laptop.goto(f"{laptop_site.url}/en/organizers/stats")
    shot(laptop, output_dir, "organizer-stats-1280")
    items = laptop.locator(".legend li").evaluate_all("""items => items.map(li => {
      const swatch = li.querySelector('svg, .swatch').getBoundingClientRect();
      const range = document.createRange();
      range.setStartAfter(li.querySelector('svg, .swatch'));
      range.setEndAfter(li.lastChild);
      const label = range.getBoundingClientRect();
      return {w: swatch.width, h: swatch.height, gap: label.left - swatch.right,
              top: swatch.top, labelTop: label.top, labelHeight: label.height};
    })""")
    assert len(items) == 7
    for item in items:
        assert 10 <= item["w"] <= 20 and 10 <= item["h"] <= 20, item
        assert 0 <= item["gap"] <= 12, item
        # The swatch sits on the label's line.
        assert abs((item["top"] + item["h"] / 2) - (item["labelTop"] + item["labelHeight"] / 2)) < 8
    legend = box(laptop, ".legend")
    assert legend["height"] <= 90, f"the legend is {legend['height']} px tall"


def test_publish_and_open_the_next_with_a_small_map(laptop, laptop_site, output_dir):
    url = laptop_site.url
    laptop.goto(f"{url}/en/organizers/reports/3")
    shot(laptop, output_dir, "organizer-card-1280")
    card = laptop.locator("#report-card")
    # Side by side on a laptop: what she sent on the left, the decisions on the right.
    details, decide = box(laptop, ".card-details"), box(laptop, ".card-actions")
    assert decide["x"] >= details["x"] + details["width"], (details, decide)
    # The small map: no tile before the organizer asks for it (the tile host sees her address).
    small_map = laptop.locator("[data-review-map]")
    assert small_map.is_visible()
    tiles = [u for u in laptop.watch.requests if "tile.openstreetmap.org" in u]
    assert tiles == []
    laptop.get_by_role("button", name="Show the map").click()
    laptop.locator("[data-review-map] .leaflet-marker-icon, [data-review-map] .leaflet-interactive"
                   ).first.wait_for()
    laptop.wait_for_function("() => document.querySelectorAll("
                             "'[data-review-map] img.leaflet-tile-loaded').length > 0")
    shot(laptop, output_dir, "organizer-card-map-1280")
    card.get_by_label("Name of the place").check()
    card.get_by_role("button", name="Publish and open the next", exact=True).click()
    laptop.get_by_text("Report #3 is published.").wait_for()
    assert laptop.locator("#report-card h1").inner_text().startswith("Report #2")
    assert re.search(r"/en/organizers/reports/2\?after=3$", laptop.url), laptop.url
    # The next one has no location, so no map.
    assert laptop.locator("[data-review-map]").count() == 0
    with closing(sqlite3.connect(laptop_site.instance / "spotcheck.sqlite3")) as db:
        assert db.execute("SELECT status FROM report WHERE id = 3").fetchone()[0] == "published"
    # The map is remembered on this browser: the first report's card shows it at once.
    laptop.goto(f"{url}/en/organizers/reports/1")
    laptop.wait_for_function("() => document.querySelectorAll("
                             "'[data-review-map] img.leaflet-tile-loaded').length > 0")


def test_axe_finds_nothing_on_the_organizers_laptop_pages(laptop, laptop_site):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: scripts/test installs it with npm ci")
    laptop.context.add_init_script(path=str(AXE))
    for path in ("/en/organizers/", "/en/organizers/reports/1", "/en/organizers/stats",
                 "/zh-hans/organizers/reports/1", "map shown"):
        if path == "map shown":
            laptop.get_by_role("button", name="显示地图").click()
            laptop.locator("[data-review-map] .leaflet-interactive").first.wait_for()
        else:
            laptop.goto(laptop_site.url + path)
        result = laptop.evaluate("axe.run()")
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                      for v in result["violations"]]
        assert violations == [], f"{path}: {violations}"
