"""Language negotiation, language URLs and the language menu."""

import re

import pytest

from app.web.i18n import LANGUAGES, language_for_tag, negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-Hans-CN", "zh-hans"),
        ("zh-Hans-HK", "zh-hans"),  # script beats region
        ("zh", "zh-hans"),
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hk"),
        ("zh-MO", "zh-hk"),
        ("zh-Hant-TW", "zh-hant"),
        ("zh-Hant", "zh-hant"),
        ("zh-hant-hk", "zh-hk"),  # case does not matter
        ("zh_TW", "zh-hant"),  # nor underscores
        ("yue-HK", "zh-hk"),  # Cantonese readers read Traditional
        ("zh-TW,zh;q=0.9,en;q=0.8", "zh-hant"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,zh-HK;q=0.5,en;q=0.3", "zh-hk"),  # first one we have wins
        ("de-DE,en;q=0.1", "en"),
        ("en;q=0.2,zh-TW;q=0.9", "zh-hant"),  # quality, not order
        ("zh-TW;q=0,en", "en"),  # q=0 means "not this"
        ("en-GB", "en"),
        ("fr-FR", None),
        ("", None),
        ("*", None),
        ("x-klingon;;;,=,", None),
    ],
)
def test_negotiate(header, expected):
    assert negotiate(header, default="<default>") == (expected or "<default>")


def test_language_for_tag_rejects_garbage():
    assert language_for_tag("123") is None
    assert language_for_tag("") is None


@pytest.mark.parametrize(
    ("header", "target"),
    [("zh-TW", "/zh-hant/"), ("zh-CN", "/zh-hans/"), ("en-AU", "/en/"), ("fr", "/en/")],
)
def test_root_redirects_by_accept_language(client, header, target):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 302
    assert response.headers["Location"] == target
    assert "Accept-Language" in response.headers["Vary"]


def test_root_uses_configured_default(instance):
    from app import create_app

    app = create_app({"TESTING": True, "DEFAULT_LANGUAGE": "zh-hans"})
    response = app.test_client().get("/", headers={"Accept-Language": "sv"})
    assert response.headers["Location"] == "/zh-hans/"


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html)[1]


def test_each_language_page_is_in_its_language(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert html_lang(html) == LANGUAGES[lang].html_lang
    heading = re.search(r"<h1>(.*?)</h1>", html)[1]
    expected = {
        "en": "Is someone filming here?",
        "zh-hans": "这里会不会有人偷拍？",
        "zh-hant": "這裡會不會有人偷拍？",
        "zh-hk": "這裏會不會有人偷拍？",
    }
    assert heading == expected[lang]


def test_zh_tw_lands_on_traditional_chinese(client):
    """The issue's acceptance check, through the app as a whole."""
    location = client.get("/", headers={"Accept-Language": "zh-TW"}).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert 'lang="zh-Hant"' in html
    assert "快速離開" in html and "快速离开" not in html


def test_unknown_language_prefix_is_404(client):
    assert client.get("/fr/").status_code == 404


def test_language_menu_keeps_the_visitor_on_the_same_page(client):
    html = client.get("/zh-hans/check/?from=poster").get_data(as_text=True)
    menu = re.search(r'<nav class="language-menu".*?</nav>', html, re.S)[0]
    links = dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', menu))
    assert links == {
        "/en/check/?from=poster": "en",
        "/zh-hans/check/?from=poster": "zh-Hans",
        "/zh-hant/check/?from=poster": "zh-Hant",
        "/zh-hk/check/?from=poster": "zh-Hant-HK",
    }
    assert re.search(r'lang="zh-Hans" aria-current="true"', menu)


def test_language_menu_on_error_page_points_home(client):
    html = client.get("/zh-hant/no-such-page").get_data(as_text=True)
    assert 'href="/en/" lang="en"' in html


def test_404_without_language_follows_the_browser(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    assert html_lang(response.get_data(as_text=True)) == "zh-Hans"


def test_alternate_links_use_the_configured_address_not_the_host_header(client, app):
    app.config["PUBLIC_BASE_URL"] = "https://spotcheck.example"
    html = client.get("/en/found", headers={"Host": "evil.example"}).get_data(as_text=True)
    expected = "https://spotcheck.example/zh-hant/found"
    assert f'<link rel="alternate" hreflang="zh-Hant" href="{expected}">' in html
    assert "evil.example" not in html
