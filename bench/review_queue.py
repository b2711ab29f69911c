"""Review queue speed: the queue page, a report's card and a filtered export with 100,000
reports.

    .venv/bin/python bench/review_queue.py [--reports 100000]

Fills a fresh database, signs an organizer in, then times requests through
the app (no network in between): the queue page with random filters and
pages (place, city, verification level, a response pending), a report's card
(with its likely duplicates), and the published-reports CSV export filtered by
city and place, by level, and by a response pending. Prints p50 and p95 per kind.
Target: the queue page under 50 ms at p95.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import closing

os.environ["SPOTCHECK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="spotcheck-bench-")

from app import create_app
from app.db import connect
from app.map import publish as public_map
from app.organizers import accounts as auth

SPACES = ["restroom", "fitting-room", "hotel-room", "changing-room", "medical-room",
          "transport", "other"]
LEVELS = ["reported", "corroborated", "confirmed", "resolved", "disputed"]
CITIES = ["Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Chengdu", "Hong Kong", "Taipei",
          "Kaohsiung", "Macau", "London", "Sydney", "Seoul"]


def fill(app, count: int) -> None:
    rng = random.Random(7)
    rows = []
    for i in range(count):
        status = rng.choices(["received", "published", "rejected"], [6, 3, 1])[0]
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        rows.append((secrets.token_hex(32), b"x" * 19, secrets.token_hex(32), status,
                     rng.choice(SPACES), rng.choice(["found", "suspected", "filming"]),
                     f"Venue {i}", rng.choice(CITIES), 22 + rng.random() * 10,
                     113 + rng.random() * 10, f"a description {i}",
                     day, '["city", "location", "venue"]' if status == "published" else None,
                     rng.choices(LEVELS, [60, 25, 8, 5, 2])[0] if status == "published"
                     else None, day if status == "published" else None))
    with closing(connect(app.config["DATABASE"])) as db:
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, venue, city, latitude, longitude, description, submitted_on, public_fields, "
            "verification, reviewed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        # Responses from places to one published report in 200: most waiting, a few held.
        published = [row[0] for row in db.execute(
            "SELECT id FROM report WHERE status = 'published' ORDER BY id")]
        db.executemany(
            "INSERT INTO response (report_id, idempotency_hash, receipt_sealed, receipt_hash, "
            "status, held, role, body, asks, received_on) VALUES (?, ?, x'00', ?, ?, ?, "
            "'Manager', 'We checked.', 'correct', '2026-11-30')",
            [(report_id, secrets.token_hex(32), secrets.token_hex(32),
              rng.choice(["received", "received", "published", "declined"]),
              int(rng.random() < 0.1)) for report_id in rng.sample(
                  published, len(published) // 200)])
        db.execute("COMMIT")
        # The public copy the published exports read (without it they were empty).
        public_map.rebuild(db, app.config["LOCATION_GRID_METRES"])
        db.execute("ANALYZE")


def timed(client, url: str) -> float:
    started = time.perf_counter()
    with client.get(url) as response:
        body = response.get_data()
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or not body:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return (f"{name:<34} n={len(times):<4} p50 {statistics.median(times) * 1000:7.1f} ms   "
            f"p95 {p95 * 1000:7.1f} ms")


def filled_and_signed_in(reports: int):
    """An app with `reports` reports (fill), and a client signed in to it as an admin."""
    app = create_app({"PASSWORD_SCRYPT_N": 2**10, "SETUP_LINK_ON_START": False})
    started = time.perf_counter()
    fill(app, reports)
    print(f"filled {reports:,} reports in {time.perf_counter() - started:.1f} s")
    with app.test_request_context():
        auth.create_organizer("bench", "admin", "a benchmark password")
    client = app.test_client()
    client.post("/en/organizers/login", data={"username": "bench",
                                              "password": "a benchmark password"})
    return app, client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    app, client = filled_and_signed_in(args.reports)
    rng = random.Random(1)
    queue, filtered, paged, levels, pending, cards, exports = [], [], [], [], [], [], []
    level_exports, pending_exports = [], []
    for _ in range(3):  # warm up
        timed(client, "/en/organizers/")
    for _ in range(200):
        queue.append(timed(client, "/en/organizers/"))
        filtered.append(timed(client, f"/en/organizers/?space={rng.choice(SPACES)}"
                                      f"&city={rng.choice(CITIES)}&status=received"))
        paged.append(timed(client, f"/en/organizers/?before={rng.randint(1000, args.reports)}"))
        levels.append(timed(client, f"/en/organizers/?status=published&level="
                                    f"{rng.choice(LEVELS)}&space={rng.choice(SPACES + [''])}"))
        pending.append(timed(client, "/en/organizers/?status=published&pending=1"))
        cards.append(timed(client, f"/en/organizers/reports/{rng.randint(1, args.reports)}"))
    for _ in range(10):
        exports.append(timed(client, f"/en/organizers/export/published.csv?city="
                                     f"{rng.choice(CITIES)}&space={rng.choice(SPACES)}"))
        # The queue's export links carry its level and response filters too.
        level_exports.append(timed(client, "/en/organizers/export/published.csv?level="
                                           f"{rng.choice(LEVELS)}"))
        pending_exports.append(timed(client, "/en/organizers/export/published.csv?pending=1"))
    print(summary("queue page (pending, newest)", queue))
    print(summary("queue page, space + city filter", filtered))
    print(summary("queue page, an older page", paged))
    print(summary("queue page, level (+ space)", levels))
    print(summary("queue page, response pending", pending))
    print(summary("a report's card", cards))
    print(summary("published CSV, city + space", exports))
    print(summary("published CSV, level", level_exports))
    print(summary("published CSV, response pending", pending_exports))
    pages = queue + filtered + paged + levels + pending
    worst = sorted(pages)[int(len(pages) * 0.95) - 1]
    print("target queue p95 < 50 ms:", "met" if worst < 0.05 else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
