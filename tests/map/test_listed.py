"""A published report without a location is in the list on the map page, marked as not on
the map (issue 27, item 6). The status line above the list is tested in
test_listed_browser.py."""

from helpers import act, new_report, visible_text

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}


def test_the_list_marks_a_report_the_map_cannot_show(app, admin):
    new_report(admin, venue="No Pin Hotel")
    new_report(admin, venue="Pinned Mall", **HONG_KONG)
    new_report(admin, venue="Private Pin Gym", **HONG_KONG)
    for report_id, fields in ((1, ["venue"]), (2, ["venue", "location"]), (3, ["venue"])):
        assert act(admin, report_id, "publish", public=fields,
                   verification="corroborated").status_code == 200
    html = admin.get("/en/map?view=list").get_data(as_text=True)
    # Each place's heading and its reports, up to the next place.
    places = {visible_text(part.split("</h4>")[0]).strip(): visible_text(part)
              for part in html.split('<h4 class="list-venue">')[1:]}
    assert set(places) == {"No Pin Hotel", "Pinned Mall", "Private Pin Gym"}
    mark = "Not on the map: no location"
    assert mark in places["No Pin Hotel"] and mark in places["Private Pin Gym"]
    assert mark not in places["Pinned Mall"]
    zh = visible_text(admin.get("/zh-hant/map?view=list").get_data(as_text=True))
    assert zh.count("不在地圖上：沒有位置") == 2
