"""Verification levels on the live map in Chromium: the legend, each marker's level, the
level filter redrawing the map and the list, and a venue never named below corroborated."""

import secrets
import sqlite3
from contextlib import closing

import pytest

from app.map import publish as public_map
from support.browser import PHONE, WATCH_CSP, Watch

pytestmark = pytest.mark.e2e

TILE_HOST = "tile.openstreetmap.org"
SAID_YES = "try { localStorage.setItem('spotcheck.map-tiles', 'yes'); } catch {}"
# Three places a few kilometres apart in Shanghai, each at its own level.
REPORTS = [
    ("Reported Hotel", "reported", 31.2304, 121.4737),
    ("Confirmed Mall", "confirmed", 31.2600, 121.5200),
    ("Disputed Gym", "disputed", 31.2000, 121.4300),
]


@pytest.fixture
def levelled(server):
    database = server.instance / "spotcheck.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.row_factory = sqlite3.Row
        db.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on, "
            "verification) VALUES (?, x'00', ?, 'published', 'restroom', 'found', ?, "
            "'Shanghai', ?, ?, '2026-11-01', '[\"city\", \"location\", \"venue\"]', "
            "'2026-11-02', ?)",
            [(secrets.token_hex(16), secrets.token_hex(16), venue, lat, lon, level)
             for venue, level, lat, lon in REPORTS])
        db.commit()
        public_map.rebuild(db, 200)
    yield
    with closing(sqlite3.connect(database)) as db:
        for table in ("map_cell", "map_cell_day", "map_report", "report"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608
        db.commit()
        public_map.rebuild(db, 200)


def status_says(page, text):
    page.wait_for_function("(text) => document.querySelector('[data-map-status]')"
                           ".textContent.includes(text)", arg=text)


def test_the_legend_markers_and_filter_show_each_level(server, browser, levelled, output_dir):
    watch = Watch()
    context = browser.new_context(**PHONE)
    context.add_init_script(WATCH_CSP)
    context.add_init_script(SAID_YES)
    context.on("console", lambda message: watch.console.append(message.text))
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{server.url}/en/map?space=restroom")
    status_says(page, "3 reports in this part of the map.")

    legend = page.locator("[data-level-legend] li")
    assert legend.count() == 5
    assert "Disputed" in legend.nth(4).inner_text()
    for level in ("reported", "corroborated", "confirmed", "resolved", "disputed"):
        assert page.locator(f"[data-level-legend] .marker.level-{level}").count() == 1
    # The marker's sign is drawn (a pseudo-element), not only named in a class.
    badge = page.evaluate("() => getComputedStyle(document.querySelector("
                          "'[data-level-legend] .level-disputed'), '::after').content")
    assert badge == '"?"'
    page.locator("[data-level-legend]").screenshot(path=str(output_dir / "map-levels-legend.png"))

    # The level filter redraws the map and the list, and goes in the address.
    page.select_option("#f-verification", "confirmed")
    status_says(page, "1 report in this part of the map.")
    page.wait_for_url(f"{server.url}/en/map?space=restroom&verification=confirmed")
    page.wait_for_function(
        "() => document.querySelectorAll('#map-list .list-report').length === 1")
    assert "Confirmed Mall" in page.locator("#map-list").inner_text()

    # All levels again. Tapping cells zooms in until one holds a single point, which
    # opens: its popup names the level, and its marker carries the level's style.
    page.select_option("#f-verification", "")
    status_says(page, "3 reports in this part of the map.")
    popup = page.locator(".leaflet-popup-content")
    for _ in range(8):
        if popup.count():
            break
        page.locator(".map-icon .marker").first.click()
        page.wait_for_timeout(800)
    popup.wait_for()
    named = [level for level in ("Reported", "Confirmed", "Disputed")
             if level in popup.inner_text()]
    assert len(named) == 1, popup.inner_text()
    assert page.locator(f".map-icon .marker.level-{named[0].lower()}").count() >= 1
    # Below corroborated, the venue is named nowhere, not even in the popup.
    if named[0] != "Confirmed":
        assert "Hotel" not in popup.inner_text() and "Gym" not in popup.inner_text()
    page.select_option("#f-verification", "confirmed")
    page.wait_for_function(
        "() => document.querySelectorAll('#map-list .list-report').length === 1")
    page.screenshot(path=str(output_dir / "map-levels-en.png"), full_page=False)
    text = page.locator("#map-list").inner_text()
    assert "Confirmed Mall" in text
    assert "Reported Hotel" not in text and "Disputed Gym" not in text
    assert not [m for m in watch.console if "Content Security Policy" in m
                and "data:image/gif" not in m]
    context.close()
