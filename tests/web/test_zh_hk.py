"""Hong Kong Chinese: /zh-hk/ pages, its overlay catalog and its negotiation."""

import re

import pytest

from app.web.i18n import LANGUAGES, respell

# Taiwan words a Hong Kong reader would not write (docs/glossary.md); 飯店 even
# means "restaurant" there.
TAIWAN_ONLY = ("飯店", "志工", "行動電源", "網路", "列印", "公釐", "試衣間", "印表機")
PAGES = ("/zh-hk/", "/zh-hk/check/", "/zh-hk/check/fitting-room", "/zh-hk/check/hotel-room",
         "/zh-hk/found", "/zh-hk/offline", "/zh-hk/posters/")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_zh_hk_pages_are_hong_kong_chinese(client, url):
    html = page(client, url)
    assert re.search(r'<html lang="([^"]+)"', html)[1] == "zh-Hant-HK"
    found = [term for term in TAIWAN_ONLY if term in html]
    assert not found, f"{url} uses Taiwan-only words {found}"


def test_zh_hk_uses_hong_kong_terms_where_taiwan_differs(client):
    home = page(client, "/zh-hk/")
    assert "酒店房間" in home and "試身室" in home
    assert "飯店房間" in page(client, "/zh-hant/")  # the same string, Taiwan's way
    hotel = page(client, "/zh-hk/check/hotel-room")
    assert "煙霧探測器" in hotel
    assert "毫米" in page(client, "/zh-hk/posters/")


def test_strings_missing_from_the_overlay_fall_back_to_taiwan_traditional(client):
    home = page(client, "/zh-hk/")
    # Not in the overlay: Taiwan's Traditional text, not English, in Hong Kong's
    # standard forms (裏 for 裡: app/web/i18n.py RESPELLINGS).
    assert "這裏會不會有人偷拍？" in home and "這裡" not in home
    assert "快速離開" in home
    assert "Is someone filming here?" not in home
    assert "這裡會不會有人偷拍？" in page(client, "/zh-hant/")  # Taiwan keeps its own


@pytest.mark.parametrize(("url", "hong_kong", "taiwan"), [
    ("/check/medical-room", "<h1>診症室和檢查室</h1>", "<h1>診間和檢查室</h1>"),
    ("/check/medical-room", "超聲波室", "超音波室"),
    ("/check/restroom", "寫字樓和餐廳的廁格", "辦公大樓和餐廳的廁所隔間"),
    ("/check/restroom", "檢查坐廁後方", "檢查馬桶後方"),
    ("/check/hotel-room", "都是房東決定的", "都是房東決定的"),
    ("/check/hotel-room", "屏幕", "螢幕"),
    ("/offline/report", "重新載入", "重新整理"),  # the update notice: words on the shell
    ("/", "舉報可疑地點", "通報可疑地點"),
    ("/", "瀏覽時間", "造訪時間"),
    ("/posters/", "製作海報", "產生海報"),
    ("/report", "大約 100 米", "大約 100 公尺"),
])
def test_zh_hk_says_it_as_hong_kong_writes_it(client, url, hong_kong, taiwan):
    assert hong_kong in page(client, f"/zh-hk{url}")
    assert taiwan in page(client, f"/zh-hant{url}")


def test_overlay_does_not_leak_into_taiwan_pages(client):
    # Translations are cached per locale; a request in zh-hk first must not
    # change what zh-hant pages say afterwards.
    page(client, "/zh-hk/")
    html = page(client, "/zh-hant/")
    assert "飯店" in html and "酒店" not in html


@pytest.mark.parametrize("header", ["zh-HK", "zh-MO", "yue", "zh-Hant-HK", "yue-Hant-HK",
                                    "zh-HK,zh-TW;q=0.8"])
def test_hong_kong_and_macau_browsers_land_on_zh_hk(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.headers["Location"] == "/zh-hk/"


@pytest.mark.parametrize("header", ["zh-TW", "zh-Hant", "zh-Hant-TW"])
def test_taiwan_browsers_stay_on_zh_hant(client, header):
    assert client.get("/", headers={"Accept-Language": header}).headers["Location"] == "/zh-hant/"


def test_zh_hk_is_in_the_menu_and_the_alternate_links(client):
    html = page(client, "/en/found")
    assert '<a href="/zh-hk/found" lang="zh-Hant-HK">' in html
    assert re.search(r'<link rel="alternate" hreflang="zh-Hant-HK" href="[^"]*/zh-hk/found">', html)


def test_zh_hk_is_precached_and_has_a_manifest(client):
    worker = page(client, "/sw.js")
    assert '"zh-hk"' in worker and '"/zh-hk/found"' in worker
    manifest = client.get("/zh-hk/manifest.webmanifest").get_json()
    assert manifest["start_url"].startswith("/zh-hk/")
    assert "酒店房間" in manifest["description"]


def test_unknown_hong_kong_spellings_are_404(client):
    assert client.get("/zh-HK/").status_code == 404
    assert client.get("/zh_hk/").status_code == 404


def test_zh_hk_language_entry():
    language = LANGUAGES["zh-hk"]
    assert (language.locale, language.html_lang, language.base) == (
        "zh_Hant_HK", "zh-Hant-HK", "zh_Hant")


def test_respellings_change_words_not_characters_inside_other_words():
    # 送出 (submit) becomes 提交, but 傳送出去 (send it out) is not 傳 + 提交 + 去.
    assert respell("zh_Hant_HK", "按送出") == "按提交"
    assert respell("zh_Hant_HK", "把相片傳送出去") == "把相片傳送出去"
    assert respell("zh_Hant", "按送出") == "按送出"  # Taiwan keeps its own
