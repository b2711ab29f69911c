"""The found-something guide's facts (app/content/found.py), as a fact-checker corrected
them (issue 16): what to do with the lens, the venue and the police, the services and their
limits."""

import pytest

from helpers import visible_text


def found_text(client, lang: str = "en") -> str:
    response = client.get(f"/{lang}/found")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Don’t touch, unplug, cover or break it",
            "hang a towel in front of it without touching it",
            "Never hand the device or its memory card to staff or the host"]),
    ("zh-hans", ["不要触碰、拔掉电源、遮挡或弄坏它", "挂一条毛巾",
                 "不要把设备或它的存储卡交给工作人员或房东"]),
    ("zh-hant", ["不要碰觸、拔掉電源、遮住或破壞它", "掛一條毛巾",
                 "不要把裝置或它的記憶卡交給員工或房東"]),
    ("zh-hk", ["不要觸碰、拔掉電源、遮蓋或破壞它", "掛一條毛巾",
               "不要把裝置或它的記憶卡交給職員或房東"]),
])
def test_never_cover_the_lens_hang_a_towel_or_wait_outside(client, lang, words):
    # Issue 26: taping the lens touches the evidence and warns anyone watching live.
    text = found_text(client, lang)
    for word in words:
        assert word in text, (lang, word)
    for old in ("tape or a sticker", "胶带", "贴纸", "膠帶", "膠紙", "貼紙"):
        assert old not in text, (lang, old)


def test_the_venue_gives_a_written_record_and_the_police_the_number(client):
    text = found_text(client)
    assert "case number" not in text.split("Ask the venue", 1)[1].split("Check the rest")[0]
    assert "The report number comes from the police, not from the venue." in text
    assert "the host may be the person who put it there" in text
    assert "Airbnb has banned indoor cameras since April 2024" in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["never pay", "Never pay a company", "Telegram rarely acts", "Ta-DA"]),
    ("zh-hans", ["绝对不要付钱", "不要付钱给声称能收费删除照片和视频的公司",
                 "Telegram 很少处理举报"]),
    ("zh-hant", ["絕對不要付錢", "不要付錢給聲稱能收費刪除影像的公司", "Telegram 很少處理檢舉"]),
])
def test_sextortion_deletion_companies_and_telegram_are_named(client, lang, words):
    text = found_text(client, lang)
    for word in words:
        assert word in text


def test_services_state_their_limits(client):
    # The takedown places and their corrections (StopNCII's 18+, its partners, 1366
    # since April 2025) moved to the kit's destinations (app/content/takedown/).
    text = found_text(client)
    assert "Not for an emergency happening now: call 110." in text  # Taiwan's 113
    from app.content.found import SERVICES
    for service in SERVICES:
        assert service.limit and service.checked and (service.sources or service.url), service.name


@pytest.mark.parametrize(("lang", "words", "old"), [
    ("en", ["photograph the link, the channel name and the date with a second phone",
            "Never photograph, download or save the images themselves"],
     "photograph the screen"),
    ("zh-hans", ["拍下链接、频道名称和日期", "不要拍摄、下载或保存这些照片和视频本身"], "拍下屏幕"),
    ("zh-hant", ["拍下連結、頻道名稱和日期", "不要拍攝、下載或儲存影像本身"], "拍下螢幕"),
    ("zh-hk", ["拍下連結、頻道名稱和日期", "切勿拍攝、下載或儲存影像本身"], "拍下屏幕"),
])
def test_evidence_online_is_the_link_never_the_images(client, lang, words, old):
    # Issue 26: a photo of the screen copies the images, and where a minor appears,
    # keeping a copy is itself a crime (Taiwan: downloading or storing).
    text = found_text(client, lang)
    for word in words:
        assert word in text, (lang, word)
    assert old not in text


@pytest.mark.parametrize(("lang", "police", "platform"), [
    ("en", "report the posts to the police first", "then to the platform"),
    ("zh-hans", "保存好证据后，先报警", "再向平台举报"),
    ("zh-hant", "保存好證據後，先報案", "再向平台檢舉"),
    ("zh-hk", "保存好證據後，先報警", "再向平台舉報"),
])
def test_online_the_police_come_before_the_platform(client, lang, police, platform):
    # Issue 26: a platform that removes the post first can leave the police nothing to see.
    text = found_text(client, lang)
    assert police in text
    assert platform in text.split(police, 1)[1][:40]  # police first, then the platform
    assert "to the platform and to the police" not in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["In reported cases staff were the ones filming",
            "don’t try to stop anyone yourself: if someone takes it, note who and when",
            "don’t stay another night, and ask the booking platform to move you"]),
    ("zh-hans", ["偷拍的正是场所的员工", "不要自己去阻拦任何人",
                 "别再在那里过夜，请订房平台帮你换个住处"]),
    ("zh-hant", ["就有場所員工自己偷拍的例子", "不要自己去阻止任何人",
                 "不要再多住一晚，請訂房平台幫你換地方住"]),
    ("zh-hk", ["偷拍者正是場所的職員", "不要自己出手阻止任何人",
               "不要再多住一晚，請訂房平台為你安排其他住處"]),
])
def test_staff_may_be_the_filmer_and_she_leaves_a_rental(client, lang, words):
    # Issue 26: in the cited cases staff or hosts filmed; the guide no longer asks
    # the manager to come and see it, and moves her out of the rental.
    text = found_text(client, lang)
    for word in words:
        assert word in text, (lang, word)
    assert "Ask the manager to come and see it" not in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["ask the booking platform about a name like that, not the host"]),
    ("zh-hans", ["要问订房平台，不要问房东"]),
    ("zh-hant", ["要問訂房平台，不要問房東"]),
    ("zh-hk", ["要問訂房平台，不要問房東"]),
])
def test_the_wifi_item_never_sends_her_to_the_host(client, lang, words):
    html = client.get(f"/{lang}/check/hotel-room").get_data(as_text=True)
    text = visible_text(html)
    for word in words:
        assert word in text, (lang, word)
    assert "ask the host what is on the network" not in text


def region_text(client, lang: str, region: str) -> str:
    response = client.get(f"/{lang}/found?region={region}")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Intimate Images Protection Service (British Columbia)", "adults included",
            "Adults in Manitoba"]),
    ("zh-hans", ["不列颠哥伦比亚省", "马尼托巴省", "包括成年人"]),
    ("zh-hant", ["英屬哥倫比亞省", "曼尼托巴省", "包括成年人"]),
    ("zh-hk", ["卑詩省", "曼尼托巴省", "包括成年人"]),
])
def test_canada_has_help_for_adults_too(client, lang, words):
    # Issue 26: "no national service for adults" hid B.C.'s service and Manitoba's.
    text = region_text(client, lang, "ca")
    for word in words:
        assert word in text, (lang, word)
    assert "no national service for adults" not in text
    assert "gov.bc.ca/gov/content/safety/public-safety/intimate-images" in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Ctrip, Meituan, Fliggy or Tujia", "secure the CCTV footage",
            "overwritten within days", "keep the booking confirmation"]),
    ("zh-hans", ["携程、美团、飞猪、途家", "监控录像", "几天内就会被覆盖", "订单记录"]),
    ("zh-hant", ["攜程、美團、飛豬、途家", "監視器畫面", "幾天內就會被覆蓋", "訂房確認信"]),
    ("zh-hk", ["攜程、美團、飛豬、途家", "閉路電視片段", "幾天內就會被覆蓋", "預訂確認"]),
])
def test_the_venue_step_asks_for_cctv_early_and_names_the_platforms_used(client, lang, words):
    text = found_text(client, lang)
    venue = text.split({"en": "Ask the venue for a written record", "zh-hans": "请场所出具书面记录",
                        "zh-hant": "請場所提供書面紀錄", "zh-hk": "請場所提供書面紀錄"}[lang], 1)[1]
    for word in words:
        assert word in venue[:1000], (lang, word)
