"""At home and on her own phone (issue 26): a checklist that is never a kind of place.

The person filming may share her home and her phone, so the page ends with what to do
safely and domestic violence help for her region, and nothing on it, or anywhere else,
lets a report put her home on a map.
"""

import re

import pytest

from app.content.checklists import CHECKLISTS
from app.content.posters import DESTINATIONS
from app.content.regions import DV_HELP, REGIONS
from app.vocab import CHECKLIST_SPACES, PRIVATE_SPACES, SPACES
from helpers import stored_reports, submit, visible_text

HOME = CHECKLISTS["home"]
# Item 1 in each language and the page's honest limit, as a reader sees them.
FIRST_ITEM = {"en": "First: is this phone watched?",
              "zh-hans": "第一步：这部手机被监视了吗？",
              "zh-hant": "第一步：這支手機被監看了嗎？",
              "zh-hk": "第一步：這部手機被監看了嗎？"}
HONEST = {"en": "No check can prove that your home has no camera",
          "zh-hans": "没有哪种检查能证明你家里没有摄像头",
          "zh-hant": "沒有任何檢查能證明你家裡沒有攝影機",
          "zh-hk": "沒有任何檢查能證明你家裏沒有攝錄機"}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def shown_blocks(html: str) -> list[str]:
    """The region help blocks not hidden: what a reader without JavaScript sees."""
    return re.findall(r'<div data-region-block="(\w+)">', html)


def block(html: str, code: str) -> str:
    found = re.search(rf'data-region-block="{code}"[^>]*>(.*?)</div>', html, re.S)
    return visible_text(found[1])


@pytest.mark.parametrize("lang", list(FIRST_ITEM))
def test_the_home_checklist_renders_in_every_language_with_its_limit(client, lang):
    html = page(client, f"/{lang}/check/home")
    items = re.findall(r'<li class="item" id="item-([a-z-]+)">', html)
    assert items == [item.key for item in HOME.quick + HOME.thorough]
    assert items[0] == "safe-phone"
    legend = re.search(r'<legend><span>1\.</span> ([^<]+)',
                       html)
    assert legend[1] == FIRST_ITEM[lang]
    honest = visible_text(re.search(r'<p class="honest">(.*?)</p>', html, re.S)[1])
    assert honest.startswith(HONEST[lang])
    for key in items:  # every item says what it can miss
        note = re.search(rf'id="item-{key}">.*?<details>.*?<p>[^<]+ <span>(.+?)</span></p>',
                         html, re.S)
        assert note and len(note[1].strip()) > 10, (lang, key)


def test_item_one_is_short_enough_for_the_first_screen():
    # The browser test holds item 1 of every checklist in the first screen at 360x740;
    # a long first item would push it down in every language.
    assert len(str(HOME.quick[0].look)) <= 30


def test_the_advice_never_hurries_her_into_removing_or_confronting(client):
    text = visible_text(page(client, "/en/check/home"))
    assert "don’t delete apps, change passwords or stop sharing yet" in text
    assert "make things more dangerous and destroy evidence" in text
    assert "Don’t confront the person" in text
    assert "a friend’s phone, or a computer at a library" in text
    assert "Quick exit" in text and "does not erase this visit" in text


def test_menu_paths_are_the_verified_ones(client):
    text = visible_text(page(client, "/en/check/home"))
    assert "Settings > Privacy & Security > Safety Check > Manage Sharing & Access" in text
    assert "我 > 设置 > 账号与安全 > 登录设备管理" in text
    assert "Settings > Safety & emergency > Unknown tracker alerts" in text
    hant = visible_text(page(client, "/zh-hant/check/home"))
    assert "「設定」>「隱私權與安全性」>「安全檢查」>「管理分享與取用權限」" in hant  # Apple zh-tw
    assert "簡體中文介面的名稱" in hant  # WeChat's menu named as the app names it, and said so


def test_it_is_listed_among_the_spaces_and_offline(client, lang):
    html = page(client, f"/{lang}/check/")
    assert f'href="/{lang}/check/home"' in html
    assert f'href="/{lang}/check/home"' in page(client, f"/{lang}/offline")
    assert f'"/{lang}/check/home"' in page(client, "/sw.js")


def test_the_page_works_without_javascript_and_offers_no_report(client):
    html = page(client, "/en/check/home")
    assert "<form" not in html
    # No report link, not even in the bar for an item marked "found" (the outbox's
    # status address in every page's data attributes is no link).
    assert 'href="/en/report' not in html and "data-found-report" not in html
    assert html.count('class="found-bar"') == 1 and html.count('href="#help"') == 1
    assert 'id="help"' in html and 'id="safety"' in html
    # The region links work without JavaScript; region.js reads the same attributes.
    assert 'href="/en/check/home?region=tw#help" data-pick-region="tw"' in html
    assert "data-emergency " in html and "data-region-aliases=" in html


@pytest.mark.parametrize(("url", "number", "name"), [
    ("/en/check/home?region=tw", "113", "113 Protection Hotline"),
    ("/en/check/home?region=kr", "1366", "Women’s Emergency Call 1366"),
    ("/zh-hk/check/home?region=hk", "2343 2255", "社會福利署熱線"),
    ("/en/check/home?region=jp", "0120-279-889", "DV Soudan Plus"),
    ("/en/check/home?region=uk", "0808 2000 247", "National Domestic Abuse Helpline"),
    ("/zh-hans/check/home?region=cn", "12338", "12338 妇女维权公益服务热线"),
])
def test_a_chosen_region_shows_its_domestic_violence_line(client, url, number, name):
    html = page(client, url)
    [code] = shown_blocks(html)
    assert 'data-region-pick hidden' in html
    text = block(html, code)
    assert number in text and name in text
    assert f'href="tel:{number.replace(" ", "").replace("-", "")}"' in html
    assert REGIONS[code].police in text  # and the police, for danger now


def test_without_a_region_she_is_asked_where_she_is(client):
    # As on the found page: no line is guessed from the language; her language's likely
    # regions are one tap each, and work without JavaScript (?region=xx).
    html = page(client, "/zh-hant/check/home")
    assert shown_blocks(html) == []
    pick = re.search(r'<ul class="region-choices">(.*?)</ul>', html, re.S)[1]
    assert re.findall(r'data-pick-region="(\w+)"', pick) == ["tw", "hk", "mo"]
    assert 'href="/zh-hant/check/home?region=tw#help"' in pick


def test_a_region_with_no_confirmed_line_says_so_rather_than_guess(client):
    html = page(client, "/en/check/home?region=mo")
    text = block(html, "mo")
    assert "could not yet confirm a domestic violence line" in text and "999" in text


def test_every_line_has_a_source_and_a_checked_date():
    assert set(DV_HELP) <= set(REGIONS)
    for code, lines in DV_HELP.items():
        for line in lines:
            assert re.fullmatch(r"#?[0-9][0-9 -]{2,}", line.phone), code
            assert line.source.startswith(("https://", "http://")) and line.checked == "2026-12-06"
            assert str(line.hours)


@pytest.mark.parametrize(("url", "host", "secondary"), [
    ("/en/check/home?region=tw", "udn.com", True),  # a news report of the ministry's line
    ("/zh-hant/check/home?region=sg", "straitstimes.com", True),
    ("/en/check/home?region=kr", "m.easylaw.go.kr", False),  # the government's own page
])
def test_a_line_read_in_a_news_report_says_so(client, url, host, secondary):
    # As on the found page's sources: a reader can weigh a line seen only in the news.
    html = page(client, url)
    [code] = shown_blocks(html)
    label = "（非官方來源）" if "/zh-hant/" in url else "(secondary source)"
    text = block(html, code)
    assert host in text
    assert (label in text) is secondary, text


# -- never a kind of place ------------------------------------------------------------

def test_home_is_a_checklist_space_but_not_a_kind_of_place():
    assert "home" in PRIVATE_SPACES and "home" in CHECKLIST_SPACES
    assert "home" not in SPACES
    assert not HOME.reportable and all(c.reportable for s, c in CHECKLISTS.items() if s != "home")
    assert "check-home" not in DESTINATIONS  # no poster leads to it


def test_the_report_form_and_the_map_never_offer_home(client):
    for url in ("/en/report", "/en/report?space=home", "/en/map?view=list"):
        html = page(client, url)
        assert 'value="home"' not in html, url
    # ("home" there is SpotCheck's front page, a poster's default destination.)
    assert "check-home" not in page(client, "/en/posters/")


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "A report can’t be about a home"),
    ("zh-hans", "举报的地点不能是住宅"),
    ("zh-hant", "通報不能針對住家"),
])
def test_a_report_about_a_home_is_refused_with_a_clear_message(app, client, lang, message):
    response = submit(client, lang=lang, space="home", what="found", description="kept")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#field-space"' in html and message in html
    assert ">kept</textarea>" in html
    assert stored_reports(app) == []


def test_the_map_refuses_a_home_filter(client):
    response = client.get("/en/map?view=list&space=home")
    assert response.status_code == 400
    assert "That filter is not one we offer" in response.get_data(as_text=True)
