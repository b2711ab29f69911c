"""Report writes: 32 concurrent clients posting reports to the server as the README runs it.

    .venv/bin/python bench/report_writes.py [--clients 32] [--seconds 10]

Starts gunicorn with scripts/gunicorn.conf.py on a spare port and a fresh
instance folder (rate limits switched off, as they would refuse a benchmark),
then each client posts reports over a kept-alive connection; one post in ten
is sent twice with the same idempotency key, as a phone retrying would.
Prints reports/s, p50/p95 latency, and whether the number stored equals the
number acknowledged (none lost, none duplicated). Target: >= 500/s.
"""

import argparse
import http.client
import multiprocessing
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

from bench.local_server import start_server, threads_in_process

RECEIPT = re.compile(rb'data-receipt="([0-9A-Z-]{19})"')
PROCESSES = 4


def client(port: int, deadline: float, results: list, lock: threading.Lock) -> None:
    """One client: a kept-alive connection posting until the deadline."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, acknowledged, retries_ok, errors = [], set(), 0, 0
    while time.monotonic() < deadline:
        key = secrets.token_urlsafe(18)
        body = urllib.parse.urlencode({
            "idempotency_key": key, "space": "restroom", "what": "found", "device": "hook",
            "venue": "Benchmark Mall", "city": "Shenzhen", "description": f"bench {key}",
        })
        sends = 2 if secrets.randbelow(10) == 0 else 1
        codes = []
        for _ in range(sends):
            started = time.perf_counter()
            conn.request("POST", "/en/report", body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Sec-Fetch-Site": "same-origin", "HX-Request": "true"})
            response = conn.getresponse()
            page = response.read()
            latencies.append(time.perf_counter() - started)
            match = RECEIPT.search(page)
            if response.status != 200 or not match:
                errors += 1
                continue
            codes.append(match[1])
        if codes:
            acknowledged.add(key)
        if sends == 2 and len(codes) == 2 and codes[0] == codes[1]:
            retries_ok += 1
    conn.close()
    with lock:
        results.append((latencies, acknowledged, retries_ok, errors))


def client_process(port: int, deadline: float, clients: int, queue) -> None:
    """Several clients in one process; four such processes keep the GIL out of the way."""
    threads_in_process(client, (port, deadline), clients, queue)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-") as tmp:
        instance, port = Path(tmp), 8798
        server = start_server(instance, port, REPORTS_PER_CLIENT_PER_HOUR="0",
                              REPORTS_PER_HOUR="0")
        try:
            queue = multiprocessing.Queue()
            started = time.monotonic()
            deadline = started + args.seconds
            shares = [args.clients // PROCESSES + (i < args.clients % PROCESSES)
                      for i in range(PROCESSES)]
            processes = [multiprocessing.Process(target=client_process,
                                                 args=(port, deadline, share, queue))
                         for share in shares if share]
            for process in processes:
                process.start()
            results = [r for _ in processes for r in queue.get()]
            for process in processes:
                process.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

        latencies = sorted(x for r in results for x in r[0])
        acknowledged = set().union(*(r[1] for r in results))
        retries_ok = sum(r[2] for r in results)
        errors = sum(r[3] for r in results)
        with closing(sqlite3.connect(instance / "spotcheck.sqlite3")) as db:
            stored = db.execute("SELECT count(*) FROM report").fetchone()[0]
            distinct = db.execute("SELECT count(DISTINCT description) FROM report").fetchone()[0]

    reports = len(acknowledged)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(f"clients {args.clients}, {elapsed:.1f} s, {len(latencies)} POSTs "
          f"({len(latencies) - reports} of them retries of an acknowledged report)")
    print(f"reports/s {reports / elapsed:.0f}   p50 {p50:.1f} ms   p95 {p95:.1f} ms   "
          f"errors {errors}")
    lost, duplicated = reports - distinct, stored - distinct
    print(f"acknowledged {reports}, stored {stored}: lost {lost}, duplicated {duplicated}; "
          f"retries answered with the same receipt: {retries_ok}")
    ok = lost == 0 and duplicated == 0 and errors == 0
    print("target >= 500/s:", "met" if reports / elapsed >= 500 else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
