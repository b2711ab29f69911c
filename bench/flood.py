"""Flood: reports without proof against the server as the README runs it, and real reporters.

    .venv/bin/python bench/flood.py [--threads 16] [--posts 40000] [--seconds 20]
                                    [--reporters 5] [--runs 3] [--chromium]

Loopback only, and bounded: each run starts gunicorn (scripts/gunicorn.conf.py,
its default workers, a fresh instance folder) on 127.0.0.1 with
REPORTS_PER_HOUR=100 and the default POW_BITS (17); the per-client limit is off,
since every attacker here is 127.0.0.1. Then:

1. the flood: --threads kept-alive connections (spread over 4 processes, so
   Python's GIL is not what limits them) post reports without proof, each under
   a fresh random idempotency key (the server takes any well-formed one), until
   --posts are sent or --seconds have passed;
2. once the flood has filled the hour's threshold, --reporters real reporters
   send one report each, one after another: refused with a challenge, they find
   the answer in Python (hashlib) at the difficulty of that moment, and send
   again; the time from the first POST to the receipt is measured;
3. with --chromium, a phone in Debian's Chromium (Playwright, tests/support/browser.py's flags)
   presses Send during the flood; the time to its receipt is measured.

Prints one row per run, then min / median / max over the runs, with the load
average (1 minute) before and after each run. The server, the attackers and
Chromium share this machine's CPUs: on a small machine the attack rate is
bounded by them as much as by the server.
"""

import argparse
import hashlib
import http.client
import itertools
import multiprocessing
import os
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

from local_server import free_port, start_server, threads_in_process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.reports.proof import leading_zero_bits  # noqa: E402

BUSY_AT = 100  # REPORTS_PER_HOUR
PROCESSES = 4
RECEIPT = re.compile(rb'data-receipt="([0-9A-Z-]{19})"')
KEY = re.compile(rb'name="idempotency_key" value="([^"]+)"')


def stored(instance: Path, like: str) -> int:
    with closing(sqlite3.connect(f"file:{instance / 'spotcheck.sqlite3'}?mode=ro",
                                 uri=True, timeout=10)) as db:
        return db.execute("SELECT count(*) FROM report WHERE description LIKE ?",
                          (like,)).fetchone()[0]


# -- the flood ----------------------------------------------------------------------

def attacker(port: int, deadline: float, budget: int, results: list, lock) -> None:
    """One connection posting reports without proof until its budget or the deadline."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    origin = f"http://127.0.0.1:{port}"
    statuses, latencies, bits = {}, [], set()
    for number in range(budget):
        if time.monotonic() > deadline:
            break
        body = urllib.parse.urlencode({
            "idempotency_key": secrets.token_urlsafe(18), "space": "restroom", "what": "found",
            "venue": "Flood Mall", "description": f"flood {os.getpid()} {number}"})
        started = time.perf_counter()
        try:
            conn.request("POST", "/en/report", body, {
                "Content-Type": "application/x-www-form-urlencoded", "Origin": origin})
            response = conn.getresponse()
            response.read()
        except OSError:
            statuses["error"] = statuses.get("error", 0) + 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - started)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if challenge := response.getheader("SpotCheck-Proof"):
            bits.add(int(challenge.split(".")[1]))
    conn.close()
    with lock:
        results.append((statuses, latencies, bits))


def attacker_process(port: int, deadline: float, threads: int, budget: int, queue) -> None:
    threads_in_process(attacker, (port, deadline, budget), threads, queue)


# -- real reporters ------------------------------------------------------------------

def solve(challenge: str) -> tuple[str, int]:
    """The smallest answer (as static/js/proof-worker.js finds it) and how many tries it took."""
    bits = int(challenge.split(".")[1])
    prefix = hashlib.sha256(f"{challenge}:".encode())
    for number in itertools.count():
        digest = prefix.copy()
        digest.update(str(number).encode())
        if leading_zero_bits(digest.digest()) >= bits:
            return str(number), number + 1
    raise AssertionError("unreachable")


def real_reporter(port: int, number: int) -> dict:
    """GET the form, POST it, solve the challenge, POST again: seconds to the receipt."""
    def request(method, body=None):
        # A new connection each time: gunicorn closes an idle one after 2 s (keepalive),
        # and solving may take longer than that.
        with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=120)) as conn:
            conn.request(method, "/en/report", body, headers)
            response = conn.getresponse()
            return response, response.read()

    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Origin": f"http://127.0.0.1:{port}"}
    key = KEY.search(request("GET")[1])[1].decode()
    fields = {"idempotency_key": key, "space": "hotel-room", "what": "found",
              "venue": "Harbour View Hotel", "description": f"real reporter {number}"}
    started = time.perf_counter()
    result = {"bits": 0, "solve": 0.0, "tries": 0, "posts": 0}
    while True:
        response, page = request("POST", urllib.parse.urlencode(fields))
        result["posts"] += 1
        challenge = response.getheader("SpotCheck-Proof")
        if response.status == 200 and RECEIPT.search(page):
            break
        if response.status != 429 or not challenge or result["posts"] > 5:
            raise SystemExit(f"reporter {number}: HTTP {response.status}, not a receipt")
        solving = time.perf_counter()
        answer, tries = solve(challenge)
        result["solve"] += time.perf_counter() - solving
        result["tries"] += tries
        result["bits"] = int(challenge.split(".")[1])
        fields |= {"proof_challenge": challenge, "proof_answer": answer}
    result["seconds"] = time.perf_counter() - started
    return result


class Phone:
    """Debian's Chromium, phone-sized, as the browser tests drive it; the form filled before
    the flood."""

    def __init__(self, port: int):
        from playwright.sync_api import sync_playwright

        from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM,
                                                         args=CHROMIUM_FLAGS)
        self.page = self._browser.new_context(**PHONE).new_page()
        self.page.goto(f"http://127.0.0.1:{port}/en/report")
        self.page.get_by_label("Hotel or rental room").check()
        self.page.get_by_label("I found a device").check()
        self.page.locator("#description").fill("real reporter chromium")
        self.posts = []
        self.page.on("request", lambda r: self.posts.append(r) if r.method == "POST" else None)

    def send(self) -> float:
        started = time.monotonic()
        self.page.get_by_role("button", name="Send the report anonymously").click()
        self.page.locator("#receipt-code").wait_for(timeout=300_000)
        return time.monotonic() - started

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


# -- one run ---------------------------------------------------------------------------

def one_run(args) -> dict:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="spotcheck-flood-") as tmp:
        instance, port = Path(tmp), free_port()
        server = start_server(instance, port, REPORTS_PER_HOUR=str(BUSY_AT),
                              REPORTS_PER_CLIENT_PER_HOUR="0",
                              PUBLIC_BASE_URL="https://spotcheck.example")
        phone = None
        try:
            if args.chromium:
                phone = Phone(port)
            queue = multiprocessing.Queue()
            threads = [args.threads // PROCESSES + (i < args.threads % PROCESSES)
                       for i in range(PROCESSES)]
            budget = max(1, args.posts // args.threads)
            started = time.monotonic()
            deadline = started + args.seconds
            processes = [multiprocessing.Process(target=attacker_process,
                                                 args=(port, deadline, n, budget, queue))
                         for n in threads if n]
            for process in processes:
                process.start()

            # Wait until the flood has filled the hour, then the real reporters send.
            while stored(instance, "flood %") < BUSY_AT and time.monotonic() < deadline:
                time.sleep(0.05)
            filled_after = time.monotonic() - started
            reporters = [real_reporter(port, n) for n in range(args.reporters)]
            chromium = phone.send() if phone else None
            if phone and [b'name="proof_answer"' in (p.post_data_buffer or b"")
                          for p in phone.posts] != [False, True]:
                raise SystemExit("Chromium did not go through the proof as expected")
            reporters_done = time.monotonic() - started

            results = [r for _ in processes for r in queue.get()]
            for process in processes:
                process.join()
            elapsed = time.monotonic() - started
            stored_by_flood = stored(instance, "flood %")
            stored_real = stored(instance, "real reporter %")
        finally:
            if phone:
                phone.close()
            server.terminate()
            server.wait(timeout=30)

    statuses: dict = {}
    for result in results:
        for status, n in result[0].items():
            statuses[status] = statuses.get(status, 0) + n
    latencies = sorted(x for r in results for x in r[1])
    bits = set().union(*(r[2] for r in results))
    return {
        "attack POSTs": sum(statuses.values()),
        "attack req/s": len(latencies) / elapsed,
        "attack p50 ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "attack 429": statuses.get(429, 0),
        "other": sum(n for s, n in statuses.items() if s not in (200, 429)),
        "flood stored": stored_by_flood,
        "full after s": filled_after,
        "bits": max(bits) if bits else 0,
        "reporter s med": statistics.median(r["seconds"] for r in reporters),
        "reporter s max": max(r["seconds"] for r in reporters),
        "solve Mhash/s": sum(r["tries"] for r in reporters)
        / max(sum(r["solve"] for r in reporters), 1e-9) / 1e6,
        "real stored": stored_real,
        "chromium s": chromium,
        "flood s": elapsed,
        "reporters in flood": reporters_done <= args.seconds,
        "load before": load_before,
        "load after": os.getloadavg()[0],
    }


COLUMNS = [("attack POSTs", "{:.0f}"), ("attack req/s", "{:.0f}"), ("attack p50 ms", "{:.1f}"),
           ("attack 429", "{:.0f}"), ("other", "{:.0f}"), ("flood stored", "{:.0f}"),
           ("full after s", "{:.2f}"), ("bits", "{:.0f}"), ("reporter s med", "{:.2f}"),
           ("reporter s max", "{:.2f}"), ("solve Mhash/s", "{:.2f}"), ("real stored", "{:.0f}"),
           ("chromium s", "{:.2f}"), ("flood s", "{:.1f}"), ("load before", "{:.2f}"),
           ("load after", "{:.2f}")]


def table(rows: list[tuple[str, dict]]) -> str:
    def cell(value, spec):
        return "-" if value is None else spec.format(value)

    names = [name for name, _ in COLUMNS]
    widths = [max(len(name), *(len(cell(row[name], spec)) for _, row in rows))
              for name, spec in COLUMNS]
    lines = [" | ".join(["run".ljust(6)] + [n.rjust(w) for n, w in zip(names, widths,
                                                                       strict=True)])]
    for label, row in rows:
        lines.append(" | ".join([label.ljust(6)] + [
            cell(row[name], spec).rjust(w) for (name, spec), w in zip(COLUMNS, widths,
                                                                     strict=True)]))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--posts", type=int, default=40000, help="at most this many attack POSTs")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long a flood")
    parser.add_argument("--reporters", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", action="store_true", help="also a phone in Chromium")
    args = parser.parse_args()

    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(args)
        runs.append((str(number), run))
        print(table([runs[-1]]), flush=True)
        if not run["reporters in flood"]:
            print("  (the flood ended before the real reporters were done: raise --seconds)")
    if len(runs) > 1:
        summary = []
        for label, pick in (("min", min), ("median", statistics.median), ("max", max)):
            summary.append((label, {name: None if any(r[name] is None for _, r in runs)
                                    else pick(r[name] for _, r in runs) for name, _ in COLUMNS}))
        print()
        print(table(runs + summary))
    print(f"\ncpus {os.cpu_count()}, threshold REPORTS_PER_HOUR={BUSY_AT}, POW_BITS 17 (default), "
          f"{args.threads} attack threads in {PROCESSES} processes")
    ok = all(r["real stored"] == args.reporters + (1 if args.chromium else 0)
             and r["other"] == 0 for _, r in runs)
    print("every real reporter got through, the flood got only 200/429 answers:",
          "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
