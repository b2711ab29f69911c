"""Facts inside checklist items that the content review of 2026-12-06 corrected."""

import pytest

from helpers import visible_text


def restroom_text(client, lang: str) -> str:
    response = client.get(f"/{lang}/check/restroom")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "holes", "maskpark", "old"), [
    ("en", ["124 suspicious holes", "none held a camera", "covered each with a sticker"],
     "such as incense holders", "chargers and clocks"),
    ("zh-hans", ["124 个可疑小孔", "没有一个孔里藏着摄像头", "用贴纸把这些孔都封上了"],
     "藏在香插这类日常物品里", "充电器和时钟"),
    ("zh-hant", ["124 個可疑小孔", "沒有一個孔藏有針孔攝影機", "用貼紙把這些孔都封了起來"],
     "藏在香座之類的日常物品裡", "充電器和時鐘"),
    ("zh-hk", ["124 個可疑小孔", "沒有一個藏有針孔攝錄機", "用貼紙把這些孔全部封住"],
     "藏在香座之類的日常用品之中", "充電器和時鐘"),
])
def test_holes_and_maskpark_objects_say_only_what_was_found(client, lang, holes, maskpark, old):
    # Korea's 2018 inspection found no camera in any of the 124 holes, and covered them;
    # the MaskPark reporting names incense holders, not chargers or clocks.
    text = restroom_text(client, lang)
    for word in holes:
        assert word in text, (lang, word)
    assert maskpark in text
    assert old not in text
