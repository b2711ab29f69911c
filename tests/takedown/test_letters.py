"""The takedown kit's letters, as the server renders them (app/takedown/letters.py):
each letter language's text for the phone to fill in, and the blank letters a
reader without JavaScript copies by hand."""

import html
import json
import re

import pytest
from flask_babel import force_locale

from app.takedown import letters
from app.web.i18n import LANGUAGES

# A word of each letter language's "ask" paragraph that no other language has.
ASK = {"en": "filmed in secret", "zh-hans": "偷拍的", "zh-hant": "被偷拍，且",
       "zh-hk": "被偷拍，且"}
HELLO = {"en": "Hello,", "zh-hans": "您好：", "zh-hant": "您好：", "zh-hk": "您好："}
# Each letter's language as her page names it.
NAMES = {"en": {"en": "English", "zh-hans": "Simplified Chinese", "zh-hant": "Traditional Chinese"},
         "zh-hans": {"en": "英文", "zh-hans": "简体中文", "zh-hant": "繁体中文"},
         "zh-hant": {"en": "英文", "zh-hans": "簡體中文", "zh-hant": "繁體中文"},
         "zh-hk": {"en": "英文", "zh-hans": "簡體中文", "zh-hant": "繁體中文",
                   "zh-hk": "繁體中文（香港）"}}
SIMPLIFIED_ONLY = re.compile("[这们删发后为说]")
TRADITIONAL_ONLY = re.compile("[這們刪發後為說]")


def option(page: str, key: str) -> str:
    match = re.search(rf'<option value="{key}"[^>]*>', page)
    assert match, key
    return match.group(0)


def letters_of(client, lang: str) -> dict:
    """The letters' text as takedown.js fetches it: the URL the page names."""
    url = html.unescape(re.search(r'data-letters="([^"]+)"', page_of(client, lang))[1])
    assert url == f"/{lang}/takedown/letters.json"
    with client.get(url) as response:
        assert response.status_code == 200 and response.mimetype == "application/json"
        return response.get_json()


def page_of(client, lang: str) -> str:
    with client.get(f"/{lang}/takedown") as response:
        assert response.status_code == 200
        return response.get_data(as_text=True)


@pytest.mark.usefixtures("letter_destinations")
def test_each_letter_in_the_destination_language_and_hers(client, lang):
    parts = letters_of(client, lang)["parts"]
    # The destinations' languages, then hers when it is none of them.
    assert list(parts) == ["en", "zh-hans", "zh-hant"] + (["zh-hk"] if lang == "zh-hk" else [])
    for code, text in parts.items():
        assert text["hello"] == HELLO[code]
        assert ASK[code] in text["ask"], (code, text["ask"])
        assert text["line"].count("{link}") == 1 and "{date}" in text["line"]
        assert "{rule}" in text["rule"] and "{law}" in text["law"] and "{region}" in text["law"]
        assert "48" in text["act"] and "TAKE IT DOWN" in text["act"]
        assert text["language"] == NAMES[lang][code]
        whole = "".join(v for k, v in text.items() if k not in ("language", "html_lang"))
        if code == "zh-hans":
            assert SIMPLIFIED_ONLY.search(whole) and not TRADITIONAL_ONLY.search(whole)
        elif code != "en":
            assert TRADITIONAL_ONLY.search(whole) and not SIMPLIFIED_ONLY.search(whole)
        else:
            assert not re.search(r"[\u4e00-\u9fff]", whole)
    # Hong Kong's letter reads Hong Kong's words, not Taiwan's.
    if lang == "zh-hk":
        assert "散佈" in parts["zh-hk"]["ask"] and "散布" in parts["zh-hant"]["ask"]


@pytest.mark.usefixtures("letter_destinations")
def test_each_region_law_in_every_letter_language(client, lang):
    data = letters_of(client, lang)
    laws = data["laws"]
    assert laws["hk"]["en"][0] == "Hong Kong" and "Crimes Ordinance" in laws["hk"]["en"][1]
    assert laws["hk"]["zh-hans"][0] == "中国香港" and "刑事罪行条例" in laws["hk"]["zh-hans"][1]
    assert "刑事罪行條例" in laws["hk"]["zh-hant"][1]
    assert set(laws["tw"]) == set(data["parts"])


@pytest.mark.usefixtures("letter_destinations")
def test_the_act_only_for_platforms_it_covers(client, lang):
    page = letters_of(client, lang)["writer"]  # the writer's form, as takedown.js puts it in
    assert " data-act" in option(page, "x")
    for key in ("telegram", "weibo", "tw-siarc"):
        assert "data-act" not in option(page, key)
    # Each destination's rule in its own language and in hers; its address or form.
    telegram = option(page, "telegram")
    assert 'data-lang="en"' in telegram and 'data-email="abuse@telegram.org"' in telegram
    rules = letters_of(client, lang)["rules"]
    assert set(rules["weibo"]) == {"zh-hans", lang}
    assert rules["weibo"]["zh-hans"] == "《微博社区公约》"
    assert 'data-lang="zh-hant"' in option(page, "tw-siarc")


def test_the_letters_text_is_one_file_the_same_for_everyone(app, client):
    """Out of the page (which stays within 14 KB), kept like a page: no cookie, cached
    publicly, and nothing in the request changes it."""
    from app.web.pagecache import kept_paths

    with client.get("/zh-hk/takedown/letters.json") as response:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert response.cache_control.public and response.cache_control.max_age
        assert response.headers["ETag"]
        body = response.get_data()
    assert "/zh-hk/takedown/letters.json" in kept_paths(app)
    assert "散佈".encode() in body  # characters as they are, not \\u escapes
    with client.get("/zh-hk/takedown/letters.json?region=tw",
                    headers={"Accept-Language": "en"}) as other:
        assert other.get_data() == body
    # The page itself holds none of it: the writer's form and text come with it.
    page = page_of(client, "zh-hk")
    assert "data-parts" not in page and "data-laws" not in page and "data-rule" not in page
    assert 'id="td-to"' not in page and 'id="td-to"' in json.loads(body)["writer"]
    # The same for everyone: not her region's law chosen in it, even with ?region=.
    with client.get("/zh-hk/takedown?region=tw") as chosen:
        assert "data-td-writer" in chosen.get_data(as_text=True)
    assert " selected" not in json.loads(body)["writer"]


@pytest.mark.usefixtures("letter_destinations")
def test_without_javascript_each_letter_has_blanks(client):
    # One link away from the kit's letter writer (the page stays within 14 KB).
    kit = page_of(client, "zh-hant")
    notice = re.search(r'<p class="notice" data-td-nojs>.*?</p>', kit, re.S)[0]
    assert 'href="/zh-hant/takedown/letters"' in notice
    with client.get("/zh-hant/takedown/letters") as response:
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
        page = response.get_data(as_text=True)
    blanks = re.findall(r'<pre class="td-letter-text">(.*?)</pre>', page, re.S)
    assert len(blanks) == 3  # English, Simplified, Traditional: hers is among them
    english, simplified, traditional = (html.unescape(b) for b in blanks)
    assert "[link] (found on [the day you found it])" in english
    assert "[Only to a platform the TAKE IT DOWN Act covers:]" in english
    assert "[链接]（发现日期：[你发现它的日期]）" in simplified
    assert "[連結]（發現日期：[你發現它的日期]）" in traditional
    for letter in (english, simplified, traditional):
        assert "{" not in letter  # every placeholder has its blank


def test_blank_letter_leaves_no_placeholder_in_any_language(app):
    with app.test_request_context():
        for language in LANGUAGES.values():
            with force_locale(language.locale):
                letter = letters.blank_letter(letters._parts(), letters._blanks())
            assert "{" not in letter and "}" not in letter, language.code


def test_letter_languages_puts_hers_last_once():
    class D:
        def __init__(self, language):
            self.language = language

    found = [D("en"), D("zh-hans"), D("en")]
    assert letters.letter_languages(found, "zh-hk") == ["en", "zh-hans", "zh-hk"]
    assert letters.letter_languages(found, "en") == ["en", "zh-hans"]


def test_the_kit_is_kept_offline_only_on_her_asking(app, client):
    """Not precached for everyone: the worker holds its list apart, to keep while
    her tracker holds a link (takedown-store.js tells it)."""
    from app.offline.views import kit_urls, precache_urls

    with app.test_request_context():
        for lang in LANGUAGES:
            kit = kit_urls(lang)
            assert kit[0] == f"/{lang}/takedown"
            assert not any("/takedown" in url or "takedown" in url.split("?")[0].rsplit("/", 1)[-1]
                           for url in precache_urls(lang))
            assert any(url.startswith("/static/js/takedown-store.js?v=") for url in kit)
    with client.get("/sw.js") as response:
        worker = response.get_data(as_text=True)
    assert '"KEEP_KIT"' in worker and '"DROP_KIT"' in worker
    assert '"/zh-hk/takedown"' in worker.split("const KIT = ", 1)[1].split("\n", 1)[0]
