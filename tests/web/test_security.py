"""Privacy and security headers, caching and compression (docs/privacy.md, promises 2, 3 and 7)."""

import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from app import create_app
from app.web.security import valid_post_token
from helpers import field, new_report, public_urls


def every_response(app, client):
    """Responses of every kind the app gives: pages, redirects, errors, static, JSON."""
    urls = public_urls(app) + ["/", "/static/css/app.css", "/en/nowhere", "/nowhere"]
    for url in urls:
        with client.get(url) as response:
            yield url, response
    with client.post("/en/") as response:
        yield "POST /en/", response


def test_every_response_has_the_security_headers(app, client):
    seen = 0
    for url, response in every_response(app, client):
        seen += 1
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp, url
        assert "script-src 'self'" in csp, url
        assert "style-src 'self'" in csp, url
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        policy = response.headers["Permissions-Policy"]
        # Only the report form ("use my location"), the map ("near me") and the
        # notebook ("Use my location", kept on the phone) may ask.
        asks = url.endswith(("/report", "/map", "/notebook"))
        wanted = "geolocation=(self)" if asks else "geolocation=()"
        assert wanted in policy, url
        # Only the lens finder may use the camera (tests/lens/test_views.py).
        camera = "camera=(self)" if url.endswith("/lens") else "camera=()"
        assert camera in policy and "microphone=()" in policy, url
    assert seen > 10


def test_no_public_response_sets_a_cookie(app, client):
    for url, response in every_response(app, client):
        assert "Set-Cookie" not in response.headers, url
    assert client.get_cookie("session") is None


def test_a_cookie_set_by_mistake_on_a_public_page_is_dropped(instance):
    app = create_app({"TESTING": True})

    @app.get("/<lang:lang>/leaky")
    def leaky():
        from flask import make_response

        response = make_response("leak")
        response.set_cookie("tracker", "1")
        return response

    response = app.test_client().get("/en/leaky")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_pages_have_no_inline_script_or_style(app, client):
    for url, response in every_response(app, client):
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def loaded_urls(html: str) -> list[str]:
    """What a browser fetches by itself: src attributes, <use> sprites, <link>s but alternates."""
    urls = re.findall(r'\ssrc="([^"]+)"', html)
    urls += re.findall(r'<use href="([^"]+)"', html)
    urls += [
        re.search(r'href="([^"]+)"', tag)[1]
        for tag in re.findall(r"<link [^>]+>", html)
        if 'rel="alternate"' not in tag
    ]
    return urls


def test_nothing_is_loaded_from_another_host(app, client):
    for url, response in every_response(app, client):
        if response.mimetype != "text/html" or response.status_code in (301, 302):
            continue
        loaded = loaded_urls(response.get_data(as_text=True))
        assert loaded, f"{url} loads its CSS and JS"
        foreign = [u for u in loaded if not u.startswith("/") or u.startswith("//")]
        assert foreign == [], url


def test_the_loaded_urls_check_would_catch_a_foreign_script():
    html = '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="/a.css">'
    assert loaded_urls(html) == ["https://cdn.example/x.js", "/a.css"]


def test_public_pages_are_cacheable_with_etag_and_304(client):
    response = client.get("/en/")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get("/en/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_report_pages_are_never_stored(client, lang):
    response = client.get(f"/{lang}/report")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_static_urls_carry_a_content_hash_and_are_immutable(client):
    html = client.get("/en/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]{12}))"', html)
    assert css, "the stylesheet URL carries a version"
    with client.get(css[1]) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    # An old or missing version must not be cached for a year.
    with client.get("/static/css/app.css?v=000000000000") as stale:
        assert "immutable" not in stale.headers["Cache-Control"]


def test_static_version_follows_the_file_content(app, client, tmp_path):
    from app.web.assets import static_version

    with app.test_request_context():
        first = static_version("css/app.css")
        assert first and static_version("css/app.css") == first
        assert static_version("no/such/file.css") is None
        assert static_version("../pyproject.toml") is None


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_responses_are_compressed(client, encoding):
    for url in ("/en/", "/static/css/app.css", "/static/vendor/htmx-2.0.11.min.js"):
        with client.get(url, headers={"Accept-Encoding": encoding}) as response:
            assert response.headers.get("Content-Encoding") == encoding, url
            assert "Accept-Encoding" in response.headers["Vary"], url


def test_compressed_page_revalidates_with_its_own_etag(client):
    first = client.get("/en/", headers={"Accept-Encoding": "br"})
    assert first.headers["ETag"].endswith(':br"')
    again = client.get(
        "/en/", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/en/").headers
    secure = client.get("/en/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_access_log_keeps_paths_but_not_the_secrets_in_private_links(tmp_path):
    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "scripts" /
                                  "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    # Even an operator's own format asking for the address and user agent is not used.
    config.set("access_log_format", '%(h)s "%(a)s" %(t)s')
    logger = settings["RedactingLogger"](config)
    request = SimpleNamespace(headers=[("USER-AGENT", "Phone/1.0")], method="GET", query="",
                              version=(1, 1))
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    paths = [("/en/posters/manage/s3cr3t-Tok_en", "/en/posters/manage/[secret]"),
             ("/zh-hans/organizers/setup/abc", "/zh-hans/organizers/setup/[secret]"),
             ("/en/check/restroom", "/en/check/restroom")]
    for path, _ in paths:
        environ = {"PATH_INFO": path, "RAW_URI": path, "REMOTE_ADDR": "203.0.113.9",
                   "HTTP_USER_AGENT": "Phone/1.0", "REQUEST_METHOD": "GET",
                   "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1"}
        logger.access(response, request, environ, timedelta(milliseconds=3))
    assert (tmp_path / "access.log").read_text().splitlines() == [
        f"GET {logged} 200 10 3ms" for _, logged in paths]


def post_forms(html: str) -> list[str]:
    """Each form on a page that can POST (a method, or a button's formmethod)."""
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    return [f for f in forms if re.search(r'(form)?method="post"', f, re.I)]


def test_every_public_post_form_carries_a_valid_token(app, client):
    code = new_report(client)
    pages = {url: client.get(url) for url in public_urls(app)}
    pages["status with a report"] = client.post("/en/report/status", data={"code": code})
    checked = 0
    for url, response in pages.items():
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in post_forms(response.get_data(as_text=True)):
            if 'name="csrf_token"' in form:
                continue  # an organizer's form, bound to her session
            if url.endswith("/offline/report"):
                # The offline shell is the same for everyone, shown only by the service
                # worker, so sent by our scripts (fetch, htmx), which always sends Origin or
                # Sec-Fetch-Site; it has no key for a token to cover.
                assert field(form, "idempotency_key") == "" and 'name="post_token"' not in form
                continue
            token = field(form, "post_token")
            assert token, f"a POST form on {url} has no post token"
            with app.test_request_context():
                assert valid_post_token(field(form, "idempotency_key") or "", token), url
            checked += 1
    assert checked >= 3 * 4  # report, code, poster and sign-in forms, in each language
