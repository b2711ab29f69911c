"""The map page above a list that holds a report the map cannot show (no location): the map
does not claim there is none (issue 27, item 6)."""

import secrets
import sqlite3
from contextlib import closing

import pytest

from app.map import publish as public_map

pytestmark = pytest.mark.e2e

TILE_HOST = "tile.openstreetmap.org"
SAID_YES = "try { localStorage.setItem('spotcheck.map-tiles', 'yes'); } catch {}"
NONE_HERE = "No published reports in this part of the map."
STATUS = "() => document.querySelector('[data-map-status]').textContent"


@pytest.fixture
def unlocated(server):
    """One published report without a location on the session's server, for this test."""
    database = server.instance / "spotcheck.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.row_factory = sqlite3.Row
        db.execute(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, submitted_on, public_fields, reviewed_on, verification) VALUES (?, "
            "x'00', ?, 'published', 'restroom', 'found', 'No Pin Hotel', '2026-11-01', "
            "'[\"venue\"]', '2026-11-02', 'corroborated')",
            (secrets.token_hex(16), secrets.token_hex(16)))
        db.commit()
        public_map.rebuild(db, 200)
    yield
    with closing(sqlite3.connect(database)) as db:
        db.execute("DELETE FROM map_report")
        db.execute("DELETE FROM report")
        db.commit()


def test_the_none_here_line_shows_only_above_an_empty_list(server, phone, unlocated):
    phone.add_init_script(SAID_YES)
    phone.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
    page = phone.new_page()
    page.goto(f"{server.url}/en/map")
    item = page.locator("#map-list .list-report")
    assert "Not on the map: no location" in item.inner_text()

    # A filter that leaves the list empty: the map may say there is none.
    page.select_option("#f-what", "filming")
    page.wait_for_function(f"() => ({STATUS})() === {NONE_HERE!r}")
    page.wait_for_function("() => !document.querySelector('#map-list .list-report')")

    # Back to every report: the list holds one again, and the line is gone, whichever
    # came first, the map's answer or the list.
    page.select_option("#f-what", "")
    page.wait_for_function("() => document.querySelectorAll('#map-list .list-report')"
                           ".length === 1")
    page.wait_for_function(f"() => ({STATUS})() === ''")
    page.wait_for_timeout(500)  # nothing puts it back
    assert page.evaluate(STATUS) == ""
    assert page.get_by_text("No Pin Hotel").is_visible()
