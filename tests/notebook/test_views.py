"""The evidence notebook's server half (issue 29): one page for everyone, cached and
precached like a checklist, and a paper log sheet on A4 or US Letter. What she keeps
is tested in Chromium (test_notebook_browser.py)."""

import html
import json
import re

import pytest
from flask import render_template

from app.content.regions import REGIONS
from app.notebook.views import ON_THE_PAGE
from app.offline.views import precache_urls
from app.web.i18n import LANGUAGES
from app.web.pagecache import kept_paths
from helpers import ROOT, node_package, visible_text

TITLE = {"en": "Evidence notebook", "zh-hans": "证据记录本", "zh-hant": "證據記錄本",
         "zh-hk": "證據記錄本"}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_page_in_every_language(client, lang):
    response = client.get(f"/{lang}/notebook")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{LANGUAGES[lang].html_lang}">' in html
    assert f"<h1>{TITLE[lang]}</h1>" in html
    assert '<script type="module" src="/static/js/notebook.js?v=' in html
    # The notebook itself waits for its script; without it, the explanation and the sheets.
    assert re.search(r'<section class="nb" data-nb hidden', html)
    assert re.search(r'<section class="nb-entry" data-nb-entry hidden', html)
    assert f'href="/{lang}/notebook/sheet?paper=a4"' in html
    assert f'href="/{lang}/notebook/sheet?paper=letter"' in html
    # No form: nothing she writes here can ever be submitted to the server.
    assert "<form" not in html
    # What to ask the police for: one line, filled in from the found page's cards, which
    # hold it for every region that has one.
    assert html.count("data-nb-ask") == 1 and f'data-found-url="/{lang}/found"' in html
    found = client.get(f"/{lang}/found").get_data(as_text=True)
    assert len(re.findall(r"<dd data-ask>", found)) == sum(1 for r in REGIONS.values() if r.ask_for)


def test_cached_like_a_checklist_and_the_same_for_everyone(app, client):
    first = client.get("/zh-hans/notebook")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in first.headers
    assert "/zh-hans/notebook" in kept_paths(app)
    again = client.get("/zh-hans/notebook", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    # "Use my location" is her tap: this page, and no other, may ask for it.
    assert "geolocation=(self)" in first.headers["Permissions-Policy"]
    assert "geolocation=()" in client.get("/zh-hans/found").headers["Permissions-Policy"]
    assert "connect-src 'self'" in first.headers["Content-Security-Policy"]


def test_precached_for_every_visitor_in_every_language(app):
    with app.test_request_context():
        for lang in LANGUAGES:
            urls = precache_urls(lang)
            assert f"/{lang}/notebook" in urls
            scripts = [u.split("?")[0] for u in urls]
            for name in ("js/notebook.js", "js/notebook-store.js", "js/storage.js",
                         "css/notebook.css"):
                assert f"/static/{name}" in scripts, name


@pytest.mark.parametrize("url", ["/en/found", "/en/lens"])
def test_linked_from_the_found_and_lens_pages(client, url):
    assert 'href="/en/notebook"' in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize(("paper", "other"), [("a4", "letter"), ("letter", "a4")])
def test_the_sheet_on_either_paper(client, lang, paper, other):
    response = client.get(f"/{lang}/notebook/sheet?paper={paper}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<div class="nb-sheet nb-sheet-{paper}">' in html  # its named @page
    assert f'href="/{lang}/notebook/sheet?paper={other}"' in html
    assert len(re.findall(r"<th scope=\"col\">", html)) == 6
    assert html.count("<td></td>") == 6 * 6


def test_the_sheet_says_what_to_ask_for_where_she_is(client):
    chosen = visible_text(client.get("/zh-hant/notebook/sheet?paper=a4&region=tw").get_data(
        as_text=True))
    assert "受(處)理案件證明單" in chosen
    assert "报案回执" not in chosen
    # No region: her language's likely ones.
    likely = visible_text(client.get("/zh-hans/notebook/sheet").get_data(as_text=True))
    assert "报案回执" in likely
    english = visible_text(client.get("/en/notebook/sheet?paper=letter&region=gb").get_data(
        as_text=True))
    assert "crime reference number" in english


def test_the_sheet_is_a4_without_a_choice(client):
    html = client.get("/en/notebook/sheet").get_data(as_text=True)
    assert '<div class="nb-sheet nb-sheet-a4">' in html


@pytest.mark.parametrize("paper", ["a3", "A4", "", "letter'><script>", "x" * 500])
def test_an_unknown_paper_gets_a_clear_answer(client, paper):
    response = client.get("/zh-hk/notebook/sheet", query_string={"paper": paper})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<script>" not in html.split("<main", 1)[1]
    text = visible_text(html)
    assert "A4" in text and "美國 Letter" in text
    assert 'href="/zh-hk/notebook/sheet?paper=a4"' in html
    assert 'href="/zh-hk/notebook/sheet?paper=letter"' in html


def test_linked_from_the_receipt_the_same_for_everyone(app):
    # The receipt is shown once, after a report is sent (tests/reports/); its template
    # links to the notebook with no word about whether this phone holds entries.
    with app.test_request_context("/zh-hans/report"):
        app.preprocess_request()
        html = render_template("reports/_receipt.html", code="ABCD-EFGH-JKLM-NPQR")
    assert 'href="/zh-hans/notebook"' in html
    assert "证据记录本" in html


def test_vendored_client_zip_is_the_npm_package_byte_for_byte():
    vendored = ROOT / "static/vendor/client-zip-2.5.1"
    package = node_package("client-zip")
    assert json.loads((package / "package.json").read_text())["version"] == "2.5.1"
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert wanted["client-zip"] == "2.5.1"
    for name in ("index.js", "LICENSE.txt"):
        assert (vendored / name).read_bytes() == (package / name).read_bytes()
    assert sorted(p.name for p in vendored.iterdir()) == ["LICENSE.txt", "index.js"]


def test_the_page_carries_the_summary_words_in_her_language_and_in_english(client):
    page = client.get("/zh-hant/notebook").get_data(as_text=True)
    here = json.loads(html.unescape(re.search(r"data-labels='([^']*)'", page)[1]))
    english = json.loads(html.unescape(re.search(r"data-labels-en='([^']*)'", page)[1]))
    assert english["title"] == "Evidence notebook: summary" and english["entry"] == "Entry {n}"
    assert here["title"] != english["title"]
    # The fields' labels are on the page once, as labels, where notebook.js reads them.
    assert here.keys() == english.keys() - set(ON_THE_PAGE)
    assert len(ON_THE_PAGE) == 10 and '<label for="nb-happened">發生時間</label>' in page
    assert english["happened"] == "When it happened"
    assert "{n}" in here["entry"] and "{time}" in here["intro"]
    assert "證據記錄本：摘要" in page  # as characters, not \u escapes (twice the bytes)
    # In English, one copy: the page carries the words once.
    english_page = client.get("/en/notebook").get_data(as_text=True)
    assert "data-labels-en" not in english_page
    assert "An English copy" not in english_page and "旁邊會同時列印一份英文版" in page
