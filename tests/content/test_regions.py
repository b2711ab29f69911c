"""Regions: one emergency number only where the reader's region is known.

The found page is cached per URL, so the server never guesses a region from the
language or Accept-Language: it asks "Where are you?" with the language's likely
regions as choices and no number, and `?region=xx` (ISO 3166 alpha-2) answers
for a reader without JavaScript, stated above its one number. The browser
half (navigator.languages, the choice kept offline) is in test_regions_browser.py.
"""

import re
from datetime import date

import pytest

from app.content.regions import LIKELY_REGIONS, REGIONS, find_region
from helpers import visible_text

# The regions issue 16 asks for, by ISO code ("eu" is ISO's reserved code, "zz" elsewhere).
REQUIRED = {"cn", "hk", "mo", "tw", "sg", "my", "jp", "kr", "us", "ca", "gb", "ie", "au", "nz",
            "eu", "zz"}
# Numbers checked against the sources in app/content/regions.py.
EXPECTED_POLICE = {"cn": "110", "hk": "999", "mo": "999", "tw": "110", "sg": "999", "my": "999",
                   "jp": "110", "kr": "112", "us": "911", "ca": "911", "gb": "999", "ie": "999",
                   "au": "000", "nz": "111", "eu": "112"}


def page(client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def single_numbers(html: str) -> list[str]:
    """The big call buttons the page shows without JavaScript (blocks not `hidden`),
    under the one line above them that says which region it is."""
    return re.findall(r'data-region-block="\w+">\s*'
                      r'<p><a class="button button-urgent call" href="tel:([0-9#]+)">', html, re.S)


def likely_list(html: str) -> str | None:
    """The question and its likely regions, if shown (not `hidden`)."""
    found = re.search(r'<div class="region-pick" id="where" data-region-pick>(.*?)'
                      r'<details class="regions">', html, re.S)
    return found[1] if found else None


def test_every_region_is_covered_with_its_number():
    assert set(REGIONS) == REQUIRED
    assert {c: r.police for c, r in REGIONS.items() if r.police} == EXPECTED_POLICE


# Where no mental-health line could be confirmed, the card leaves it out rather than guess:
# Malaysia's numbers were seen only in copies, and the EU has no one line.
NO_CONFIRMED_TALK_LINE = {"my", "eu"}
URL = re.compile(r"https?://[^\s/]+\.[a-z]{2,}/\S*")


@pytest.mark.parametrize("code", sorted(REQUIRED - {"zz"}))
def test_every_region_has_every_field_and_a_source(code):
    region = REGIONS[code]
    assert region.code == code
    assert str(region.name).strip()
    assert re.fullmatch(r"[0-9]{3}", region.police)
    assert date.fromisoformat(region.checked) <= date.today()
    assert region.sources and region.law_sources, "every fact needs a source"
    assert all(URL.fullmatch(s) for s in region.sources + region.law_sources)
    # A non-emergency number, or what to do where there is none.
    assert bool(region.non_emergency) != bool(region.non_emergency_note)
    if region.non_emergency:
        assert re.fullmatch(r"#?[0-9 ]{3,}", region.non_emergency)
    assert len(str(region.ask_for)) > 10 and len(str(region.law)) > 40
    if code in NO_CONFIRMED_TALK_LINE:
        assert region.talk == ()
    else:
        assert region.talk
        for talk in region.talk:
            assert str(talk.name) and str(talk.hours) and URL.fullmatch(talk.source)
            assert re.fullmatch(r"[0-9 -]{3,}", talk.phone)
            # The name is a name: the page adds the number ("Need to talk? 1737: 1737").
            assert not str(talk.name).endswith(talk.phone)


def test_each_law_line_names_its_own_law():
    # No region's law line is a copy of another's, and each names the statute.
    laws = [str(r.law) for r in REGIONS.values() if r.law]
    assert len(laws) == len(set(laws)) == len(REQUIRED) - 1
    assert "159AAB" in str(REGIONS["hk"].law)
    assert "319-1" in str(REGIONS["tw"].law) and "315-1" in str(REGIONS["tw"].law)
    assert "284" in str(REGIONS["cn"].law) and "2026" in str(REGIONS["cn"].law)
    assert "受案回执" in str(REGIONS["cn"].ask_for)


def test_elsewhere_gives_no_number_but_says_what_to_do():
    elsewhere = REGIONS["zz"]
    assert elsewhere.police is None and elsewhere.police_note


def test_no_two_regions_share_a_copy_of_one_wrong_number():
    # A region keeps its own note (Macau's is its Judiciary Police line), and no region's
    # note may be copied to another.
    notes = [str(r.police_note) for r in REGIONS.values() if r.police_note]
    assert len(notes) == len(set(notes))
    # Macau is not Hong Kong: it has its own source and the Judiciary Police line.
    assert REGIONS["mo"].sources != REGIONS["hk"].sources
    assert "993" in str(REGIONS["mo"].police_note)
    # The same number is fine (999 in HK, Macau, UK …) but each region has its own sources.
    sourced = [r.sources for r in REGIONS.values() if r.sources]
    assert len(sourced) == len(set(sourced))


@pytest.mark.parametrize(("value", "code"), [
    ("mo", "mo"), ("MO", "mo"), ("uk", "gb"), ("GB", "gb"), ("de", "eu"), ("zz", "zz"),
    ("", None), ("xx", None), ("nowhere", None), ("h\x00k", None), ("hk" * 50, None), (None, None),
])
def test_region_values_are_read_strictly(value, code):
    region = find_region(value)
    assert (region.code if region else None) == code


def test_no_js_reader_who_picks_macau_sees_one_number(client):
    html = page(client, "/zh-hant/found?region=mo")
    assert single_numbers(html) == ["999"]
    assert likely_list(html) is None
    assert re.search(r'<p class="region-now" data-region-now><span>你所在的地區：'
                     r'<span data-region-name>澳門</span>', html)
    assert "993" in html


@pytest.mark.parametrize(("lang", "names"), [
    ("zh-hant", ["台灣", "香港", "澳門"]),
    ("zh-hans", ["中国大陆", "香港", "澳门", "台湾"]),
    ("en", ["Hong Kong", "Singapore", "Malaysia", "United States", "United Kingdom", "Australia"]),
])
def test_without_a_region_the_page_asks_with_the_likely_regions_and_no_number(client, lang, names):
    html = page(client, f"/{lang}/found")
    assert single_numbers(html) == []
    listed = likely_list(html)
    assert listed is not None
    assert "tel:" not in listed
    codes = re.findall(r'data-pick-region="(\w+)"', listed)
    assert codes == list(LIKELY_REGIONS[lang])
    if lang == "en":  # new names are English until the catalogs are merged
        shown = re.findall(r'data-pick-region="\w+">([^<]+)</a>', listed)
        assert shown == names


def test_accept_language_never_picks_the_number(client):
    # The page is cached per URL: a Hong Kong browser gets the same page as anyone.
    plain = page(client, "/zh-hant/found")
    hk = page(client, "/zh-hant/found", **{"Accept-Language": "zh-HK,zh;q=0.9"})
    assert single_numbers(hk) == [] and hk == plain


@pytest.mark.parametrize("value", ["xx", "nowhere", "%00", "<script>", "hk%22onload=1"])
def test_an_unknown_region_falls_back_to_the_list(client, value):
    html = page(client, f"/en/found?region={value}")
    assert single_numbers(html) == []
    assert likely_list(html) is not None
    assert "<script>" not in html.split("<main", 1)[1]


def test_every_region_can_be_picked_without_javascript(client):
    html = page(client, "/en/found")
    for code in REGIONS:
        assert f'href="/en/found?region={code}#safe" data-pick-region="{code}"' in html
        assert f'data-region-block="{code}"' in html


def test_each_region_says_when_it_was_checked_and_where(client):
    html = page(client, "/en/found")
    sources = page(client, "/en/found/sources")
    for region in REGIONS.values():
        if region.checked:
            card = rf'<section class="region-card" data-region="{region.code}".*?</section>'
            # The found page says when, and links to where, on a page of its own (the
            # links lead off the site, of no use offline: the page stays small).
            link = f"<a href=\"/en/found/sources#sources-{region.code}\">"
            assert f"Checked on {region.checked}:\n{link}" \
                in re.search(card, html, re.S)[0]
            card = rf'<section class="region-card" id="sources-{region.code}".*?</section>'
            card = re.search(card, sources, re.S)[0]
            assert f"Checked on {region.checked}:" in card
            for source in region.sources + region.law_sources + region.also_sources:
                assert f'<a href="{source}" rel="noreferrer">' in card
            for line in region.talk:
                assert f'<a href="{line.source}" rel="noreferrer">' in card


def lists(html: str) -> list[tuple[list[str], list[str]]]:
    """Each region list on the page: (data-region of the items shown, of the folded ones)."""
    found = re.findall(r"data-region-lead>(.*?)<details class=\"region-more\">(.*?)</details>",
                       html, re.S)
    codes = lambda part: re.findall(r' data-region="([a-z*]+)"', part)  # noqa: E731
    return [(codes(lead), codes(rest)) for lead, rest in found]


@pytest.mark.parametrize(("url", "cards", "services"), [
    # Her region's card and services first, then the worldwide ones; the rest folded.
    # (The takedown places, the worldwide ones among them, are the kit's: tests/takedown.)
    ("/zh-hant/found?region=tw", ["tw"], ["tw"]),
    ("/en/found?region=mo", ["mo"], []),  # no Macau service was found
    ("/en/found?region=jp", ["jp"], ["jp"]),
    # Unknown region: the language's likely regions, in order.
    ("/zh-hant/found", ["tw", "hk", "mo"], ["tw"]),
    ("/en/found", ["hk", "sg", "my", "us", "gb", "au"], ["sg", "my"]),
])
def test_the_readers_region_leads_and_the_rest_fold(client, url, cards, services):
    (lead_cards, rest_cards), (lead_services, rest_services) = lists(page(client, url))
    assert lead_cards == cards
    assert sorted(lead_cards + rest_cards) == sorted(REGIONS)
    assert sorted(lead_services, key=lambda c: c == "*") == services
    assert not set(lead_services) & set(rest_services) - {"*"}
    assert "*" not in rest_services


def test_the_region_script_is_loaded_and_precached(client):
    html = page(client, "/en/found")
    assert re.search(r'<script type="module" src="/static/js/region\.js\?v=\w+"></script>', html)
    # Offline, the page still picks the remembered region: the worker must hold the script.
    assert "/static/js/region.js" in page(client, "/sw.js")


# -- The content review of 2026-12-06: facts corrected, help added, sources labelled ------

LANGS = ("en", "zh-hans", "zh-hant", "zh-hk")


def card(html: str, code: str) -> str:
    """One region's card, as the page has it."""
    return re.search(rf'<section class="region-card" data-region="{code}".*?</section>', html,
                     re.S)[0]


def card_text(client, lang: str, code: str) -> str:
    return visible_text(card(page(client, f"/{lang}/found?region={code}"), code))


@pytest.mark.parametrize(("lang", "code", "words"), [
    # Mainland: the women's federations' line, police by SMS, a female officer, in-app reports.
    ("en", "cn", ["12338", "12110010", "female officer", "WeChat", "12377"]),
    ("zh-hans", "cn", ["妇女维权公益服务热线", "12338", "12110010", "女民警", "小红书", "12377"]),
    ("zh-hant", "cn", ["12338", "12110010", "女警", "小紅書"]),
    ("zh-hk", "cn", ["12338", "12110010", "女警", "小紅書"]),
    # Hong Kong: online reports, a same-sex officer, 992 for whom it is for, the PCPD.
    ("en", "hk", ["e-Report Centre", "same sex", "992", "hearing or speech", "PCPD"]),
    ("zh-hans", "hk", ["电子报案中心", "同性别", "992", "个人资料私隐专员公署"]),
    ("zh-hant", "hk", ["電子報案中心", "同性別", "992", "個人資料私隱專員公署"]),
    ("zh-hk", "hk", ["電子報案中心", "同性別", "992", "聽覺或言語障礙", "私隱公署"]),
    # Taiwan: 二不三要, the women and children's police, no refusing a report, iWIN.
    ("en", "tw", ["二不三要", "婦幼警察隊", "may not refuse", "iWIN", "social worker"]),
    ("zh-hans", "tw", ["二不三要", "妇幼警察队", "不得拒绝", "iWIN", "社工"]),
    ("zh-hant", "tw", ["二不三要", "婦幼警察隊", "不得拒絕", "iWIN", "社工"]),
    ("zh-hk", "tw", ["二不三要", "婦幼警察隊", "不得拒絕", "iWIN", "社工"]),
    # Macau: Caritas around the clock, the Judiciary Police, SMS for registered users.
    ("en", "mo", ["Caritas", "2852 5222", "Judiciary Police", "993", "6330 9999"]),
    ("zh-hans", "mo", ["明爱生命热线", "2852 5222", "司法警察局", "6330 9999"]),
    ("zh-hant", "mo", ["明愛生命熱線", "2852 5222", "司法警察局", "6330 9999"]),
    ("zh-hk", "mo", ["明愛生命熱線", "2852 5222", "司法警察局", "6330 9999"]),
])
def test_each_region_shows_the_help_its_readers_expect(client, lang, code, words):
    text = card_text(client, lang, code)
    for word in words:
        assert word in text, (lang, code, word)


@pytest.mark.parametrize("lang", LANGS)
def test_every_more_help_line_is_shown_in_the_readers_language(client, lang):
    html = page(client, f"/{lang}/found")
    with_help = [r for r in REGIONS.values() if r.also]
    assert {r.code for r in with_help} >= {"cn", "hk", "mo", "tw"}
    for region in with_help:
        lines = re.findall(r"<li>(.*?)</li>",
                           re.search(r'<ul class="region-also">(.*?)</ul>', card(html, region.code),
                                     re.S)[1])
        assert len(lines) == len(region.also)
        if lang != "en":  # translated, not the English falling through
            for line, english in zip(lines, region.also, strict=True):
                assert re.search(r"[\u4e00-\u9fff]", line) and line != str(english), line


@pytest.mark.parametrize("lang", LANGS)
def test_macau_promises_no_night_line_it_does_not_have(client, lang):
    # The Social Welfare Bureau's line is staffed in office hours, voicemail after (its own
    # page); Caritas Life Hope answers around the clock. 110/112 came only from a copy.
    talk = re.findall(r'<dd class="talk">(.*?)</dd>', card(page(client, f"/{lang}/found?region=mo"),
                                                          "mo"), re.S)
    welfare = [visible_text(t) for t in talk if "2826 1126" in t]
    caritas = [visible_text(t) for t in talk if "2852 5222" in t]
    assert welfare and caritas
    assert "24" not in welfare[0] and "24" in caritas[0]
    assert not re.search(r"24 ?(?:小时|小時|hours)", welfare[0].split("2826 1126")[0])
    assert "110" not in card_text(client, lang, "mo")


@pytest.mark.parametrize(("lang", "colon"), [("en", ": "), ("zh-hans", "："), ("zh-hant", "："),
                                              ("zh-hk", "：")])
def test_a_helpline_reads_as_its_name_then_its_number(client, lang, colon):
    for code in ("nz", "cn", "mo"):
        lines = re.findall(r'<dd class="talk">(.*?)</dd>',
                           card(page(client, f"/{lang}/found?region={code}"), code), re.S)
        assert len(lines) == len(REGIONS[code].talk)
        for line in lines:
            name, number = line.split('<span class="number">', 1)
            number = re.search(r">([0-9 -]+)</a>", number)[1]
            assert name.endswith(colon), (lang, name)
            assert number not in name  # not "Need to talk? 1737: 1737"


@pytest.mark.parametrize(("lang", "uk", "cn", "kr"), [
    ("en", ["England and Wales", "Northern Ireland"], ["administrative", "not crimes", "363"],
     "sexual desire or shame"),
    ("zh-hans", ["英格兰和威尔士", "北爱尔兰"], ["行政拘留", "不构成犯罪", "第三百六十三条"],
     "性欲或羞耻"),
    ("zh-hant", ["英格蘭和威爾斯", "北愛爾蘭"], ["行政拘留", "不是犯罪", "第 363"],
     "性慾或羞恥"),
    ("zh-hk", ["英格蘭和威爾斯", "北愛爾蘭"], ["行政拘留", "不是刑事罪行", "第三百六十三"],
     "性慾或羞恥"),
])
def test_law_lines_say_where_they_apply_and_what_kind_of_offence(client, lang, uk, cn, kr):
    # The UK sections are England and Wales only; secret filming on the mainland is an
    # administrative violation, and spreading the footage can be a crime (arts. 363–364).
    uk_law, cn_law = card_text(client, lang, "gb"), card_text(client, lang, "cn")
    for word in uk:
        assert word in uk_law, (lang, word)
    for word in cn:
        assert word in cn_law, (lang, word)
    assert kr in card_text(client, lang, "kr")


# Hosts of the copies, Q&A sites, blogs and news pages the review found shown as "checked".
NOT_OFFICIAL = {"livrozilla.com", "studylibpt.com", "a-ha.io", "uscode-io.netlify.app",
                "medicinemalaysia.com", "stage.cdns.com.tw", "cmhakelowna.com", "voxy.co.nz",
                "udn.com", "donga.com", "thestar.com.my", "therakyatpost.com", "scoop.co.nz",
                "taipeitimes.com", "c.m.163.com", "newswire.ca", "newstalk.com", "news.pts.org.tw"}
SECONDARY_LABEL = {"en": "(secondary source)", "zh-hans": "（非官方来源）",
                   "zh-hant": "（非官方來源）", "zh-hk": "（非官方來源）"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_source_that_is_not_official_says_so_beside_its_link(client, lang):
    checked = "".join(re.findall(r'<p class="note checked">(.*?)</p>',
                                 page(client, f"/{lang}/found/sources"), re.S))
    links = re.findall(r'<a href="[^"]+" rel="noreferrer">([^<]+)</a>'
                       r'(?: <span class="secondary">([^<]*)</span>)?', checked)
    assert len(links) > 40
    unofficial = [(host, label) for host, label in links if host in NOT_OFFICIAL]
    assert len(unofficial) >= 8
    for host, label in unofficial:
        assert label == SECONDARY_LABEL[lang], host
    # A government's own page needs no label.
    for host, label in links:
        if re.search(r"(^|\.)gov(\.[a-z]{2})?$|\.gov\.", host):
            assert not label, host
    # The copies the review named are gone where the official page was found.
    hosts = {host for host, _ in links}
    assert not hosts & {"livrozilla.com", "a-ha.io", "uscode-io.netlify.app", "cmhakelowna.com",
                        "voxy.co.nz", "stage.cdns.com.tw"}
