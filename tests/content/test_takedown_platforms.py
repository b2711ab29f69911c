"""The takedown kit's platforms and search engines (app/content/takedown/platforms.py).

The places MaskPark-type footage turns up must each be reachable from her phone: a
form to open or an address to write to. The mainland platforms get their letters in
Simplified Chinese, and a platform covered by the US TAKE IT DOWN Act names the rule a
letter cites. Every field of every destination is checked in test_takedown_destinations.
"""

import re

import pytest
from flask_babel import force_locale

from app.content.takedown import BY_KEY, DESTINATIONS
from app.content.takedown.platforms import PLATFORMS
from app.web.i18n import LANGUAGES

# Where she is most likely to find it, and so must be able to send a request to.
REACHABLE = ("telegram", "x", "reddit", "google-search", "bing", "pornhub", "xvideos",
             "xhamster")
MAINLAND = ("weibo", "xiaohongshu", "douyin", "bilibili", "baidu")


@pytest.mark.parametrize("key", REACHABLE)
def test_each_place_she_will_meet_it_has_a_form_or_an_address(key):
    destination = BY_KEY[key]
    assert destination in PLATFORMS
    assert destination.url or destination.email
    if destination.url:
        assert re.fullmatch(r"https?://[^\s/]+\.[a-z]{2,}(/\S*)?", destination.url)
    if destination.email:
        assert re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", destination.email)


def test_telegram_takes_reports_in_the_app_and_at_its_takedown_address():
    telegram = BY_KEY["telegram"]
    assert telegram.email == "abuse@telegram.org"  # telegram.org/faq, checked 2026-12-06
    assert telegram.ignores  # RainLily's Ta-DA: Telegram never acted
    assert telegram.language == "en"


@pytest.mark.parametrize("key", MAINLAND)
def test_the_mainland_platforms_get_their_letters_in_simplified_chinese(key):
    destination = BY_KEY[key]
    assert destination in PLATFORMS
    assert destination.region == "cn"
    assert destination.language == "zh-hans"


def test_the_rest_are_written_to_in_english():
    assert {d.key for d in PLATFORMS if d.language != "en"} == set(MAINLAND)


@pytest.mark.parametrize("destination", [d for d in PLATFORMS if d.take_it_down_act],
                         ids=lambda d: d.key)
def test_every_take_it_down_act_platform_names_the_rule_a_letter_cites(app, destination):
    assert destination.kind == "platform"  # a search engine hosts no uploads: not covered
    assert destination.rule
    for language in LANGUAGES.values():
        with app.test_request_context(), force_locale(language.locale):
            assert str(destination.rule).strip()


def test_the_act_is_claimed_only_where_its_definition_fits():
    covered = {d.key for d in PLATFORMS if d.take_it_down_act}
    assert covered == {"telegram", "x", "reddit", "pornhub", "xvideos", "xhamster"}


# What each states of itself: X's TAKE IT DOWN Act page, 48 hours; Pornhub's 2025 risk
# assessment, removal once the reporter confirms an email address.
STATED = {"x": "48 hours", "pornhub": "confirm your email address"}


def test_only_a_time_the_platform_itself_states_is_given():
    # The others state none; the Act's 48 hours belongs in the letter, not in what a
    # platform is said to promise.
    for destination in PLATFORMS:
        response = str(destination.response)
        if destination.key in STATED:
            assert STATED[destination.key] in response
        else:
            assert response.startswith("None stated."), destination.key


def test_platforms_and_search_engines_are_destinations_with_unique_keys():
    keys = [d.key for d in DESTINATIONS]
    assert len(keys) == len(set(keys))
    assert {d.kind for d in PLATFORMS} == {"platform", "search"}
    assert all(d.checked == "2026-12-06" and d.sources for d in PLATFORMS)


NAMES = {
    "en": ("Telegram", "Google Search", "Weibo (微博)", "Xiaohongshu (小红书)",
           "Baidu Search (百度)"),
    "zh-hans": ("Telegram", "Google 搜索", "微博", "小红书", "百度搜索"),
    "zh-hant": ("Telegram", "Google 搜尋", "微博", "小紅書", "百度搜尋"),
    "zh-hk": ("Telegram", "Google 搜尋", "微博", "小紅書", "百度搜尋"),
}


def test_the_takedown_page_names_them_in_her_language(client, lang):
    response = client.get(f"/{lang}/takedown")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in NAMES[lang]:
        assert name in html, (lang, name)
