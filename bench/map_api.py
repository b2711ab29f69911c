"""Public map API speed: GET /api/v1/reports over a million published reports.

    .venv/bin/python bench/map_api.py [--reports 1000000] [--requests 400] [--keep DIR]
        [--verification LEVEL]

Loads published reports into a fresh instance (bulk INSERTs into `report`,
then one `app.map.publish.rebuild`), spread like a real audience: most in big
mainland Chinese cities, some in Hong Kong, Taiwan and a few world cities, a
little scattered over China. Then times random phone- and desktop-sized
viewports through the app in-process (Flask test client, no network) at four
zooms: street (16), district (13), city (11) and country (5), with a mix of
space / what / since filters. Prints, per zoom, p50 / p95 / max latency, the
largest answer in bytes (as JSON and as sent, brotli-compressed, which the
timings include) and features, and the modes seen (points or cells);
then the same latencies split by filter, and the slowest requests.

Targets: p95 <= 20 ms at every zoom, and never more than 500 features in an
answer. More than 500 features or a status other than 200 is a bug, not a slow
answer: it is listed, and the script exits with status 1.

Loading a million reports takes a few minutes. `--keep DIR` builds the
database in DIR and leaves it there; a later run with the same DIR and
--reports reuses it and goes straight to timing.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import brotli

from app import create_app
from app.db import connect
from app.map.grid import mercator
from app.map.publish import rebuild
from app.map.query import MAX_FEATURES

TARGET_P95_MS = 20
GRID_METRES = 200
WARM_UP = 50
ZOOMS = {"street": 16, "district": 13, "city": 11, "country": 5}
SCREENS = {"phone": (360, 640), "desktop": (1920, 1080)}  # CSS pixels
MAX_LATITUDE = 85  # the API's bbox is clamped to this, as a Web Mercator map would

# (city, latitude, longitude, weight within its region, sigma in degrees).
# Weights are roughly the urban population in millions.
MAINLAND = [
    ("Shanghai", 31.23, 121.47, 24.9, 0.15), ("Beijing", 39.90, 116.40, 21.9, 0.15),
    ("Shenzhen", 22.54, 114.06, 17.7, 0.12), ("Guangzhou", 23.13, 113.26, 18.8, 0.14),
    ("Chengdu", 30.66, 104.07, 21.4, 0.13), ("Chongqing", 29.56, 106.55, 16.0, 0.13),
    ("Wuhan", 30.59, 114.31, 13.7, 0.12), ("Hangzhou", 30.27, 120.16, 12.4, 0.12),
    ("Xi'an", 34.34, 108.94, 13.0, 0.11), ("Nanjing", 32.06, 118.80, 9.5, 0.10),
    ("Tianjin", 39.13, 117.20, 13.9, 0.12), ("Suzhou", 31.30, 120.59, 12.9, 0.11),
    ("Zhengzhou", 34.75, 113.63, 12.8, 0.11), ("Changsha", 28.23, 112.94, 10.4, 0.10),
    ("Shenyang", 41.81, 123.43, 9.1, 0.10), ("Qingdao", 36.07, 120.38, 10.3, 0.10),
    ("Kunming", 25.04, 102.71, 8.5, 0.09), ("Harbin", 45.80, 126.53, 10.0, 0.10),
    ("Xiamen", 24.48, 118.09, 5.3, 0.08), ("Dalian", 38.91, 121.61, 7.5, 0.09),
    ("Dongguan", 23.02, 113.75, 10.5, 0.10), ("Foshan", 23.02, 113.12, 9.5, 0.10),
]
HONG_KONG = [("Hong Kong", 22.32, 114.17, 1.0, 0.08)]
TAIWAN = [
    ("Taipei", 25.03, 121.57, 2.5, 0.08), ("New Taipei", 25.01, 121.47, 4.0, 0.10),
    ("Taichung", 24.15, 120.67, 2.8, 0.09), ("Kaohsiung", 22.63, 120.30, 2.7, 0.09),
    ("Tainan", 22.99, 120.21, 1.9, 0.08),
]
WORLD = [
    ("Tokyo", 35.68, 139.69, 3.0, 0.15), ("Seoul", 37.57, 126.98, 2.0, 0.12),
    ("Singapore", 1.35, 103.82, 1.5, 0.08), ("London", 51.51, -0.13, 1.5, 0.12),
    ("New York", 40.71, -74.01, 1.5, 0.12), ("Sydney", -33.87, 151.21, 1.0, 0.12),
    ("Vancouver", 49.28, -123.12, 0.7, 0.08), ("Kuala Lumpur", 3.14, 101.69, 1.0, 0.09),
]
# Share of all reports per region, in %; None is the scatter over China's bounding box.
REGIONS = [(MAINLAND, 70), (HONG_KONG, 10), (TAIWAN, 10), (WORLD, 10), (None, 2)]
CHINA_BOX = (18.0, 73.5, 53.5, 135.0)  # south, west, north, east

SPACES = {"restroom": 30, "fitting-room": 15, "hotel-room": 25, "changing-room": 10,
          "medical-room": 3, "transport": 7, "other": 10}
WHAT = {"found": 20, "suspected": 60, "filming": 20}
DEVICES = ["smoke-detector", "usb-charger", "clock", "screw", "socket", "vent", "hook",
           "mirror", "other", None]
PUBLIC_FIELDS = '["city", "device", "location", "observed_on", "venue"]'
SINCE_DAYS = [30, 365, 1095]  # the map page's time windows


def today() -> date:
    return datetime.now(UTC).date()  # as the API's own "today" (app/vocab.py)


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def place(rng: random.Random) -> tuple[str | None, float, float]:
    """A (city, latitude, longitude) drawn from the reports' spread."""
    cities = rng.choices([r for r, _ in REGIONS], [w for _, w in REGIONS])[0]
    if cities is None:
        south, west, north, east = CHINA_BOX
        return None, rng.uniform(south, north), rng.uniform(west, east)
    name, lat, lon, _, sigma = rng.choices(cities, [c[3] for c in cities])[0]
    latitude = max(-89.9, min(89.9, rng.gauss(lat, sigma)))
    return name, latitude, rng.gauss(lon, sigma / math.cos(math.radians(lat)))


# ---------------------------------------------------------------- loading


def report_rows(rng: random.Random, count: int, first_day: date, days: int):
    """Rows for the report table, all published some day in the last `days`."""
    for _ in range(count):
        city, latitude, longitude = place(rng)
        published = first_day + timedelta(days=rng.randrange(days + 1))
        submitted = published - timedelta(days=rng.randrange(14))
        observed = submitted - timedelta(days=rng.randrange(7))
        yield (f"{rng.getrandbits(256):064x}", rng.randbytes(48), f"{rng.getrandbits(256):064x}",
               "published", pick(rng, SPACES), pick(rng, WHAT), rng.choice(DEVICES),
               f"Venue {rng.randrange(2000)}" if city else None, city,
               round(latitude, 3), round(longitude, 3), observed.isoformat(),
               submitted.isoformat(), PUBLIC_FIELDS, published.isoformat())


def load(database: str, count: int) -> None:
    """Bulk-insert `count` published reports, then rebuild the map tables once."""
    rng = random.Random(20260308)
    days = 3 * 365
    rows = report_rows(rng, count, today() - timedelta(days=days), days)
    started = time.perf_counter()
    with closing(connect(database)) as db:
        # The unique hash indexes take random inserts; a big cache keeps them in memory.
        db.execute("PRAGMA cache_size = -1000000")
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, space, "
            "what, device, venue, city, latitude, longitude, observed_on, submitted_on, "
            "public_fields, reviewed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        db.execute("COMMIT")
        inserted = time.perf_counter()
        print(f"inserted {count:,} published reports in {inserted - started:.1f} s")
        shown = rebuild(db, GRID_METRES)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so the file size is the whole database
    print(f"rebuilt the map in {time.perf_counter() - inserted:.1f} s")
    if shown != count:
        raise SystemExit(f"the map shows {shown:,} of {count:,} published reports")


def counts(database: str) -> tuple[int, int]:
    """(reports, map_report rows) already in the database."""
    with closing(connect(database)) as db:
        return (db.execute("SELECT count(*) FROM report").fetchone()[0],
                db.execute("SELECT count(*) FROM map_report").fetchone()[0])


def prepare(database: str, count: int) -> None:
    """Load the reports unless a kept database already holds exactly them."""
    reports, shown = counts(database)
    if reports and reports != count:
        raise SystemExit(f"{database} holds {reports:,} reports, not {count:,}: "
                         "use another --keep folder or delete this one")
    started = time.perf_counter()
    if reports == 0:
        load(database, count)
        print(f"load time {time.perf_counter() - started:.1f} s in all")
    elif shown != count:  # a kept database whose rebuild did not finish
        with closing(connect(database)) as db:
            rebuild(db, GRID_METRES)
        print(f"rebuilt the map in {time.perf_counter() - started:.1f} s")
    else:
        print(f"reusing the {count:,} reports in {database}")
    size = sum(p.stat().st_size for p in Path(database).parent.glob("spotcheck.sqlite3*"))
    print(f"database {size / 2**20:,.0f} MiB")


# ---------------------------------------------------------------- requests


@dataclass
class Result:
    zoom: str
    url: str
    filters: str  # "none", "space/what" or "since"
    seconds: float
    status: int
    size: int  # the JSON's bytes
    sent: int  # as sent, brotli-compressed
    features: int
    mode: str


def latitude_of(y: float) -> float:
    """The inverse of mercator()'s y (0 at the top of the world, 1 at the bottom)."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def bbox(latitude: float, longitude: float, zoom: int, width: int, height: int) -> str:
    """The bbox a screen of width x height CSS px shows at `zoom`, centred here."""
    world = 256 * 2**zoom  # the world's width in px at this zoom: 256 px tiles
    x, y = mercator(latitude, longitude)
    half_w, half_h = width / 2 / world, height / 2 / world
    west = max(-180.0, (x - half_w) * 360 - 180)
    east = min(180.0, (x + half_w) * 360 - 180)
    north = min(MAX_LATITUDE, latitude_of(max(0.0, y - half_h)))
    south = max(-MAX_LATITUDE, latitude_of(min(1.0, y + half_h)))
    return ",".join(f"{v:.5f}" for v in (west, south, east, north))  # as map.js sends it


def random_filters(rng: random.Random) -> tuple[str, dict]:
    """No filter 40 % of the time, else a random non-empty mix of space, what, since."""
    if rng.random() < 0.4:
        return "none", {}
    while not (chosen := [name for name in ("space", "what", "since") if rng.random() < 0.5]):
        pass
    params = {}
    if "space" in chosen:
        params["space"] = pick(rng, SPACES)
    if "what" in chosen:
        params["what"] = pick(rng, WHAT)
    if "since" in chosen:
        params["since"] = (today() - timedelta(days=rng.choice(SINCE_DAYS))).isoformat()
    return ("since" if "since" in chosen else "space/what"), params


def plan(rng: random.Random, per_zoom: int, level: str | None = None
         ) -> list[tuple[str, str, str]]:
    """(zoom name, filter kind, url) for every zoom, shuffled so no zoom runs cold or last.

    With `level`, every question asks for that verification level too (issue 31):
    zoomed out, its cells are counted from the reports at that level, not the cell
    tables. The bench's reports are all "reported": asking for it is the worst case.
    """
    planned = []
    for name, zoom in ZOOMS.items():
        for _ in range(per_zoom):
            _, latitude, longitude = place(rng)  # viewports go where the reports are
            width, height = SCREENS[rng.choice(list(SCREENS))]
            kind, params = random_filters(rng)
            if level:
                params["verification"] = level
            query = "&".join(f"{k}={v}" for k, v in params.items())
            url = (f"/api/v1/reports?bbox={bbox(latitude, longitude, zoom, width, height)}"
                   f"&zoom={zoom}" + (f"&{query}" if query else ""))
            planned.append((name, kind, url))
    rng.shuffle(planned)
    return planned


def timed(client, zoom: str, kind: str, url: str) -> Result:
    started = time.perf_counter()
    # As a browser asks: the answer is brotli-compressed, and that takes time too.
    with client.get(url, headers={"Accept-Encoding": "br"}) as response:
        body = response.get_data()
    seconds = time.perf_counter() - started
    sent = len(body)
    if response.headers.get("Content-Encoding") == "br":
        body = brotli.decompress(body)
    answer = json.loads(body) if response.status_code == 200 else {}
    return Result(zoom, url, kind, seconds, response.status_code, len(body), sent,
                  len(answer.get("features", [])), answer.get("mode", "?"))


# ---------------------------------------------------------------- printing


def p95(seconds: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(seconds)
    return ordered[math.ceil(len(ordered) * 0.95) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_zooms(results: list[Result]) -> None:
    print(f"\n{'zoom':<15} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'max bytes':>10} {'max sent':>9} {'max feat':>8}  {'modes':<13} "
          f"p95<={TARGET_P95_MS}ms <={MAX_FEATURES} feat")
    for name, zoom in ZOOMS.items():
        rows = [r for r in results if r.zoom == name]
        seconds = [r.seconds for r in rows]
        most = max(r.features for r in rows)
        modes = "/".join(sorted({r.mode for r in rows}))
        print(f"{f'{name} ({zoom})':<15} {len(rows):>4} {ms(statistics.median(seconds))} "
              f"{ms(p95(seconds))} {ms(max(seconds))} {max(r.size for r in rows):>10,} "
              f"{max(r.sent for r in rows):>9,} "
              f"{most:>8}  {modes:<13} {verdict(p95(seconds) * 1000 <= TARGET_P95_MS):<11} "
              f"{verdict(most <= MAX_FEATURES)}")


def print_by_filter(results: list[Result]) -> None:
    """Latency per zoom, filter kind and mode: which requests make the tail."""
    print(f"\n{'zoom':<15} {'filters':<11} {'mode':<7} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'max ms':>7}")
    for name, zoom in ZOOMS.items():
        for kind in ("none", "space/what", "since"):
            for mode in ("points", "cells"):
                rows = [r.seconds for r in results
                        if (r.zoom, r.filters, r.mode) == (name, kind, mode)]
                if rows:
                    print(f"{f'{name} ({zoom})':<15} {kind:<11} {mode:<7} {len(rows):>4} "
                          f"{ms(statistics.median(rows))} {ms(p95(rows))} {ms(max(rows))}")


def print_slowest(results: list[Result], count: int = 8) -> None:
    print(f"\nslowest {count}:")
    for r in sorted(results, key=lambda r: r.seconds, reverse=True)[:count]:
        print(f"  {ms(r.seconds)} ms  {r.mode:<6} {r.features:>4} features  {r.url}")


def print_bugs(results: list[Result]) -> bool:
    """List answers that break the API's promises; True if there were any."""
    bugs = [r for r in results if r.status != 200 or r.features > MAX_FEATURES]
    for r in bugs:
        print(f"BUG: status {r.status}, {r.features} features: {r.url}")
    print(f"\n{len(bugs)} answers with a status other than 200 or more than "
          f"{MAX_FEATURES} features" + (" -- BUGS, see above" if bugs else ""))
    return bool(bugs)


# ---------------------------------------------------------------- main


def run(instance: str, args: argparse.Namespace) -> int:
    os.environ["SPOTCHECK_INSTANCE_PATH"] = instance  # read by create_app
    app = create_app({"SETUP_LINK_ON_START": False, "LOCATION_GRID_METRES": GRID_METRES})
    prepare(app.config["DATABASE"], args.reports)
    client = app.test_client()
    rng = random.Random(1)
    for zoom, kind, url in plan(rng, WARM_UP // len(ZOOMS) + 1, args.verification)[:WARM_UP]:
        timed(client, zoom, kind, url)  # page cache and connection, not measured
    results = [timed(client, *planned)
               for planned in plan(rng, args.requests, args.verification)]
    print_zooms(results)
    print_by_filter(results)
    print_slowest(results)
    return 1 if print_bugs(results) else 0



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400, help="per zoom")
    parser.add_argument("--verification", metavar="LEVEL",
                        help="ask every question for this verification level too")
    parser.add_argument("--keep", metavar="DIR",
                        help="build (or reuse) the database in DIR and leave it there")
    return in_instance(run, parser.parse_args())


def in_instance(run, args: argparse.Namespace) -> int:
    """`run(instance, args)` in the folder --keep names (made if need be, and left with
    its database for the next run), else in a temporary folder removed after."""
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return run(str(Path(args.keep).resolve()), args)
    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-") as instance:
        return run(instance, args)


if __name__ == "__main__":
    sys.exit(main())
