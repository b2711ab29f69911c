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
    each under the line that says which region it is for."""
    return re.findall(r'data-region-block="\w+">\s*<p class="region-now">.*?</p>\s*'
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
        assert region.talk is None
    else:
        talk = region.talk
        assert str(talk.name) and str(talk.hours) and URL.fullmatch(talk.source)
        assert re.fullmatch(r"[0-9 -]{3,}", talk.phone)


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
    # A region keeps its own note: the old data gave Macau's "110 and 112 also work"
    # nowhere else, and no region's note may be copied to another.
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
    assert re.search(r'data-region-block="mo">\s*<p class="region-now">你所在的地區：澳門', html)
    assert "993" in html


@pytest.mark.parametrize(("lang", "names"), [
    ("zh-hant", ["台灣", "香港", "澳門"]),
    ("zh-hans", ["中国大陆", "香港", "澳门", "台湾"]),
    ("en", ["United States", "United Kingdom", "Australia"]),
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
    for region in REGIONS.values():
        if region.checked:
            card = rf'<section class="region-card" data-region="{region.code}".*?</section>'
            card = re.search(card, html, re.S)[0]
            assert f"Checked on {region.checked}:" in card
            for source in region.sources + region.law_sources:
                assert f'<a href="{source}" rel="noreferrer">' in card


def lists(html: str) -> list[tuple[list[str], list[str]]]:
    """Each region list on the page: (data-region of the items shown, of the folded ones)."""
    found = re.findall(r"data-region-lead>(.*?)<details class=\"region-more\">(.*?)</details>",
                       html, re.S)
    codes = lambda part: re.findall(r' data-region="([a-z*]+)"', part)  # noqa: E731
    return [(codes(lead), codes(rest)) for lead, rest in found]


@pytest.mark.parametrize(("url", "cards", "services"), [
    # Her region's card and services first, then the worldwide ones; the rest folded.
    ("/zh-hant/found?region=hk", ["hk"], ["hk", "*", "*"]),
    ("/en/found?region=mo", ["mo"], ["*", "*"]),  # no Macau takedown service was found
    ("/en/found?region=jp", ["jp"], ["jp", "*", "*"]),
    # Unknown region: the language's likely regions, in order.
    ("/zh-hant/found", ["tw", "hk", "mo"], ["tw", "tw", "hk", "*", "*"]),
    ("/en/found", ["us", "gb", "au"], ["us", "gb", "au", "*", "*"]),
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
