"""A built mirror served by Debian's nginx from a folder below its base path, in Chromium
(issue 32): pages load whole from the mirror alone, the worker installs below the base
path and opens pages offline, and the map shows the published reports from static files."""


import re

import pytest

from support.browser import PHONE, WATCH_CSP, Watch, wait_for_worker
from support.mirrors import BASE, PLACES, build_mirror, static_nginx

pytestmark = pytest.mark.e2e

TILE_HOST = "tile.openstreetmap.org"
SAID_YES = "try { localStorage.setItem('spotcheck.map-tiles', 'yes'); } catch {}"
SAMPLE = ["index.html", "check/index.html", "check/restroom/index.html", "found/index.html",
          "found/region-hk/index.html", "lens/index.html", "notebook/index.html",
          "report/index.html", "offline/index.html", "map/list/index.html",
          # issues 30 to 32: the takedown kit (its letters.json too), the policy, mirrors
          "takedown/index.html", "takedown/sources/index.html", "takedown/letters/index.html",
          "about/policy/index.html", "mirrors/index.html"]


@pytest.fixture(scope="module")
def mirror_site(tmp_path_factory, migrated_database):
    folder = tmp_path_factory.mktemp("mirror-browser")
    with static_nginx(build_mirror(folder, migrated_database), folder / "nginx") as url:
        yield url + BASE


def watched(browser):
    watch = Watch()
    failed: list[str] = []
    context = browser.new_context(**PHONE)
    context.add_init_script(WATCH_CSP)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("console", lambda message: watch.console.append(message.text))
    context.on("requestfailed", lambda r: failed.append(r.url) if TILE_HOST not in r.url
               else None)
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}")
               if r.status >= 400 else None)
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())  # stubbed: offline
    context.watch, context.failed = watch, failed
    return context


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant", "zh-hk"])
def test_pages_load_whole_from_the_mirror_alone(browser, mirror_site, lang):
    context = watched(browser)
    page = context.new_page()
    for name in SAMPLE:
        response = page.goto(f"{mirror_site}{lang}/{name}")
        assert response.ok, name
        page.wait_for_load_state("networkidle")
    assert context.failed == []
    assert context.watch.foreign_requests() == []
    assert context.watch.csp_messages() == []
    context.close()


def test_the_worker_installs_below_the_base_path_and_pages_open_offline(browser, mirror_site):
    context = watched(browser)
    page = context.new_page()
    page.goto(f"{mirror_site}en/offline/index.html")
    offline_heading = page.locator("h1").inner_text()
    page.goto(f"{mirror_site}en/check/restroom/index.html")
    checklist_title = page.title()
    page.goto(f"{mirror_site}en/index.html")
    wait_for_worker(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == mirror_site
    page.wait_for_function(  # the language's pages saved
        "async () => (await caches.keys()).length > 0 && Boolean(await caches.match("
        f"'{BASE}en/check/restroom/index.html'))", timeout=30_000)
    context.set_offline(True)
    page.goto(f"{mirror_site}en/check/restroom/index.html")
    assert page.title() == checklist_title
    page.goto(f"{mirror_site}en/map/list/index.html")  # never saved: the offline page
    assert page.locator("h1").inner_text() == offline_heading
    context.close()


def test_the_map_shows_the_published_reports_from_static_files(browser, mirror_site):
    context = watched(browser)
    context.add_init_script(SAID_YES)
    page = context.new_page()
    page.goto(f"{mirror_site}en/map/index.html")
    page.wait_for_function("() => document.querySelector('[data-map-status]').textContent"
                           f".includes('{len(PLACES)} reports in this part of the map.')",
                           timeout=30_000)
    assert not [u for u in context.watch.requests if "/api/v1/" in u]
    assert any("/data/reports/z4/" in u for u in context.watch.requests)
    assert context.failed == []
    foreign = {u.split("/")[2] for u in context.watch.foreign_requests()}
    assert foreign <= {TILE_HOST}, foreign
    context.close()


# Runs before the page's scripts: keeps the Leaflet map as window.__map.
RECORD_MAP = """(() => { let leaflet; Object.defineProperty(window, "L", { configurable: true,
  get: () => leaflet, set: (value) => { leaflet = value; const make = value.map;
  value.map = (...args) => (window.__map = make(...args)); } }); })();"""


def test_a_popup_on_the_mirrors_map_links_to_the_reports_page_on_the_primary(
        browser, mirror_site):
    """A mirror holds no report pages (they take responses): a popup's link goes to the
    primary's, in the same language, as the mirror's list does (issue 31, item 3)."""
    context = watched(browser)
    context.add_init_script(SAID_YES)
    context.add_init_script(RECORD_MAP)
    page = context.new_page()
    page.goto(f"{mirror_site}zh-hk/map/index.html")
    page.wait_for_function("() => window.__map && document.querySelector('.leaflet-marker-icon')",
                           timeout=30_000)
    page.evaluate("() => window.__map.setView([25.03, 121.56], 16)")  # Taipei's one point
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length === 1"
                           " && !document.querySelector('.leaflet-marker-icon .marker-cell')",
                           timeout=10_000)
    page.locator(".leaflet-marker-icon").click()
    link = page.locator(".leaflet-popup-content a.map-popup-link")
    link.wait_for(timeout=5000)
    href = link.get_attribute("href")
    mirror_origin = "/".join(mirror_site.split("/")[:3])
    assert re.fullmatch(r"https?://[^/]+/zh-hk/published/[0-9a-f]{16}", href), href
    assert not href.startswith(mirror_origin)
    # The page the mirror's list links to for the same report: the same address.
    listed = page.request.get(f"{mirror_site}zh-hk/map/list/index.html").text()
    assert href in re.findall(r'href="([^"]+/published/[0-9a-f]{16})"', listed)
    assert context.failed == []
    context.close()
