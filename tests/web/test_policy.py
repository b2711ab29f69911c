"""One page policy: a view states it once, and every answer of the page carries it whole."""

import pytest

from app.web.policy import STRICT, PagePolicy, origin_of
from helpers import PASSWORD, new_report

# One page of each kind, and the policy it states.
KINDS = {
    "/en/check/restroom": STRICT,
    "/zh-hans/lens": PagePolicy(features=frozenset({"camera"}), no_connections=True),
    "/zh-hant/offline/report": PagePolicy(features=frozenset({"geolocation"}), frames_self=True),
    "/en/map": PagePolicy(features=frozenset({"geolocation"}),
                          image_origin="https://tile.openstreetmap.org"),
    "/en/organizers/login": PagePolicy(no_store=True, cookies=True),
}
POLICY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options",
                  "Cache-Control", "Referrer-Policy")


def policy_headers(response) -> dict:
    return {name: response.headers.get(name) for name in POLICY_HEADERS}


@pytest.mark.parametrize("path", KINDS)
def test_each_kind_of_page_has_its_policy_first_time_from_memory_in_every_encoding(
        client, path):
    first = client.get(path)
    assert first.status_code == 200
    stated = KINDS[path].headers()
    assert {k: first.headers[k] for k in stated} == stated
    for encoding in ("identity", "br", "gzip", "br", "gzip", "identity"):
        again = client.get(path, headers={"Accept-Encoding": encoding})
        assert policy_headers(again) == policy_headers(first), encoding


def test_the_strict_policy_allows_nothing_from_elsewhere():
    csp = STRICT.content_security_policy()
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self'" in csp and "frame-src" not in csp
    assert all(entry.endswith("=()") for entry in STRICT.permissions_policy().split(", "))
    assert STRICT.headers()["X-Frame-Options"] == "DENY"


def test_a_policy_only_adds_to_another():
    organizer = PagePolicy(no_store=True, cookies=True)
    card = organizer.adding(PagePolicy(image_origin="https://tiles.example"))
    assert card.no_store and card.cookies and card.image_origin == "https://tiles.example"
    assert "img-src 'self' https://tiles.example" in card.content_security_policy()
    lens = STRICT.adding(PagePolicy(features=frozenset({"camera"}), no_connections=True))
    assert "camera=(self)" in lens.permissions_policy()
    assert "geolocation=()" in lens.permissions_policy()


def test_an_unknown_feature_or_tile_host_is_refused_when_the_code_loads():
    with pytest.raises(ValueError, match="unknown browser features"):
        PagePolicy(features=frozenset({"camra"}))
    assert origin_of("https://{s}.tile.example/{z}/{x}/{y}.png") == "https://*.tile.example"
    for bad in ("tile.example/{z}.png", "ftp://tiles.example/x", "https://{z}.example/a"):
        with pytest.raises(ValueError):
            origin_of(bad)


def test_an_organizers_map_card_keeps_the_area_policy_and_adds_tiles(admin):
    new_report(admin, latitude="25.033", longitude="121.565")
    card = admin.get("/en/organizers/reports/1")
    assert card.status_code == 200
    assert card.headers["Cache-Control"] == "no-store"
    assert "img-src 'self' https://tile.openstreetmap.org" in card.headers[
        "Content-Security-Policy"]
    assert PASSWORD not in card.get_data(as_text=True)
