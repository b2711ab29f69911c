"""The statistics page (app/review/stats.py) agrees with a plain count of the reports
(issue 19).

The stats page reads running totals, not the report table; these tests build
reports with known statuses and dates, change them every way the app can, and
check the page against a count made the slow, obvious way each time."""

import random
import re
import secrets
import statistics
from contextlib import closing
from datetime import date, timedelta
from html import unescape as html_unescape

from app.db import connect, get_db, migrate
from app.reports import retention, store
from app.review import stats as review_stats
from app.vocab import SPACES, WHAT, today
from helpers import act, db_rows, new_report


def test_stats_page_draws_its_charts(admin):
    for space in ("restroom", "restroom", "hotel-room"):
        new_report(admin, space=space)
    html = admin.get("/en/organizers/stats").get_data(as_text=True)
    assert html.count('<rect x="') >= 2 and "Public toilet, " in html
    assert "No report has been reviewed yet." in html
    act(admin, 1, "reject")
    assert "Median: 0.0 days" in admin.get("/en/organizers/stats").get_data(as_text=True)


STATS_PAGE = "/en/organizers/stats"


def fill_known_reports(app, count: int, seed: int) -> None:
    """`count` reports with random status, space, kind and dates over the last 20 weeks."""
    rng = random.Random(seed)
    day = today()
    rows = []
    for _ in range(count):
        status = rng.choice(["received", "received", "published", "rejected"])
        submitted = day - timedelta(days=rng.randint(0, 140))
        reviewed = (min(day, submitted + timedelta(days=rng.randint(0, 40)))
                    if status != "received" else None)
        rows.append((secrets.token_hex(16), secrets.token_hex(16), status,
                     rng.choice(list(SPACES)), rng.choice(list(WHAT)), submitted.isoformat(),
                     reviewed and reviewed.isoformat()))
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, submitted_on, reviewed_on) VALUES (?, x'00', ?, ?, ?, ?, ?, ?)", rows)


def stats_by_hand(app) -> dict:
    """What the stats page should say, counted from every report row."""
    rows = db_rows(app, "SELECT space, what, submitted_on, reviewed_on FROM report")
    first_week = today() - timedelta(days=today().weekday()) - timedelta(weeks=11)
    weeks: dict[tuple[str, str], int] = {}
    for row in rows:
        submitted = date.fromisoformat(row["submitted_on"])
        if submitted >= first_week:
            key = (row["space"], (submitted - timedelta(days=submitted.weekday())).isoformat())
            weeks[key] = weeks.get(key, 0) + 1
    per_week: dict[str, int] = {}
    for (_, week), n in weeks.items():
        per_week[week] = per_week.get(week, 0) + n
    waits = [(date.fromisoformat(r["reviewed_on"]) - date.fromisoformat(r["submitted_on"])).days
             for r in rows if r["reviewed_on"]]
    return {"weeks": weeks, "tallest": max([*per_week.values(), 1]),
            "what": {key: sum(r["what"] == key for r in rows) for key in WHAT},
            "median": f"{statistics.median(waits):.1f}" if waits else None,
            "reviewed": len(waits), "total": len(rows)}


def stats_on_page(client) -> dict:
    """The numbers the stats page shows, read back out of its HTML."""
    html = client.get(STATS_PAGE).get_data(as_text=True)
    space_of = {str(label): key for key, label in SPACES.items()}
    weeks = {(space_of[html_unescape(label)], week): int(n) for label, week, n in
             re.findall(r"<title>(.+?), (\d{4}-\d\d-\d\d): (\d+)</title>", html)}
    median = re.search(r"Median: ([\d.]+) days, over (\d+) reviewed reports \((\d+) in all\)",
                       html)
    return {"weeks": weeks,
            "tallest": int(re.search(r'text-anchor="end">(\d+)</text>', html)[1]),
            "what": {key: int(n) for key, n in
                     re.findall(r'class="bar-(\w+)"/>\s*<text [^>]*>(\d+)</text>', html)},
            "median": median and median[1],
            "reviewed": int(median[2]) if median else 0,
            "total": int(median[3]) if median else None}


def assert_stats_agree(app, client) -> None:
    expected, shown = stats_by_hand(app), stats_on_page(client)
    if expected["median"] is None:  # the page gives the total only beside a median
        shown["total"] = expected["total"]
    assert shown == expected


def test_stats_page_equals_a_plain_count_through_every_kind_of_change(app, admin):
    fill_known_reports(app, 300, seed=19)
    assert_stats_agree(app, admin)
    # Reviews through the app: a pending report published, a published one rejected
    # after its review had been moved weeks back (a re-review changes the wait).
    received, published = (
        [r[0] for r in db_rows(app, "SELECT id FROM report WHERE status = ? ORDER BY id",
                               (status,))] for status in ("received", "published"))
    act(admin, received[0], "publish", public=["venue"])
    act(admin, received[1], "reject")
    act(admin, received[2], "duplicate", original=published[0])
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET reviewed_on = submitted_on WHERE id = ?",
                     (published[1],))
    act(admin, published[1], "reject")
    act(admin, received[3], "ask", question="Which floor?")
    assert_stats_agree(app, admin)
    # New reports through the form, then everything retention and purging delete or clear.
    new_report(admin, space="transport", what="filming")
    new_report(admin)
    assert_stats_agree(app, admin)
    with closing(connect(app.config["DATABASE"])) as conn:
        assert store.purge(conn, 60, today()) > 0
        assert retention.forget_private_parts(conn, 10, today()) > 0
        conn.execute("DELETE FROM report WHERE id = ?", (published[2],))
        conn.execute("UPDATE report SET submitted_on = ?, space = 'other', what = 'found' "
                     "WHERE id = ?", ((today() - timedelta(days=3)).isoformat(), published[3]))
    assert_stats_agree(app, admin)
    # And when every report is gone, the page says so.
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("DELETE FROM map_report")
        conn.execute("DELETE FROM report")
    assert_stats_agree(app, admin)
    assert "No report has been reviewed yet." in admin.get(STATS_PAGE).get_data(as_text=True)


def test_stats_read_running_totals_not_the_report_table(app, admin):
    """At a million reports a scan of `report` took 1.7 s: no statistics query may read it."""
    fill_known_reports(app, 50, seed=1)
    statements: list[str] = []
    with app.test_request_context():
        db = get_db()
        db.set_trace_callback(statements.append)
        try:
            review_stats.summary(today())
        finally:
            db.set_trace_callback(None)
        plans = [detail for sql in statements for *_, detail in
                 db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]
    assert statements and plans
    assert not [d for d in plans if re.search(r"\breport\b", d)], plans


def test_stats_count_the_reports_made_before_the_totals_existed(app, admin):
    """Migration 0010 counts the reports already there when it adds the running totals."""
    with closing(connect(app.config["DATABASE"])) as conn:
        # 0015's indexes first: they name 0012's and 0013's columns. Run again below.
        for index in ("report_place", "report_level"):
            conn.execute(f"DROP INDEX IF EXISTS {index}")
        for kind, name in [("TRIGGER", "report_tally_insert"), ("TRIGGER", "report_tally_delete"),
                           ("TRIGGER", "report_tally_update"), ("TABLE", "report_day_tally"),
                           ("TABLE", "report_what_tally"), ("TABLE", "review_wait_tally"),
                           ("INDEX", "report_duplicate_of")]:  # 0011's, run again below
            conn.execute(f"DROP {kind} {name}")
        conn.execute("DROP INDEX report_queue_held")  # 0012's, run again below
        conn.execute("ALTER TABLE report DROP COLUMN held")
        conn.execute("DROP INDEX map_report_list_verification")  # and 0013's
        for table, column in (("report", "verification"), ("report", "verification_note"),
                              ("map_report", "verification")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        # 0014's (the right of reply), run again below.
        for statement in ("DROP TABLE response", "DROP TRIGGER report_public_id",
                          "DROP INDEX report_public_id", "DROP INDEX map_report_public_id",
                          "ALTER TABLE report DROP COLUMN public_id",
                          "ALTER TABLE map_report DROP COLUMN public_id"):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 9")  # as if 0010 had never run
    fill_known_reports(app, 200, seed=10)
    with closing(connect(app.config["DATABASE"])) as conn:
        assert [m.name for m in migrate(conn)] == ["report_tallies", "duplicate_index",
                                                   "held_reports", "verification_levels",
                                                   "responses", "review_filters"]
    assert_stats_agree(app, admin)
