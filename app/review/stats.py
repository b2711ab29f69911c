"""The numbers on the organizers' stats page: reports per week, kinds, time to review.

Read from running totals (migration 0010: triggers on `report` keep them in
step in every transaction that changes a report), never from the report rows,
so the page costs the same at a million reports as at a thousand.
"""

import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from ..db import get_db
from ..vocab import SPACES, WHAT

SPACE_COLOURS = {"restroom": "#3d1f5c", "fitting-room": "#8c1d18", "hotel-room": "#1d5c8c",
                 "changing-room": "#2e7d32", "medical-room": "#b26a00", "transport": "#5c5c5c",
                 "other": "#9e8fb2"}
WEEKS = 12
CHART_HEIGHT = 160


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summary(today: date) -> dict[str, Any]:
    """Everything stats.html draws: stacked weekly bars by space, and the totals."""
    db = get_db()
    this_week = week_start(today)
    weeks = [this_week - timedelta(weeks=i) for i in range(WEEKS - 1, -1, -1)]
    per_week: dict[date, Counter[str]] = defaultdict(Counter)
    for row in db.execute("SELECT submitted_on, space, reports FROM report_day_tally "
                          "WHERE submitted_on >= ? AND reports > 0", (weeks[0].isoformat(),)):
        week = week_start(date.fromisoformat(row["submitted_on"]))
        per_week[week][row["space"]] += row["reports"]
    what = dict(db.execute(
        "SELECT what, reports FROM report_what_tally WHERE reports > 0").fetchall())
    median_days, reviewed = median_wait(db)
    tallest = max([sum(per_week[w].values()) for w in weeks] + [1])
    # Each label translated once here, not once per bar (up to 84) in the template.
    labels = {space: str(label) for space, label in SPACES.items()}
    bars = []
    for index, week in enumerate(weeks):
        y = 0.0
        for space in SPACES:
            count = per_week[week][space]
            if count:
                height = count / tallest * CHART_HEIGHT
                bars.append({"x": 40 + index * 30, "y": 180 - y - height, "height": height,
                             "colour": SPACE_COLOURS[space], "label": labels[space],
                             "count": count, "week": week})
                y += height
    return {"bars": bars, "weeks": weeks, "tallest": tallest, "colours": SPACE_COLOURS,
            "what": {k: what.get(k, 0) for k in WHAT},
            "what_max": max(list(what.values()) + [1]),
            "median_days": median_days, "reviewed": reviewed, "total": sum(what.values())}


def median_wait(db: sqlite3.Connection) -> tuple[float | None, int]:
    """The median days from sent to reviewed, and how many reports were reviewed.

    Read off the per-day counts in order, as statistics.median would over every
    reviewed report: the middle wait, or the mean of the middle two.
    """
    counts = db.execute("SELECT days, reports FROM review_wait_tally WHERE reports > 0 "
                        "ORDER BY days").fetchall()
    reviewed = sum(row["reports"] for row in counts)
    if not reviewed:
        return None, 0
    lower, upper = (reviewed - 1) // 2, reviewed // 2  # 0-based places of the middle
    middle: list[int] = []  # the waits at those places, as the walk passes them
    seen = 0
    for days, reports in counts:
        seen += reports
        while len(middle) < 2 and seen > (lower, upper)[len(middle)]:
            middle.append(days)
    return sum(middle) / 2, reviewed
