"""The public API keeps to its OpenAPI description, checked by a peer tool (issue 14, item 8).

schemathesis reads /api/v1/openapi.json from the app in-process and sends
what the description allows (and what it does not), on a map with points and
cells to find: no answer may be a 5xx, have a status the description does not
list, or a body its schemas refuse. The description is held to the code too:
the same choices, limits and parameters.
"""

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.map import query as map_query
from app.vocab import DEVICE_CHOICES, EARLIEST, SPACES, WHAT
from helpers import ROOT, TEST_CONFIG, act, insert_published, new_report

DESCRIPTION = ROOT / "app" / "map" / "openapi.json"

# Generated questions per run, on top of schemathesis's examples and boundary cases.
EXAMPLES = int(os.environ.get("SPOTCHECK_OPENAPI_EXAMPLES", "500"))
# Besides the three the issue names: the right media type, no invalid question answered,
# and no valid one refused (bbox=0,0,0,0 was: issue 28, item 13).
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance,
          content_type_conformance, negative_data_rejection, positive_data_acceptance]
# schemathesis asks for br and gzip as requests does, but its in-process client does not
# undo them (the app compresses answers over 500 bytes): ask for the plain body.
PLAIN = {"Accept-Encoding": "identity"}
HONG_KONG = {"bbox": "113.8,22.1,114.5,22.6", "zoom": "11"}  # cells
A_FEW_STREETS = {"bbox": "114.15,22.27,114.17,22.29", "zoom": "17"}  # points


@pytest.fixture
def app(migrated):
    # No limits: every generated timestamp request is signed, not refused with a 429.
    return create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0,
                       "TIMESTAMPS_PER_CLIENT_PER_HOUR": 0})


@pytest.fixture
def map_app(app, admin):
    """The app with published reports: one with every public field, many bare ones."""
    new_report(admin, venue="Harbour Hotel", city="Hong Kong", latitude="22.2855",
               longitude="114.1577", device="clock", observed_on="2026-01-02")
    response = act(admin, 1, "publish", public=["venue", "city", "location", "device",
                                                "observed_on"], public_note="Staff removed it.")
    assert response.status_code == 200
    insert_published(app, [{"lat": 22.28 + i / 1000, "lon": 114.16 + i / 1000,
                            "what": list(WHAT)[i % 3], "venue": f"Mall {i}"}
                           for i in range(8)])
    insert_published(app, [{"lat": lat, "lon": lon, "day": "2025-06-01"}
                           for lat, lon in ((51.5, -0.12), (-33.9, 151.2), (40.7, -74.0))])
    return app


@pytest.fixture
def api_schema(map_app):
    """The description as the app serves it, with the app to call."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", map_app)


# The file the app serves (test_the_description_is_the_file_in_the_package), read here
# because schemathesis's from_fixture does not run under pytest 9.
schema = schemathesis.openapi.from_path(DESCRIPTION)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_description(case, map_app):
    case.call_and_validate(app=map_app, headers=PLAIN, checks=CHECKS)


# -- answers the generated cases might miss ---------------------------------------------


@pytest.mark.parametrize("query", [HONG_KONG, A_FEW_STREETS, {**HONG_KONG, "since": "2026-01-01"},
                                   {**A_FEW_STREETS, "what": "found", "space": "hotel-room"},
                                   {"bbox": "-180,-90,180,90", "zoom": "0"},
                                   {"bbox": "-180,-90,180,90", "zoom": "20",
                                    "since": "2025-01-01"},
                                   {"bbox": "1,1,0,0", "zoom": "3"},
                                   {"bbox": "0,0,0,0", "zoom": "0"},
                                   {"bbox": "179,-20,-179,-10", "zoom": "5"}, {"zoom": "3"},
                                   {**HONG_KONG, "page": "2"}])
def test_each_kind_of_answer_keeps_to_the_description(api_schema, query):
    operation = api_schema["/api/v1/reports"]["GET"]
    response = operation.Case(query=query).call_and_validate(headers=PLAIN, checks=CHECKS)
    assert response.status_code in (200, 400)


def test_the_seeded_map_gives_both_kinds_of_answer(map_app):
    client = map_app.test_client()
    cells = client.get("/api/v1/reports", query_string=HONG_KONG).get_json()
    points = client.get("/api/v1/reports", query_string=A_FEW_STREETS).get_json()
    assert cells["mode"] == "cells" and cells["total"] == 9
    assert points["mode"] == "points" and points["total"] == 9
    reports = [r for f in points["features"] for r in f["properties"]["reports"]]
    assert {"device", "observed_on", "note", "venue", "city"} <= {k for r in reports for k in r}


def test_a_revalidation_is_a_described_304(api_schema, map_app):
    etag = map_app.test_client().get("/api/v1/reports", query_string=HONG_KONG).headers["ETag"]
    case = api_schema["/api/v1/reports"]["GET"].Case(query=HONG_KONG,
                                                      headers={"If-None-Match": etag})
    assert case.call_and_validate(headers=PLAIN, checks=CHECKS).status_code == 304


# -- the description says what the code does ------------------------------------------------


@pytest.fixture
def description(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def test_the_description_is_served_like_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.data == DESCRIPTION.read_bytes()
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.get_json()["openapi"] == "3.1.0"
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_description_names_the_codes_parameters_and_choices(description):
    operation = description["paths"]["/api/v1/reports"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert tuple(parameters) == map_query.PARAMETERS
    assert {name for name, p in parameters.items() if p.get("required")} == {"bbox", "zoom"}
    assert parameters["zoom"]["schema"]["maximum"] == map_query.MAX_ZOOM
    schemas = description["components"]["schemas"]
    assert schemas["Space"]["enum"] == list(SPACES)
    assert schemas["What"]["enum"] == list(WHAT)
    assert schemas["Device"]["enum"] == list(DEVICE_CHOICES)
    assert schemas["Answer"]["properties"]["features"]["maxItems"] == map_query.MAX_FEATURES
    reports = schemas["PointFeature"]["properties"]["properties"]["properties"]["reports"]
    assert reports["maxItems"] == map_query.REPORTS_PER_POINT
    assert f"before {EARLIEST.isoformat()}, the earliest" in parameters["since"]["description"]


def test_the_description_is_valid_openapi(description):
    # schemathesis refuses a description that breaks the OpenAPI 3.1 schema.
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(description)))
    assert [op.ok().label for op in loaded.get_all_operations()] == [
        "GET /api/v1/reports", "POST /api/v1/timestamp", "GET /api/v1/timestamp/key"]


# -- what schemathesis found: questions the description calls invalid were answered ----------


@pytest.mark.parametrize(("params", "parameter"), [
    ({"space": ""}, "space"), ({"what": ""}, "what"), ({"since": ""}, "since"),
    ({"bbox": "1_0,0,20,1"}, "bbox"), ({"bbox": " 1,0,20,1"}, "bbox"),
    ({"bbox": "+1,0,20,1"}, "bbox"), ({"bbox": "١,0,20,1"}, "bbox"),
    ({"bbox": ".5,0,20,1"}, "bbox"),
])
def test_what_the_description_calls_invalid_is_refused(client, params, parameter):
    # An empty filter was taken as no filter, and float() took forms no number has in JSON.
    response = client.get("/api/v1/reports", query_string={"bbox": "0,0,20,1", "zoom": "3",
                                                           **params})
    assert (response.status_code, response.get_json()["parameter"]) == (400, parameter)


@pytest.mark.parametrize("bbox", ["-0.00000,-1e-05,12.34567,1E+1", "-180,-90,180,90",
                                  "114.15000,22.27000,114.17000,22.29000"])
def test_numbers_as_json_and_map_js_write_them_are_taken(client, bbox):
    response = client.get("/api/v1/reports", query_string={"bbox": bbox, "zoom": "3"})
    assert response.status_code == 200
