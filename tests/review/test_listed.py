"""The organizer's card says when a report can only be listed, not shown on the map, and
offers no public location for a report that has none (issue 27, item 6)."""

import re

from helpers import act, db_rows, new_report, visible_text

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}
LOCATION_BOX = re.compile(r'<input type="checkbox" name="public" value="location"[^>]*>')


def card(admin, report_id=1, lang="en"):
    return admin.get(f"/{lang}/organizers/reports/{report_id}").get_data(as_text=True)


def test_before_and_after_publishing_the_card_says_it_is_listed_not_on_the_map(app, admin):
    new_report(admin, venue="Harbour Hotel")
    assert "No location: will be listed, not shown on the map." in visible_text(card(admin))
    assert act(admin, 1, "publish", public=["venue"]).status_code == 200
    after = visible_text(card(admin))
    assert "No location: listed, not shown on the map." in after
    assert "will be listed" not in after


def test_a_located_report_published_without_its_location_is_listed_too(app, admin):
    new_report(admin, **HONG_KONG)
    assert "not shown on the map" not in visible_text(card(admin))
    act(admin, 1, "publish", public=["location"])
    assert "not shown on the map" not in visible_text(card(admin))
    act(admin, 1, "publish", public=["venue"])
    assert "Location not public: listed, not shown on the map." in visible_text(card(admin))


def test_the_card_says_it_in_chinese(app, admin):
    new_report(admin)
    assert "沒有位置：公開後只會列在清單中，不會顯示在地圖上。" in card(admin, lang="zh-hant")
    assert "没有位置：公开后只会列在列表里，不会显示在地图上。" in card(admin, lang="zh-hans")


def test_the_location_choice_is_off_with_its_reason_when_there_is_no_location(app, admin):
    new_report(admin)
    html = card(admin)
    box = LOCATION_BOX.search(html)[0]
    assert " disabled" in box
    reason = re.search(r'aria-describedby="([^"]+)"', box)[1]
    hint = re.search(rf'<p class="hint" id="{reason}">([^<]+)</p>', html)[1]
    assert "the reporter gave no location" in hint

    new_report(admin, **HONG_KONG)
    assert "disabled" not in LOCATION_BOX.search(card(admin, 2))[0]


def test_publishing_a_location_that_does_not_exist_is_refused_and_changes_nothing(app, admin):
    new_report(admin, venue="Harbour Hotel")
    before = [tuple(r) for r in db_rows(app, "SELECT * FROM report")]
    response = act(admin, 1, "publish", public=["venue", "location"])
    assert response.status_code == 400
    assert ("This report has no location, so nothing was published. Publish it without "
            "“Approximate location (on the public grid)”") in visible_text(
                response.get_data(as_text=True))
    assert [tuple(r) for r in db_rows(app, "SELECT * FROM report")] == before
    assert db_rows(app, "SELECT count(*) FROM audit_log WHERE action = 'publish'")[0][0] == 0
    assert db_rows(app, "SELECT count(*) FROM map_report")[0][0] == 0
    # In Chinese too, with the choice named as the card names it.
    response = admin.post("/zh-hans/organizers/reports/1/publish", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', card(admin))[1],
        "version": "1", "public": ["location"]})
    assert response.status_code == 400
    said = response.get_data(as_text=True)
    assert "请在不选“大致位置（按公开网格取整）”的情况下再公开一次" in said
