"""Checklists and the found-something guide, as the server renders them."""

import re

import pytest

from app.content.checklists import CHECKLISTS
from app.content.found import SERVICES
from app.content.regions import REGIONS
from app.vocab import DEVICES
from app.web.i18n import LANGUAGES
from helpers import ROOT, untranslated_words, visible_text

SPACES = list(CHECKLISTS)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("space", SPACES)
def test_every_checklist_renders_in_every_language(client, lang, space):
    html = page(client, f"/{lang}/check/{space}")
    assert f'<html lang="{LANGUAGES[lang].html_lang}">' in html
    with client.application.test_request_context(f"/{lang}/"):
        from flask_babel import refresh

        refresh()
        assert f"<h1>{CHECKLISTS[space].name}</h1>" in html


@pytest.mark.parametrize("url", [f"check/{s}" for s in SPACES] + [
    "check/", "found", "", "report", "map", "map?view=list", "map?view=pick", "posters/", "lens"])
@pytest.mark.parametrize("lang_code", ["zh-hans", "zh-hant", "zh-hk"])
def test_chinese_pages_have_no_untranslated_english(client, lang_code, url):
    text = visible_text(page(client, f"/{lang_code}/{url}"))
    assert untranslated_words(text) == set()


def test_the_english_check_would_notice_english(client):
    text = visible_text(page(client, "/en/check/restroom"))
    assert {"Small", "holes", "partitions"} <= untranslated_words(text)


def test_simplified_and_traditional_pages_differ(client):
    hans = visible_text(page(client, "/zh-hans/check/hotel-room"))
    hant = visible_text(page(client, "/zh-hant/check/hotel-room"))
    assert "酒店" in hans and "摄像头" in hans
    assert "飯店" in hant and "鏡頭" in hant
    assert "摄像头" not in hant and "鏡頭" not in hans


@pytest.mark.parametrize("space", SPACES)
def test_items_have_what_how_why_and_three_marks(client, space):
    checklist = CHECKLISTS[space]
    assert 5 <= len(checklist.quick) <= 8
    keys = [item.key for item in checklist.quick + checklist.thorough]
    assert len(keys) == len(set(keys)), "item keys must be unique within a checklist"
    html = page(client, f"/en/check/{space}")
    items = re.findall(r'<li class="item" id="item-([a-z-]+)">(.*?)</li>', html, re.S)
    assert [key for key, _ in items] == keys
    for key, body in items:
        assert re.search(r"</legend><div>(<svg[^>]*>.*?</svg>)?<p>", body, re.S), key  # how
        assert re.search(r"<details>\s*<summary>.+?</summary>\s*<p>.+?</p>", body, re.S)
        marks = re.findall(rf'<input type="radio" name="{key}" value="(\w+)">', body)
        assert marks == ["clear", "unsure", "found"]


def test_hotel_room_has_a_thorough_check_and_small_spaces_do_not(client):
    assert len(CHECKLISTS["hotel-room"].thorough) >= 6
    html = page(client, "/en/check/hotel-room")
    assert "Thorough check" in html
    # No time on a list's heading: "about 2 minutes" read as a promise of a whole check.
    assert "about 2 minutes" not in html and "about 10 minutes" not in html
    assert 'start="9"' in html
    for space in ("restroom", "fitting-room", "transport"):
        assert "Thorough check" not in page(client, f"/en/check/{space}")


def test_methods_say_what_they_cannot_do(client):
    text = visible_text(page(client, "/en/check/hotel-room"))
    assert "the glint depends on the angle and the distance" in text
    assert "This page cannot scan the network for you" in text
    assert "not reliable" in text  # infrared
    assert "The fingernail test is unreliable" in text
    assert "No check can rule out a camera" in text


def test_no_form_so_marks_can_never_be_submitted(client):
    for space in SPACES:
        html = page(client, f"/en/check/{space}")
        assert "<form" not in html
        assert 'data-checklist="' + space + '"' in html


def test_found_links_lead_to_the_guide_and_a_prefilled_report(client, lang):
    html = page(client, f"/{lang}/check/restroom")
    # One found bar for the list: its report names the space; checklist.js adds the
    # device of the item she marked Found, which each item carries.
    assert html.count('class="found-bar"') == 1
    assert f'href="/{lang}/report?space=restroom" data-found-report' in html
    assert '<fieldset data-device="hook">' in html
    assert html.count(f'href="/{lang}/found"') == 2  # the bar, and the steps after the list


def test_drawings_come_from_the_sprite_beside_their_items(client):
    sprite = (ROOT / "static" / "drawings.svg").read_text()
    for device in DEVICES:
        assert f'<symbol id="{device}"' in sprite
    html = page(client, "/en/check/hotel-room")
    used = set(re.findall(r'<use href="/static/drawings\.svg\?v=[0-9a-f]{12}#([a-z-]+)">', html))
    assert used == {
        "smoke-detector",
        "usb-charger",
        "clock",
        "mirror",
        "socket",
        "vent",
        "screw",
        "hook",
    }
    assert 'aria-label="Drawing: Smoke detector"' in html


def test_unknown_space_is_404_in_language(client):
    response = client.get("/zh-hant/check/kitchen")
    assert response.status_code == 404
    assert "找不到這個頁面" in response.get_data(as_text=True)


def test_checklist_revalidates_with_etag(client):
    first = client.get("/zh-hans/check/fitting-room")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(
        "/zh-hans/check/fitting-room", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    changed = client.get("/zh-hans/check/fitting-room", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200


def test_spaces_page_lists_all_six(client, lang):
    html = page(client, f"/{lang}/check/")
    hrefs = re.findall(r'<a class="action" href="/[a-z-]+/check/([a-z-]+)">', html)
    assert hrefs == SPACES


def test_found_page_has_every_police_number(client, lang):
    html = page(client, f"/{lang}/found")
    for region in REGIONS.values():
        if region.police:  # "elsewhere" has no one number
            assert f'<a href="tel:{region.police}">{region.police}</a>' in html
    assert {"en": "It is not your fault", "zh-hans": "这不是你的错", "zh-hant": "這不是你的錯",
            "zh-hk": "這不是你的錯"}[
        lang
    ] in html


def test_found_page_steps_are_in_the_order_support_sites_use(client):
    main = re.search(r"<main.*?</main>", page(client, "/en/found"), re.S)[0]
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", main)
    assert headings[:7] == [
        "Are you safe right now?",
        "Don’t touch it",
        "Photograph it, wide and then close",
        "Call the police",
        "Ask the venue for a written record",
        "Check the rest of the room",
        "If images of you are online",
    ]


def services_in_order(html: str) -> list[str]:
    return re.findall(r'<li class="service" data-region="[a-z*]+">\s*<h3>(.*?)</h3>', html)


@pytest.mark.parametrize(
    ("url", "first_service", "police"),
    [
        # Without a chosen region no single number is shown (tests/content/test_regions.py).
        # (The takedown places are the kit's now: tests/takedown.)
        ("/zh-hans/found", "113 保护专线", None),  # none of its own for cn, hk or mo
        ("/zh-hant/found", "113 保護專線", None),
        ("/en/found", "SHECARES@SCWO", None),  # English: Hong Kong first, then Singapore
        ("/en/found?region=hk", "113 protection hotline", "999"),  # the rest, unfolded
        ("/zh-hans/found?region=tw", "113 保护专线", "110"),
        ("/en/found?region=nowhere", "SHECARES@SCWO", None),
    ],
)
def test_help_for_the_likely_region_comes_first(client, url, first_service, police):
    html = page(client, url)
    assert services_in_order(html)[0] == first_service
    shown = re.findall(r'data-region-block="\w+">\s*'
                       r'<p><a class="button button-urgent call" href="tel:(\w+)">', html, re.S)
    assert shown == ([police] if police else [])
    assert len(services_in_order(html)) == len(SERVICES)


def test_takedown_services_have_their_links_and_numbers(client):
    html = page(client, "/en/found")
    for service in SERVICES:
        if service.url:
            assert f'href="{service.url}" rel="noreferrer"' in html
        if service.phone:
            dialled = service.phone.replace(" ", "").replace("-", "").replace("#", "%23")
            assert f'href="tel:{dialled}">{service.phone}</a>' in html



@pytest.mark.parametrize(("lang", "nothing_seen"), [
    ("en", "Nothing seen"), ("zh-hans", "没发现"), ("zh-hant", "沒發現"), ("zh-hk", "沒發現"),
])
def test_the_first_mark_says_nothing_seen_never_clear(client, lang, nothing_seen):
    # Issue 26: "Clear" promised what the page's own honest box says no check can prove.
    html = page(client, f"/{lang}/check/restroom")
    labels = re.findall(r'<label><input type="radio" name="[^"]*" value="clear"> ([^<]+)</label>',
                        html)
    assert labels and set(labels) == {nothing_seen}
    for promise in ("> Clear<", "没问题", "沒問題"):
        assert promise not in html, (lang, promise)


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant", "zh_Hant_HK"])
def test_no_poster_promises_a_check_takes_two_minutes(app, locale):
    # Issue 26: a time on the poster reads as "two minutes and the room is done".
    from flask_babel import force_locale

    from app.content.posters import HEADLINES
    with app.test_request_context(), force_locale(locale):
        for headline in HEADLINES.values():
            for text in (str(headline.text), str(headline.short)):
                assert not re.search(r"\d\s*(minute|分钟|分鐘)", text), (locale, text)
