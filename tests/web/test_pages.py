"""The home page, placeholders and error pages, in every language."""

import re

import pytest

from app import create_app

HOME_ACTIONS = {
    "en": ["Check a space", "I found something", "Report a place"],
    "zh-hans": ["开始检查", "我发现了可疑的东西", "举报可疑地点"],
    "zh-hant": ["開始檢查", "我發現了可疑的東西", "通報可疑地點"],
    "zh-hk": ["開始檢查", "我發現了可疑的東西", "舉報可疑地點"],
}


def test_home_has_three_big_actions(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    actions = re.findall(
        r'<a class="action[^"]*" href="([^"]+)">\s*<span class="action-title">'
        r"([^<]+)</span>",
        html,
    )
    assert actions == [
        (f"/{lang}/check/", HOME_ACTIONS[lang][0]),
        (f"/{lang}/found", HOME_ACTIONS[lang][1]),
        (f"/{lang}/report", HOME_ACTIONS[lang][2]),
    ]
    for href, _title in actions:
        assert client.get(href).status_code == 200


def test_layout_has_header_quick_exit_language_menu_and_footer(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert re.search(r'<a class="site-name" href="/' + lang + '/">SpotCheck</a>', html)
    assert re.search(
        r'<a class="quick-exit" href="https://[^"]+" rel="noreferrer" '
        r"data-quick-exit>",
        html,
    )
    assert '<nav class="language-menu"' in html
    assert '<footer class="site-footer">' in html
    assert 'href="#main"' in html and '<main id="main"' in html


ERROR_TITLES = {
    404: {
        "en": "We can’t find that page",
        "zh-hans": "找不到这个页面",
        "zh-hant": "找不到這個頁面",
        "zh-hk": "找不到這個頁面",
    },
    405: {
        "en": "That doesn’t work here",
        "zh-hans": "这里不能这样操作",
        "zh-hant": "這裡不能這樣操作",
        "zh-hk": "這裏不能這樣操作",
    },
    413: {
        "en": "That was too large to send",
        "zh-hans": "内容太大，无法发送",
        "zh-hant": "內容太大，無法送出",
        "zh-hk": "內容太大，無法提交",
    },
    500: {
        "en": "Something went wrong on our side",
        "zh-hans": "我们这边出了问题",
        "zh-hant": "我們這邊出了問題",
        "zh-hk": "我們這邊出了問題",
    },
}


def h1(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True))[1]


def test_404_in_the_visitors_language(client, lang):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    assert h1(response) == ERROR_TITLES[404][lang]
    assert response.headers["Cache-Control"] == "no-store"


def test_405_in_the_visitors_language(client, lang):
    response = client.post(f"/{lang}/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert h1(response) == ERROR_TITLES[405][lang]


def test_413_for_any_oversized_body(client, lang):
    body = b"x" * (12 * 1024 * 1024 + 1)
    response = client.post(
        f"/{lang}/report", data=body, headers={"Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 413
    assert h1(response) == ERROR_TITLES[413][lang]


@pytest.fixture
def crashing_app(instance):
    app = create_app({"TESTING": False})

    @app.get("/<lang:lang>/crash")
    def crash():
        raise RuntimeError("boom")

    return app


def test_500_in_the_visitors_language_without_details(crashing_app, lang, caplog):
    response = crashing_app.test_client().get(f"/{lang}/crash")
    assert response.status_code == 500
    assert h1(response) == ERROR_TITLES[500][lang]
    assert "boom" not in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert "RuntimeError: boom" in caplog.text  # logged for us, not shown to her


def test_favicon_is_served(client):
    # Browsers ask for /favicon.ico whatever the page links; a 404 there looked broken.
    from io import BytesIO

    from PIL import Image

    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    with Image.open(BytesIO(response.get_data())) as icon:
        assert icon.format == "ICO" and icon.size[0] >= 16
