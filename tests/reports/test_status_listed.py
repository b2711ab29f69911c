"""Her status page says where a published report is shown: on the map, or, with no
location, only in the list on the map page (issue 27, item 6)."""

import pytest

from helpers import act, new_report, visible_text

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}
ON_THE_MAP = {"en": "It is on the public map", "zh-hans": "已显示在公开地图上",
              "zh-hant": "已顯示在公開地圖上", "zh-hk": "已顯示在公開地圖上"}
LISTED = {
    "en": "Published. It is listed on the map page, but not shown on the map itself, because "
          "it has no location.",
    "zh-hans": "已公开。这条举报列在地图页的列表里，但因为没有位置，不会显示在地图上。",
    "zh-hant": "已公開。這則通報列在地圖頁的清單中，但因為沒有位置，不會顯示在地圖上。",
    "zh-hk": "已公開。這則舉報列在地圖頁的清單中，但因為沒有位置，不會顯示在地圖上。",
}
KEPT_PRIVATE = {
    "en": "because organizers kept its location private",
    "zh-hans": "但审核人员没有公开它的位置，所以不会显示在地图上",
    "zh-hant": "但審核人員沒有公開它的位置，所以不會顯示在地圖上",
    "zh-hk": "但審核人員沒有公開它的位置，所以不會顯示在地圖上",
}


def status_text(app, code, lang):
    response = app.test_client().post(f"/{lang}/report/status", data={"code": code})
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_a_report_on_the_map_says_so(app, admin, lang):
    code = new_report(admin, **HONG_KONG)
    assert act(admin, 1, "publish", public=["location"]).status_code == 200
    text = status_text(app, code, lang)
    assert ON_THE_MAP[lang] in text
    assert LISTED[lang] not in text


def test_a_report_without_a_location_says_it_is_listed_not_on_the_map(app, admin, lang):
    code = new_report(admin, venue="Harbour Hotel")
    assert act(admin, 1, "publish", public=["venue"]).status_code == 200
    text = status_text(app, code, lang)
    assert LISTED[lang] in text
    assert ON_THE_MAP[lang] not in text
    assert {"en": "on the public map", "zh-hans": "公开地图", "zh-hant": "公開地圖",
            "zh-hk": "公開地圖"}[lang] not in text


@pytest.mark.parametrize("lang", ["en", "zh-hant"])
def test_a_location_kept_private_says_why_it_is_not_on_the_map(app, admin, lang):
    code = new_report(admin, **HONG_KONG)
    assert act(admin, 1, "publish", public=["venue"]).status_code == 200
    text = status_text(app, code, lang)
    assert KEPT_PRIVATE[lang] in text
    assert ON_THE_MAP[lang] not in text and LISTED[lang] not in text
