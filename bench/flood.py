"""Flood: what a flood of reports without proof stores, and what real reporters wait.

    .venv/bin/python bench/flood.py [--threads 16] [--seconds 20] [--addresses 64]
                                    [--per-client 5] [--several 3] [--runs 3] [--chromium]

Loopback only, and bounded: each run starts gunicorn (scripts/gunicorn.conf.py,
its default workers, a fresh instance folder) on 127.0.0.1 with
REPORTS_PER_HOUR=100, the default POW_BITS (17) and REPORTS_PER_CLIENT_PER_HOUR
= --per-client (5 is the default setting; 0 switches it off, as for a botnet
with as many addresses as it likes). Then:

1. the flood: --threads kept-alive connections (spread over 4 processes, so
   Python's GIL is not what limits them), from --addresses loopback addresses
   (127.0.1.x, each a client of its own), post reports without proof for
   --seconds, and on until the real reporters below are done, each under a
   fresh idempotency key. Half the threads post as a
   plain form (no JavaScript: stored and held once the site is flooded), half
   as the page's script does (HX-Request: answered with a challenge they never
   solve);
2. once the flood has filled the hour's threshold, real reporters, each from an
   address of her own (127.0.2.x), send one report each, one after another:
   - with JavaScript, a fresh client: refused with a challenge, she finds the
     answer in Python (hashlib) and sends again;
   - with JavaScript, a client that already sent --several reports this hour
     (sent first, the same way): her next report;
   - without JavaScript: one plain POST, answered with the receipt (held).
   The time from the first POST to the receipt is measured; "phone s" is the
   tries her proof took at 300,000 SHA-256 a second, a mid-range phone's
   JavaScript (static/js/proof-worker.js);
3. with --chromium, a phone in Debian's Chromium (Playwright, tests/support/browser.py's
   flags) presses Send during the flood; the time to its receipt is measured.

What the flood stored is read from the database afterwards: reports accepted
into the queue, held, and refused (with a challenge, or by the per-client limit),
the rows and the bytes the database grew by (its pages, as a checkpoint leaves it).
"normal" is what went into the queue in the window: the first REPORTS_PER_HOUR
of the hour, as no proof is asked below it. "/h" columns are what
an hour of this flood stores: the rate in the window times 3600, but with a
per-client limit never more than --addresses x --per-client.

Prints one row per run, then min / median / max over the runs, with the load
average (1 minute) before and after each run. The server, the attackers and
Chromium share this machine's CPUs.
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
from contextlib import closing
from pathlib import Path

from app.reports.proof import leading_zero_bits
from bench.local_server import start_server
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent

BUSY_AT = 100  # REPORTS_PER_HOUR
PROCESSES = 4
PHONE_HASHES_PER_SECOND = 300_000  # proof-worker.js on a mid-range phone
RECEIPT = re.compile(rb'data-receipt="([0-9A-Z-]{19})"')
KEY = re.compile(rb'name="idempotency_key" value="([^"]+)"')


def database(instance: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{instance / 'spotcheck.sqlite3'}?mode=ro", uri=True,
                           timeout=10)


def count(instance: Path, like: str, held: int | None = None) -> int:
    with closing(database(instance)) as db:
        sql = "SELECT count(*) FROM report WHERE description LIKE ?"
        params: tuple = (like,)
        if held is not None:
            sql += " AND held = ?"
            params += (held,)
        return db.execute(sql, params).fetchone()[0]


def database_bytes(instance: Path) -> int:
    """The database's size as its pages count it (what a checkpoint leaves on disk)."""
    with closing(database(instance)) as db:
        return db.execute("PRAGMA page_count").fetchone()[0] * db.execute(
            "PRAGMA page_size").fetchone()[0]


# -- the flood ----------------------------------------------------------------------

def attacker(port: int, stop, addresses: list[str], script: bool,
             results: list, lock) -> None:
    """Post reports without proof from `addresses` in turn until `stop` is set."""
    origin = f"http://127.0.0.1:{port}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
    if script:
        headers["HX-Request"] = "true"

    def connect(address):
        return http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                          source_address=(address, 0))

    conns = {address: connect(address) for address in addresses}
    statuses: dict = {}
    latencies = []
    for number in itertools.count():
        if stop.is_set():
            break
        address = addresses[number % len(addresses)]
        body = urllib.parse.urlencode({
            "idempotency_key": secrets.token_urlsafe(18), "space": "restroom", "what": "found",
            "venue": "Flood Mall", "description": f"flood {os.getpid()} {number}"})
        started = time.perf_counter()
        try:
            conns[address].request("POST", "/en/report", body, headers)
            response = conns[address].getresponse()
            response.read()
        except OSError:
            statuses["error"] = statuses.get("error", 0) + 1
            conns[address].close()
            conns[address] = connect(address)
            continue
        latencies.append(time.perf_counter() - started)
        if response.status == 429:
            kind = "challenge" if response.getheader("SpotCheck-Proof") else "limit"
        else:
            kind = response.status
        statuses[kind] = statuses.get(kind, 0) + 1
    for conn in conns.values():
        conn.close()
    with lock:
        results.append((statuses, latencies))


def attacker_process(port: int, stop, shares: list, queue) -> None:
    import threading

    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=attacker, args=(port, stop, addresses, script,
                                                       results, lock))
               for addresses, script in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


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


def real_reporter(port: int, address: str, description: str, javascript: bool) -> dict:
    """GET the form, POST it (and, with JavaScript, solve and POST again): to the receipt."""
    def request(method, body=None):
        # A new connection each time: gunicorn closes an idle one after 2 s (keepalive),
        # and solving may take longer than that.
        with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                                source_address=(address, 0))) as conn:
            conn.request(method, "/en/report", body, headers)
            response = conn.getresponse()
            return response, response.read()

    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Origin": f"http://127.0.0.1:{port}"}
    key = KEY.search(request("GET")[1])[1].decode()
    if javascript:
        headers["HX-Request"] = "true"
    fields = {"idempotency_key": key, "space": "hotel-room", "what": "found",
              "venue": "Harbour View Hotel", "description": description}
    started = time.perf_counter()
    result = {"bits": 0, "solve": 0.0, "tries": 0, "posts": 0}
    while True:
        response, page = request("POST", urllib.parse.urlencode(fields))
        result["posts"] += 1
        challenge = response.getheader("SpotCheck-Proof")
        if response.status == 200 and RECEIPT.search(page):
            break
        if response.status != 429 or not challenge or result["posts"] > 5:
            raise SystemExit(f"{description}: HTTP {response.status}, not a receipt")
        solving = time.perf_counter()
        answer, tries = solve(challenge)
        result["solve"] += time.perf_counter() - solving
        result["tries"] += tries
        result["bits"] = int(challenge.split(".")[1])
        fields |= {"proof_challenge": challenge, "proof_answer": answer}
    result["seconds"] = time.perf_counter() - started
    result["phone"] = result["tries"] / PHONE_HASHES_PER_SECOND
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

def shares(args) -> list[list[tuple[list[str], bool]]]:
    """Per process, its threads' (addresses, posts as the script?): addresses dealt round."""
    addresses = [f"127.0.1.{n}" for n in range(1, args.addresses + 1)]
    threads = [(addresses[i::args.threads] or addresses[:1], i % 2 == 1)
               for i in range(args.threads)]
    return [threads[p::PROCESSES] for p in range(PROCESSES) if threads[p::PROCESSES]]


def one_run(args) -> dict:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="spotcheck-flood-") as tmp:
        instance, port = Path(tmp), free_port()
        server = start_server(instance, port, REPORTS_PER_HOUR=str(BUSY_AT),
                              REPORTS_PER_CLIENT_PER_HOUR=str(args.per_client),
                              PUBLIC_BASE_URL="https://spotcheck.example")
        phone = None
        try:
            if args.chromium:
                phone = Phone(port)
            empty_bytes = database_bytes(instance)
            queue, stop = multiprocessing.Queue(), multiprocessing.Event()
            started = time.monotonic()
            deadline = started + args.seconds
            processes = [multiprocessing.Process(target=attacker_process,
                                                 args=(port, stop, share, queue))
                         for share in shares(args)]
            for process in processes:
                process.start()

            # Wait until the flood has filled the hour, then the real reporters send.
            while count(instance, "flood %") < BUSY_AT and time.monotonic() < deadline:
                time.sleep(0.05)
            fresh = real_reporter(port, "127.0.2.1", "real reporter fresh", True)
            for number in range(args.several):
                real_reporter(port, "127.0.2.2", f"real reporter earlier {number}", True)
            several = real_reporter(port, "127.0.2.2", "real reporter several", True)
            no_js = real_reporter(port, "127.0.2.3", "real reporter no JS", False)
            chromium = phone.send() if phone else None
            if phone and [b'name="proof_answer"' in (p.post_data_buffer or b"")
                          for p in phone.posts] != [False, True]:
                raise SystemExit("Chromium did not go through the proof as expected")
            # The flood goes on for --seconds at least, and until every reporter is done.
            time.sleep(max(0.0, deadline - time.monotonic()))
            stop.set()

            results = [r for _ in processes for r in queue.get()]
            for process in processes:
                process.join()
            elapsed = time.monotonic() - started
            normal = count(instance, "flood %", held=0)
            held = count(instance, "flood %", held=1)
            grew = database_bytes(instance) - empty_bytes
            real_held = {d: count(instance, d, held=1) for d in (
                "real reporter fresh", "real reporter several", "real reporter no JS")}
        finally:
            if phone:
                phone.close()
            server.terminate()
            server.wait(timeout=30)

    if real_held != {"real reporter fresh": 0, "real reporter several": 0,
                     "real reporter no JS": 1}:
        raise SystemExit(f"real reporters stored unlike expected: {real_held}")
    statuses: dict = {}
    for result in results:
        for status, n in result[0].items():
            statuses[status] = statuses.get(status, 0) + n
    latencies = sorted(x for r in results for x in r[1])
    bound = args.addresses * args.per_client if args.per_client else None

    def per_hour(number: int, bounded: bool) -> float:
        rate = number / elapsed * 3600
        return min(rate, bound) if bounded and bound is not None else rate

    return {
        "attack POSTs": sum(statuses.values()),
        "req/s": len(latencies) / elapsed,
        "normal": normal,
        "held": held,
        "refused proof": statuses.get("challenge", 0),
        "refused limit": statuses.get("limit", 0),
        # Any other HTTP answer (a 5xx would be a bug), and connections the server closed
        # as they idled past gunicorn's keepalive while this machine was overloaded.
        "other": sum(n for s, n in statuses.items() if s not in (200, "challenge", "limit",
                                                                 "error")),
        "conn errors": statuses.get("error", 0),
        "flood s": elapsed,
        "MB": grew / 1e6,
        "B/row": grew / max(normal + held, 1),
        "held/h": per_hour(held + normal, True) - normal,
        "refused/h": per_hour(statuses.get("challenge", 0) + statuses.get("limit", 0), False),
        "fresh bits": fresh["bits"],
        "fresh s": fresh["seconds"],
        "fresh phone s": fresh["phone"],
        "several bits": several["bits"],
        "several s": several["seconds"],
        "several phone s": several["phone"],
        "no-JS s": no_js["seconds"],
        "chromium s": chromium,
        "others": {str(s): n for s, n in statuses.items() if s not in (200, "challenge", "limit")},
        "load before": load_before,
        "load after": os.getloadavg()[0],
    }


COLUMNS = [("attack POSTs", "{:.0f}"), ("req/s", "{:.0f}"), ("normal", "{:.0f}"),
           ("held", "{:.0f}"), ("refused proof", "{:.0f}"), ("refused limit", "{:.0f}"),
           ("other", "{:.0f}"), ("conn errors", "{:.0f}"), ("flood s", "{:.0f}"),
           ("MB", "{:.2f}"), ("B/row", "{:.0f}"), ("held/h", "{:.0f}"),
           ("refused/h", "{:.0f}"), ("fresh bits", "{:.0f}"),
           ("fresh s", "{:.2f}"), ("fresh phone s", "{:.1f}"), ("several bits", "{:.0f}"),
           ("several s", "{:.2f}"), ("several phone s", "{:.1f}"), ("no-JS s", "{:.3f}"),
           ("chromium s", "{:.2f}"), ("load before", "{:.2f}"), ("load after", "{:.2f}")]


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
    parser.add_argument("--seconds", type=float, default=20,
                        help="how long the flood lasts at least")
    parser.add_argument("--addresses", type=int, default=64,
                        help="loopback addresses the flood comes from (at most 254)")
    parser.add_argument("--per-client", type=int, default=5,
                        help="REPORTS_PER_CLIENT_PER_HOUR (0: off)")
    parser.add_argument("--several", type=int, default=3,
                        help="reports the second reporter sent before the one measured")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", action="store_true", help="also a phone in Chromium")
    args = parser.parse_args()
    if not 1 <= args.addresses <= 254:
        parser.error("--addresses: 1 to 254")

    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(args)
        runs.append((str(number), run))
        print(table([runs[-1]]), flush=True)
        if run["others"]:
            print(f"  other answers to the flood: {run['others']}")
    if len(runs) > 1:
        summary = []
        for label, pick in (("min", min), ("median", statistics.median), ("max", max)):
            summary.append((label, {name: None if any(r[name] is None for _, r in runs)
                                    else pick(r[name] for _, r in runs) for name, _ in COLUMNS}))
        print()
        print(table(runs + summary))
    print(f"\ncpus {os.cpu_count()}, REPORTS_PER_HOUR={BUSY_AT}, POW_BITS 17 (default), "
          f"REPORTS_PER_CLIENT_PER_HOUR={args.per_client}, {args.addresses} attacker "
          f"addresses, {args.threads} attack threads in {PROCESSES} processes (half plain "
          f"forms, half as the script), at least {args.seconds:.0f} s of flood; 'phone s' at "
          f"{PHONE_HASHES_PER_SECOND:,} SHA-256/s")
    ok = all(r["other"] == 0 for _, r in runs)
    print("every real reporter got her receipt, the flood got only 200/429 answers:",
          "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
