"""The publication policy (issue 31, item 2): in four languages, kept whole in memory
like the other public pages, and linked from the map and the report form."""

import pytest

from app.web.pagecache import kept_paths
from helpers import visible_text

WORDS = {
    "en": ("Publication policy", ["Reported", "Corroborated", "Confirmed", "Resolved",
                                  "Disputed"], "within 48 hours", "en"),
    "zh-hans": ("公开政策", ["已收到举报", "多方印证", "已证实", "已处理", "有争议"], "48 小时内",
                "zh-Hans"),
    "zh-hant": ("公開政策", ["已收到通報", "多方印證", "已證實", "已處理", "有爭議"], "48 小時內",
                "zh-Hant"),
    "zh-hk": ("公開政策", ["已收到舉報", "多方印證", "已證實", "已處理", "有爭議"], "48 小時內",
              "zh-Hant-HK"),
}


@pytest.mark.parametrize("lang", list(WORDS))
def test_the_policy_speaks_each_language(client, lang):
    title, levels, hours, html_lang = WORDS[lang]
    answer = client.get(f"/{lang}/about/policy")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    text = visible_text(html)
    assert title in text
    for level in levels:
        assert level in text, (lang, level)
    assert hours in text
    if lang != "en":
        assert f'lang="{html_lang}"' in html
        # No English sentence left behind: only names and the product's own.
        assert "the place" not in text and "organizer" not in text
    # The right of reply's status page is one tap away.
    assert f"/{lang}/published/status" in html


def test_what_is_public_and_what_never_is(client):
    text = visible_text(client.get("/en/about/policy").get_data(as_text=True))
    for promise in ("The reporter’s own words", "Photos.", "never the exact spot",
                    "never the time", "Below “corroborated”, and while a report is disputed, the "
                    "public copy names the kind of place and the area, not the place itself.",
                    "this is a target, not a promise"):
        assert promise in text, promise


def test_the_policy_is_kept_in_memory_and_linked_from_the_map_and_the_report_form(app, client):
    client.get("/zh-hant/about/policy")
    assert "/zh-hant/about/policy" in kept_paths(app)
    for url in ("/zh-hant/map", "/zh-hant/map?view=list", "/zh-hant/report"):
        assert 'href="/zh-hant/about/policy"' in client.get(url).get_data(as_text=True), url
    # Not on the offline shell every phone keeps (the precache budget).
    assert "/about/policy" not in client.get("/en/offline/report").get_data(as_text=True)
