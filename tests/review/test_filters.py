"""The queue filtered by verification level and by a response waiting (issue 31, item 4),
and the indexes that keep those filters and a card's likely duplicates fast (migration 0015).

Without JavaScript: the plain GET form and the "Older reports" link. With it, that link
loads the next rows in place (htmx): the same address, answered with the rows alone.
"""

import re
import secrets
from contextlib import closing

import pytest

from app.db import connect
from helpers import db_rows, visible_text

# Each report: (status, verification, the response's status and held, if it has one).
REPORTS = {
    1: ("received", None, None),
    2: ("published", "reported", None),
    3: ("published", "corroborated", None),
    4: ("published", "disputed", ("received", 0)),   # a response waiting
    5: ("published", "corroborated", ("received", 0)),  # a response waiting
    6: ("published", "reported", ("received", 1)),   # held in a flood: not yet waiting
    7: ("published", "corroborated", ("declined", 0)),
    8: ("published", "resolved", ("published", 0)),
    9: ("rejected", None, None),
}


@pytest.fixture
def reports(app):
    with closing(connect(app.config["DATABASE"])) as db:
        for number, (status, level, response) in REPORTS.items():
            db.execute(
                "INSERT INTO report (id, idempotency_hash, receipt_sealed, receipt_hash, status, "
                "space, what, venue, city, latitude, longitude, submitted_on, public_fields, "
                "verification) VALUES (?, ?, x'00', ?, ?, 'restroom', 'found', 'Mall', "
                "'Taipei', 25.03, 121.56, '2026-11-01', ?, ?)",
                (number, secrets.token_hex(16), secrets.token_hex(16), status,
                 '["venue"]' if status == "published" else None, level))
            if response:
                db.execute(
                    "INSERT INTO response (report_id, idempotency_hash, receipt_sealed, "
                    "receipt_hash, status, held, role, body, asks, received_on) VALUES "
                    "(?, ?, x'00', ?, ?, ?, 'Manager', 'We checked.', 'correct', '2026-11-30')",
                    (number, secrets.token_hex(16), secrets.token_hex(16), *response))
        db.commit()


def listed(client, query: str, lang: str = "en") -> list[int]:
    html = client.get(f"/{lang}/organizers/?{query}").get_data(as_text=True)
    return [int(n) for n in re.findall(r'class="queue-link">#(\d+)', html)]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(("query", "shown"), [
    ("", [1]),  # the queue as before: waiting for review
    ("level=corroborated", [7, 5, 3]),
    ("level=disputed", [4]),
    ("level=confirmed", []),
    ("status=published&level=reported", [6, 2]),
    # A level or a waiting response means published, whatever status was chosen.
    ("status=received&level=resolved", [8]),
    ("pending=1", [5, 4]),  # not the held one (6), nor one declined or published (7, 8)
    ("status=rejected&pending=1", [5, 4]),
    ("pending=1&level=corroborated", [5]),
    ("pending=1&level=reported", []),
    ("pending=1&space=fitting-room", []),
    ("level=no-such-level", [1]),  # unknown: no filter
    ("pending=yes", [1]),
])
def test_the_queue_filters_by_level_and_by_a_response_waiting(app, admin, reports, lang,
                                                               query, shown):
    assert listed(admin, query, lang) == shown


@pytest.mark.parametrize(("lang", "level", "pending", "only"), [
    ("en", "Verification level", "A response is waiting",
     "With a level or a waiting response, only published reports are shown."),
    ("zh-hans", "核实程度", "有待处理的回应",
     "按核实程度或待处理的回应筛选时，只显示已公开的举报。")])
def test_the_filter_form_shows_what_was_chosen_in_each_language(app, admin, reports, lang,
                                                                level, pending, only):
    html = admin.get(f"/{lang}/organizers/?level=disputed&pending=1").get_data(as_text=True)
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<option value="disputed" selected>', form)
    assert re.search(r'<option value="published" selected>', form)  # the status it implies
    assert re.search(r'name="pending" value="1"[^>]* checked', form)
    text = visible_text(form)
    assert level in text and pending in text and only in text
    # Nothing chosen: nothing ticked.
    form = admin.get(f"/{lang}/organizers/").get_data(as_text=True).split(
        'role="search"', 1)[1].split("</form>", 1)[0]
    assert " checked" not in form and 'value="disputed" selected' not in form


def test_the_next_page_and_the_bulk_form_keep_the_filters(app, admin, reports, monkeypatch):
    monkeypatch.setattr("app.review.views.PAGE_SIZE", 2)
    html = admin.get("/en/organizers/?level=corroborated").get_data(as_text=True)
    assert re.findall(r'class="queue-link">#(\d+)', html) == ["7", "5"]
    older = re.search(r'<a href="([^"]+)" data-hx-get="\1"', html)[1].replace("&amp;", "&")
    assert "level=corroborated" in older and "pending" not in older
    # Without JavaScript, the page; with htmx, the rows alone: both only the level's.
    assert re.findall(r'class="queue-link">#(\d+)', admin.get(older).get_data(
        as_text=True)) == ["3"]
    rows = admin.get(older, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in rows and re.findall(r'class="queue-link">#(\d+)', rows) == ["3"]
    # After a bulk action, the queue shown is still the filtered one.
    bulk_url = re.search(r'<form method="post" action="([^"]+/bulk[^"]*)"', html)[1]
    assert "level=corroborated" in bulk_url
    html = admin.get("/en/organizers/?pending=1").get_data(as_text=True)
    assert "pending=1" in re.search(r'action="([^"]+/bulk[^"]*)"', html)[1]


# -- the indexes (migration 0015) ------------------------------------------------------

def plans(app, client, url: str) -> list[tuple[str, str]]:
    """Each SELECT on `report` that a request makes, with its query plan."""
    statements: list[str] = []
    with app.app_context():
        db = app.extensions["spotcheck_db"].get(app.config["DATABASE"])
    db.set_trace_callback(statements.append)
    try:
        assert client.get(url).status_code == 200
    finally:
        db.set_trace_callback(None)
    return [(sql, " / ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")))
            for sql in statements
            if sql.lstrip().upper().startswith("SELECT") and re.search(r"\bFROM report\b", sql)]


def test_likely_duplicates_are_read_through_the_place_index(app, admin, reports):
    [suggestions] = [plan for sql, plan in plans(app, admin, "/en/organizers/reports/1")
                     if "latitude BETWEEN" in sql]
    assert re.search(r"SEARCH report USING INDEX report_place \(space=\? AND latitude>\? "
                     r"AND latitude<\?\)", suggestions), suggestions


def test_a_level_is_read_through_its_index_and_a_waiting_response_through_its_own(
        app, admin, reports):
    [(_sql, level)] = plans(app, admin, "/en/organizers/?level=corroborated")[:1]
    assert "USING INDEX report_level (verification=? AND status=? AND held=?" in level, level
    [(_sql, pending)] = plans(app, admin, "/en/organizers/?pending=1")[:1]
    assert "SCAN report" not in pending and re.search(r"SEARCH response USING (COVERING )?"
                                                      r"INDEX response_\w+", pending), pending


def test_the_indexes_are_there_for_reports_with_a_location_or_a_level(app):
    indexes = {row[0]: row[1] for row in db_rows(
        app, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report'")}
    assert "WHERE latitude IS NOT NULL" in indexes["report_place"]
    assert "WHERE verification IS NOT NULL" in indexes["report_level"]
