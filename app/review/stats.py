"""The numbers on the organizers' stats page: reports per week, kinds, time to review."""

import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

from ..db import get_db
from ..vocab import SPACES, WHAT

SPACE_COLOURS = {"restroom": "#3d1f5c", "fitting-room": "#8c1d18", "hotel-room": "#1d5c8c",
                 "changing-room": "#2e7d32", "medical-room": "#b26a00", "transport": "#5c5c5c",
                 "other": "#9e8fb2"}
WEEKS = 12
CHART_HEIGHT = 160


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summary(today: date) -> dict:
    """Everything stats.html draws: stacked weekly bars by space, and the totals."""
    db = get_db()
    this_week = week_start(today)
    weeks = [this_week - timedelta(weeks=i) for i in range(WEEKS - 1, -1, -1)]
    per_week: dict[date, Counter] = defaultdict(Counter)
    for row in db.execute("SELECT submitted_on, space, count(*) AS n FROM report "
                          "WHERE submitted_on >= ? GROUP BY submitted_on, space",
                          (weeks[0].isoformat(),)):
        per_week[week_start(date.fromisoformat(row["submitted_on"]))][row["space"]] += row["n"]
    what = dict(db.execute("SELECT what, count(*) FROM report GROUP BY what").fetchall())
    waits = [row[0] for row in db.execute(
        "SELECT julianday(reviewed_on) - julianday(submitted_on) FROM report "
        "WHERE reviewed_on IS NOT NULL")]
    tallest = max([sum(per_week[w].values()) for w in weeks] + [1])
    bars = []
    for index, week in enumerate(weeks):
        y = 0.0
        for space in SPACES:
            count = per_week[week][space]
            if count:
                height = count / tallest * CHART_HEIGHT
                bars.append({"x": 40 + index * 30, "y": 180 - y - height, "height": height,
                             "colour": SPACE_COLOURS[space], "space": space, "count": count,
                             "week": week})
                y += height
    return {"bars": bars, "weeks": weeks, "tallest": tallest, "colours": SPACE_COLOURS,
            "what": {k: what.get(k, 0) for k in WHAT},
            "what_max": max(list(what.values()) + [1]),
            "median_days": statistics.median(waits) if waits else None,
            "reviewed": len(waits), "total": sum(what.values())}
