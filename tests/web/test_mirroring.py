"""Reports from mirrors (issue 32, item 3): the primary answers cross-origin reports from
the configured mirror origins only, CORS and the Origin check agreeing; a page rendered
for a mirror sends to the primary, then the other endpoints, and its CSP allows exactly
those. And item 4: the known mirrors on /<lang>/mirrors and on the precached offline page."""

import re

import pytest

from app import create_app
from app.offline.views import precache_urls
from app.web.i18n import LANGUAGES
from app.web.mirroring import mirror_client, mirror_environ
from helpers import NEW_REPORT, TEST_CONFIG, form_key, receipt_of, stored_reports

MIRROR = "https://mirror.example"
STRANGER = "https://stranger.example"
PRIMARY = "https://primary.example"
OTHER = "https://other-spotcheck.example"
MIRRORS = ("https://mirror.example/spotcheck/", "https://copy.example/")
SETTINGS = {"MIRROR_ORIGINS": f"{MIRROR}, http://127.0.0.1:8765",
            "REPORT_ENDPOINTS": [OTHER], "MIRRORS": ",".join(MIRRORS),
            "PUBLIC_BASE_URL": PRIMARY}


@pytest.fixture
def app(migrated):
    return create_app({**TEST_CONFIG, **SETTINGS})


def preflight(client, origin, path="/en/report"):
    return client.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "hx-current-url,hx-request,hx-target,hx-trigger"})


def cross_origin_post(client, origin, path="/en/report", page=None, **fields):
    """A report as a mirror's page sends it: fetch or htmx (from `page`) from another site."""
    data = {"idempotency_key": form_key(client), **NEW_REPORT, **fields}
    headers = {"Origin": origin, "Sec-Fetch-Site": "cross-site", "HX-Request": "true"}
    if page:
        headers["HX-Current-URL"] = page
    return client.post(path, data=data, content_type="multipart/form-data", headers=headers)


def allowed_headers(response) -> set[str]:
    value = response.headers.get("Access-Control-Allow-Headers", "")
    return {name.strip().lower() for name in value.split(",") if name.strip()}


def test_a_listed_mirror_passes_the_preflight_and_its_report_is_stored(app, client):
    answer = preflight(client, MIRROR)
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == MIRROR
    assert "Origin" in answer.headers["Vary"]
    assert answer.headers["Access-Control-Allow-Methods"] == "POST"
    assert {"hx-current-url", "hx-request", "hx-target", "hx-trigger"} <= allowed_headers(answer)
    assert "Access-Control-Allow-Credentials" not in answer.headers

    sent = cross_origin_post(client, MIRROR, description="sent from a mirror")
    assert sent.status_code == 200 and receipt_of(sent)
    assert sent.headers["Access-Control-Allow-Origin"] == MIRROR
    assert "Origin" in sent.headers["Vary"]
    assert "SpotCheck-Proof" in sent.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in sent.headers
    assert [r["description"] for r in stored_reports(app)] == ["sent from a mirror"]


def test_the_form_swapped_back_into_a_mirrors_page_still_sends_to_the_primary(client):
    refused = cross_origin_post(client, MIRROR, space="")  # a required answer missing
    assert refused.status_code == 400
    assert f'action="{PRIMARY}/en/report"' in refused.get_data(as_text=True)


def hrefs(response) -> set[str]:
    return set(re.findall(r'(?:href|data-src|data-proof-worker|data-shrink-worker)="([^"]+)"',
                          response.get_data(as_text=True)))


def test_a_receipt_swapped_into_a_mirrors_page_links_to_the_mirrors_own_pages(app, client):
    page = f"{MIRROR}/spotcheck/en/report/index.html"
    sent = cross_origin_post(client, MIRROR, page=page)
    assert receipt_of(sent)
    links = hrefs(sent)
    # The notebook as the mirror's own pages link it (its file below the base path)...
    assert "/spotcheck/en/notebook/index.html" in links
    # ...the status form at the primary, and nothing at the mirror's host root.
    assert f"{PRIMARY}/en/report/status" in links
    assert not [link for link in links if link.startswith("/") and
                not link.startswith("/spotcheck/")], links
    assert {"Origin", "HX-Current-URL"} <= set(sent.headers["Vary"].replace(" ", "").split(","))
    assert "no-store" in sent.headers["Cache-Control"]


def test_the_form_swapped_into_a_mirrors_page_loads_the_mirrors_own_workers(app, client):
    refused = cross_origin_post(client, MIRROR, page=f"{MIRROR}/spotcheck/zh-hk/report/",
                                path="/zh-hk/report", space="")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    # Each worker is the mirror's copy, as its own page names it (mirror_client renders
    # that page as the build does); the map picker is the mirror's map.
    own = mirror_client(app, "/spotcheck/").get("/zh-hk/report").get_data(as_text=True)
    for name in ("proof-worker", "shrink-worker"):
        worker = re.search(rf'"(/spotcheck/static/js/{name}\.js\?v=\w+)"', html)
        assert worker and worker[1] in own, name
    assert 'data-src="/spotcheck/zh-hk/map/index.html"' in html
    assert f'action="{PRIMARY}/zh-hk/report"' in html


@pytest.mark.parametrize("page", [
    None,  # no HX-Current-URL
    "https://stranger.example/spotcheck/en/report",  # a page elsewhere than its Origin
    f"{MIRROR}/elsewhere/en/report",  # a path below no configured mirror
    f"{MIRROR}/spotcheck-not/en/report",
])
def test_a_page_below_no_configured_mirror_gets_the_primarys_absolute_urls(client, page):
    sent = cross_origin_post(client, MIRROR, page=page)
    links = hrefs(sent)
    assert f"{PRIMARY}/en/notebook" in links
    assert not [link for link in links if link.startswith("/")], links


def test_a_mirror_at_the_root_of_its_host_and_the_deepest_match(migrated):
    app = create_app({**TEST_CONFIG, **SETTINGS, "MIRROR_ORIGINS": "https://copy.example",
                      "MIRRORS": "https://copy.example/a/,https://copy.example,"
                                 "https://copy.example/a/b/"})
    client = app.test_client()
    for page, base in [("https://copy.example/en/report", "/"),
                       ("https://copy.example/a/en/report", "/a/"),
                       ("https://copy.example/a/b/en/report/index.html", "/a/b/")]:
        links = hrefs(cross_origin_post(client, "https://copy.example", page=page))
        assert f"{base}en/notebook/index.html" in links, page


def test_mirror_addresses_are_matched_as_a_browser_writes_its_origin(migrated):
    # An operator may write the default port, capitals or a closing slash; the browser
    # sends https://mirror.example. Before, such a mirror was refused or got the
    # primary's absolute links.
    app = create_app({**TEST_CONFIG, **SETTINGS, "MIRROR_ORIGINS": "https://Mirror.Example:443/",
                      "MIRRORS": "https://MIRROR.example:443/spotcheck/"})
    assert app.config["MIRROR_ORIGINS"] == (MIRROR,)
    client = app.test_client()
    assert preflight(client, MIRROR).headers["Access-Control-Allow-Origin"] == MIRROR
    sent = cross_origin_post(client, MIRROR, page=f"{MIRROR}/spotcheck/en/report/index.html")
    assert "/spotcheck/en/notebook/index.html" in hrefs(sent)
    # A page address that is not one gets the primary's links, never a 500.
    for page in ("https://[mirror.example/spotcheck/en/report", "https://mirror.example:x/"):
        sent = cross_origin_post(client, MIRROR, page=page)
        assert sent.status_code == 200 and f"{PRIMARY}/en/notebook" in hrefs(sent), page
    assert len(stored_reports(app)) == 3


def test_the_primarys_own_receipt_is_unchanged(client):
    sent = client.post("/en/report", data={"idempotency_key": form_key(client), **NEW_REPORT},
                       headers={"Sec-Fetch-Site": "same-origin", "HX-Request": "true",
                                "HX-Current-URL": f"{MIRROR}/spotcheck/en/report"})
    links = hrefs(sent)
    assert "/en/notebook" in links and "/en/report/status" in links
    assert "HX-Current-URL" not in sent.headers.get("Vary", "")
    # A plain form (no htmx) from a mirror opens the primary's own page: links stay ours.
    plain = client.post("/en/report", data={"idempotency_key": form_key(client), **NEW_REPORT},
                        headers={"Origin": MIRROR, "Sec-Fetch-Site": "cross-site"})
    assert "/en/notebook" in hrefs(plain)


@pytest.mark.parametrize("origin", [STRANGER, "null", f"{MIRROR}:8443", "http://mirror.example"])
def test_an_unlisted_origin_is_refused_by_cors_and_by_the_origin_check(app, client, origin):
    answer = preflight(client, origin)
    assert answer.status_code == 403
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "not one of SpotCheck's mirrors" in answer.get_data(as_text=True)

    # Even from a page below a configured mirror's path.
    sent = cross_origin_post(client, origin, description="from elsewhere",
                             page=f"{origin}/spotcheck/en/report")
    assert sent.status_code == 403
    assert "Access-Control-Allow-Origin" not in sent.headers
    assert "Nothing was stored" in sent.get_data(as_text=True)
    assert stored_reports(app) == []


def test_the_status_page_answers_a_listed_mirror_only(client):
    code = receipt_of(cross_origin_post(client, MIRROR))
    headers = {"Origin": MIRROR, "Sec-Fetch-Site": "cross-site"}
    found = client.post("/en/report/status", data={"code": code}, headers=headers)
    assert found.status_code == 200 and code in found.get_data(as_text=True)
    assert found.headers["Access-Control-Allow-Origin"] == MIRROR
    assert preflight(client, MIRROR, "/en/report/status").status_code == 204
    headers["Origin"] = STRANGER
    refused = client.post("/en/report/status", data={"code": code}, headers=headers)
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers


@pytest.mark.parametrize("path", ["/en/", "/en/check/restroom", "/en/offline/report",
                                  "/en/mirrors", "/api/v1/map/reports", "/sw.js"])
def test_no_other_path_answers_across_origins(client, path):
    for answer in (client.get(path, headers={"Origin": MIRROR}), preflight(client, MIRROR, path)):
        assert not [h for h, _ in answer.headers.items() if h.startswith("Access-Control-")], path


def test_other_forms_still_refuse_a_listed_mirror(client):
    # Posters and timestamps keep their own-origin rule: only reports cross.
    headers = {"Origin": MIRROR, "Sec-Fetch-Site": "cross-site"}
    assert client.post("/en/posters/", data={}, headers=headers).status_code == 403
    assert client.post("/api/v1/timestamp", data={}, headers=headers).status_code == 403


@pytest.mark.parametrize(("name", "value", "words"), [
    ("MIRROR_ORIGINS", "https://mirror.example/spotcheck/", "scheme://host[:port] only"),
    ("MIRROR_ORIGINS", "mirror.example", "has no host name"),
    ("MIRROR_ORIGINS", "https://a.example,http://b.example", "must start with https://"),
    ("MIRROR_ORIGINS", "https://a.example:port", "is not an address"),
    ("REPORT_ENDPOINTS", "ftp://other.example", "must start with https://"),
    ("REPORT_ENDPOINTS", "https://other.example/?x=1", "must have no ? or # part"),
    ("MIRRORS", "https://", "has no host name"),
])
def test_bad_mirror_settings_stop_the_app_at_start(migrated, name, value, words):
    with pytest.raises(RuntimeError) as refused:
        create_app({**TEST_CONFIG, name: value})
    assert f"SPOTCHECK_{name}" in str(refused.value) and words in str(refused.value)


def test_mirror_settings_come_from_the_environment_as_lists(migrated, monkeypatch):
    monkeypatch.setenv("SPOTCHECK_MIRROR_ORIGINS", "https://a.example,https://b.example:8443")
    monkeypatch.setenv("SPOTCHECK_MIRRORS", '["https://a.example/s/"]')
    app = create_app(TEST_CONFIG)
    assert app.config["MIRROR_ORIGINS"] == ("https://a.example", "https://b.example:8443")
    assert app.config["MIRRORS"] == ("https://a.example/s/",)
    assert app.config["REPORT_ENDPOINTS"] == ()


def csp_of(html: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                     html)[1].replace("&#39;", "'")


def directive(csp: str, name: str) -> list[str]:
    return next(d.split()[1:] for d in csp.split("; ") if d.split()[0] == name)


@pytest.mark.parametrize("lang", ["en", "zh-hk"])
@pytest.mark.parametrize("path", ["report", "offline/report"])
def test_a_page_rendered_for_a_mirror_sends_to_the_primary_then_the_others(app, lang, path):
    client = mirror_client(app, "/spotcheck/")
    page = client.get(f"/{lang}/{path}")
    html = page.get_data(as_text=True)
    reports = [f"{PRIMARY}/{lang}/report", f"{OTHER}/{lang}/report"]
    assert f'action="{reports[0]}"' in html and f'data-hx-post="{reports[0]}"' in html
    assert f'data-report-endpoints="{" ".join(reports)}"' in html
    assert f'data-status-url="{PRIMARY}/{lang}/report/status"' in html
    if path == "report":  # the offline shell has no htmx: the outbox sends it
        assert '"selfRequestsOnly":false' in html
    for csp in (page.headers["Content-Security-Policy"], csp_of(html)):
        assert directive(csp, "connect-src") == ["'self'", *reports]
        assert directive(csp, "form-action") == ["'self'", *reports,
                                                 f"{PRIMARY}/{lang}/report/status"]
    assert "frame-ancestors" not in csp_of(html)  # not allowed in a <meta>
    # The mirror's base path is the mirror's own, not the primary's.
    assert 'href="/spotcheck/static/css/app.css' in html and "example/spotcheck" not in html


def test_the_primarys_own_pages_are_unchanged_and_never_mixed_with_a_mirrors(app, client):
    mirror_client(app, primary="https://elsewhere.example", endpoints=[]).get(
        "/en/offline/report")
    assert '"selfRequestsOnly":true' in client.get("/en/report").get_data(as_text=True)
    for _ in range(2):  # the second from the page cache
        page = client.get("/en/offline/report")
        html = page.get_data(as_text=True)
        assert 'action="/en/report"' in html and "data-report-endpoints" not in html
        assert "elsewhere.example" not in html and "http-equiv" not in html
        assert directive(page.headers["Content-Security-Policy"], "connect-src") == ["'self'"]
    # ...and a mirror's render is not answered from the cache either.
    html = mirror_client(app).get("/en/offline/report").get_data(as_text=True)
    assert f'action="{PRIMARY}/en/report"' in html


def test_a_mirror_page_with_no_other_endpoints_sends_to_the_primary_alone(app):
    html = mirror_client(app, endpoints=[]).get("/en/report").get_data(as_text=True)
    assert f'data-report-endpoints="{PRIMARY}/en/report"' in html


@pytest.mark.parametrize("bad", ["ftp://primary.example", "https://", "primary.example"])
def test_mirror_environ_refuses_a_bad_address(app, bad):
    with pytest.raises(ValueError, match="report endpoint"):
        mirror_environ(app, primary=bad)
    with pytest.raises(ValueError, match="report endpoint"):
        mirror_environ(app, endpoints=[bad])


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_mirrors_page_lists_the_configured_mirrors_in_every_language(client, lang):
    page = client.get(f"/{lang}/mirrors")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for mirror in MIRRORS:
        assert f'href="{mirror}"' in html
    assert "mirror.json" in html and "verify-mirror" in html and "docs/mirrors.md" in html
    # The footer of every page, and the offline page, lead here.
    assert f'href="/{lang}/mirrors"' in client.get(f"/{lang}/").get_data(as_text=True)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_offline_page_keeps_the_list_and_the_worker_keeps_the_offline_page(app, client,
                                                                             lang):
    html = client.get(f"/{lang}/offline").get_data(as_text=True)
    for mirror in MIRRORS:
        assert f'href="{mirror}"' in html
    assert f'href="/{lang}/mirrors"' in html
    with app.test_request_context():
        assert f"/{lang}/offline" in precache_urls(lang)


def test_with_no_mirrors_the_pages_say_so(migrated):
    client = create_app(TEST_CONFIG).test_client()
    assert "No copies are listed yet." in client.get("/en/mirrors").get_data(as_text=True)
    assert "data-mirrors" not in client.get("/en/offline").get_data(as_text=True)


def test_the_mirrors_page_names_every_other_site_a_copy_may_send_a_report_to(client, migrated):
    html = client.get("/en/mirrors").get_data(as_text=True)
    assert "comes to SpotCheck’s organizers" in html
    endpoints = re.search(r"<ul data-report-endpoints>(.*?)</ul>", html, re.S)
    assert endpoints and OTHER in endpoints.group(1)
    assert "鏡像站會把舉報送往" in client.get("/zh-hk/mirrors").get_data(as_text=True)
    alone = create_app(TEST_CONFIG).test_client().get("/zh-hans/mirrors").get_data(as_text=True)
    assert "data-report-endpoints" not in alone and "审核人员" in alone


def test_in_a_flood_a_mirrors_page_can_read_the_primarys_challenge(migrated):
    app = create_app({**TEST_CONFIG, **SETTINGS, "REPORTS_PER_HOUR": 2, "POW_BITS": 8,
                      "REPORTS_PER_CLIENT_PER_HOUR": 0})
    client = app.test_client()
    for _ in range(3):
        answer = cross_origin_post(client, MIRROR)
        if answer.status_code == 429:
            break
    assert answer.status_code == 429 and answer.headers["SpotCheck-Proof"]
    assert answer.headers["Access-Control-Allow-Origin"] == MIRROR
    exposed = {h.strip() for h in answer.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"SpotCheck-Proof", "Retry-After"} <= exposed
