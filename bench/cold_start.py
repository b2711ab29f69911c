"""A fresh gunicorn worker's first visitors: do they wait for a cold worker?

    .venv/bin/python bench/cold_start.py [--runs 3]

Starts gunicorn as the README does, with one worker, twice per run: as shipped
(`app.wsgi:app`, warmed before the fork: app/web/warmup.py) and unwarmed
(`app:create_app()`), the peer in the same run. Then asks each page once (the
first visitor's wait, over loopback) and then 20 times more (the steady wait).
Prints, per page and mode, the first request and the steady median in ms, as
min / median / max over the runs, with the load average. Target: the first
request no slower than a few steady ones (the issue measured 290–388 ms for the
map's first request, ~100 ms for the found and report pages).
"""

import argparse
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.local_server import start_server
from tests.support.servers import free_port

PAGES = ("/zh-hans/map", "/en/found", "/en/report", "/zh-hant/check/restroom")
MODES = {"shipped (warmed)": None, "unwarmed": "app:create_app()"}


def wait_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def one_run(app: str | None) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="spotcheck-cold-") as folder:
        port = free_port()
        server = start_server(Path(folder), port, app=app, WORKERS="1")
        try:
            base = f"http://127.0.0.1:{port}"
            firsts = {page: wait_ms(base + page) for page in PAGES}
            steady = {page: statistics.median(wait_ms(base + page) for _ in range(20))
                      for page in PAGES}
        finally:
            server.terminate()
            server.wait()
    return {page: (firsts[page], steady[page]) for page in PAGES}


def spread(values: list[float]) -> str:
    return f"{min(values):6.1f} {statistics.median(values):6.1f} {max(values):6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {mode: [one_run(app) for _ in range(args.runs)] for mode, app in MODES.items()}
    print(f"\n{'page':<26}{'mode':<18}{'first ms (min med max)':>24}{'steady ms':>22}")
    for page in PAGES:
        for mode, runs in results.items():
            print(f"{page:<26}{mode:<18}{spread([r[page][0] for r in runs]):>24}"
                  f"{spread([r[page][1] for r in runs]):>22}")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
