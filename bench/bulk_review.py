"""Bulk review speed (issue 31, item 4): one action on 500 reports, among 100,000.

    .venv/bin/python bench/bulk_review.py [--reports 100000] [--size 500] [--runs 3]

Fills a fresh database as bench/review_queue.py does, signs an admin in, then
posts the queue's bulk form (review/bulk.py) through the app, as the browser
does: `--size` reports ticked, each with the version it was shown at, to
reject, to mark as duplicates of one, and to publish (onto the map), each
`--runs` times on reports still waiting. Each action is one request: one
write transaction with an audit line per report, then the queue page. Also
times a report's card, which now looks for likely duplicates. Target: one
action on 500 reports under 2 s.
"""

import argparse
import random
import re
import statistics
import sys
import time

from app.db import connect
from bench.review_queue import filled_and_signed_in

TARGET_SECONDS = 2.0


def waiting(app, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """`count` reports still waiting, at random, with their versions."""
    db = connect(app.config["DATABASE"])
    try:
        rows = db.execute("SELECT id, version FROM report WHERE status = 'received' "
                          "AND held = 0").fetchall()
    finally:
        db.close()
    return rng.sample([(r[0], r[1]) for r in rows], count)


def audited(app) -> int:
    db = connect(app.config["DATABASE"])
    try:
        count: int = db.execute("SELECT count(*) FROM audit_log WHERE action IN "
                                "('reject', 'duplicate', 'publish')").fetchone()[0]
        return count
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app, client = filled_and_signed_in(args.reports)
    page = client.get("/en/organizers/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    rng = random.Random(3)

    cards = []
    for report_id, _version in waiting(app, 100, rng):
        begun = time.perf_counter()
        with client.get(f"/en/organizers/reports/{report_id}") as response:
            if response.status_code != 200:
                raise SystemExit(f"card {report_id} answered {response.status_code}")
        cards.append(time.perf_counter() - begun)
    cards.sort()
    print(f"a report's card, with likely duplicates: p50 {statistics.median(cards) * 1000:.1f} "
          f"ms, p95 {cards[94] * 1000:.1f} ms")

    times: dict[str, list[float]] = {}
    for _run in range(args.runs):
        for action in ("reject", "duplicate", "publish"):
            chosen = waiting(app, args.size + 1, rng)
            original, chosen = chosen[0][0], chosen[1:]
            form = {"csrf_token": token, "action": action,
                    "report": [f"{number}:{version}" for number, version in chosen],
                    "original_number": str(original), "public": ["city", "location", "venue"]}
            before = audited(app)
            begun = time.perf_counter()
            with client.post("/en/organizers/bulk", data=form) as response:
                body = response.get_data(as_text=True)
            elapsed = time.perf_counter() - begun
            if response.status_code != 200 or f": {args.size}." not in body:
                raise SystemExit(f"{action} answered {response.status_code}")
            if audited(app) - before != args.size:
                raise SystemExit(f"{action}: not one audit line per report")
            times.setdefault(action, []).append(elapsed)
    for action, taken in times.items():
        print(f"bulk {action:<9} {args.size} reports: "
              + ", ".join(f"{t:.2f} s" for t in taken)
              + f"   (median {statistics.median(taken):.2f} s)")
    worst = max(t for taken in times.values() for t in taken)
    print(f"target one action on {args.size} reports < {TARGET_SECONDS:.0f} s:",
          "met" if worst < TARGET_SECONDS else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
