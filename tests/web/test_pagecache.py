"""Public pages kept whole in memory: rendered once per URL and encoding, then only bytes."""

import gzip

import brotli
import flask
import pytest

from app.checklists import views as checklist_views
from app.web.pagecache import cached_page, kept_paths
from app.web.policy import no_store, page_policy


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
    weak = client.get("/zh-hans/check/hotel-room", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304 and renders == []
    other = client.get("/zh-hans/check/hotel-room", headers={"If-None-Match": '"not-it"'})
    assert other.status_code == 200 and renders == []


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


def test_arguments_a_page_does_not_read_neither_render_nor_add_an_entry(app, client, renders):
    first = client.get("/en/check/restroom")
    for junk in ("?x=1", "?utm_source=poster&x=2", "?page=99999999999999999999", "?=", "?a"):
        again = client.get(f"/en/check/restroom{junk}")
        assert again.status_code == 200 and again.data == first.data, junk
    assert renders == ["checklists/checklist.html"]
    assert kept_paths(app) == {"/en/check/restroom"}
    assert len(app.extensions["spotcheck_page_cache"].answers) == 1


def test_an_argument_the_page_reads_is_rendered_each_time_and_never_kept(app, client, renders):
    client.get("/en/found?region=hk")
    client.get("/en/found?region=hk&x=1")
    client.get("/en/check/no-such-space")
    assert renders.count("checklists/found.html") == 2
    assert kept_paths(app) == set()
    plain = client.get("/en/found")
    assert kept_paths(app) == {"/en/found"}
    # Kept, and still rendered afresh for a region: the kept page has no region.
    hong_kong = client.get("/en/found?region=hk")
    assert renders.count("checklists/found.html") == 4
    assert hong_kong.data != plain.data


def test_the_whole_answer_is_kept_in_front_of_flask(app, client, monkeypatch):
    first = client.get("/en/check/restroom", headers={"Accept-Encoding": "br"})
    entered = []
    monkeypatch.setattr(app, "full_dispatch_request", lambda: entered.append(1) or 1 / 0)
    again = client.get("/en/check/restroom", headers={"Accept-Encoding": "br"})
    assert entered == [] and again.data == first.data
    assert dict(again.headers) == dict(first.headers)  # CSP, cache policy, ETag, Vary
    assert "X-SpotCheck-Keep" not in again.headers
    head = client.head("/en/check/restroom", headers={"Accept-Encoding": "br"})
    assert head.data == b"" and head.headers["ETag"] == first.headers["ETag"] and entered == []
    revalidated = client.get("/en/check/restroom", headers={
        "Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and entered == []
    assert "Content-Security-Policy" in revalidated.headers


def test_only_pages_flask_marks_are_kept_in_front_of_it(app, client):
    client.get("/en/report")  # no-store, never kept
    client.get("/en/found?region=hk")
    client.get("/healthz")
    client.get("/en/map")
    assert kept_paths(app) == set()
    client.get("/en/")
    assert kept_paths(app) == {"/en/"}


def test_an_htmx_request_neither_gets_nor_leaves_a_kept_page(app, client):
    # The offline report shell varies on HX-Request: a fragment must never be
    # kept as the page, nor the page given to htmx.
    fragment = client.get("/en/offline/report", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data and kept_paths(app) == set()
    page = client.get("/en/offline/report")
    assert b"<html" in page.data and kept_paths(app) == {"/en/offline/report"}
    again = client.get("/en/offline/report", headers={"HX-Request": "true"})
    assert b"<html" not in again.data


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
    @page_policy(features={"camera"})
    def with_cookie():
        calls.append("cookie")
        response = flask.make_response("a page")
        response.set_cookie("kept", "no")
        return response

    client = app.test_client()
    for _ in range(2):
        assert "no-store" in client.get("/test/private").headers["Cache-Control"]
        client.get("/test/with-cookie")
    assert calls == ["private", "cookie", "private", "cookie"]
