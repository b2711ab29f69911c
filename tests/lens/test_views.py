"""The lens finder's page (issue 18): the server's half. The camera and the glint
marks are tested in Chromium with a fake camera (test_lens_browser.py)."""

import re

import pytest

from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES
from helpers import ROOT, visible_text


def test_the_camera_is_allowed_on_the_lens_page_and_nowhere_else(client):
    lens = client.get("/en/lens")
    assert lens.status_code == 200
    assert "camera=(self)" in lens.headers["Permissions-Policy"]
    # The browser itself refuses any request from the page: no frame can leave it.
    assert "connect-src 'none'" in lens.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in lens.headers and "public" in lens.headers["Cache-Control"]
    for other in ("/en/", "/en/check/hotel-room", "/en/found", "/en/report"):
        response = client.get(other)
        assert "camera=()" in response.headers["Permissions-Policy"], other
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"], other


def test_the_headers_hold_on_every_request_not_only_the_first(client):
    # A page served from memory (web/pagecache.py) would skip the view and its headers.
    for _ in range(3):
        response = client.get("/zh-hant/lens")
        assert "camera=(self)" in response.headers["Permissions-Policy"]
        assert "connect-src 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "Lens finder"), ("zh-hans", "镜头探测"), ("zh-hant", "鏡頭偵測"), ("zh-hk", "鏡頭偵測"),
])
def test_the_page_in_every_language_with_the_manual_method(client, lang, title):
    html = client.get(f"/{lang}/lens").get_data(as_text=True)
    assert f'<html lang="{LANGUAGES[lang].html_lang}">' in html
    assert f"<h1>{title}</h1>" in html
    # Without JavaScript only the manual method shows, with its drawings.
    assert re.search(r'<section class="lens" data-lens hidden', html)
    manual = html.split("data-lens-manual", 1)[1]
    assert "#torch-sweep" in manual and "#red-film" in manual
    assert '<script type="module" src="/static/js/lens.js?v=' in html


def test_honest_words_a_ring_is_never_a_verdict(client):
    text = visible_text(client.get("/en/lens").get_data(as_text=True))
    assert "never “camera found”" in text and "No ring never means the room is safe" in text
    assert "46%" in text and "88.9%" in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["That app used a depth (time-of-flight) sensor most phones lack",
            "this page is not that app, only a simpler aid"]),
    ("zh-hans", ["大多数手机没有的深度传感器", "本页不是那款 App，只是一个更简单的辅助工具"]),
    ("zh-hant", ["大多數手機沒有的深度感測器", "本頁不是那款 App，只是比較簡單的輔助工具"]),
    ("zh-hk", ["大部分手機沒有的深度感應器", "本頁並不是那款 App，只是較簡單的輔助工具"]),
])
def test_the_research_apps_figure_is_not_this_pages(client, lang, words):
    # Issue 26: 88.9% beside our own finder reads as its rate. The same sentence must
    # say that app had a depth sensor and that this page is a simpler aid.
    text = visible_text(client.get(f"/{lang}/lens").get_data(as_text=True))
    rest = text.split("88.9%", 1)[1][:200]  # right next to the figure
    for word in words:
        assert word in rest, (lang, word)


def test_the_lens_page_is_linked_from_home_the_found_page_and_the_torch_items(client):
    for url in ("/en/", "/en/found"):
        assert 'href="/en/lens"' in client.get(url).get_data(as_text=True), url
    for space, checklist in CHECKLISTS.items():
        html = client.get(f"/en/check/{space}").get_data(as_text=True)
        for item in checklist.quick + checklist.thorough:
            block = re.search(rf'id="item-{item.key}">.*?</li>', html, re.S)[0]
            assert ('href="/en/lens"' in block) == item.lens, (space, item.key)
    assert CHECKLISTS["hotel-room"].thorough  # the torch sweep is in the thorough check
    assert any(i.key == "torch" and i.lens for i in CHECKLISTS["hotel-room"].thorough)


def test_the_lens_page_and_its_scripts_are_precached(client):
    sw = client.get("/sw.js").get_data(as_text=True)
    for lang in LANGUAGES:
        assert f'"/{lang}/lens"' in sw
    assert "/static/js/lens.js?v=" in sw and "/static/js/lens-worker.js?v=" in sw


FLASH = {"en": "turn the flash on", "zh-hans": "打开闪光灯", "zh-hant": "打開閃光燈",
         "zh-hk": "開啟閃光燈"}
FLASH_TOO = {"en": "camera and its flash", "zh-hans": "手机摄像头和闪光灯",
             "zh-hant": "手機相機和閃光燈", "zh-hk": "手機相機和閃光燈"}


@pytest.mark.parametrize("lang", list(FLASH))
def test_the_red_film_goes_over_the_flash_too_and_the_flash_is_on(client, lang):
    # Issue 26: every police version covers camera and flash and turns the flash on;
    # red film with no light finds nothing and reassures her wrongly.
    html = client.get(f"/{lang}/lens").get_data(as_text=True)
    manual = visible_text(html.split("data-lens-manual", 1)[1])
    assert FLASH[lang] in manual and FLASH_TOO[lang] in manual


@pytest.mark.parametrize("lang", list(FLASH))
def test_the_torch_items_red_film_has_the_flash_on(client, lang):
    flash_on = {"en": "turn the flash on", "zh-hk": "打開閃光燈"}.get(lang, FLASH[lang])
    checked = 0
    for space, checklist in CHECKLISTS.items():
        if not any(item.key == "torch" for item in checklist.quick + checklist.thorough):
            continue
        html = client.get(f"/{lang}/check/{space}").get_data(as_text=True)
        block = visible_text(re.search(r'id="item-torch">.*?</li>', html, re.S)[0])
        assert "Korean police" in block or "韩国警方" in block or "韓國警方" in block
        assert flash_on in block, (lang, space)
        checked += 1
    assert checked


# Issue 26: infrared mode turns the screen to face the room. Where it starts, the page
# says how to see the screen anyway (a video watched back, or a mirror), that an LED may
# glow purple-white, and that 940 nm LEDs may not show, so seeing nothing proves nothing.
INFRARED = {
    "en": ["Infrared mode: the screen faces the room", "purple-white glow",
           "Record a short video with the front camera", "watch it back",
           "see its screen in a mirror", "940 nm", "Seeing nothing proves nothing",
           "back cameras", "filter infrared out"],
    "zh-hans": ["红外模式：屏幕朝向房间", "紫白色的光", "用前置摄像头录一段短视频", "再回放来看",
                "从镜子里看屏幕", "940 纳米", "什么都没看到，并不能证明什么",
                "后置摄像头会滤掉红外线"],
    "zh-hant": ["紅外線模式：螢幕朝向房間", "紫白色的光", "切到前置相機錄一段短影片",
                "錄完再播放來看",
                "從鏡子裡看螢幕", "940 奈米", "什麼都沒看到，並不能證明什麼",
                "後置相機會濾掉紅外線"],
    "zh-hk": ["紅外線模式：屏幕朝向房間", "紫白色的光", "用前置相機拍一段短片", "再回放來看",
              "從鏡子裏看屏幕", "940 納米", "甚麼都看不到，並不能證明甚麼",
              "後置相機會濾走紅外線"],
}


@pytest.mark.parametrize("lang", list(INFRARED))
def test_infrared_mode_says_how_she_sees_the_screen(client, lang):
    html = client.get(f"/{lang}/lens").get_data(as_text=True)
    # In the camera's section, with the button that starts infrared mode.
    section = html.split("data-lens-manual", 1)[0].split("<section class=\"lens\"", 1)[1]
    assert "data-lens-ir " in section
    text = visible_text(section)
    for words in INFRARED[lang]:
        assert words in text, (lang, words)
    # The button starts unpressed, and points to the explanation.
    button = re.search(r"<button[^>]*data-lens-ir [^>]*>", section)[0]
    assert 'aria-pressed="false"' in button and 'aria-describedby="lens-ir-title"' in button
    assert 'id="lens-ir-title"' in section


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["camera and its flash", "flash on"]), ("zh-hans", ["手机摄像头和闪光灯", "闪光灯开着"]),
    ("zh-hant", ["手機相機和閃光燈", "閃光燈開著"]), ("zh-hk", ["手機相機和閃光燈", "閃光燈開著"]),
])
def test_the_red_film_drawing_says_the_film_covers_the_flash_and_it_is_on(client, lang, words):
    html = client.get(f"/{lang}/lens").get_data(as_text=True)
    label = re.search(r'aria-label="([^"]*)">\s*<use href="[^"]*#red-film"', html)[1]
    for word in words:
        assert word in label, (lang, label)


def test_the_red_film_drawing_covers_the_camera_and_the_flash():
    # Two round things on the phone's back (its camera and its flash), both under the film.
    sprite = (ROOT / "static" / "drawings.svg").read_text()
    symbol = re.search(r'<symbol id="red-film".*?</symbol>', sprite, re.S)[0]
    film = re.search(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"'
                     r'[^>]*fill="#c62828"', symbol)
    x, y, width, height = map(float, film.groups())
    circles = [tuple(map(float, c)) for c in re.findall(
        r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', symbol)]
    assert len(circles) == 2, circles
    for cx, cy, r in circles:
        assert x <= cx - r and cx + r <= x + width and y <= cy - r and cy + r <= y + height
