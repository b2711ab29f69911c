"""The takedown kit's page as the server renders it: the steps in order in each language,
her region's destinations and support lines first, every field of every destination."""

import re

import pytest
from markupsafe import escape

from app.content import takedown
from app.content.found import SERVICES
from app.content.regions import REGIONS, likely_regions
from helpers import untranslated_words, visible_text
from support.takedown import made_up_destinations


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def thirty(monkeypatch):
    """The draft list plus made-up destinations: about as many as the kit will hold."""
    made = takedown.DESTINATIONS + made_up_destinations(29)
    monkeypatch.setattr(takedown, "DESTINATIONS", made)
    return made


def main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S)[0]


STEPS = {
    "en": ("Takedown kit", ["Save the evidence first", "Report it to the police",
                            "Ask for removal", "Keep watching"]),
    "zh-hans": ("删除求助工具", ["先保存证据", "向警方报案", "要求删除", "持续留意"]),
    "zh-hant": ("下架求助工具", ["先保存證據", "向警方報案", "申請下架", "持續留意"]),
    "zh-hk": ("移除求助工具", ["先保存證據", "向警方報案", "要求移除", "持續留意"]),
}


def test_the_steps_come_in_order_in_her_language(client, lang):
    html = page(client, f"/{lang}/takedown")
    title, steps = STEPS[lang]
    assert f"<title>{title} · SpotCheck</title>" in html
    assert re.search(r"<h1>(.*?)</h1>", html)[1] == title
    headings = re.findall(r'<li id="\w+">\s*<h2>(.*?)</h2>', main(html))
    assert headings == steps
    if lang != "en":
        # The page's own words; the destinations' names and brands are their data's
        # (tests/content/test_takedown_data.py).
        own = re.sub(r'<div class="destinations">.*?</section>\s*</div>', "", main(html),
                     flags=re.S)
        assert untranslated_words(visible_text(own)) == set()


def test_each_step_says_what_it_can_and_cannot_do(client):
    text = visible_text(page(client, "/en/takedown"))
    for said in ("What the evidence notebook can do", "What it cannot do: save a post",
                 "What the police can do", "What they cannot do",
                 "no one can promise removal", "then they cannot help"):
        assert said in text, said
    # Police before platforms (content review §8.7), and the evidence before both.
    assert text.index("Save the evidence first") < text.index("Report it to the police") \
        < text.index("Ask for removal") < text.index("Keep watching")
    assert "Never photograph, download or save the images themselves" in text


def test_her_safety_first_a_device_he_cannot_reach_and_the_quick_exit(client, app):
    html = page(client, "/en/takedown")
    before = main(html).split('<li id="evidence">')[0]
    assert "the person who filmed you cannot see or reach" in before
    assert "Quick exit" in before
    # The site's own quick exit (base.html, static/js/common.js): a real link out.
    assert f'<a class="quick-exit" href="{app.config["QUICK_EXIT_URL"]}"' in html
    assert 'href="/en/notebook"' in main(html)


def lead_items(list_html: str) -> list[str]:
    lead = re.search(r"data-region-lead>(.*?)</ul>", list_html, re.S)[1]
    return re.findall(r'data-region="([\w*]+)"', lead)


def kind_sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="kind" id="kind-(\w+)".*?>(.*?)</section>', html, re.S))


def talk_lists(html: str) -> list[str]:
    return re.findall(r'<div class="talk-lines" data-(?:region-list|talk-same)>(.*?)</div>', html,
                      re.S)


def test_taiwan_first_with_its_support_line_beside_every_step(client, thirty):
    html = page(client, "/en/takedown?region=tw")
    sections = kind_sections(html)
    assert list(sections) == list(takedown.KINDS)  # grouped, in the model's order
    for kind, section in sections.items():
        lead = lead_items(section)
        # Taiwan's first, then the worldwide; no other region's in the lead.
        assert lead == sorted(lead, key=lambda r: r != "tw") and set(lead) <= {"tw", "*"}, kind
        folded = re.search(r"data-region-rest>(.*?)</ul>", section, re.S)[1]
        assert 'data-region="tw"' not in folded and 'data-region="*"' not in folded
    assert lead_items(sections["centre"])[0] == "tw"
    assert re.search(r'id="d-tw-siarc"', sections["centre"].split("data-region-rest")[0])
    # Taiwan's line to talk to in each of the four steps, and only Taiwan's shown.
    talks = talk_lists(main(html))
    assert len(talks) == 4
    for talk in talks:
        assert set(lead_items(talk)) == {"tw"}
        assert '<a href="tel:1925">1925</a>' in talk.split("data-region-rest")[0]
    # Every region's lines once, in the first step, the others' hidden for region.js;
    # the other steps show the same lines as the first (takedown.js keeps them so).
    assert re.search(r"<ul data-region-rest hidden>", talks[0])
    assert all("data-region-rest" not in talk for talk in talks[1:])
    assert len(set(re.findall(r'<ul data-region-lead>.*?</ul>', "".join(talks)))) == 1
    assert main(html).count('<a href="tel:18111">') == 1  # Hong Kong's, hidden, once
    # Her region's police numbers, and what to ask for, in the police step.
    police = main(html).split('<li id="police">')[1].split('<li id="removal">')[0]
    block = re.search(r'<div data-region-block="tw">(.*?)</div>', police, re.S)[1]
    assert '<a href="tel:110">110</a>' in block and "受(處)理案件證明單" in block


def test_without_a_region_the_likely_ones_come_first_and_she_is_asked(client, thirty):
    html = page(client, "/zh-hant/takedown")
    likely = {r.code for r in likely_regions("zh-hant")}
    for section in kind_sections(html).values():
        assert set(lead_items(section)) <= likely | {"*"}
    assert set(lead_items(talk_lists(html)[0])) == likely & {r.code for r in REGIONS.values()
                                                             if r.talk}
    assert re.search(r'<p class="region-now" data-region-now hidden>', html)
    assert not re.search(r'<div class="region-pick" id="where" data-region-pick hidden', html)


@pytest.mark.parametrize("bad", ["nowhere", "%3Cscript%3Ealert(1)%3C/script%3E", "x" * 40, ""])
def test_a_region_that_is_none_is_no_choice(client, thirty, bad):
    # As the found page: a value naming no region changes nothing but the URL.
    html = page(client, f"/en/takedown?region={bad}")
    assert "<script>alert" not in html
    assert re.search(r'<p class="region-now" data-region-now hidden>', html)
    bare = page(client, "/en/takedown")
    assert kind_sections(html) == kind_sections(bare)


def test_every_destination_shows_every_field(client, thirty):
    html = page(client, "/en/takedown")
    sources = page(client, "/en/takedown/sources")
    for d in thirty:
        item = re.search(rf'<li class="destination" id="d-{d.key}" .*?</li>', html, re.S)
        assert item, d.key
        text = visible_text(item[0])
        for field in (d.name, d.what, d.needs, d.how, d.response, d.ignores, d.limit):
            if field:
                assert str(field) in text, (d.key, field)
        if d.url:
            assert f'href="{d.url}" rel="noreferrer"' in item[0]
        if d.email:
            assert f'href="mailto:{d.email}"' in item[0]
        if d.phone:
            assert f'href="tel:{d.phone.replace(" ", "").replace("-", "")}"' in item[0]
        language = {"en": "English", "zh-hans": "Chinese, simplified characters",
                    "zh-hant": "Chinese, traditional characters"}[d.language]
        assert f"Write to it in {language}" in text, d.key
        assert ("the TAKE IT DOWN Act obliges it" in text) == d.take_it_down_act, d.key
        assert f"Checked on {d.checked}" in text
        assert f'href="/en/takedown/sources#d-{d.key}"' in item[0]
        # Its sources, on their own page, under its own heading.
        section = re.search(rf'<section class="region-card" id="d-{d.key}".*?</section>',
                            sources, re.S)
        assert section, d.key
        for url in d.sources:
            assert f'href="{escape(url)}" rel="noreferrer"' in section[0]


def test_the_page_sets_no_cookie_has_its_policy_and_loads_nothing_from_elsewhere(client, thirty):
    for url in ("/en/takedown", "/zh-hk/takedown?region=tw", "/en/takedown/sources"):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, url
        assert "connect-src 'self'" in csp or "connect-src" not in csp, url
        html = response.get_data(as_text=True)
        loaded = re.findall(r'\ssrc="([^"]+)"', html) + [
            re.search(r'href="([^"]+)"', tag)[1] for tag in re.findall(r"<link [^>]+>", html)
            if 'rel="alternate"' not in tag]
        assert loaded and all(u.startswith("/") and not u.startswith("//") for u in loaded), url
        assert "/static/css/takedown" in html or url.endswith("/sources")
    # Links out are fine, and they are the destinations' own.
    assert 'href="https://siarc.mohw.gov.tw/" rel="noreferrer"' in page(client, "/en/takedown")


def test_the_found_page_links_to_the_kit_and_no_longer_lists_its_places(client, lang):
    html = page(client, f"/{lang}/found")
    online = html.split('id="online"')[1]
    assert f'<a class="button" href="/{lang}/takedown">' in online
    # No fact kept twice: a destination's link or number is not a found-page service's.
    kit = {d.url for d in takedown.DESTINATIONS} | {d.phone for d in takedown.DESTINATIONS}
    assert not {s.url for s in SERVICES} & kit - {None}
    assert not {s.phone for s in SERVICES} & kit - {None}
    services = re.findall(r'<li class="service" data-region="[\w*]+">\s*<h3>(.*?)</h3>', html)
    for moved in ("StopNCII.org", "Take It Down (NCMEC)", "eSafety", "CCRI", "Revenge Porn",
                  "RainLily",
                  "性影像處理中心", "性影像处理中心", "12377"):
        assert not [s for s in services if moved in s], (lang, moved)
    # Support stays: Taiwan's 113 protection hotline, Singapore's SHECARES@SCWO.
    assert 'href="tel:113"' in html and "SHECARES@SCWO" in html


def test_home_and_notebook_lead_to_the_kit(client, lang):
    for url in (f"/{lang}/", f"/{lang}/notebook"):
        assert f'href="/{lang}/takedown"' in page(client, url), url
