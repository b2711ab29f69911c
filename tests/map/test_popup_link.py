"""A report's popup on the map links to its public page (issue 31, item 3), so a place
that finds itself on the map finds where to respond: the API gives each report's
public id, the map page where such pages are in its language (map.js joins the two)."""

import html
import json
import re

import pytest

from helpers import db_rows, insert_published

HONG_KONG = "114.15,22.27,114.17,22.29"  # a few streets: points, not cells


@pytest.fixture
def reports(app):
    insert_published(app, [{"lat": 22.2855, "lon": 114.1577, "venue": "Harbour Hotel"},
                           {"lat": 22.2855, "lon": 114.1577, "venue": "Hidden Hotel",
                            "verification": "reported"}])


def attribute(page: str, name: str) -> str:
    return html.unescape(re.search(rf'{name}="([^"]*)"', page)[1])


@pytest.mark.parametrize(("lang", "details"), [
    ("en", "Details, or respond as this place"), ("zh-hans", "详情，或以场所身份回应"),
    ("zh-hant", "詳情，或以場所身分回應"), ("zh-hk", "詳情，或以場所身份回應")])
def test_each_report_in_a_popup_has_its_public_page_in_the_maps_language(
        app, client, reports, lang, details):
    answer = client.get("/api/v1/reports", query_string={"bbox": HONG_KONG, "zoom": 17}).json
    [point] = answer["features"]
    shown = {r["public_id"] for r in point["properties"]["reports"]}
    assert shown == {row[0] for row in db_rows(app, "SELECT public_id FROM map_report")}
    page = client.get(f"/{lang}/map").get_data(as_text=True)
    base = attribute(page, "data-report-page")
    assert base == f"/{lang}/published/"
    assert json.loads(attribute(page, "data-labels"))["details"] == details
    for public_id in shown:  # as map.js makes the link: the page, then the id
        opened = client.get(base + public_id)
        assert opened.status_code == 200
        # In the map's language.
        assert attribute(opened.get_data(as_text=True), "<html lang") == attribute(
            page, "<html lang")


def test_below_a_base_path_the_link_is_too(app, client, reports):
    page = client.get("/en/map", environ_overrides={"SCRIPT_NAME": "/spot"}).get_data(
        as_text=True)
    assert attribute(page, "data-report-page") == "/spot/en/published/"


def test_the_public_id_is_all_the_api_adds_and_names_no_other_report(app, client, reports):
    answer = client.get("/api/v1/reports", query_string={"bbox": HONG_KONG, "zoom": 17}).json
    reports = answer["features"][0]["properties"]["reports"]
    assert {key for r in reports for key in r} <= {
        "space", "what", "verification", "device", "venue", "city", "observed_on", "note",
        "published_on", "public_id"}
    numbers = {str(n) for (n,) in db_rows(app, "SELECT id FROM report")}
    receipts = {h for (h,) in db_rows(app, "SELECT receipt_hash FROM report")}
    for report in reports:
        assert re.fullmatch(r"[0-9a-f]{16}", report["public_id"])
        assert report["public_id"] not in numbers | receipts
    # Below corroborated the venue is not named, and the public page does not name it either.
    [hidden] = [r for r in reports if r["verification"] == "reported"]
    assert "venue" not in hidden
    assert "Hidden Hotel" not in client.get(f"/en/published/{hidden['public_id']}").get_data(
        as_text=True)
