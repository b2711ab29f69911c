"""Public pages rendered once per URL, then served from memory."""

import gzip

import brotli
import flask
import pytest

from app.checklists import views as checklist_views
from app.lens import views as lens_views
from app.web.pagecache import cached_page
from app.web.security import allow_feature, no_store


@pytest.fixture
def renders(monkeypatch):
    """Count the templates rendered by the checklists' views."""
    count = []
    real = flask.render_template

    def counting(*args, **kwargs):
        count.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(checklist_views, "render_template", counting)
    return count


def test_a_page_is_rendered_once_then_served_from_memory(client, renders):
    first = client.get("/en/check/restroom")
    again = client.get("/en/check/restroom")
    assert renders == ["checklists/checklist.html"]
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    assert "Cache-Control" in again.headers and "public" in again.headers["Cache-Control"]


def test_revalidation_costs_no_rendering(client, renders):
    etag = client.get("/zh-hans/check/hotel-room").headers["ETag"]
    renders.clear()
    response = client.get("/zh-hans/check/hotel-room", headers={"If-None-Match": etag})
    assert response.status_code == 304 and renders == []


def test_each_encoding_is_the_same_page(client):
    plain = client.get("/zh-hant/found", headers={"Accept-Encoding": "identity"})
    br = client.get("/zh-hant/found", headers={"Accept-Encoding": "br"})
    gz = client.get("/zh-hant/found", headers={"Accept-Encoding": "gzip"})
    assert br.headers["Content-Encoding"] == "br" and gz.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.data) == gzip.decompress(gz.data) == plain.data
    assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3
    assert "Accept-Encoding" in br.headers["Vary"]
    revalidated = client.get("/zh-hant/found", headers={"Accept-Encoding": "br",
                                                        "If-None-Match": br.headers["ETag"]})
    assert revalidated.status_code == 304


def test_only_plain_urls_are_kept(app, client, renders):
    client.get("/en/found?region=hk")
    client.get("/en/found?region=hk")
    client.get("/en/check/no-such-space")
    assert renders.count("checklists/found.html") == 2
    assert set(app.extensions["spotcheck_pages"]) == set()
    client.get("/en/found")
    assert set(app.extensions["spotcheck_pages"]) == {"/en/found"}


def test_the_whole_answer_is_kept_in_front_of_flask(app, client, monkeypatch):
    first = client.get("/en/check/restroom", headers={"Accept-Encoding": "br"})
    entered = []
    monkeypatch.setattr(app, "full_dispatch_request", lambda: entered.append(1) or 1 / 0)
    again = client.get("/en/check/restroom", headers={"Accept-Encoding": "br"})
    assert entered == [] and again.data == first.data
    assert dict(again.headers) == dict(first.headers)  # CSP, cache policy, ETag, Vary
    assert "X-SpotCheck-Keep" not in again.headers
    revalidated = client.get("/en/check/restroom", headers={
        "Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and entered == []
    assert "Content-Security-Policy" in revalidated.headers


def test_only_pages_flask_marks_are_kept_in_front_of_it(app, client):
    client.get("/en/report")  # no-store, never kept
    client.get("/en/found?region=hk")
    client.get("/healthz")
    keys = {path for path, _, _ in app.wsgi_app.answers}
    assert keys == set()
    client.get("/en/")
    assert {path for path, _, _ in app.wsgi_app.answers} == {"/en/"}


def test_a_page_keeps_its_own_headers_when_served_from_memory(client, monkeypatch):
    # The lens page allows the camera and forbids connections. Its first answer
    # is kept whole (for that encoding); a phone asking for another encoding was
    # answered from memory without the view, and got neither header.
    rendered = []
    real = flask.render_template
    monkeypatch.setattr(lens_views, "render_template",
                        lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    for encoding in ("identity", "br", "gzip", "br"):
        lens = client.get("/zh-hant/lens", headers={"Accept-Encoding": encoding})
        assert "camera=(self)" in lens.headers["Permissions-Policy"], encoding
        assert "connect-src 'none'" in lens.headers["Content-Security-Policy"], encoding
    assert rendered == ["lens/page.html"]
    # Its decisions stay with it: the next page from memory allows nothing.
    client.get("/zh-hant/check/restroom")
    other = client.get("/zh-hant/check/restroom", headers={"Accept-Encoding": "br"})
    assert "camera=()" in other.headers["Permissions-Policy"]
    assert "connect-src 'self'" in other.headers["Content-Security-Policy"]


def test_a_no_store_page_or_one_with_a_cookie_is_never_kept(app):
    calls = []

    @app.get("/test/private")
    @cached_page
    @no_store
    def private():
        calls.append("private")
        return "made for this request"

    @app.get("/test/with-cookie")
    @cached_page
    def with_cookie():
        calls.append("cookie")
        allow_feature("camera")
        response = flask.make_response("a page")
        response.set_cookie("kept", "no")
        return response

    client = app.test_client()
    for _ in range(2):
        assert "no-store" in client.get("/test/private").headers["Cache-Control"]
        client.get("/test/with-cookie")
    assert calls == ["private", "cookie", "private", "cookie"]
