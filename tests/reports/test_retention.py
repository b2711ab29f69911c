"""Reviewed reports lose their private parts PRIVATE_RETENTION_DAYS after review; the public
copy stays (app/reports/retention.py, run by `flask purge-reports` and at start). Old
unpublished reports are purged whole: nothing of them stays in the instance folder."""

import struct
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import format_date

import photo_samples
from app import create_app
from app import reports as reports_package
from app.db import connect
from app.map import publish as public_map
from app.review import actions as review_actions
from app.vocab import today
from helpers import NEW_REPORT, TEST_CONFIG, act, db_rows, receipt_of, stored_photos, submit

HONG_KONG = {"latitude": "22.2855", "longitude": "114.1577"}
SEEN = "114.15,22.27,114.17,22.29"  # the map API's bbox around HONG_KONG


@pytest.fixture
def app(migrated):
    # Several reports from one test client: switch the per-visitor limit off.
    return create_app({**TEST_CONFIG, "REPORTS_PER_CLIENT_PER_HOUR": 0})


def move_day(monkeypatch, days: int):
    """The CLI (and the start) run as if `days` had passed since today."""
    later = today() + timedelta(days=days)
    monkeypatch.setattr(reports_package, "today", lambda: later)
    return later


def purge(app) -> str:
    result = app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    return result.output


def report_with_secrets(client, marker: str, **fields) -> str:
    """A report whose private parts all hold `marker`, with a photo, a reply and a question."""
    code = receipt_of(submit(
        client, photo=("p.jpg", photo_samples.jpeg_with_gps()), **NEW_REPORT, **HONG_KONG,
        venue="Harbour Hotel", city=f"{marker}-city", device="clock", observed_on="2026-11-01",
        told_venue="yes", told_police="yes", response=f"{marker}-response",
        description=f"{marker}-description", **fields))
    report_id = db_rows(client.application, "SELECT max(id) FROM report")[0][0]
    client.post("/en/report/status", data={"code": code, "reply": f"{marker}-reply"})
    act(client, report_id, "ask", question="Which floor?")
    return code


def private_parts(app, report_id: int) -> dict:
    [row] = db_rows(app, "SELECT description, response, told_venue, told_police, city, "
                         "latitude, longitude, private_cleared_on FROM report WHERE id = ?",
                    (report_id,))
    return {**dict(row),
            "messages": db_rows(app, "SELECT count(*) FROM report_message WHERE report_id = ?",
                                (report_id,))[0][0],
            "photos": db_rows(app, "SELECT count(*) FROM report_photo WHERE report_id = ?",
                              (report_id,))[0][0]}


def instance_files(app) -> dict[str, bytes]:
    return {p.relative_to(app.instance_path).as_posix(): p.read_bytes()
            for p in Path(app.instance_path).rglob("*") if p.is_file()}


def public_copy(app, client) -> tuple:
    return ([dict(r) for r in db_rows(app, "SELECT * FROM map_report ORDER BY report_id")],
            client.get("/api/v1/reports", query_string={"bbox": SEEN, "zoom": 17}).data)


def test_a_published_report_keeps_only_its_public_copy_after_retention(app, admin, monkeypatch):
    code = report_with_secrets(admin, "MARKER-7f3a")
    act(admin, 1, "publish", public=["venue", "location", "device"], public_note="Confirmed.",
        verification="corroborated")  # so the venue is public (issue 31)
    [(lat, lon)] = db_rows(app, "SELECT latitude, longitude FROM report")
    [(photo,)] = db_rows(app, "SELECT webp FROM report_photo")
    before = private_parts(app, 1)
    assert before["messages"] == 2 and before["photos"] == 1 and before["told_venue"] == 1
    public = public_copy(app, admin)
    list_page = admin.get("/en/map?view=list").get_data(as_text=True)
    assert "Harbour Hotel" in list_page

    move_day(monkeypatch, 29)
    assert "deleted the private parts of 0 reports reviewed 30 or more days ago" in purge(app)
    assert private_parts(app, 1) == before
    cleared_on = move_day(monkeypatch, 30)
    assert "deleted the private parts of 1 reports reviewed 30 or more days ago" in purge(app)

    after = private_parts(app, 1)
    [grid_lat, grid_lon] = public[0][0]["latitude"], public[0][0]["longitude"]
    assert after == {"description": None, "response": None, "told_venue": 0, "told_police": 0,
                     "city": None, "latitude": grid_lat, "longitude": grid_lon,
                     "private_cleared_on": cleared_on.isoformat(), "messages": 0, "photos": 0}
    assert (grid_lat, grid_lon) != (lat, lon)
    # Nowhere under the instance folder: database, -wal, -shm or anything else.
    files = instance_files(app)
    assert "spotcheck.sqlite3" in files
    precise = [struct.pack(">d", lat), struct.pack(">d", lon)]
    for name, data in files.items():
        for needle in (b"MARKER-7f3a", photo[len(photo) // 2:len(photo) // 2 + 64], *precise):
            assert needle not in data, f"{needle[:20]!r} still in {name}"
    # The public copy is exactly as it was, and a rebuild from the reports makes it again.
    assert public_copy(app, admin) == public
    assert admin.get("/en/map?view=list").get_data(as_text=True) == list_page
    with closing(connect(app.config["DATABASE"])) as conn:
        public_map.rebuild(conn, app.config["LOCATION_GRID_METRES"])
    assert public_copy(app, admin)[0] == public[0]
    # Cleared once: the next run has nothing to do.
    assert "deleted the private parts of 0 reports" in purge(app)
    # Her status page still answers, with nothing private left on it.
    response = admin.post("/en/report/status", data={"code": code})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Published." in html and "MARKER" not in html and "Which floor?" not in html


def test_an_answer_sent_after_clearing_goes_at_the_next_run(app, admin, monkeypatch):
    code = report_with_secrets(admin, "MARKER-late")
    act(admin, 1, "publish", public=["venue"])
    move_day(monkeypatch, 30)
    purge(app)
    admin.post("/en/report/status", data={"code": code, "reply": "MARKER-after"})
    assert private_parts(app, 1)["messages"] == 1
    assert "deleted the private parts of 0 reports" in purge(app)
    assert private_parts(app, 1)["messages"] == 0
    assert all(b"MARKER-after" not in data for data in instance_files(app).values())


def test_rejected_and_duplicate_reports_are_cleared_and_waiting_ones_are_not(
        app, admin, monkeypatch):
    for marker in ("MARKER-rej", "MARKER-dup", "MARKER-wait", "MARKER-late"):
        report_with_secrets(admin, marker)
    act(admin, 1, "reject")
    act(admin, 2, "duplicate", original="1")
    # Reviewed a day later, so 29 days before the run.
    later = today() + timedelta(days=1)
    monkeypatch.setattr(review_actions, "today", lambda: later)
    act(admin, 4, "reject")

    move_day(monkeypatch, 30)
    assert "deleted the private parts of 2 reports" in purge(app)
    for report_id in (1, 2):
        parts = private_parts(app, report_id)
        # Never published: no place is kept at all, not even on the grid.
        assert (parts["description"], parts["latitude"], parts["city"], parts["messages"],
                parts["photos"]) == (None, None, None, 0, 0)
    assert tuple(db_rows(app, "SELECT status, duplicate_of FROM report WHERE id = 2")[0]) == (
        "rejected", 1)
    for report_id, marker in ((3, "MARKER-wait"), (4, "MARKER-late")):
        parts = private_parts(app, report_id)
        assert parts["description"] == f"{marker}-description"
        assert (parts["messages"], parts["photos"], parts["private_cleared_on"]) == (2, 1, None)


def test_the_organizer_sees_when_private_parts_go_then_that_they_went(app, admin, monkeypatch):
    report_with_secrets(admin, "MARKER-card")
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    assert "private parts of this report" not in page  # not reviewed yet: no date to give
    act(admin, 1, "publish", public=["venue"])
    due = today() + timedelta(days=30)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    assert ("The private parts of this report (description, photo, messages, exact location) "
            f"are deleted on {format_date(due, locale='en')}.") in page
    # The date in her language's own format (the sentence waits for the catalogs).
    chinese = admin.get("/zh-hans/organizers/reports/1").get_data(as_text=True)
    assert format_date(due, locale="zh_Hans_CN") in chinese

    move_day(monkeypatch, 31)
    purge(app)
    page = admin.get("/en/organizers/reports/1").get_data(as_text=True)
    gone_on = format_date(due + timedelta(days=1), locale="en")
    assert f"exact location) were deleted on {gone_on}." in page
    assert "MARKER-card" not in page and "Which floor?" not in page
    assert "Harbour Hotel" in page  # what the public copy shows stays
    assert admin.get("/en/organizers/reports/1/photo").status_code == 404


def test_retention_runs_at_start_too(app, admin, monkeypatch):
    report_with_secrets(admin, "MARKER-start")
    act(admin, 1, "publish", public=["venue"])
    move_day(monkeypatch, 30)
    create_app(TEST_CONFIG)
    assert private_parts(app, 1)["description"] is None


@pytest.mark.parametrize("days", [0, -5, "30", True, 2.5])
def test_the_retention_setting_must_be_a_positive_whole_number(instance, days):
    with pytest.raises(RuntimeError, match="SPOTCHECK_PRIVATE_RETENTION_DAYS"):
        create_app({**TEST_CONFIG, "PRIVATE_RETENTION_DAYS": days})
    assert create_app({**TEST_CONFIG, "PRIVATE_RETENTION_DAYS": 1}).config[
        "PRIVATE_RETENTION_DAYS"] == 1
    assert create_app(TEST_CONFIG).config["PRIVATE_RETENTION_DAYS"] == 30


def test_deleting_a_report_finds_its_duplicates_by_an_index(app):
    # ON DELETE SET NULL searches report.duplicate_of for every deleted report; without
    # an index the purge scanned the whole table per report (40-67 s for 1,000 of 100,000).
    with closing(connect(app.config["DATABASE"])) as db:
        indexed = {
            db.execute(f"PRAGMA index_info({row['name']})").fetchone()["name"]
            for row in db.execute("PRAGMA index_list(report)")
        }
        plan = " ".join(row[3] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM report WHERE duplicate_of = ?", (1,)))
    assert "duplicate_of" in indexed
    assert "INDEX report_duplicate_of (duplicate_of=?)" in plan


# -- unpublished reports: purged with nothing left behind, ids never given again (issue 15) --

VALID = {"space": "restroom", "what": "found"}


MARKER = "MARKER-7f3a9c-lifecycle"


def make_old(app, report_id: int) -> None:
    old = (today() - timedelta(days=91)).isoformat()
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = ? WHERE id = ?", (old, report_id))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_purged_report_is_nowhere_in_the_instance_folder(instance, umask_022):
    app = create_app(TEST_CONFIG)
    client = app.test_client()
    submit(client, description=f"{MARKER} description", venue=f"{MARKER} venue",
           photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    submit(client, description="a report that stays", **VALID)
    [photo] = stored_photos(app)
    # Some bytes from the middle of the stored WebP stand for the photo.
    piece = photo[len(photo) // 2: len(photo) // 2 + 48]
    everything = b"".join(p.read_bytes() for p in files_under(instance))
    assert MARKER.encode() in everything and piece in everything  # there, to begin with
    make_old(app, 1)

    result = app.test_cli_runner().invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unpublished reports" in result.output
    assert db_rows(app, "SELECT * FROM report_photo") == []
    assert [r["id"] for r in db_rows(app, "SELECT id FROM report")] == [2]
    scanned = {p.name for p in files_under(instance)}
    assert {"spotcheck.sqlite3", "spotcheck.sqlite3-wal", "spotcheck.sqlite3-shm"} <= scanned
    for path in files_under(instance):
        data = path.read_bytes()
        assert MARKER.encode() not in data, f"the description is still in {path.name}"
        assert piece not in data, f"the photo is still in {path.name}"
    assert b"a report that stays" in (instance / "spotcheck.sqlite3").read_bytes()


def test_a_purged_id_is_never_given_again(instance):
    app = create_app(TEST_CONFIG)
    client = app.test_client()
    submit(client, **VALID)
    submit(client, **VALID)
    make_old(app, 2)  # the newest: without AUTOINCREMENT its id would come back
    assert app.test_cli_runner().invoke(args=["purge-reports"]).exit_code == 0
    submit(client, **VALID)
    assert [r["id"] for r in db_rows(app, "SELECT id FROM report ORDER BY id")] == [1, 3]
