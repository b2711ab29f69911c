"""The public map: its API, its counts, its list view and its page."""

import json
import random
import re
from contextlib import closing
from datetime import date, timedelta

import pytest

from app import create_app
from app.db import connect
from app.map import publish as public_map
from app.map.grid import snap
from app.map.query import MAX_FEATURES, MapQuery, answer
from helpers import ROOT, TEST_CONFIG, act, db_rows, insert_published, new_report, node_package

WORLD = "-180,-85,180,85"
HONG_KONG = "114.15,22.27,114.17,22.29"  # a few streets: points, not cells
# Fields a published report may show; anything else is a leak.
PUBLIC_KEYS = {"space", "what", "device", "venue", "city", "observed_on", "note", "published_on"}


@pytest.fixture
def app(migrated):
    # Many reports from one test client: switch the per-visitor limit off.
    return create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0})


def api(client, headers=None, **params):
    return client.get("/api/v1/reports", query_string=params, headers=headers or {})


def published(admin, report_id, fields=("venue", "city", "location", "device", "observed_on"),
              note=None, level="corroborated"):
    response = act(admin, report_id, "publish", public=list(fields), public_note=note or "",
                   verification=level)
    assert response.status_code == 200
    return response


# -- the API ---------------------------------------------------------------------------

def test_only_published_reports_with_approved_fields_appear(app, admin):
    secret = "SECRET-free-text"
    for venue in ("Harbour Hotel", "Waiting Mall", "Rejected Mall"):
        new_report(admin, venue=venue, city="Hong Kong", latitude="22.2855",
                   longitude="114.1577", description=secret, response=secret, device="clock",
                   told_police="yes")
    published(admin, 1, fields=("venue", "location"), note="Staff confirmed it.")
    act(admin, 3, "reject")

    body = api(admin, bbox=HONG_KONG, zoom=17).get_data(as_text=True)
    answer_ = json.loads(body)
    assert answer_["mode"] == "points"
    [feature] = answer_["features"]
    [report] = feature["properties"]["reports"]
    # The public id names the report's public page (app/replies/), nothing else of it.
    [[public_id]] = db_rows(app, "SELECT public_id FROM report WHERE id = 1")
    assert report == {"space": "hotel-room", "what": "found", "verification": "corroborated",
                      "venue": "Harbour Hotel", "public_id": public_id,
                      "note": "Staff confirmed it.", "published_on": date.today().isoformat()}
    assert admin.get(f"/en/published/{public_id}").status_code == 200
    for leak in (secret, "Waiting Mall", "Rejected Mall", "Hong Kong", "clock", "photo",
                 "receipt", "told_police", "description"):
        assert leak not in body


def test_a_report_without_a_public_location_is_not_on_the_map(app, admin):
    new_report(admin, venue="Somewhere", latitude="22.2855", longitude="114.1577")
    published(admin, 1, fields=("venue",))
    assert json.loads(api(admin, bbox=HONG_KONG, zoom=17).data)["features"] == []
    assert json.loads(api(admin, bbox=WORLD, zoom=2).data)["total"] == 0
    assert "Somewhere" in admin.get("/en/map?view=list").get_data(as_text=True)


def test_every_point_is_on_the_public_grid(app, admin):
    rng = random.Random(7)
    originals = [(22.27 + rng.random() * 0.02, 114.15 + rng.random() * 0.02) for _ in range(6)]
    for i, (lat, lon) in enumerate(originals, start=1):
        new_report(admin, latitude=str(lat), longitude=str(lon))
        published(admin, i)
    features = json.loads(api(admin, bbox=HONG_KONG, zoom=17).data)["features"]
    points = {tuple(f["geometry"]["coordinates"][::-1]) for f in features}
    grid = app.config["LOCATION_GRID_METRES"]
    # Each point is the centre of its grid cell, the one the rounded report falls in.
    assert points == {snap(round(lat, 3), round(lon, 3), grid) for lat, lon in originals}
    assert all(snap(*p, grid) == p for p in points)


def test_snap_puts_every_point_of_a_cell_on_one_centre():
    assert snap(22.28550, 114.15770, 200) == snap(22.28551, 114.15771, 200)
    lat, lon = snap(31.2304, 121.4737, 200)
    assert abs(lat - 31.2304) * 111_320 <= 100.1
    assert snap(lat, lon, 200) == (lat, lon)  # a centre snaps to itself
    assert snap(31.2304, 121.4737, 200) != snap(31.2330, 121.4737, 200)


def test_the_same_spot_published_many_times_is_one_point_with_a_count(app, admin):
    for i in range(1, 8):
        new_report(admin, latitude="22.2855", longitude="114.1577",
                   what="suspected" if i % 2 else "found", venue=f"Hotel {i}")
        published(admin, i)
    [point] = json.loads(api(admin, bbox=HONG_KONG, zoom=17).data)["features"]
    properties = point["properties"]
    assert (properties["count"], properties["found"], properties["suspected"]) == (7, 3, 4)
    # The newest few, newest first; the count says how many there are.
    assert [r["venue"] for r in properties["reports"]] == ["Hotel 7", "Hotel 6", "Hotel 5"]
    [cell] = json.loads(api(admin, bbox=WORLD, zoom=3).data)["features"]
    assert cell["properties"]["kind"] == "cell"
    assert cell["properties"]["count"] == 7
    assert cell["geometry"]["coordinates"] == point["geometry"]["coordinates"]


def test_zoomed_out_answers_are_counted_cells(app):
    rng = random.Random(1)
    insert_published(app, [{"lat": rng.uniform(20, 45), "lon": rng.uniform(100, 125)}
                           for _ in range(2000)])
    client = app.test_client()
    for zoom in range(0, 12):
        answer_ = json.loads(api(client, bbox="90,15,135,50", zoom=zoom).data)
        assert answer_["mode"] == "cells"
        assert len(answer_["features"]) <= MAX_FEATURES
        assert answer_["total"] == 2000
        for feature in answer_["features"]:
            west, south, east, north = feature["properties"]["bounds"]
            lon, lat = feature["geometry"]["coordinates"]
            assert west <= lon <= east and south <= lat <= north  # marker inside its cell


def test_no_answer_carries_more_than_500_features(app):
    # A dense 60 x 60 block of grid points: 3,600 distinct public points.
    step = 0.002
    insert_published(app, [{"lat": 31.2 + i * step, "lon": 121.4 + j * step}
                           for i in range(60) for j in range(60)])
    client = app.test_client()
    for zoom in range(0, 21):
        for bbox in ("121.4,31.2,121.52,31.32", "121.45,31.25,121.47,31.27", WORLD):
            features = json.loads(api(client, bbox=bbox, zoom=zoom).data)["features"]
            assert 0 < len(features) <= MAX_FEATURES, (zoom, bbox)


# -- every box the description allows is answered (issue 28, item 13) ---------------------

def features_of(client, bbox: str, zoom: int = 17) -> dict:
    response = api(client, bbox=bbox, zoom=zoom)
    assert response.status_code == 200, response.data
    return json.loads(response.data)


def test_a_box_as_thin_as_a_point_or_a_line_holds_what_lies_exactly_on_it(app):
    insert_published(app, [{"lat": 22.28, "lon": 114.16}, {"lat": 22.285, "lon": 114.165}])
    client = app.test_client()
    empty = features_of(client, "0,0,0,0", zoom=0)  # what schemathesis sent
    assert (empty["type"], empty["features"], empty["total"]) == ("FeatureCollection", [], 0)
    [first, _] = features_of(client, HONG_KONG)["features"]
    lon, lat = first["geometry"]["coordinates"]
    assert features_of(client, f"{lon},{lat},{lon},{lat}")["features"] == [first]
    assert features_of(client, f"{lon},22.2,{lon},22.3")["features"] == [first]  # a line
    assert features_of(client, f"{lon},{lat + 0.0001},{lon},{lat + 0.0001}")["total"] == 0


@pytest.mark.parametrize("zoom", [3, 17])
def test_west_beyond_east_is_a_box_across_the_180th_meridian(app, zoom):
    # Fiji's two sides of the meridian, and a place on neither side of the box.
    insert_published(app, [{"lat": -17.8, "lon": 179.9}, {"lat": -17.8, "lon": -179.9},
                           {"lat": -17.8, "lon": 0.5}])
    client = app.test_client()
    across = features_of(client, "179.5,-18,-179.5,-17.5", zoom=zoom)
    assert across["total"] == 2
    longitudes = sorted(round(f["geometry"]["coordinates"][0]) for f in across["features"])
    assert longitudes == ([-180, 180] if across["mode"] == "points" else longitudes)
    # Nearly the whole world, the other way round: every cell once, every report once.
    world = features_of(client, "-170,-85,-175,85", zoom=zoom)
    assert world["total"] == 3  # -179.9 is in -180..-175; nothing lies in -175..-170
    bounds = [tuple(f["properties"].get("bounds", ())) for f in world["features"]]
    assert len(bounds) == len(set(bounds))


@pytest.mark.parametrize("zoom", [3, 17])
def test_any_day_the_description_allows_is_answered(app, zoom):
    # What schemathesis sent: a day before the earliest keeps all, one after today none.
    insert_published(app, [{"lat": 22.28, "lon": 114.16}])
    client = app.test_client()
    everything = features_of(client, HONG_KONG, zoom)
    assert everything["total"] == 1
    for day in ("0331-04-10", "1999-12-31", "2000-01-01"):
        answer_ = api(client, bbox=HONG_KONG, zoom=zoom, since=day)
        assert json.loads(answer_.data) == everything
    for day in ((date.today() + timedelta(days=1)).isoformat(), "2999-01-01"):
        answer_ = json.loads(api(client, bbox=HONG_KONG, zoom=zoom, since=day).data)
        assert (answer_["features"], answer_["total"]) == ([], 0)


def test_south_beyond_north_is_an_empty_box_not_an_error(app):
    insert_published(app, [{"lat": 22.28, "lon": 114.16}])
    client = app.test_client()
    assert features_of(client, "114,23,115,22")["features"] == []
    assert features_of(client, "114,22,115,23")["total"] == 1


@pytest.mark.parametrize("params, parameter", [
    ({"zoom": 3}, "bbox"),
    ({"bbox": "1,2,3", "zoom": 3}, "bbox"),
    ({"bbox": "a,b,c,d", "zoom": 3}, "bbox"),
    ({"bbox": "0,0,200,1", "zoom": 3}, "bbox"),
    ({"bbox": "200,0,0,1", "zoom": 3}, "bbox"),  # out of range, in either order
    ({"bbox": "0,-91,1,1", "zoom": 3}, "bbox"),
    ({"bbox": "0,1,1,-91", "zoom": 3}, "bbox"),
    ({"bbox": "nan,0,1,1", "zoom": 3}, "bbox"),
    ({"bbox": WORLD}, "zoom"),
    ({"bbox": WORLD, "zoom": "-1"}, "zoom"),
    ({"bbox": WORLD, "zoom": "21"}, "zoom"),
    ({"bbox": WORLD, "zoom": "2.5"}, "zoom"),
    ({"bbox": WORLD, "zoom": "٣"}, "zoom"),  # a digit, but not an ASCII one
    ({"bbox": WORLD, "zoom": 3, "space": "kitchen"}, "space"),
    ({"bbox": WORLD, "zoom": 3, "what": "maybe"}, "what"),
    ({"bbox": WORLD, "zoom": 3, "since": "2026-02-30"}, "since"),
    ({"bbox": WORLD, "zoom": 3, "since": "20260101"}, "since"),
    ({"bbox": WORLD, "zoom": 3, "spcae": "restroom"}, "spcae"),  # a typo is not ignored
])
def test_bad_parameters_get_a_clear_400(client, params, parameter):
    response = api(client, **params)
    assert response.status_code == 400
    assert response.json["parameter"] == parameter
    assert parameter in response.json["error"]


def test_api_errors_speak_the_visitors_language(client):
    response = api(client, headers={"Accept-Language": "zh-TW"}, bbox="1,2,3", zoom=3)
    assert response.status_code == 400
    assert "bbox" in response.json["error"]
    assert re.search(r"[\u4e00-\u9fff]", response.json["error"])


def test_a_repeated_parameter_is_refused(client):
    response = client.get(f"/api/v1/reports?bbox={WORLD}&zoom=3&zoom=4")
    assert (response.status_code, response.json["parameter"]) == (400, "zoom")


def test_answers_are_cacheable_and_revalidate_with_the_etag(app, admin):
    first = api(admin, bbox=WORLD, zoom=2)
    assert first.status_code == 200
    assert first.mimetype == "application/geo+json"
    # Kept only to be asked about again (no-cache): a change shows at once (issue 31).
    assert first.cache_control.public and first.cache_control.no_cache
    assert first.cache_control.max_age is None
    assert "Set-Cookie" not in first.headers
    etag = first.headers["ETag"]
    again = api(admin, headers={"If-None-Match": etag}, bbox=WORLD, zoom=2)
    assert (again.status_code, again.data) == (304, b"")
    other_question = api(admin, headers={"If-None-Match": etag}, bbox=WORLD, zoom=3)
    assert other_question.status_code == 200

    new_report(admin, latitude="22.2855", longitude="114.1577")
    published(admin, 1)
    changed = api(admin, headers={"If-None-Match": etag}, bbox=WORLD, zoom=2)
    assert changed.status_code == 200
    assert changed.json["total"] == 1


def test_unpublishing_takes_the_report_back_off_the_map(app, admin):
    for _ in range(2):
        new_report(admin, latitude="22.2855", longitude="114.1577")
    published(admin, 1)
    published(admin, 2)
    published(admin, 2, fields=("venue",))  # published again without its location
    assert json.loads(api(admin, bbox=WORLD, zoom=2).data)["total"] == 1
    act(admin, 1, "reject")
    assert json.loads(api(admin, bbox=WORLD, zoom=2).data)["total"] == 0
    assert json.loads(api(admin, bbox=HONG_KONG, zoom=17).data)["features"] == []
    with closing(connect(app.config["DATABASE"])) as db:
        # No empty rows are left behind, and the list keeps the unlocated one.
        assert db.execute("SELECT count(*) FROM map_cell").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM map_cell_day").fetchone()[0] == 0
        assert [tuple(r) for r in db.execute("SELECT report_id FROM map_report")] == [(2,)]


def test_counts_kept_by_publishing_match_a_rebuild_from_scratch(app, admin):
    rng = random.Random(3)
    for i in range(1, 13):
        new_report(admin, latitude=str(rng.uniform(22, 32)), longitude=str(rng.uniform(110, 122)),
                   space=rng.choice(["restroom", "hotel-room", "other"]),
                   what=rng.choice(["found", "suspected", "filming"]))
        published(admin, i)
    for i in (2, 5, 9):
        act(admin, i, "reject")
    with closing(connect(app.config["DATABASE"])) as db:
        def snapshot():
            return [sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                           for row in db.execute(f"SELECT * FROM {table}"))  # noqa: S608
                    for table in ("map_cell", "map_cell_day")]
        kept = snapshot()
        public_map.rebuild(db, app.config["LOCATION_GRID_METRES"])
        assert snapshot() == kept
        assert all(kept)


def brute_force(db, query: MapQuery) -> int:
    sql = ("SELECT count(*) FROM map_report WHERE latitude IS NOT NULL AND published_on >= ? "
           "AND (? IS NULL OR space = ?) AND (? IS NULL OR what = ?)")
    return db.execute(sql, (str(query.since or ""), query.space, query.space, query.what,
                            query.what)).fetchone()[0]


def test_filters_count_exactly_to_the_day(app):
    rng = random.Random(11)
    start = date(2024, 1, 1)
    insert_published(app, [{"lat": rng.uniform(21, 40), "lon": rng.uniform(100, 122),
                            "space": rng.choice(["restroom", "fitting-room", "transport"]),
                            "what": rng.choice(["found", "suspected", "filming"]),
                            "day": str(start + timedelta(days=rng.randrange(900)))}
                           for _ in range(1500)])
    today = start + timedelta(days=900)
    with closing(connect(app.config["DATABASE"])) as db, app.app_context():
        # Early and late dates take the two paths (subtract from all time, add up months).
        for since in (None, start, start + timedelta(days=45), start + timedelta(days=500),
                      start + timedelta(days=887), today):
            for space in (None, "restroom"):
                for what in (None, "suspected"):
                    query = MapQuery(90, 10, 130, 50, 4, space, what, since)
                    got = answer(db, query, 200, today)
                    assert got["mode"] == "cells"
                    assert got["total"] == brute_force(db, query), (since, space, what)
                    assert sum(f["properties"]["suspected"] for f in got["features"]) == (
                        got["total"] if what == "suspected" else brute_force(
                            db, MapQuery(90, 10, 130, 50, 4, space, "suspected", since)))


@pytest.mark.parametrize(("zoom", "bbox"), [(4, (90, 10, 130, 50)),
                                         (10, (113.9, 22.2, 114.3, 22.5)),
                                         (12, (114.0, 22.25, 114.2, 22.4))],
                         ids=["band-4", "band-10", "band-12"])
def test_since_counts_exactly_on_any_day_of_the_month_in_every_band(app, zoom, bbox):
    # Coarse bands count a cut month from day rows, fine ones from the reports.
    rng = random.Random(zoom)
    start = date(2024, 1, 1)
    insert_published(app, [{"lat": rng.uniform(22.3, 22.34), "lon": rng.uniform(114.05, 114.1),
                            "space": rng.choice(["restroom", "transport"]),
                            "what": rng.choice(["found", "suspected"]),
                            "day": str(start + timedelta(days=rng.randrange(800)))}
                           for _ in range(1200)])
    today = start + timedelta(days=800)
    with closing(connect(app.config["DATABASE"])) as db, app.app_context():
        days = [date(2025, 6, d) for d in (1, 2, 14, 15, 16, 29, 30)] + [
            date(2024, 2, 29), date(2024, 1, 1), date(2024, 3, 31), today.replace(day=1), today]
        for since in days:
            for space, what in ((None, None), ("restroom", None), (None, "found")):
                query = MapQuery(*bbox, zoom, space, what, since)
                got = answer(db, query, 200, today)
                assert got["mode"] == "cells"
                assert got["total"] == brute_force(db, query), (since, space, what)


# -- the page and the list view ----------------------------------------------------------

def test_list_view_groups_by_city_and_venue_and_filters(app, admin):
    places = [("Taipei", "Station B", "transport", "found"),
              ("Hong Kong", "Mall A", "fitting-room", "suspected"),
              ("Taipei", "Station A", "transport", "suspected"),
              ("Hong Kong", "Mall A", "restroom", "found")]
    for i, (city, venue, space, what) in enumerate(places, start=1):
        new_report(admin, city=city, venue=venue, space=space, what=what)
        published(admin, i, fields=("venue", "city"))
    new_report(admin, city="Unpublished City", venue="Hidden Place")

    html = admin.get("/en/map?view=list").get_data(as_text=True)
    assert re.findall(r'class="list-city">([^<]+)', html) == ["Hong Kong", "Taipei"]
    assert re.findall(r'class="list-venue">([^<]+)', html) == ["Mall A", "Station A",
                                                                "Station B"]
    assert "Hidden Place" not in html
    html = admin.get("/en/map?view=list&space=transport&what=found").get_data(as_text=True)
    assert re.findall(r'class="list-venue">([^<]+)', html) == ["Station B"]
    html = admin.get("/zh-hant/map?view=list&space=restroom").get_data(as_text=True)
    assert re.findall(r'class="list-venue">([^<]+)', html) == ["Mall A"]
    assert '<option value="restroom" selected>' in html


def test_list_view_pages(app):
    insert_published(app, [{"lat": 22.3, "lon": 114.2, "city": f"City {i:03d}"}
                           for i in range(120)])
    client = app.test_client()
    cities = []
    url = "/en/map?view=list"
    while url:
        html = client.get(url).get_data(as_text=True)
        cities += re.findall(r'class="list-city">([^<]+)', html)
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found[1].replace("&amp;", "&") if found else None
    assert cities == [f"City {i:03d}" for i in range(120)]


def list_order(row: dict) -> tuple:
    """The list's order as the page promises it: city, venue (case folded, not given last), id."""
    return (row["city"] is None, (row["city"] or "").lower(), row["venue"] is None,
            (row["venue"] or "").lower(), row["id"])


def shown(html: str) -> list[tuple]:
    """(city, venue, what) of each report on a page, in order (ids are not shown)."""
    found, city, venue = [], None, None
    tokens = re.findall(r'class="list-city">([^<]+)|class="list-venue">([^<]+)|'
                        r'class="marker marker-(\w+)"', html)
    for city_text, venue_text, what in tokens:
        if city_text:
            city = city_text
        elif venue_text:
            venue = venue_text
        elif what in ("found", "suspected", "filming") and venue is not None:
            found.append((city, venue, what))
    return found


def read_all_pages(client, url: str, link: str = "next") -> list[tuple]:
    """The reports shown page after page, following the pager's links."""
    seen = []
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += shown(html) if link == "next" else shown(html)[::-1]
        found = re.search(rf'href="([^"]+)" rel="{link[:4]}"', html)
        url = found[1].replace("&amp;", "&") if found else None
    return seen


@pytest.mark.parametrize("few_in_window", [0, 10**9], ids=["by-list-order", "by-date"])
def test_keyset_pages_show_every_report_once_in_order_both_ways(app, monkeypatch,
                                                                 few_in_window):
    from app.map import listing
    monkeypatch.setattr(listing, "FEW_IN_WINDOW", few_in_window)
    rng = random.Random(5)
    rows = [{"lat": 22.3, "lon": 114.2, "city": rng.choice([None, "taipei", "Taipei", "Hong Kong",
                                                             "香港", "Ab", "Abc"]),
             "venue": rng.choice([None, "Mall", "mall", "Station"]),
             "space": rng.choice(["restroom", "transport"]),
             "what": rng.choice(["found", "filming"]),
             "day": str(date.today() - timedelta(days=rng.randrange(60)))} for _ in range(260)]
    insert_published(app, rows)
    client = app.test_client()
    for filters in ("", "&space=transport", "&what=filming&within=30",
                    "&space=restroom&what=found&within=30", "&within=365"):
        kept = [dict(r, id=i) for i, r in enumerate(rows, start=1)
                if f"space={r['space']}" in filters or "space=" not in filters]
        kept = [r for r in kept if f"what={r['what']}" in filters or "what=" not in filters]
        if "within=30" in filters:
            kept = [r for r in kept if r["day"] >= str(date.today() - timedelta(days=30))]
        expected = [(r["city"] or "City not given", r["venue"] or "Place not named", r["what"])
                    for r in sorted(kept, key=list_order)]
        forwards = read_all_pages(client, f"/en/map?view=list{filters}")
        assert forwards == expected, filters
        # From the last page back to the first by the "previous" links.
        last = f"/en/map?view=list{filters}"
        while found := re.search(r'href="([^"]+)" rel="next"',
                                 client.get(last).get_data(as_text=True)):
            last = found[1].replace("&amp;", "&")
        assert read_all_pages(client, last, "prev") == expected[::-1], filters


def test_old_page_numbers_and_stale_cursors_start_the_list_over(app):
    insert_published(app, [{"lat": 22.3, "lon": 114.2, "city": f"City {i:03d}"}
                           for i in range(120)])
    client = app.test_client()
    old = client.get("/en/map?view=list&space=restroom&page=3")
    assert old.status_code == 301
    assert old.location == "/en/map?view=list&space=restroom"
    assert client.get("/zh-hans/map?page=2").location == "/zh-hans/map"
    first = client.get("/en/map?view=list").get_data(as_text=True)
    assert client.get("/en/map?view=list&after=x&page=2").location == "/en/map?view=list"
    for url in ("/en/map?view=list&after=99999&page=2", "/en/map?view=list&before=99999&page=4",
                "/en/map?view=list&before=1&page=2"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert re.findall(r'class="list-city">([^<]+)', html) == re.findall(
            r'class="list-city">([^<]+)', first), url
        assert "page 2" not in html and 'rel="prev"' not in html, url
    assert client.get("/en/map?view=list&after=5&page=0").status_code == 404
    # Back to the start, where fewer than a page came before: the first page, whole.
    html = client.get("/en/map?view=list&before=3&page=2").get_data(as_text=True)
    assert re.findall(r'class="list-city">([^<]+)', html)[:3] == ["City 000", "City 001",
                                                                  "City 002"]
    assert 'rel="next"' in html and 'rel="prev"' not in html


def test_a_bad_filter_is_explained_and_shows_everything(client, lang):
    response = client.get(f"/{lang}/map?view=list&space=kitchen")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert '<option value="" selected>' not in html  # "all places" by default, nothing kept
    assert client.get(f"/{lang}/map?view=table").status_code == 404


def test_only_the_map_view_allows_tile_images(client):
    csp = client.get("/en/map").headers["Content-Security-Policy"]
    assert "img-src 'self' https://tile.openstreetmap.org;" in csp
    for url in ("/en/map?view=list", "/en/", "/en/report", "/en/check/restroom"):
        assert "img-src 'self';" in client.get(url).headers["Content-Security-Policy"], url


def test_the_map_page_says_the_tile_server_sees_the_address(client, lang):
    html = client.get(f"/{lang}/map").get_data(as_text=True)
    assert "tile.openstreetmap.org" in html
    assert 'href="/' + lang + '/map?view=list"' in html
    assert "leaflet-1.9.4/leaflet.js" in html
    assert "gcj02.js" not in html


def test_tile_settings_come_from_configuration(instance):
    app = create_app({**TEST_CONFIG, "MAP_TILE_URL": "https://{s}.tiles.example.cn/{z}/{x}/{y}.png",
                      "MAP_COORDINATES": "gcj02"})
    response = app.test_client().get("/zh-hans/map")
    assert "img-src 'self' https://*.tiles.example.cn;" in response.headers[
        "Content-Security-Policy"]
    assert "js/gcj02.js" in response.get_data(as_text=True)
    with pytest.raises(RuntimeError, match="MAP_COORDINATES"):
        create_app({**TEST_CONFIG, "MAP_COORDINATES": "bd09"})


def test_vendored_leaflet_is_the_npm_package_byte_for_byte():
    vendored = ROOT / "static/vendor/leaflet-1.9.4"
    package = node_package("leaflet")
    assert json.loads((package / "package.json").read_text())["version"] == "1.9.4"
    for name in ("leaflet.js", "leaflet.css"):
        assert (vendored / name).read_bytes() == (package / "dist" / name).read_bytes()


@pytest.mark.parametrize(("ci", "outcome"), [(None, pytest.skip.Exception),
                                             ("", pytest.skip.Exception),
                                             ("true", pytest.fail.Exception)])
def test_without_node_modules_the_leaflet_check_skips_except_on_ci(monkeypatch, ci, outcome):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="node_modules/no-such-package is missing"):
        node_package("no-such-package")


def test_only_the_picker_may_be_framed_and_only_by_our_own_pages(client):
    picker = client.get("/zh-hans/map?view=pick")
    assert picker.status_code == 200
    assert "frame-ancestors 'self'" in picker.headers["Content-Security-Policy"]
    assert picker.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "img-src 'self' https://tile.openstreetmap.org;" in picker.headers[
        "Content-Security-Policy"]
    for url in ("/zh-hans/map", "/zh-hans/report", "/zh-hans/"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Frame-Options"] == "DENY", url
    # Only the report form may hold a frame, and only of this site.
    assert "frame-src 'self'" in client.get("/zh-hans/report").headers["Content-Security-Policy"]
    assert "frame-src" not in client.get("/zh-hans/map").headers["Content-Security-Policy"]


def test_rebuild_map_command_recomputes_what_the_map_shows(app, runner):
    insert_published(app, [{"lat": 22.3, "lon": 114.2}, {"lat": 25.03, "lon": 121.56}])
    with closing(connect(app.config["DATABASE"])) as db:
        db.execute("DELETE FROM map_cell")  # as if changed behind the app's back
        db.commit()
    result = runner.invoke(args=["rebuild-map"])
    assert result.exit_code == 0 and "2 published reports" in result.output
    assert json.loads(api(app.test_client(), bbox=WORLD, zoom=2).data)["total"] == 2


# ---- Issue 17: where the map and the picker may start --------------------------------------

CITIES = ROOT / "static" / "data" / "cities.json"


def test_the_bundled_cities_cover_china_hong_kong_macau_taiwan_and_the_world():
    cities = json.loads(CITIES.read_text(encoding="utf-8"))["cities"]
    by_english = {c[0]: c for c in cities}
    for name in ("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Urumqi", "Lhasa",
                 "Hong Kong", "Macau", "Taipei", "Kaohsiung", "Tokyo", "London", "New York"):
        assert name in by_english, name
    assert len(cities) >= 200
    for english, hans, hant, lat, lon, *aliases in cities:
        # English, then Chinese in both scripts, then a WGS-84 point.
        assert english.isascii() or english == "São Paulo", english
        assert re.search(r"[\u4e00-\u9fff]", hans) and re.search(r"[\u4e00-\u9fff]", hant)
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        assert all(isinstance(a, str) and a for a in aliases)
    # Spot checks, a few kilometres at most from where these cities are.
    for name, lat, lon in (("Shenzhen", 22.54, 114.06), ("Taipei", 25.04, 121.53),
                           ("Hong Kong", 22.28, 114.16), ("Urumqi", 43.80, 87.60)):
        assert abs(by_english[name][3] - lat) < 0.05 and abs(by_english[name][4] - lon) < 0.05
    assert by_english["Shenyang"][1:3] == ["沈阳", "瀋陽"]
    assert by_english["Taipei"][1:3] == ["台北", "臺北"]


def test_the_map_and_the_picker_know_where_the_cities_are_and_may_ask_for_her_position(client):
    for url in ("/en/map", "/en/map?view=pick"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        settings = json.loads(re.search(r'data-settings="([^"]*)"', html)[1]
                              .replace("&#34;", '"').replace("&amp;", "&"))
        assert settings["cities"].startswith("/static/data/cities.json")
        assert client.get(settings["cities"]).status_code == 200
        assert "geolocation=(self)" in response.headers["Permissions-Policy"], url
    # The list alone shows no map, so it asks for nothing.
    assert "geolocation=()" in client.get("/en/map?view=list").headers["Permissions-Policy"]


def test_without_javascript_the_map_page_asks_nothing_and_speaks_of_no_tapping(client):
    html = client.get("/en/map").get_data(as_text=True)
    # The consent button, the shortcuts and the cluster's legend are marked for the
    # stylesheet, which shows them only once map-choice.js has run, in <head>
    # before anything is drawn (test_map_browser.py sees it with JS on and off).
    head, body = html.split("</head>")
    assert re.search(r'<script src="/static/js/map-choice\.js\?v=\w+"></script>', head)
    assert re.search(r'<div class="map-consent" data-map-consent>', body)
    assert re.search(r'<li data-map-live><span class="marker marker-cell"', body)
    legend = re.search(r'<ul class="legend map-legend".*?</ul>', body, re.S)[0]
    shown = re.sub(r"<li data-map-live>.*?</li>", "", legend, flags=re.S)
    assert "tap" not in shown.lower()
