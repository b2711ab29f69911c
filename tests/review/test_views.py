"""The review queue and its actions (publish, reject, duplicate, ask), the report card and
its photo. Exports are in test_exports.py, statistics in test_stats.py, the audit log in
organizers/test_audit.py."""

import json
import re
import sqlite3
from html import unescape as html_unescape

import pytest

import photo_samples
from app.db import get_db
from app.map.grid import snap
from app.reports import lifecycle
from app.vocab import today
from helpers import NEW_REPORT, act, csrf_of, db_rows, login, new_report, submit

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}


def audit_lines(app) -> list[tuple]:
    """The lines of what was done to reports (opening a card, logged too, left out)."""
    return [tuple(r) for r in db_rows(app, "SELECT action, report_id FROM audit_log "
                                           "WHERE report_id IS NOT NULL "
                                           "AND action != 'open report' ORDER BY id")]


def on_the_map(app) -> list[int]:
    return [r[0] for r in db_rows(app, "SELECT report_id FROM map_report ORDER BY report_id")]


def cell_count(app) -> int:
    return db_rows(app, "SELECT count(*) FROM map_cell")[0][0]


# -- the queue -------------------------------------------------------------------

def test_queue_lists_pending_reports_newest_first_and_filters(app, admin):
    for city in ("Shanghai", "Taipei", "Shanghai"):
        new_report(admin, city=city, venue=f"Mall in {city}")
    html = admin.get("/en/organizers/").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == ["3", "2", "1"]
    html = admin.get("/en/organizers/?city=shanghai").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == ["3", "1"]
    html = admin.get("/en/organizers/?space=restroom").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == []


def test_personal_data_in_a_report_is_flagged(admin):
    new_report(admin, description="call me on 13812345678 or mail jane@example.com, "
                                  "tg @leaker_channel, t.me/xyz, id 11010519491231002X")
    html = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    for kind in ("a phone number", "an e-mail address", "a Chinese ID number", "a web address",
                 "a Telegram account"):
        assert kind in html
    new_report(admin, description="A small lens in the clock by the bed.")
    assert "seems to contain personal data" not in admin.get(
        "/en/organizers/reports/2").get_data(as_text=True)


def test_photo_only_for_organizers_and_never_cached(app, admin):
    submit(admin, photo=("p.jpg", photo_samples.jpeg_with_gps()), **NEW_REPORT)
    with admin.get("/en/organizers/reports/1/photo") as response:
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/en/organizers/reports/1/photo").status_code == 302


# -- actions ---------------------------------------------------------------------

def test_publish_with_chosen_fields_then_export_only_those(app, admin):
    new_report(admin, venue="Harbour Hotel", city="Hong Kong", latitude="22.2855",
               longitude="114.1577", description="SECRET free text", device="clock")
    response = act(admin, 1, "publish", public=["venue", "location"], public_note="Confirmed.",
                   verification="confirmed", verification_note="Police receipt 2026-114")
    assert response.status_code == 200 and "Published." in response.get_data(as_text=True)
    [row] = db_rows(app, "SELECT status, public_fields, public_note FROM report")
    assert tuple(row) == ("published", '["location", "venue"]', "Confirmed.")

    geojson = json.loads(admin.get("/en/organizers/export/published.geojson").data)
    [feature] = geojson["features"]
    [(lat, lon)] = db_rows(app, "SELECT latitude, longitude FROM report")
    assert feature["geometry"]["coordinates"] == list(snap(lat, lon, 200))[::-1]
    assert feature["geometry"]["coordinates"] != [lon, lat]
    assert feature["properties"]["venue"] == "Harbour Hotel"
    assert feature["properties"]["city"] is None and feature["properties"]["device"] is None
    exported = admin.get("/en/organizers/export/published.csv").get_data(as_text=True)
    assert "SECRET" not in exported and "SECRET" not in json.dumps(geojson)
    assert "Harbour Hotel" in exported and "Hong Kong" not in exported
    assert "Police receipt" not in exported and "Police receipt" not in json.dumps(geojson)
    assert audit_lines(app) == [("publish", 1), ("set level", 1)]


def test_two_organizers_on_one_report_see_the_conflict(app, auth, admin):
    new_report(admin)
    auth.add("mo", "moderator")
    mo = app.test_client()
    login(mo, "mo")
    page = mo.get("/en/organizers/reports/1").get_data(as_text=True)  # she opens it...
    assert act(admin, 1, "reject").status_code == 200  # ...meanwhile it is rejected
    late = mo.post("/en/organizers/reports/1/publish", data={
        "csrf_token": csrf_of(page), "version": re.search(r'name="version" value="(\d+)"',
                                                           page)[1], "public": ["venue"]})
    assert late.status_code == 409
    assert "Another organizer changed this report" in late.get_data(as_text=True)
    assert db_rows(app, "SELECT status FROM report")[0][0] == "rejected"


def test_a_decision_its_audit_line_and_the_map_commit_together_or_not_at_all(
        app, admin, monkeypatch):
    new_report(admin, **HONG_KONG)

    def full_disk(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("app.map.publish.sync", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        act(admin, 1, "publish", public=["venue", "location"])
    assert db_rows(app, "SELECT status FROM report")[0][0] == "received"
    assert (audit_lines(app), on_the_map(app)) == ([], [])
    # Nor can a caller change a report outside such a transaction.
    with app.app_context(), pytest.raises(RuntimeError):
        lifecycle.reject(get_db(), 1, 1, today())
    assert db_rows(app, "SELECT status FROM report")[0][0] == "received"


def test_asking_reaches_the_reporters_status_page(app, admin):
    code = new_report(admin)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    admin.post("/en/organizers/reports/1/ask", data={"csrf_token": csrf_of(page),
                                                     "question": "Which floor?"})
    status = app.test_client().post("/zh-hans/report/status", data={"code": code})
    assert "Which floor?" in status.get_data(as_text=True)


def test_mark_duplicate(app, admin):
    new_report(admin)
    new_report(admin)
    assert act(admin, 2, "duplicate", original="2").status_code == 400
    assert act(admin, 2, "duplicate", original="1").status_code == 200
    assert tuple(db_rows(app, "SELECT status, duplicate_of FROM report WHERE id = 2")[0]) == (
        "rejected", 1)


def test_marking_a_published_report_duplicate_clears_what_it_made_public(app, admin):
    new_report(admin, **HONG_KONG)
    new_report(admin, **HONG_KONG)
    act(admin, 2, "publish", public=["venue", "location"], public_note="Staff confirmed it.")
    assert on_the_map(app) == [2]
    assert act(admin, 2, "duplicate", original="1").status_code == 200
    [row] = db_rows(app, "SELECT status, duplicate_of, public_fields, public_note FROM report "
                         "WHERE id = 2")
    assert tuple(row) == ("rejected", 1, None, None)
    assert on_the_map(app) == []


def test_publishing_a_duplicate_makes_it_a_report_of_its_own(app, admin):
    new_report(admin)
    new_report(admin)
    act(admin, 2, "duplicate", original="1")
    assert act(admin, 2, "publish", public=["venue"]).status_code == 200
    [row] = db_rows(app, "SELECT status, duplicate_of FROM report WHERE id = 2")
    assert tuple(row) == ("published", None)


def test_each_action_writes_one_audit_line_and_moves_the_map_with_it(app, admin):
    new_report(admin, **HONG_KONG)
    new_report(admin, **HONG_KONG)
    steps = [  # (action, its form, the report ids the map shows after it)
        ("publish", {"public": ["venue", "location"]}, [2]),
        ("ask", {"question": "Which floor?"}, [2]),
        ("reject", {}, []),
        ("publish", {"public": ["venue", "location"]}, [2]),
        ("duplicate", {"original": "1"}, []),
    ]
    for done, (action, form, shown) in enumerate(steps, start=1):
        assert act(admin, 2, action, **form).status_code == 200, action
        # Publishing also sets the report's verification level: a line of its own.
        assert audit_lines(app) == [line for a, _, _ in steps[:done] for line in (
            [(a, 2), ("set level", 2)] if a == "publish" else [(a, 2)])], action
        assert on_the_map(app) == shown, action
        # Located and shown, it is counted in the map's cells; taken back, no cell is left.
        assert (cell_count(app) > 0) == bool(shown), action
    assert len(db_rows(app, "SELECT * FROM report_message")) == 1  # the question


def state(app) -> dict[str, list[tuple]]:
    """Everything a review action may change."""
    tables = ("report", "report_message", "audit_log", "map_report", "map_cell", "map_state")
    return {t: sorted((tuple(r) for r in db_rows(app, f"SELECT * FROM {t}")), key=repr)  # noqa: S608
            for t in tables}


@pytest.mark.parametrize(("before", "action", "form"), [
    ("reject", "publish", {"public": ["venue", "location"]}),
    ("publish", "reject", {}),
    ("publish", "duplicate", {"original": "1"}),
])
@pytest.mark.parametrize("version", ["stale", "missing"])
def test_an_action_on_an_old_version_is_refused_and_changes_nothing(app, admin, before, action,
                                                                    form, version):
    new_report(admin, **HONG_KONG)
    new_report(admin, **HONG_KONG)
    # The report as she opened it, before another organizer's action moved it on.
    opened = admin.get("/en/organizers/reports/2").get_data(as_text=True)
    seen = re.search(r'name="version" value="(\d+)"', opened)[1]
    assert act(admin, 2, before, **({"public": ["venue", "location"]} if before == "publish"
                                    else {})).status_code == 200
    unchanged = state(app)
    sent = {"version": seen} if version == "stale" else {}
    response = admin.post(f"/en/organizers/reports/2/{action}",
                          data={"csrf_token": csrf_of(opened), **sent, **form})
    assert response.status_code == 409
    assert "Another organizer changed this report" in response.get_data(as_text=True)
    assert state(app) == unchanged


def test_publish_and_open_the_next_is_one_motion(app, admin):
    for venue in ("Oldest", "Middle", "Newest"):
        new_report(admin, venue=venue)

    def decide(report_id, action, **form):
        return act(admin, report_id, action, then="next", **form)

    # Down the queue (newest first): #2 after #3 ...
    answer = decide(3, "publish", public=["venue"])
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/en/organizers/reports/2?after=3"
    page = admin.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Report #2" in page and "Report #3 is published." in page
    # ... with htmx too, as a page of its own, so its address and map are its own.
    opened = admin.get("/en/organizers/reports/2").get_data(as_text=True)
    answer = admin.post("/en/organizers/reports/2/reject", headers={"HX-Request": "true"},
                        data={"csrf_token": csrf_of(opened), "then": "next",
                              "version": re.search(r'name="version" value="(\d+)"', opened)[1]})
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"] == "/en/organizers/reports/1?after=2"
    assert "Report #2 is not published." in admin.get(
        answer.headers["HX-Redirect"]).get_data(as_text=True)
    # Past the oldest, back to the newest still waiting; when none is, she stays.
    new_report(admin, venue="Arrived meanwhile")
    assert decide(1, "publish").headers["Location"] == "/en/organizers/reports/4?after=1"
    last = decide(4, "reject")
    assert last.status_code == 200
    assert "Not published. No other report is waiting for review." in last.get_data(as_text=True)
    assert [r[0] for r in db_rows(app, "SELECT status FROM report ORDER BY id")] == [
        "published", "rejected", "published", "rejected"]
    # Plain Publish stays on the card, and the notice comes from what the report is:
    # a link cannot claim a waiting report was published.
    new_report(admin)
    assert "is published" not in admin.get("/en/organizers/reports/1?after=5").get_data(
        as_text=True)
    plain = act(admin, 5, "publish")
    assert plain.status_code == 200 and "Published." in plain.get_data(as_text=True)
    # On a report someone else changed meanwhile: refused, and nothing else opens.
    opened = admin.get("/en/organizers/reports/5").get_data(as_text=True)
    act(admin, 5, "reject")
    stale = admin.post("/en/organizers/reports/5/publish", data={
        "csrf_token": csrf_of(opened), "then": "next", "public": ["venue"],
        "version": re.search(r'name="version" value="(\d+)"', opened)[1]})
    assert stale.status_code == 409 and "Location" not in stale.headers
    assert db_rows(app, "SELECT status FROM report WHERE id = 5")[0][0] == "rejected"


def test_the_card_has_a_small_map_of_the_place_on_the_public_maps_tiles(app, admin):
    new_report(admin, **HONG_KONG)
    new_report(admin)  # no location
    with admin.get("/en/organizers/reports/1") as response:
        html = response.get_data(as_text=True)
        assert "img-src 'self' https://tile.openstreetmap.org" in response.headers[
            "Content-Security-Policy"]
    settings = json.loads(html_unescape(re.search(r'data-review-map data-settings="([^"]+)"',
                                                  html)[1]))
    # As stored: rounded to about 100 m.
    assert settings["point"] == list(db_rows(app, "SELECT latitude, longitude FROM report "
                                                  "WHERE id = 1")[0])
    assert settings["tiles"] == app.config["MAP_TILE_URL"]
    assert "js/review-map.js" in html and "tile.openstreetmap.org, which sees your IP" in html
    with admin.get("/en/organizers/reports/2") as response:
        assert "data-review-map" not in response.get_data(as_text=True)
        assert "tile.openstreetmap.org" not in response.headers["Content-Security-Policy"]
