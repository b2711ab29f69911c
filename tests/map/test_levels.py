"""Verification levels in public (issue 31, item 1; its tests' "Levels" bullet).

A report published as *reported* names no venue in the map API, the list, its card
there or the public exports; at *corroborated* it does; *resolved* and *disputed*
show as such everywhere (and disputed names no venue either); after a level
changes, no kept answer of the API or the page can show the old one.
"""

import csv
import io
import json
import re
import shutil
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

import app.reports as reports_package
from app import create_app
from app.db import MIGRATIONS_DIR, connect, get_db, migrate
from app.map.public_copy import public_ids, public_report
from app.map.publish import rebuild
from helpers import TEST_CONFIG, act, audit, csrf_of, db_rows, insert_published, new_report

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577", "city": "Hong Kong"}
BOX = "114.15,22.27,114.17,22.29"  # a few streets: points
WIDE = "100,10,130,40"  # half of China: counted cells
VENUE = "Harbour Hotel"
EVERY_FIELD = ["venue", "city", "location"]


@pytest.fixture
def app(migrated):
    return create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0})


def publish(admin, report_id=1, level="reported", note=""):
    response = act(admin, report_id, "publish", public=EVERY_FIELD, verification=level,
                   verification_note=note)
    assert response.status_code == 200, response.get_data(as_text=True)


def set_level(admin, report_id, level, note=""):
    return act(admin, report_id, "level", verification=level, verification_note=note)


def api_reports(client, **params) -> list[dict]:
    answer = client.get("/api/v1/reports", query_string={"bbox": BOX, "zoom": 17, **params}).json
    return [r for f in answer["features"] for r in f["properties"]["reports"]]


def list_page(client, query="") -> str:
    return client.get(f"/en/map?view=list{query}").get_data(as_text=True)


def list_items(client, query="") -> list[str]:
    """The list's reports, each as its heading (the venue) and its line."""
    html = list_page(client, query)
    return re.findall(r'<h4 class="list-venue">(.*?)</h4>', html, re.S) + re.findall(
        r'<li class="list-report">(.*?)</li>', html, re.S)


def exports(client) -> tuple[list[dict], list[dict]]:
    body = client.get("/en/organizers/export/published.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    geojson = json.loads(client.get("/en/organizers/export/published.geojson").data)
    return rows, [f["properties"] for f in geojson["features"]]


def everything_public(client) -> str:
    """What anyone may see of the published reports, as one text."""
    rows, features = exports(client)
    return (json.dumps(api_reports(client)) + list_page(client) + list_page(client, "&view=map")
            + json.dumps(rows, ensure_ascii=False) + json.dumps(features, ensure_ascii=False))


@pytest.mark.parametrize("level", ["reported", "disputed"])
def test_below_corroborated_or_disputed_no_public_surface_names_the_venue(app, admin, level):
    new_report(admin, venue=VENUE, **HONG_KONG)
    publish(admin, level="reported" if level == "disputed" else level,
            note="One reporter, no photo.")
    if level == "disputed":
        set_level(admin, 1, "corroborated")
        assert VENUE in everything_public(admin)  # shown for a while...
        assert set_level(admin, 1, "disputed", "The hotel says the device was a smoke "
                         "detector.").status_code == 200
    public = everything_public(admin)
    assert VENUE not in public
    assert "Hong Kong" in public  # the area still is
    [report] = api_reports(admin)
    assert report["verification"] == level and "venue" not in report
    with app.app_context():
        ids = public_ids(get_db(), [1, 2])
        assert public_report(get_db(), ids[1])["venue"] is None
        assert 2 not in ids and public_report(get_db(), "0" * 16) is None
    rows, [feature] = exports(admin)
    assert (rows[0]["Verification"], rows[0]["verification_code"]) == (level.title(), level)
    assert rows[0]["Name of the place"] == "" and feature["venue"] is None
    assert feature["verification"] == level
    # The organizer's note of what supports the level is never public.
    assert "reporter, no photo" not in public and "smoke detector" not in public
    # The organizer still sees the venue and the note on her card.
    card = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    assert VENUE in card


@pytest.mark.parametrize("level", ["corroborated", "confirmed", "resolved"])
def test_from_corroborated_on_the_venue_the_organizer_approved_is_public(app, admin, level):
    new_report(admin, venue=VENUE, **HONG_KONG)
    publish(admin, level=level, note="Two more reports (#7, #9).")
    [report] = api_reports(admin)
    assert (report["venue"], report["verification"]) == (VENUE, level)
    assert [v.strip() for v in re.findall(r'<h4 class="list-venue">(.*?)</h4>',
                                          list_page(admin))] == [VENUE]
    rows, [feature] = exports(admin)
    assert rows[0]["Name of the place"] == feature["venue"] == VENUE
    with app.app_context():
        shown = public_report(get_db(), public_ids(get_db(), [1])[1])
    assert (shown["venue"], shown["verification"], shown["city"]) == (VENUE, level, "Hong Kong")
    assert "Two more reports" not in everything_public(admin)


def test_a_venue_kept_private_stays_private_at_any_level(app, admin):
    new_report(admin, venue=VENUE, **HONG_KONG)
    act(admin, 1, "publish", public=["city", "location"], verification="confirmed")
    assert VENUE not in everything_public(admin)


def test_resolved_and_disputed_show_as_such_everywhere(app, admin):
    for venue in ("Resolved Mall", "Disputed Gym"):
        new_report(admin, venue=venue, **HONG_KONG)
    publish(admin, 1, level="resolved")
    publish(admin, 2, level="disputed")
    assert sorted(r["verification"] for r in api_reports(admin)) == ["disputed", "resolved"]
    for lang, words in (("en", ("Resolved", "Disputed")), ("zh-hans", ("已处理", "有争议")),
                        ("zh-hant", ("已處理", "有爭議")), ("zh-hk", ("已處理", "有爭議"))):
        page = admin.get(f"/{lang}/map?view=list").get_data(as_text=True)
        shown = re.findall(r'data-level="(\w+)">([^<]+)<', page)
        assert sorted(shown) == sorted(zip(("resolved", "disputed"), words, strict=True)), lang
        rows = admin.get(f"/{lang}/organizers/export/published.csv").get_data(as_text=True)
        assert all(word in rows for word in words), lang
    rows, features = exports(admin)
    assert {r["verification_code"] for r in rows} == {f["verification"] for f in features} == {
        "resolved", "disputed"}
    # The legend says what each level means; the marker's style is named by its level.
    page = admin.get("/en/map").get_data(as_text=True)
    legend = page.split("data-level-legend", 1)[1].split("</ul>", 1)[0]
    for level in ("reported", "corroborated", "confirmed", "resolved", "disputed"):
        assert f"level-{level}" in legend


def test_the_map_and_the_list_filter_by_level(app, admin):
    for venue in ("One", "Two", "Three"):
        new_report(admin, venue=venue, **HONG_KONG)
    publish(admin, 1, level="reported")
    publish(admin, 2, level="confirmed")
    publish(admin, 3, level="confirmed")
    assert [r["venue"] for r in api_reports(admin, verification="confirmed")] == ["Three", "Two"]
    assert api_reports(admin, verification="resolved") == []
    # Zoomed out, counted cells for that level alone, and with the other filters.
    for params, total in (({"verification": "confirmed"}, 2), ({"verification": "reported"}, 1),
                          ({"verification": "confirmed", "what": "suspected"}, 0),
                          ({"verification": "confirmed", "since": "2000-01-02"}, 2), ({}, 3)):
        answer = admin.get("/api/v1/reports", query_string={"bbox": WIDE, "zoom": 5,
                                                             **params}).json
        assert (answer["mode"], answer["total"]) == ("cells", total), params
    bad = admin.get("/api/v1/reports", query_string={"bbox": BOX, "zoom": 3,
                                                     "verification": "proven"})
    assert (bad.status_code, bad.json["parameter"]) == (400, "verification")
    listed = list_page(admin, "&verification=confirmed")
    assert listed.count('class="list-report"') == 2 and 'data-level="reported"' not in listed
    assert 'value="confirmed" selected' in listed


def test_no_kept_answer_shows_an_old_level(app, admin):
    """The API and the page are kept only to be asked about again (no-cache), and what
    they are asked with (ETag) changes with the level."""
    new_report(admin, venue=VENUE, **HONG_KONG)
    publish(admin, level="corroborated")
    question = {"bbox": BOX, "zoom": 17}
    first = admin.get("/api/v1/reports", query_string=question)
    page = admin.get("/en/map?view=list")
    for response in (first, page):
        assert response.cache_control.no_cache and response.cache_control.max_age is None
        assert response.headers["ETag"]
    unchanged = admin.get("/api/v1/reports", query_string=question,
                          headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
    assert admin.get("/en/map?view=list", headers={"If-None-Match": page.headers["ETag"]}
                     ).status_code == 304

    assert set_level(admin, 1, "resolved", "Venue removed it; police receipt.").status_code == 200
    again = admin.get("/api/v1/reports", query_string=question,
                      headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.json["features"][0]["properties"]["reports"][0]["verification"] == "resolved"
    assert again.json["features"][0]["properties"]["verification"] == {"resolved": 1}
    page_again = admin.get("/en/map?view=list", headers={"If-None-Match": page.headers["ETag"]})
    assert page_again.status_code == 200
    assert 'data-level="resolved"' in page_again.get_data(as_text=True)
    # Down to disputed: the venue leaves the answer at once.
    set_level(admin, 1, "disputed")
    assert "venue" not in api_reports(admin)[0]


def test_changing_a_level_is_an_audited_organizer_action(app, admin, client):
    new_report(admin, venue=VENUE, **HONG_KONG)
    new_report(admin, venue="Waiting", **HONG_KONG)
    publish(admin, 1, level="reported", note="One report.")
    card = admin.get("/en/organizers/reports/1")
    assert card.headers["Cache-Control"] == "no-store"
    html = card.get_data(as_text=True)
    assert 'action="/en/organizers/reports/1/level"' in html
    # The publish form asks for a level, reported chosen unless she picks another.
    assert re.search(r'name="verification" value="reported" required checked', html)

    # Without the CSRF token: refused, nothing changed.
    version = re.search(r'name="version" value="(\d+)"', html)[1]
    refused = admin.post("/en/organizers/reports/1/level",
                         data={"version": version, "verification": "confirmed"})
    assert refused.status_code in (400, 403)
    # Not a level: refused with a message.
    bad = set_level(admin, 1, "proven")
    assert bad.status_code == 400 and "Choose a verification level." in bad.get_data(as_text=True)
    # A report not published has no level to change.
    unpublished = set_level(admin, 2, "confirmed")
    assert unpublished.status_code == 409
    assert db_rows(app, "SELECT verification FROM report WHERE id = 2")[0][0] is None

    done = set_level(admin, 1, "confirmed", "Police receipt 2026-114.")
    assert done.status_code == 200
    assert "Verification level saved: Confirmed." in done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    assert tuple(db_rows(app, "SELECT verification, verification_note FROM report "
                              "WHERE id = 1")[0]) == ("confirmed", "Police receipt 2026-114.")
    lines = [(a, r, d) for _, a, r, d in audit(app) if a == "set level"]
    assert lines == [("set level", 1, "reported: One report."),
                     ("set level", 1, "confirmed: Police receipt 2026-114.")]
    # The audit page shows the change in the organizer's language.
    page = admin.get("/zh-hans/organizers/audit").get_data(as_text=True)
    assert "设定核实程度" in page and "已证实：Police receipt 2026-114." in page

    # An older card's change is a conflict, not an overwrite.
    stale = admin.post("/en/organizers/reports/1/level", data={
        "csrf_token": csrf_of(html), "version": version, "verification": "reported"})
    assert stale.status_code == 409
    assert db_rows(app, "SELECT verification FROM report WHERE id = 1")[0][0] == "confirmed"


def test_withdrawing_a_report_clears_its_level(app, admin):
    new_report(admin, venue=VENUE, **HONG_KONG)
    publish(admin, level="confirmed")
    act(admin, 1, "reject")
    assert tuple(db_rows(app, "SELECT status, verification FROM report")[0]) == ("rejected", None)
    assert api_reports(admin) == []


def test_migration_makes_published_reports_reported_and_hides_their_venues(app, tmp_path):
    """0013 on a database that already has published reports with public venues."""
    older = tmp_path / "migrations"
    older.mkdir()
    for path in sorted(Path(MIGRATIONS_DIR).glob("*.sql"))[:12]:
        shutil.copy(path, older)
    database = tmp_path / "old.sqlite3"
    with closing(connect(database)) as conn:
        assert [m.version for m in migrate(conn, older)][-1] == 12
    with closing(connect(database)) as conn:  # insert_published names 0013's column: not yet
        conn.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, submitted_on, public_fields, reviewed_on) "
            "VALUES (?, x'00', ?, ?, 'restroom', 'found', ?, 'Taipei', 25.03, 121.56, "
            "'2026-01-01', ?, '2026-01-02')",
            [("a", "a", "published", "Old Mall", '["city", "location", "venue"]'),
             ("b", "b", "received", "Waiting Mall", None)])
        # The public copy as the code before levels made it (with the venue; unlocated).
        conn.execute("INSERT INTO map_report (report_id, published_on, month, space, what, "
                     "venue, city) VALUES (1, '2026-01-02', 24312, 'restroom', 'found', "
                     "'Old Mall', 'Taipei')")
        conn.commit()
        assert conn.execute("SELECT venue FROM map_report").fetchall()[0][0] == "Old Mall"
        version_before = conn.execute("SELECT version FROM map_state").fetchone()[0]
        assert [m.name for m in migrate(conn)][0] == "verification_levels"
        assert [tuple(r) for r in conn.execute(
            "SELECT status, verification FROM report ORDER BY id")] == [
            ("published", "reported"), ("received", None)]
        assert [tuple(r) for r in conn.execute(
            "SELECT venue, verification, city FROM map_report")] == [(None, "reported", "Taipei")]
        # Answers kept from before (with the venue) no longer revalidate.
        assert conn.execute("SELECT version FROM map_state").fetchone()[0] > version_before
        # The venue stays on the report: raised to corroborated, the rebuild shows it.
        conn.execute("UPDATE report SET verification = 'corroborated' WHERE id = 1")
        rebuild(conn, 200)  # app.map.publish's, as `flask rebuild-map` runs it
        assert conn.execute("SELECT venue FROM map_report").fetchone()[0] == "Old Mall"


def test_reports_loaded_without_a_level_are_shown_as_reported(app):
    insert_published(app, [{"lat": 22.28, "lon": 114.16, "venue": VENUE,
                            "verification": None}])
    client = app.test_client()
    [report] = api_reports(client)
    assert report["verification"] == "reported" and "venue" not in report


def test_retention_keeps_an_approved_venue_its_level_still_hides(app, admin, monkeypatch):
    """After the private parts go, a venue the organizer approved is still hers to show
    once the report is corroborated; one she kept private goes (reports/retention.py)."""
    new_report(admin, venue=VENUE, **HONG_KONG)
    new_report(admin, venue="Kept Private", **HONG_KONG)
    publish(admin, 1, level="reported")
    act(admin, 2, "publish", public=["city", "location"], verification="reported")
    later = date.today() + timedelta(days=60)
    monkeypatch.setattr(reports_package, "today", lambda: later)
    result = app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0 and "private parts of 2 reports" in result.output
    assert [r[0] for r in db_rows(app, "SELECT venue FROM report ORDER BY id")] == [VENUE, None]
    assert VENUE not in everything_public(admin)
    set_level(admin, 1, "corroborated", "A second report, and a photo that fits.")
    assert VENUE in [r.get("venue") for r in api_reports(admin)]


def test_cell_counts_kept_through_level_changes_match_a_rebuild(app, admin):
    """A level change moves a report's count from one level's cell rows to another's;
    zoomed out, the filter by level then counts exactly what the reports say."""
    places = [(22.3, 114.2), (22.31, 114.21), (31.2, 121.5), (25.0, 121.5), (23.1, 113.3)]
    for lat, lon in places:
        new_report(admin, latitude=str(lat), longitude=str(lon), city="X")
    levels = ["reported", "confirmed", "reported", "disputed", "corroborated"]
    for report_id, level in enumerate(levels, start=1):
        publish(admin, report_id, level=level)
    set_level(admin, 1, "resolved")
    set_level(admin, 3, "confirmed")
    act(admin, 4, "reject")
    expected = {"resolved": 1, "confirmed": 2, "corroborated": 1, "reported": 0, "disputed": 0}
    for level, total in expected.items():
        for zoom in (2, 5, 11):
            answer = admin.get("/api/v1/reports", query_string={
                "bbox": "100,10,130,40", "zoom": zoom, "verification": level}).json
            assert answer["total"] == total, (level, zoom)
    with closing(connect(app.config["DATABASE"])) as db:
        def snapshot():
            return [sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                           for row in db.execute(f"SELECT * FROM {table}"))  # noqa: S608
                    for table in ("map_cell", "map_cell_day")]
        kept = snapshot()
        rebuild(db, 200)
        assert snapshot() == kept and all(kept)
