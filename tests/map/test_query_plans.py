"""No public request reads reports one by one: every query it makes is answered from an index.

Each request below runs through the app as a visitor's would, with every SQL
statement it sends traced; then EXPLAIN QUERY PLAN is asked of each. A plan
that SCANs `report`, `map_report` or a count table would read every published
report (or cell) to answer, which at a million reports takes seconds (issue 19).
"""

import itertools
import json
import re
from datetime import date, timedelta

import pytest

from app import create_app
from app.map import listing
from app.vocab import SPACES, WHAT
from helpers import TEST_CONFIG, insert_published

TABLES = ("report", "map_report", "map_cell", "map_cell_day")
FULL_SCAN = re.compile(rf"\bSCAN ({'|'.join(TABLES)})\b")
# A search that narrows only by kind of place or event still reads a large share
# of all reports (a third of them are "suspected"): as bad as a scan at a million.
SEARCH = re.compile(r"\bSEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(([^)]*)\)")
BROAD = {"space=?", "what=?"}
TODAY = date(2026, 3, 15)
# Boxes from a street to the whole world: points, and cells in fine and coarse bands.
ZOOMS = {17: "114.16,22.28,114.17,22.29", 13: "114.0,22.2,114.3,22.5",
         11: "113.6,22.0,114.8,22.8", 8: "110,20,118,26", 5: "90,5,140,45",
         2: "-180,-85,180,85"}
PUBLIC_PAGES = ["/", "/en/", "/zh-hans/check/", "/en/check/restroom", "/en/found",
                "/en/report", "/en/report/status", "/en/offline", "/en/lens", "/en/posters/",
                "/en/manifest.webmanifest", "/sw.js", "/healthz", "/api/v1/openapi.json",
                "/en/map?view=pick"]


@pytest.fixture
def app(migrated, monkeypatch):
    app = create_app({**TEST_CONFIG})
    insert_published(app, [
        {"lat": 22.2 + i % 50 / 100, "lon": 114.0 + i % 37 / 100,
         "space": list(SPACES)[i % len(SPACES)], "what": list(WHAT)[i % len(WHAT)],
         "city": None if i % 9 == 0 else f"City {i % 13}",
         "venue": None if i % 7 == 0 else f"Venue {i % 5}",
         "day": str(TODAY - timedelta(days=i * 3 % 1200))}
        for i in range(400)])
    monkeypatch.setattr("app.map.views.today", lambda: TODAY)
    return app


@pytest.fixture
def traced(app):
    """The SQL every request on this thread sends, as run (parameters filled in)."""
    statements: list[str] = []
    with app.app_context():
        db = app.extensions["spotcheck_db"].get(app.config["DATABASE"])
    db.set_trace_callback(statements.append)
    yield db, statements
    db.set_trace_callback(None)


def full_scans(db, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) for every plan step that reads a whole table."""
    found = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        for row in db.execute("EXPLAIN QUERY PLAN " + sql):
            search = SEARCH.search(row[3])
            if FULL_SCAN.search(row[3]) or (
                    search and search[1] in TABLES
                    and set(search[2].split(" AND ")) <= BROAD):
                found.append((sql, row[3]))
    return found


def get_ok(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("few_in_window", [0, 10**9], ids=["by-list-order", "by-date"])
def test_no_list_or_map_page_scans_the_reports(app, traced, monkeypatch, few_in_window):
    # Both ways of reading a time window: in the list's order, or by date then sorted.
    monkeypatch.setattr(listing, "FEW_IN_WINDOW", few_in_window)
    db, statements = traced
    client = app.test_client()
    for space, what, within in itertools.product(["", *SPACES], ["", *WHAT],
                                                 ["", "30", "365", "1095"]):
        filters = "&".join(f"{k}={v}" for k, v in
                           (("space", space), ("what", what), ("within", within)) if v)
        for view in ("map", "list"):
            get_ok(client, f"/en/map?view={view}&{filters}")
        get_ok(client, f"/en/map?{filters}", headers={"HX-Request": "true"})
        # A page on, and the page before it, by keyset.
        get_ok(client, f"/en/map?view=list&{filters}&after=200&page=2")
        get_ok(client, f"/en/map?view=list&{filters}&before=200&page=2")
    assert statements
    assert full_scans(db, statements) == []


def test_no_api_answer_scans_the_reports_at_any_zoom(app, traced):
    db, statements = traced
    client = app.test_client()
    sinces = [None, *(str(TODAY - timedelta(days=d)) for d in (0, 1, 14, 30, 365, 1095))]
    modes = set()
    for (zoom, bbox), space, what, since in itertools.product(
            ZOOMS.items(), [None, "restroom"], [None, "found"], sinces):
        params = {"bbox": bbox, "zoom": zoom, "space": space, "what": what, "since": since}
        modes.add(json.loads(get_ok(client, "/api/v1/reports", query_string={
            k: v for k, v in params.items() if v is not None}))["mode"])
    assert modes == {"points", "cells"}
    assert any("map_cell_day" in s for s in statements)  # a coarse band's part month
    assert any("map_report_recent" in s for s in statements)  # a fine band's
    assert full_scans(db, statements) == []


@pytest.mark.parametrize("few_in_window", [0, 10**9], ids=["by-list-order", "by-date"])
def test_no_question_by_level_scans_the_reports(app, traced, monkeypatch, few_in_window):
    """A level chosen on the map page, in its list or in the API (issue 31)."""
    monkeypatch.setattr(listing, "FEW_IN_WINDOW", few_in_window)
    db, statements = traced
    client = app.test_client()
    for level, space, within in itertools.product(["corroborated", "disputed"],
                                                  ["", "restroom"], ["", "365"]):
        filters = "&".join(f"{k}={v}" for k, v in (("verification", level), ("space", space),
                                                    ("within", within)) if v)
        get_ok(client, f"/en/map?view=list&{filters}")
        get_ok(client, f"/en/map?view=list&{filters}&after=200&page=2")
    for (zoom, bbox), since in itertools.product(ZOOMS.items(), [None, str(TODAY)]):
        params = {"bbox": bbox, "zoom": zoom, "verification": "corroborated", "since": since}
        get_ok(client, "/api/v1/reports", query_string={k: v for k, v in params.items() if v})
    assert any("level = 'corroborated'" in s for s in statements)  # cells of one level
    assert full_scans(db, statements) == []


def test_no_other_public_page_scans_the_reports(app, traced):
    db, statements = traced
    client = app.test_client()
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code in (200, 302), url
    assert full_scans(db, statements) == []


def test_the_check_finds_a_scan(app, traced):
    # The test above would pass on a check that sees nothing: show it sees one.
    db, _ = traced
    assert full_scans(db, ["SELECT * FROM map_report WHERE note LIKE '%x%'"])
    assert full_scans(db, ["SELECT * FROM map_report INDEXED BY map_report_list_what "
                           "WHERE what = 'found' AND latitude > 1"])
