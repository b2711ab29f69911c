"""The queue's export links carry every filter it shows, and the exports apply them, read
by the queue's own code (review/reading.py QueueFilters): an organizer who filtered to
"corroborated" exports the corroborated reports, not all of them (issue 31, item 4)."""

import csv
import io
import json
import re
import secrets
from contextlib import closing
from html import unescape as html_unescape
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from app.db import connect
from helpers import audit, insert_published

# Report numbers follow the order inserted: (venue, level).
PUBLISHED = [("One Mall", "reported"), ("Two Mall", "corroborated"),
             ("Three Mall", "corroborated"), ("Four Mall", "disputed")]


@pytest.fixture
def reports(app):
    insert_published(app, [{"lat": 25.03 + n / 100, "lon": 121.56, "venue": venue,
                            "city": "Taipei", "verification": level}
                           for n, (venue, level) in enumerate(PUBLISHED)])
    # A response from the place waits on report 3 (and one held in a flood on report 1).
    with closing(connect(app.config["DATABASE"])) as db:
        for report_id, held in ((3, 0), (1, 1)):
            db.execute(
                "INSERT INTO response (report_id, idempotency_hash, receipt_sealed, "
                "receipt_hash, status, held, role, body, asks, received_on) VALUES "
                "(?, ?, x'00', ?, 'received', ?, 'Manager', 'We checked.', 'correct', "
                "'2026-11-30')",
                (report_id, secrets.token_hex(16), secrets.token_hex(16), held))
        db.commit()


# The report number is each export's first column, whatever its header's language.
def csv_numbers(response) -> list[int]:
    assert response.status_code == 200
    _header, *rows = csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
    return [int(row[0]) for row in rows]


def xlsx_numbers(response) -> list[int]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    _header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [row[0] for row in rows]


def geojson_numbers(response) -> list[int]:
    assert response.status_code == 200
    return [f["properties"]["id"] for f in json.loads(response.data)["features"]]


READERS = {"csv": csv_numbers, "xlsx": xlsx_numbers, "geojson": geojson_numbers}


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize(("query", "numbers"), [
    ("", [4, 3, 2, 1]),
    ("level=corroborated", [3, 2]),
    ("level=disputed", [4]),
    ("level=confirmed", []),
    ("pending=1", [3]),  # not report 1: its response is held
    ("pending=1&level=reported", []),
    ("level=corroborated&city=taipei&space=restroom", [3, 2]),
    ("level=corroborated&space=fitting-room", []),
    # Not understood: no filter, as the queue reads them, never an error.
    ("level=no-such-level", [4, 3, 2, 1]),
    ("level=Corroborated&pending=yes&space=%00&city=%20Taipei%20", [4, 3, 2, 1]),
    ("city=" + "x" * 5000, []),
    ("level=corroborated&level=disputed", [3, 2]),
])
def test_the_published_exports_apply_the_queues_filters(admin, reports, kind, query, numbers):
    response = admin.get(f"/en/organizers/export/published.{kind}?{query}")
    assert READERS[kind](response) == numbers


def test_the_full_exports_apply_a_level_and_a_response_waiting_as_the_queue_does(
        app, admin, reports):
    # A level means published reports, whatever status was asked for (as in the queue).
    for kind in ("csv", "xlsx"):
        assert READERS[kind](admin.get(
            f"/en/organizers/export/all.{kind}?status=received&level=corroborated")) == [3, 2]
        assert READERS[kind](admin.get(f"/en/organizers/export/all.{kind}?pending=1")) == [3]
    # On the record with those filters, in the organizer's language.
    assert [line[3] for line in audit(app)][-4:] == [
        "published level=corroborated", "published pending=1"] * 2
    html = admin.get("/zh-hans/organizers/audit").get_data(as_text=True)
    assert "已公开 · 多方印证" in html and "已公开 · 有待处理的回应" in html


def export_links(html: str) -> dict[str, dict[str, list[str]]]:
    """The queue's links to the exports of published reports: each one's query, by kind."""
    links = [html_unescape(link) for link in re.findall(
        r'<a href="([^"]+/export/published\.\w+[^"]*)"', html)]
    return {urlsplit(link).path.rsplit(".", 1)[1]: parse_qs(urlsplit(link).query)
            for link in links}


@pytest.mark.parametrize("lang", ["en", "zh-hant"])
def test_the_queues_export_links_carry_every_filter_it_shows(admin, reports, lang):
    html = admin.get(f"/{lang}/organizers/?level=corroborated&pending=1&space=restroom"
                     "&city=Taipei").get_data(as_text=True)
    links = export_links(html)
    assert set(links) == {"csv", "xlsx", "geojson"}
    for query in links.values():
        assert query == {"level": ["corroborated"], "pending": ["1"], "space": ["restroom"],
                         "city": ["Taipei"]}
    # Following each link exports what the queue shows: report 3.
    for kind, query in links.items():
        url = f"/{lang}/organizers/export/published.{kind}?" + "&".join(
            f"{k}={v[0]}" for k, v in query.items())
        assert READERS[kind](admin.get(url)) == [3]
    # A filter not set, or not understood, is not carried.
    links = export_links(admin.get(f"/{lang}/organizers/?level=corroborated&pending=yes"
                                   ).get_data(as_text=True))
    assert all(query == {"level": ["corroborated"]} for query in links.values())
