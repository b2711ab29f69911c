"""The review queue, its actions (publish, reject, duplicate, ask), exports, stats and audit."""

import csv
import io
import json
import random
import re
import secrets
import sqlite3
import statistics
from contextlib import closing
from datetime import date, timedelta
from html import unescape as html_unescape

import pytest

import photo_samples
from app.db import connect, get_db, migrate
from app.map.grid import snap
from app.reports import lifecycle, retention, store
from app.review import stats as review_stats
from app.vocab import DEVICE_CHOICES, SPACES, WHAT, today
from helpers import NEW_REPORT, act, csrf_of, db_rows, login, new_report, submit

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}
BOM = b"\xef\xbb\xbf"


def audit_lines(app) -> list[tuple]:
    return [tuple(r) for r in db_rows(app, "SELECT action, report_id FROM audit_log "
                                           "WHERE report_id IS NOT NULL ORDER BY id")]


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
    response = act(admin, 1, "publish", public=["venue", "location"], public_note="Confirmed.")
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
    assert audit_lines(app) == [("publish", 1)]


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
        assert audit_lines(app) == [(a, 2) for a, _, _ in steps[:done]], action
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


# -- exports ---------------------------------------------------------------------

def csv_rows(response) -> list[dict]:
    """An export's rows by header, read as Excel reads it: UTF-8 after the byte order mark."""
    assert response.data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def published_csv(client, query="") -> list[dict]:
    return csv_rows(client.get(f"/en/organizers/export/published.csv{query}"))


def published_geojson(client, query="") -> list[dict]:
    return json.loads(client.get(f"/en/organizers/export/published.geojson{query}").data)[
        "features"]


def test_published_exports_carry_exactly_the_public_copy_the_map_holds(app, admin):
    places = [  # (report, fields made public, or what else happens to it)
        ({"venue": "Harbour Hotel", "city": "Hong Kong", **HONG_KONG}, ["venue", "location"]),
        ({"venue": "Star Mall", "city": "Hong Kong", "device": "clock",
          "observed_on": "2026-01-05", "latitude": "22.3001", "longitude": "114.1702"},
         ["venue", "city", "location", "device", "observed_on"]),
        ({"venue": "Night Market", "city": "Taipei", "space": "restroom",
          "latitude": "25.033", "longitude": "121.5654"}, ["city"]),
        ({"venue": "Waiting Mall", "city": "Hong Kong", **HONG_KONG}, None),
        ({"venue": "Rejected Mall", "city": "Hong Kong", **HONG_KONG}, "reject"),
    ]
    for report_id, (fields, public) in enumerate(places, start=1):
        new_report(admin, description="SECRET free text", **fields)
        if public == "reject":
            act(admin, report_id, "reject")
        elif public:
            act(admin, report_id, "publish", public=public, public_note=f"Note {report_id}")
    copy = db_rows(app, "SELECT * FROM map_report ORDER BY report_id DESC")
    assert [r["report_id"] for r in copy] == [3, 2, 1]

    # The CSV is the public copy, row for row and cell for cell, newest first: the
    # words in the organizer's language, the codes beside them.
    def as_csv(row) -> dict:
        def words(vocabulary, code):
            return "" if code is None else str(vocabulary[code])

        with app.test_request_context("/en/"):
            values = {
                "Report number": row["report_id"], "Kind of place": words(SPACES, row["space"]),
                "What happened": words(WHAT, row["what"]),
                "Kind of device": words(DEVICE_CHOICES, row["device"]),
                "Name of the place": row["venue"], "City and district": row["city"],
                "Date seen": row["observed_on"], "Latitude": row["latitude"],
                "Longitude": row["longitude"], "Public note": row["note"],
                "space_code": row["space"], "what_code": row["what"],
                "device_code": row["device"]}
        return {c: "" if v is None else str(v) for c, v in values.items()}

    assert published_csv(admin) == [as_csv(r) for r in copy]
    # The GeoJSON: the located ones, at the snapped point the map shows, not the report's own.
    features = published_geojson(admin)
    assert [f["properties"]["id"] for f in features] == [2, 1]
    for feature, row in zip(features, copy[1:], strict=True):
        assert feature["geometry"]["coordinates"] == [row["longitude"], row["latitude"]]
        assert {k: feature["properties"][k] for k in ("venue", "city", "device", "observed_on",
                                                      "public_note")} == {
            "venue": row["venue"], "city": row["city"], "device": row["device"],
            "observed_on": row["observed_on"], "public_note": row["note"]}
    for report_id, lat, lon in db_rows(app, "SELECT id, latitude, longitude FROM report "
                                            "WHERE id IN (1, 2)"):
        [point] = [f["geometry"]["coordinates"] for f in features
                   if f["properties"]["id"] == report_id]
        assert point == list(snap(lat, lon, app.config["LOCATION_GRID_METRES"]))[::-1]
        assert point != [lon, lat]

    # The city filter matches the public city only: report 1 kept its city private.
    for export in (published_csv, published_geojson):
        found = export(admin, "?city=hong+kong")
        ids = [int(r["Report number"]) if "Report number" in r else r["properties"]["id"]
               for r in found]
        assert ids == [2], export.__name__
    assert [r["Report number"] for r in published_csv(admin, "?city=Taipei")] == ["3"]
    assert published_geojson(admin, "?city=Taipei") == []  # its location is not public
    assert [r["Report number"] for r in published_csv(admin, "?space=restroom")] == ["3"]
    everything = json.dumps(published_csv(admin)) + json.dumps(published_geojson(admin))
    for secret in ("SECRET", "Waiting Mall", "Rejected Mall"):
        assert secret not in everything


def test_exports_open_right_in_excel_in_the_organizers_language(app, admin):
    new_report(admin, venue="上海商场", city="上海", device="clock", **HONG_KONG)
    new_report(admin, venue="Second", space="restroom")
    act(admin, 1, "publish", public=["venue", "device", "location"])
    for export in ("published", "all"):
        with admin.get(f"/zh-hans/organizers/export/{export}.csv") as response:
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            # Excel on Windows reads UTF-8 only after the byte order mark.
            assert response.data.startswith(BOM), export
            rows = csv_rows(response)
        assert "上海商场" in [r["场所名称"] for r in rows], export
        first = rows[-1]  # newest first
        assert (first["地点类型"], first["space_code"]) == ("酒店或民宿房间", "hotel-room")
        assert (first["发生了什么"], first["what_code"]) == ("我发现了偷拍设备", "found")
        assert (first["设备类型"], first["device_code"]) == ("时钟", "clock")
    statuses = {r["status_code"]: r["状态"] for r in
                csv_rows(admin.get("/zh-hans/organizers/export/all.csv"))}
    assert statuses == {"published": "已公开", "received": "等待审核"}
    [published] = csv_rows(admin.get("/zh-hans/organizers/export/published.csv"))
    assert published["经度"] and published["纬度"]  # numbers stay numbers
    # English organizers read English, and the codes are the same columns.
    [english] = csv_rows(admin.get("/en/organizers/export/published.csv"))
    assert (english["Kind of place"], english["space_code"]) == ("Hotel or rental room",
                                                                 "hotel-room")


def test_everything_for_admins_is_every_report_whatever_the_queue_shows(app, admin):
    for space in ("restroom", "hotel-room", "restroom"):
        new_report(admin, space=space, city="Taipei")
    act(admin, 1, "publish")
    act(admin, 2, "reject")
    queue = admin.get("/en/organizers/?status=published&space=restroom&city=Taipei")
    link = re.search(r'<a href="([^"]+)">Everything, CSV \(admins\)</a>',
                     queue.get_data(as_text=True))[1]
    assert link == "/en/organizers/export/all.csv"
    rows = csv_rows(admin.get(html_unescape(link)))
    assert sorted((r["Report number"], r["status_code"]) for r in rows) == [
        ("1", "published"), ("2", "rejected"), ("3", "received")]


PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)'


def test_report_text_is_inert_in_queue_detail_and_exports(app, admin):
    new_report(admin, venue=PAYLOAD, city="=HYPERLINK(\"http://evil\")", description=PAYLOAD,
               response="+SUM(A1:A9)")
    for url in ("/en/organizers/", "/en/organizers/reports/1"):
        html = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    act(admin, 1, "publish", public=["venue", "city"])
    [row] = csv_rows(admin.get("/en/organizers/export/all.csv"))
    assert row["City and district"] == "'=HYPERLINK(\"http://evil\")"
    assert row["What they did"] == "'+SUM(A1:A9)"
    public = admin.get("/en/organizers/export/published.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in public


# -- statistics and the audit log ---------------------------------------------------

def test_audit_log_is_append_only(app, admin):
    new_report(admin)
    act(admin, 1, "reject")
    with closing(connect(app.config["DATABASE"])) as conn:
        for sql in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    html = admin.get("/en/organizers/audit").get_data(as_text=True)
    assert "reject" in html and "ada" in html


def test_stats_page_draws_its_charts(admin):
    for space in ("restroom", "restroom", "hotel-room"):
        new_report(admin, space=space)
    html = admin.get("/en/organizers/stats").get_data(as_text=True)
    assert html.count('<rect x="') >= 2 and "Public restroom, " in html
    assert "No report has been reviewed yet." in html
    act(admin, 1, "reject")
    assert "Median: 0.0 days" in admin.get("/en/organizers/stats").get_data(as_text=True)


# -- statistics agree with a plain count of the reports (issue 19) --------------------
# The stats page reads running totals, not the report table; these tests build
# reports with known statuses and dates, change them every way the app can, and
# check the page against a count made the slow, obvious way each time.

STATS_PAGE = "/en/organizers/stats"


def fill_known_reports(app, count: int, seed: int) -> None:
    """`count` reports with random status, space, kind and dates over the last 20 weeks."""
    rng = random.Random(seed)
    day = today()
    rows = []
    for _ in range(count):
        status = rng.choice(["received", "received", "published", "rejected"])
        submitted = day - timedelta(days=rng.randint(0, 140))
        reviewed = (min(day, submitted + timedelta(days=rng.randint(0, 40)))
                    if status != "received" else None)
        rows.append((secrets.token_hex(16), secrets.token_hex(16), status,
                     rng.choice(list(SPACES)), rng.choice(list(WHAT)), submitted.isoformat(),
                     reviewed and reviewed.isoformat()))
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, submitted_on, reviewed_on) VALUES (?, x'00', ?, ?, ?, ?, ?, ?)", rows)


def stats_by_hand(app) -> dict:
    """What the stats page should say, counted from every report row."""
    rows = db_rows(app, "SELECT space, what, submitted_on, reviewed_on FROM report")
    first_week = today() - timedelta(days=today().weekday()) - timedelta(weeks=11)
    weeks: dict[tuple[str, str], int] = {}
    for row in rows:
        submitted = date.fromisoformat(row["submitted_on"])
        if submitted >= first_week:
            key = (row["space"], (submitted - timedelta(days=submitted.weekday())).isoformat())
            weeks[key] = weeks.get(key, 0) + 1
    per_week: dict[str, int] = {}
    for (_, week), n in weeks.items():
        per_week[week] = per_week.get(week, 0) + n
    waits = [(date.fromisoformat(r["reviewed_on"]) - date.fromisoformat(r["submitted_on"])).days
             for r in rows if r["reviewed_on"]]
    return {"weeks": weeks, "tallest": max([*per_week.values(), 1]),
            "what": {key: sum(r["what"] == key for r in rows) for key in WHAT},
            "median": f"{statistics.median(waits):.1f}" if waits else None,
            "reviewed": len(waits), "total": len(rows)}


def stats_on_page(client) -> dict:
    """The numbers the stats page shows, read back out of its HTML."""
    html = client.get(STATS_PAGE).get_data(as_text=True)
    space_of = {str(label): key for key, label in SPACES.items()}
    weeks = {(space_of[html_unescape(label)], week): int(n) for label, week, n in
             re.findall(r"<title>(.+?), (\d{4}-\d\d-\d\d): (\d+)</title>", html)}
    median = re.search(r"Median: ([\d.]+) days, over (\d+) reviewed reports \((\d+) in all\)",
                       html)
    return {"weeks": weeks,
            "tallest": int(re.search(r'text-anchor="end">(\d+)</text>', html)[1]),
            "what": {key: int(n) for key, n in
                     re.findall(r'class="bar-(\w+)"/>\s*<text [^>]*>(\d+)</text>', html)},
            "median": median and median[1],
            "reviewed": int(median[2]) if median else 0,
            "total": int(median[3]) if median else None}


def assert_stats_agree(app, client) -> None:
    expected, shown = stats_by_hand(app), stats_on_page(client)
    if expected["median"] is None:  # the page gives the total only beside a median
        shown["total"] = expected["total"]
    assert shown == expected


def test_stats_page_equals_a_plain_count_through_every_kind_of_change(app, admin):
    fill_known_reports(app, 300, seed=19)
    assert_stats_agree(app, admin)
    # Reviews through the app: a pending report published, a published one rejected
    # after its review had been moved weeks back (a re-review changes the wait).
    received, published = (
        [r[0] for r in db_rows(app, "SELECT id FROM report WHERE status = ? ORDER BY id",
                               (status,))] for status in ("received", "published"))
    act(admin, received[0], "publish", public=["venue"])
    act(admin, received[1], "reject")
    act(admin, received[2], "duplicate", original=published[0])
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET reviewed_on = submitted_on WHERE id = ?",
                     (published[1],))
    act(admin, published[1], "reject")
    act(admin, received[3], "ask", question="Which floor?")
    assert_stats_agree(app, admin)
    # New reports through the form, then everything retention and purging delete or clear.
    new_report(admin, space="transport", what="filming")
    new_report(admin)
    assert_stats_agree(app, admin)
    with closing(connect(app.config["DATABASE"])) as conn:
        assert store.purge(conn, 60, today()) > 0
        assert retention.forget_private_parts(conn, 10, today()) > 0
        conn.execute("DELETE FROM report WHERE id = ?", (published[2],))
        conn.execute("UPDATE report SET submitted_on = ?, space = 'other', what = 'found' "
                     "WHERE id = ?", ((today() - timedelta(days=3)).isoformat(), published[3]))
    assert_stats_agree(app, admin)
    # And when every report is gone, the page says so.
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("DELETE FROM map_report")
        conn.execute("DELETE FROM report")
    assert_stats_agree(app, admin)
    assert "No report has been reviewed yet." in admin.get(STATS_PAGE).get_data(as_text=True)


def test_stats_read_running_totals_not_the_report_table(app, admin):
    """At a million reports a scan of `report` took 1.7 s: no statistics query may read it."""
    fill_known_reports(app, 50, seed=1)
    statements: list[str] = []
    with app.test_request_context():
        db = get_db()
        db.set_trace_callback(statements.append)
        try:
            review_stats.summary(today())
        finally:
            db.set_trace_callback(None)
        plans = [detail for sql in statements for *_, detail in
                 db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]
    assert statements and plans
    assert not [d for d in plans if re.search(r"\breport\b", d)], plans



def test_stats_count_the_reports_made_before_the_totals_existed(app, admin):
    """Migration 0010 counts the reports already there when it adds the running totals."""
    with closing(connect(app.config["DATABASE"])) as conn:
        for kind, name in [("TRIGGER", "report_tally_insert"), ("TRIGGER", "report_tally_delete"),
                           ("TRIGGER", "report_tally_update"), ("TABLE", "report_day_tally"),
                           ("TABLE", "report_what_tally"), ("TABLE", "review_wait_tally"),
                           ("INDEX", "report_duplicate_of")]:  # 0011's, run again below
            conn.execute(f"DROP {kind} {name}")
        conn.execute("PRAGMA user_version = 9")  # as if 0010 had never run
    fill_known_reports(app, 200, seed=10)
    with closing(connect(app.config["DATABASE"])) as conn:
        assert [m.name for m in migrate(conn)] == ["report_tallies", "duplicate_index"]
    assert_stats_agree(app, admin)
