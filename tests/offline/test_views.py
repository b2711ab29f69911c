"""The web app manifest, the service worker script and the offline page."""

import json
import re

from app import create_app
from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES


def sw_constant(client, name: str):
    script = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.search(rf"^const {name} = (.*);$", script, re.M)[1])


def test_manifest_per_language(client, lang):
    response = client.get(f"/{lang}/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.json
    assert manifest["start_url"] == manifest["scope"] == f"/{lang}/"
    assert manifest["lang"] == LANGUAGES[lang].html_lang
    assert manifest["display"] == "standalone" and manifest["theme_color"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == icon["type"]
    if lang != "en":
        assert not re.search(r"[A-Za-z]{4,}", manifest["description"].replace("SpotCheck", ""))


def test_every_page_links_its_manifest(client, lang):
    for path in ("", "check/restroom", "found", "offline"):
        html = client.get(f"/{lang}/{path}").get_data(as_text=True)
        assert f'<link rel="manifest" href="/{lang}/manifest.webmanifest">' in html


def test_service_worker_script(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response.headers
    assert "Set-Cookie" not in response.headers


def test_precache_lists_each_language_in_full(client):
    precache = sw_constant(client, "PRECACHE")
    assert set(precache) == set(LANGUAGES)
    for lang, urls in precache.items():
        for space in CHECKLISTS:
            assert f"/{lang}/check/{space}" in urls
        for page in (f"/{lang}/", f"/{lang}/found", f"/{lang}/offline"):
            assert page in urls
        assert not any(
            lang_code in u
            for u in urls
            for lang_code in LANGUAGES
            if lang_code != lang and u.startswith(f"/{lang_code}/")
        )
        # Static files exactly as the pages ask for them, hash included.
        html = client.get(f"/{lang}/check/restroom").get_data(as_text=True)
        for asset in re.findall(r'(/static/[^"#]+\?v=[0-9a-f]{12})', html):
            if "apple-touch" not in asset:
                assert asset in urls, asset
        for url in urls:
            with client.get(url) as response:
                assert response.status_code == 200, url
                assert "no-store" not in response.headers.get("Cache-Control", "")


def test_report_and_organizer_pages_are_never_precached(client):
    precache = sw_constant(client, "PRECACHE")
    # The report form's shell is the one report page kept (next test): nothing personal.
    shells = {f"/{lang}/offline/report" for lang in LANGUAGES}
    assert not [
        u for urls in precache.values() for u in urls
        if ("/report" in u or "/organizers" in u) and u not in shells
    ]
    assert all(f"/{lang}/offline/report" in precache[lang] for lang in LANGUAGES)
    never = sw_constant(client, "NEVER_CACHED")
    assert "/report" in never and "/organizers" in never


def test_the_report_forms_offline_shell_is_the_same_for_everyone(client):
    one = client.get("/zh-hans/offline/report")
    other = client.get("/zh-hans/offline/report?space=restroom")
    assert one.status_code == 200 and "public" in one.headers["Cache-Control"]
    assert "Set-Cookie" not in one.headers
    html = one.get_data(as_text=True)
    # No key, no post token: outbox.js gives each report its own key.
    assert '<input type="hidden" name="idempotency_key" value="">' in html
    assert 'name="post_token"' not in html and "data-receipt" not in html
    # It always sends through the outbox, so it needs no htmx in the precache.
    assert "data-outbox-only" in html and "/static/vendor/htmx" not in html
    assert "匿名举报" in html  # the form itself, in the page's language
    main = lambda page: re.search(r"<main.*</main>", page, re.S)[0]  # noqa: E731
    assert main(other.get_data(as_text=True)) == main(html)  # nothing from the request in it
    # The form it stands in for stays no-store, with a key of its own.
    form = client.get("/zh-hans/report")
    assert form.headers["Cache-Control"] == "no-store"
    key = r'name="idempotency_key" value="[A-Za-z0-9_-]{24}"'
    assert re.search(key, form.get_data(as_text=True))


def test_version_is_stable_and_follows_the_content(instance):
    first = create_app({"TESTING": True}).test_client()
    version = sw_constant(first, "VERSION")
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert sw_constant(first, "VERSION") == version
    assert sw_constant(create_app({"TESTING": True}).test_client(), "VERSION") == version
    changed = create_app({"TESTING": True, "QUICK_EXIT_URL": "https://example.org/"})
    assert sw_constant(changed.test_client(), "VERSION") != version


def test_computing_the_version_leaves_the_request_alone(client):
    """The version is computed by requesting pages in other languages mid-request."""
    html = client.get("/zh-hant/").get_data(as_text=True)
    client.get("/sw.js")
    assert client.get("/zh-hant/").get_data(as_text=True) == html


def test_offline_page_in_each_language(client, lang):
    response = client.get(f"/{lang}/offline")
    assert response.status_code == 200
    title = {"en": "You are offline", "zh-hans": "你现在没有联网", "zh-hant": "你目前沒有網路連線",
             "zh-hk": "你目前沒有網絡連線"}
    assert f"<h1>{title[lang]}</h1>" in response.get_data(as_text=True)


def test_home_page_tells_iphone_users_how_to_keep_offline_pages(client):
    html = client.get("/en/").get_data(as_text=True)
    assert "Safari may clear them after about a week" in html
    assert "Home Screen" in html
