"""Every public request at a million published reports: no page over 50 ms, no API answer over 10.

    .venv/bin/python bench/public_pages.py [--reports 1000000] [--keep DIR] [--sample N]

Builds (or, with `--keep DIR`, reuses) bench/map_api.py's database of published
reports, then times in-process (Flask test client, no network, brotli as a
browser asks) every public GET:
- the map page, its list fragment (HX-Request, as map.js asks) and the list
  view, for every filter combination (space x what x within), each on its
  first page, the page its "next" link leads to, and a page deep in the list;
- GET /api/v1/reports at four zooms (street 16, district 13, city 11, country
  5) for every filter combination (space x what x since), with "today" the
  1st, the 15th and the 28th of a month, since `since` cuts a month in two;
- the pages with no data in them (home, checklists, report form ...).
The database file is read through first, as a running server has it cached,
and every kind of request is warmed up once (templates compiled).

Prints p50 / p95 / max server time per kind of request, the slowest requests,
and the worst p95 against the targets: every public request p95 <= 50 ms, the
API's p95 <= 10 ms at every zoom on every date. CPU time is printed beside wall
time: on a shared machine the difference is time spent waiting for a core.
Exits 1 on an unexpected status, so a broken page is never a fast one.

`--sample N` times N random filter combinations per kind instead of all (for a
quick look at a slow build).
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import brotli

import app.map.views as map_views
from app import create_app
from app.db import connect
from app.vocab import SPACES, WHAT
from bench import map_api

PAGE_TARGET_MS = 50
API_TARGET_MS = 10
WITHIN = ["", "30", "365", "1095"]  # the page's time windows ("" is any time)
SINCE_DAYS = [None, 30, 365, 1095]
DAYS_OF_MONTH = (1, 15, 28)
VIEWS = {"map": {"view": "map"}, "list": {"view": "list"}}
FRAGMENT = {"HX-Request": "true"}
STATIC_PAGES = ["/", "/en/", "/zh-hans/check/", "/zh-hant/check/restroom", "/en/found",
                "/zh-hans/report", "/en/report/status", "/zh-hk/offline", "/en/lens",
                "/zh-hans/posters/", "/en/manifest.webmanifest", "/sw.js", "/healthz",
                "/api/v1/openapi.json", "/zh-hant/map?view=pick"]
LANGS = ["en", "zh-hans", "zh-hant", "zh-hk"]
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


@dataclass
class Result:
    kind: str
    url: str
    seconds: float
    status: int
    cpu: float  # this process's CPU time: the wall time less waiting for a busy machine


def timed(client, kind: str, url: str, headers: dict | None = None) -> tuple[Result, str]:
    started, cpu_started = time.perf_counter(), time.process_time()
    with client.get(url, headers={"Accept-Encoding": "br", **(headers or {})}) as response:
        response.get_data()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # The text only for the pager's links (decompressing is not the server's time).
    text = ""
    if kind.startswith(("list", "map")) and response.status_code == 200:
        body = response.get_data()
        if response.headers.get("Content-Encoding") == "br":
            body = brotli.decompress(body)
        text = body.decode()
    return Result(kind, url, seconds, response.status_code, cpu), text


def page_filters(sample: int | None, rng: random.Random) -> list[dict]:
    combos = [{k: v for k, v in (("space", s), ("what", w), ("within", d)) if v}
              for s, w, d in itertools.product(["", *SPACES], ["", *WHAT], WITHIN)]
    return rng.sample(combos, sample) if sample else combos


def deep_cursors(database: str, count: int) -> list[int]:
    """Report ids spread over the whole table: where a reader deep in the list would be."""
    with closing(connect(database)) as db:
        high = db.execute("SELECT max(report_id) FROM map_report").fetchone()[0]
    return [high * (i + 1) // (count + 1) for i in range(count)]


def time_pages(client, database: str, sample: int | None, rng: random.Random) -> list[Result]:
    results = []
    cursors = deep_cursors(database, 16)
    for filters in page_filters(sample, rng):
        lang = rng.choice(LANGS)
        for view, params in VIEWS.items():
            url = f"/{lang}/map?{urlencode({**params, **filters})}"
            result, html = timed(client, f"{view} page", url)
            results.append(result)
            if view == "map":
                results.append(timed(client, "map list fragment", url, FRAGMENT)[0])
                continue
            # Two pages on by the page's own links, then one deep in the list.
            for kind in ("list next page", "list page after next"):
                if not (found := NEXT_LINK.search(html)):
                    break
                result, html = timed(client, kind, found[1].replace("&amp;", "&"))
                results.append(result)
            deep = ({"after": rng.choice(cursors)} if "after=" in url + html
                    else {"page": rng.randrange(20, 2000)})
            results.append(timed(client, "list deep page",
                                 f"/{lang}/map?{urlencode({**params, **filters, **deep})}")[0])
    return results


def api_filters(sample: int | None, rng: random.Random) -> list[tuple]:
    combos = list(itertools.product([None, *SPACES], [None, *WHAT], SINCE_DAYS))
    return rng.sample(combos, sample) if sample else combos


def time_api(client, today: date, sample: int | None, rng: random.Random) -> list[Result]:
    results = []
    for zoom_name, zoom in map_api.ZOOMS.items():
        for space, what, days in api_filters(sample, rng):
            _, latitude, longitude = map_api.place(rng)
            width, height = map_api.SCREENS[rng.choice(list(map_api.SCREENS))]
            params = {"bbox": map_api.bbox(latitude, longitude, zoom, width, height),
                      "zoom": zoom, "space": space, "what": what,
                      "since": (today - timedelta(days=days)).isoformat() if days else None}
            url = "/api/v1/reports?" + urlencode({k: v for k, v in params.items() if v})
            kind = f"api {zoom_name} ({zoom}) today={today.isoformat()}"
            results.append(timed(client, kind, url)[0])
    return results


def time_static(client, repeats: int = 20) -> list[Result]:
    return [timed(client, f"page {url}", url)[0] for url in STATIC_PAGES for _ in range(repeats)]


def read_through(database: str) -> None:
    """Read the database file once, so the timings are the server's work, not the disk's.

    A server's database stays in the page cache; a database just built or copied
    (or pushed out by other work on a shared machine) would not be.
    """
    with open(database, "rb") as file:
        while file.read(1 << 20):
            pass


def pretend_today(day: date) -> None:
    """The app's clock for the map (its `since` check and time windows)."""
    map_views.today = lambda: day


def print_kinds(results: list[Result]) -> None:
    """Latency per kind of request, as wall time and as CPU time."""
    print(f"\n{'kind':<44} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'cpu p50':>7} {'cpu p95':>7}")
    for kind in dict.fromkeys(r.kind for r in results):
        seconds = [r.seconds for r in results if r.kind == kind]
        cpu = [r.cpu for r in results if r.kind == kind]
        print(f"{kind:<44} {len(seconds):>5} {map_api.ms(statistics.median(seconds))} "
              f"{map_api.ms(map_api.p95(seconds))} {map_api.ms(max(seconds))} "
              f"{map_api.ms(statistics.median(cpu))} {map_api.ms(map_api.p95(cpu))}")


def worst_p95(results: list[Result], api: bool, field: str = "seconds") -> tuple[float, str]:
    kinds = {r.kind for r in results if r.kind.startswith("api") == api}
    return max((map_api.p95([getattr(r, field) for r in results if r.kind == k]) * 1000, k)
               for k in kinds)


def run(instance: str, args: argparse.Namespace) -> int:
    os.environ["SPOTCHECK_INSTANCE_PATH"] = instance  # read by create_app
    app = create_app({"SETUP_LINK_ON_START": False, "LOCATION_GRID_METRES": map_api.GRID_METRES})
    database = app.config["DATABASE"]
    map_api.prepare(database, args.reports)
    with closing(connect(database)) as db:
        newest = date.fromisoformat(db.execute("SELECT max(published_on) FROM map_report")
                                    .fetchone()[0])
    # A month the reports fill from its first day to its last.
    month = (newest.replace(day=1) - timedelta(days=1)).replace(day=1)
    read_through(database)
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} before")
    client = app.test_client()
    rng = random.Random(19)
    time_static(client, 1)  # warm up: templates compiled, pages cached, as a warm worker
    pretend_today(month)
    time_pages(client, database, 8, random.Random(0))
    time_api(client, month, 8, random.Random(0))

    results = time_static(client)
    results += time_pages(client, database, args.sample, rng)
    for day in DAYS_OF_MONTH:
        pretend_today(month.replace(day=day))
        results += time_api(client, month.replace(day=day), args.sample, rng)
    print_kinds(results)
    print("\nslowest 10:")
    for r in sorted(results, key=lambda r: r.seconds, reverse=True)[:10]:
        print(f"  {map_api.ms(r.seconds)} ms  {r.status}  {r.url}")
    broken = [r for r in results if r.status not in (200, 301, 302, 308)]
    for r in broken[:20]:
        print(f"BUG: status {r.status}: {r.url}")
    page_ms, page_kind = worst_p95(results, api=False)
    api_ms, api_kind = worst_p95(results, api=True)
    print(f"\nload average {' '.join(f'{v:.2f}' for v in os.getloadavg())} after")
    print(f"worst page p95 {page_ms:.1f} ms ({page_kind}): "
          f"{map_api.verdict(page_ms <= PAGE_TARGET_MS)} (<= {PAGE_TARGET_MS} ms)")
    print(f"worst API p95 {api_ms:.1f} ms ({api_kind}): "
          f"{map_api.verdict(api_ms <= API_TARGET_MS)} (<= {API_TARGET_MS} ms)")
    # On a machine busy with other work the wall time includes waiting for a CPU.
    page_cpu, page_cpu_kind = worst_p95(results, api=False, field="cpu")
    api_cpu, api_cpu_kind = worst_p95(results, api=True, field="cpu")
    print(f"worst page p95 in CPU time {page_cpu:.1f} ms ({page_cpu_kind}), "
          f"API {api_cpu:.1f} ms ({api_cpu_kind})")
    print(f"{len(results)} requests, {len(broken)} with an unexpected status")
    return 1 if broken else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR",
                        help="build (or reuse) the database in DIR and leave it there")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="time N random filter combinations per kind, not all")
    return map_api.in_instance(run, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
