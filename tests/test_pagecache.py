"""Public pages rendered once per URL, then served from memory."""

import gzip

import brotli
import flask
import pytest

from app.checklists import views as checklist_views


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
