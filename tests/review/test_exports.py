"""The organizers' exports (app/review/exports.py): CSV for Excel, GeoJSON, what each
carries, and cells that are text are defused while numbers stay numbers (issue 14, item 13)."""

import csv
import io
import json
import re
from html import unescape as html_unescape

from app.map.grid import snap
from app.review.exports import defuse
from app.vocab import DEVICE_CHOICES, LEVELS, SPACES, WHAT
from helpers import act, db_rows, insert_published, new_report


def test_only_text_cells_are_defused():
    numbers = {-33.87: "-33.87", -70.65: "-70.65", -3: "-3", 12: "12"}
    text = {"-33.87": "'-33.87", "=HYPERLINK(1)": "'=HYPERLINK(1)", "+1": "'+1", "": ""}
    for value, cell in {**numbers, **text, float("-inf"): "'-inf", None: ""}.items():
        assert defuse(value) == cell, value


def test_southern_and_western_coordinates_export_as_numbers(app, admin):
    insert_published(app, [{"lat": -33.87, "lon": -70.65, "venue": "-5 Plaza", "city": "Santiago"}])
    for export in ("published", "all"):
        text = admin.get(f"/en/organizers/export/{export}.csv").data.decode("utf-8-sig")
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert float(row["Latitude"]) < -33 and float(row["Longitude"]) < -70
        # Text that looks like a formula still is defused.
        assert row["Name of the place"] == "'-5 Plaza"


# Issue 28, item 12: what the review typed (full-width signs, and signs after blanks).
FULL_WIDTH = ["＝HYPERLINK(1)", "＋1", "－1", "＠SUM(1)", "﹦1", "−1"]
BLANKS = [" ", "  ", "\u00a0", "\u3000", "\t", "\r", "\n", "\r\n", " \u3000\t", "\u200b"]


def test_full_width_formula_signs_and_signs_after_blanks_are_defused():
    starts = [*FULL_WIDTH, "=1", "+1", "-1", "@A1"]
    for text in [*starts, *(blank + start for blank in BLANKS for start in starts)]:
        assert defuse(text) == "'" + text, repr(text)
    # Text that merely holds a sign, or starts with a blank and a letter, is left as it is.
    for text in ["Room ＝ 3", "a=1", " Mall", "\u3000商場", "５樓", "1-2"]:
        assert defuse(text) == text, repr(text)
    for number, cell in {-33.87: "-33.87", -3: "-3", 0: "0", 1e-7: "1e-07"}.items():
        assert defuse(number) == cell


def test_full_width_formula_signs_reach_no_export_undefused(app, admin):
    venues = ["＝HYPERLINK(1)", "\u3000＋1", "\u00a0－1", "\t＠SUM(1)", "\n=1"]
    insert_published(app, [{"lat": -33.87, "lon": -70.65, "venue": venue, "city": "＠city"}
                           for venue in venues])
    for export in ("published", "all"):
        rows = csv_rows(admin.get(f"/en/organizers/export/{export}.csv"))
        assert sorted(row["Name of the place"] for row in rows) == sorted("'" + v for v in venues)
        assert all(row["City and district"] == "'＠city" for row in rows)
        assert all(float(row["Latitude"]) < -33 for row in rows)  # numbers stay numbers


HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}


BOM = b"\xef\xbb\xbf"


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
            act(admin, report_id, "publish", public=public, public_note=f"Note {report_id}",
                verification="corroborated")
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
                "Verification": words(LEVELS, row["verification"]),
                "Date seen": row["observed_on"], "Latitude": row["latitude"],
                "Longitude": row["longitude"], "Public note": row["note"],
                "space_code": row["space"], "what_code": row["what"],
                "device_code": row["device"], "verification_code": row["verification"]}
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
    act(admin, 1, "publish", public=["venue", "device", "location"], verification="confirmed")
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
