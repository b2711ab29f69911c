"""Soak test: every public and organizer endpoint at once, through the shipped nginx, for minutes.

    .venv/bin/python bench/soak.py [--seconds 240] [--hog 2] [--reloads 60] [--maintenance 40]

Starts, in a temporary folder, gunicorn as the systemd unit runs it
(scripts/gunicorn.conf.py: 2 x cores + 1 gthread workers, 4 threads each,
gunicorn's default 30 s worker timeout, SPOTCHECK_TRUSTED_PROXIES=1) and Debian's
nginx with deploy/nginx/'s includes in front of it (tests/support/stack.py and
nginx.py, as the deployment tests do), makes an organizer account with the CLI's
`create-admin`, and then runs, together, until --seconds have passed:

- readers: home, checklists, found, map (page, list, API, OpenAPI), lens, offline
  pages, manifests, static files, in the four languages, some as htmx asks;
- reporters: the report form, then reports with no photo, a small JPEG or a 12 MP
  phone JPEG (tests/support/phone_photo.py), with retries of the same key; in a
  flood they solve the proof of work as the page's script does;
- status checkers: receipt codes (right and wrong), replies to questions;
- poster makers: builder and htmx preview, make, print page, PDF, QR (SVG, PNG),
  the private management page, scans of /p/CODE;
- organizers: sign-in (with the CSRF token of the session), queue, report cards,
  photos, publish / reject / ask / duplicate, exports, stats, audit log, posters,
  accounts;
- around them, as on a live site: Litestream replicating the database with
  deploy/litestream/'s settings; `flask purge-reports` (Litestream stopped for it, as
  cron does) and `flask backup` on the live
  instance every --maintenance seconds, as cron runs them; a graceful reload of
  gunicorn (SIGHUP, as `systemctl reload`) every --reloads seconds, and a log reopen
  (SIGUSR1, as logrotate) halfway between; --hog processes spinning on the CPU; and
  every --lulls seconds or so, every client quiet for 2 to 3 s, then all at once,
  as a small site's traffic comes (that found the 502: gunicorn closed its end of
  nginx's kept-alive connections after 2 s idle).

Per-client limits are met legitimately: each client sends from loopback addresses
of its own (127.1.x.y; nginx sees them as different visitors) and takes a new one
before its limit would refuse it. Nothing else is raised unless asked for
(--set NAME=VALUE passes SPOTCHECK_NAME to gunicorn).

Server-side errors are kept, never a client address: gunicorn's error log and its
standard error (redacted by scripts/gunicorn.conf.py), and nginx's error log at
`warn` (the shipped site logs at `emerg`, which hid the 502's cause), which here goes
to a socket this script reads, keeping each line with `client: ...` and every
address cut out. Nothing with an address is written to disk.

Prints requests per endpoint with latency percentiles, status counts, every 5xx
with the server's own account of it, and the load average; exits 1 on any 5xx.
"""

import argparse
import gzip
import hashlib
import http.client
import io
import itertools
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import brotli
from PIL import Image

from tests.support.durability import LITESTREAM, litestream_config
from tests.support.nginx import NGINX, SITE_NAME, locations_include, nginx_conf
from tests.support.phone_photo import phone_jpeg
from tests.support.servers import ROOT, free_port, launch, stop
from tests.support.stack import IDEMPOTENCY_KEY, RECEIPT, Answer, start_gunicorn

LANGS = ["en", "zh-hans", "zh-hant", "zh-hk"]
SPACES = ["restroom", "fitting-room", "hotel-room", "changing-room", "medical-room",
          "transport"]
CHECKLISTS = [*SPACES, "home"]
WHAT = ["found", "suspected", "filming"]
DEVICES = ["smoke-detector", "other", ""]
POSTER_LANGUAGES = ["en", "zh-hans", "zh-hant", "zh-hk", "zh-hans+en", "zh-hant+en", "zh-hk+en"]
POSTER_FORMATS = ["a4", "a3", "letter", "a5", "stickers-8", "stickers-24"]
DESTINATIONS = ["home", "check-restroom", "check-hotel-room", "check-fitting-room"]
USERNAME, PASSWORD = "soakadmin", "correct horse battery staple soak"
USER_AGENT = "SpotCheckSoak/1.0"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
REPORT_LINK = re.compile(r'/organizers/reports/(\d+)"')
POSTER_CODE = re.compile(r'/posters/([0-9A-Z]{6})/(?:poster\.pdf|qr\.|print)')
MANAGE = re.compile(r'/posters/manage/([A-Za-z0-9_-]+)')
STATIC = re.compile(r'(?:href|src)="(/static/[^"?#]+)')
# Numbers and codes in a path, so that requests group by endpoint.
IDS = [(re.compile(r"/reports/\d+"), "/reports/N"), (re.compile(r"/[pP]/[0-9A-Z]{6}"), "/p/CODE"),
       (re.compile(r"/posters/[0-9A-Z]{6}(?=/|$)"), "/posters/CODE"),
       (re.compile(r"/posters/manage/[^/?]+"), "/posters/manage/TOKEN"),
       (re.compile(r"/static/.*"), "/static/…")]
# Any IPv4 or IPv6 address, and nginx's "client: ..." field, cut from kept lines.
ADDRESS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])|(?<![\w:])[0-9a-fA-F:]*::"
                     r"[0-9a-fA-F:.]*(?![\w:])")
CLIENT_FIELD = re.compile(r",? ?client: [^,]*")
NGINX_PREFIX = re.compile(r"^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d nginx: \S+ \S+ ")


# -- what was seen ----------------------------------------------------------------------

@dataclass
class Failure:
    at: float
    method: str
    path: str
    status: int | str
    detail: str


@dataclass
class Tally:
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[Failure] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)

    def add(self, method: str, path: str, status: int | str, seconds: float,
            detail: str = "") -> None:
        endpoint = f"{method} {endpoint_of(path)}"
        with self.lock:
            self.times[endpoint].append(seconds)
            self.statuses[endpoint][status] += 1
            if not isinstance(status, int) or status >= 500:
                self.failures.append(Failure(time.monotonic() - self.started, method, path,
                                             status, detail))

    def note(self, what: str) -> None:
        with self.lock:
            self.notes[what] += 1


def endpoint_of(path: str) -> str:
    path = path.split("?", 1)[0]
    for pattern, replacement in IDS:
        path = pattern.sub(replacement, path)
    for lang in sorted(LANGS, key=len, reverse=True):
        if path.startswith(f"/{lang}/") or path == f"/{lang}":
            return "/{lang}" + path[len(lang) + 1:]
    return path


# -- lulls ------------------------------------------------------------------------------

class Lulls:
    """Now and then every client stops for 2 to 3 s, then all send at once: what a small
    site sees all day. Kept-alive connections between nginx and gunicorn then sit idle
    as long as gunicorn's keepalive timeout before the burst reuses them."""

    def __init__(self, every: float):
        self.every, self.until, self.count = every, 0.0, 0

    def wait(self) -> None:
        if (pause := self.until - time.monotonic()) > 0:
            time.sleep(pause)

    def tick(self, now: float) -> None:
        if self.every and now > self.until + self.every * random.uniform(0.5, 1.5):
            self.until, self.count = now + random.uniform(1.8, 3.2), self.count + 1
            EVENTS.append((self.until, "the end of a lull"))


EVENTS: list[tuple[float, str]] = []  # (time.monotonic(), what): lulls and reloads


LULLS = Lulls(0)


# -- loopback addresses --------------------------------------------------------------

_addresses = itertools.count(1)


def new_address() -> str:
    """A loopback address no client used before in this run: 127.1.0.1, 127.1.0.2, ..."""
    n = next(_addresses)
    return f"127.{1 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"


# -- a client ---------------------------------------------------------------------------

class Client:
    """One visitor: a kept-alive connection from one loopback address, as a browser has."""

    def __init__(self, port: int, tally: Tally, source: str | None = None):
        self.port, self.tally = port, tally
        self.source = source or new_address()
        self.conn: http.client.HTTPConnection | None = None
        self.cookie: str | None = None
        self.used = 0  # requests that count against a per-client limit, from this address

    def move(self) -> None:
        """Another address (a new visitor, as far as the limits can tell)."""
        self.close()
        self.source, self.used = new_address(), 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, expect: tuple[int, ...] = ()) -> Answer | None:
        sent = {"User-Agent": USER_AGENT, "Host": SITE_NAME,
                "Accept-Encoding": random.choice(["gzip, deflate, br", "gzip", "identity"]),
                "Accept-Language": "en", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        LULLS.wait()
        started = time.monotonic()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                                       source_address=(self.source, 0))
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                # nginx closed a kept-alive client connection (keepalive_timeout): what a
                # browser retries on a new connection, without anyone seeing it.
                self.close()
                if attempt == 1:
                    self.tally.note("client connection closed by nginx, sent again")
                    continue
                self.tally.add(method, path, type(e).__name__, time.monotonic() - started)
                return None
            except (OSError, http.client.HTTPException) as e:
                self.close()
                self.tally.add(method, path, type(e).__name__, time.monotonic() - started,
                               str(e))
                return None
            break
        if response.will_close:
            self.close()
        answer = Answer(response.status, response.headers, decoded(response.headers, data))
        detail = ""
        if answer.status >= 500:
            detail = f"upstream answer: {answer.text[:200]!r}" if data else "(no body)"
        self.tally.add(method, path, answer.status, time.monotonic() - started, detail)
        if expect and answer.status not in expect:
            self.tally.note(f"unexpected {answer.status} for {method} {endpoint_of(path)}")
        return answer

    def get(self, path: str, **kwargs) -> Answer | None:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict | list, files: dict | None = None,
             headers: dict | None = None, **kwargs) -> Answer | None:
        # Half send what a browser of today sends (Sec-Fetch-Site), half an older one's Origin.
        origin = random.choice([{"Sec-Fetch-Site": "same-origin"},
                                {"Origin": f"http://{SITE_NAME}"}])
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body,
                            {**origin, "Content-Type": content_type, **(headers or {})}, **kwargs)


def decoded(headers: http.client.HTTPMessage, data: bytes) -> bytes:
    encoding = headers.get("Content-Encoding", "")
    if encoding == "br":
        return bytes(brotli.decompress(data))
    if encoding == "gzip":
        return gzip.decompress(data)
    return data


def multipart(fields: dict | list, files: dict[str, tuple[str, bytes, str]]
              ) -> tuple[bytes, str]:
    boundary = f"----soak{random.getrandbits(64):016x}"
    parts = []
    items = fields.items() if isinstance(fields, dict) else fields
    for name, value in items:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, data, mime) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                     + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# -- what they share ----------------------------------------------------------------------

@dataclass
class Shared:
    receipts: list[str] = field(default_factory=list)
    posters: list[str] = field(default_factory=list)
    manage_tokens: list[str] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, name: str) -> str | None:
        with self.lock:
            found = getattr(self, name)
            return random.choice(found) if found else None

    def keep(self, name: str, value: str) -> None:
        with self.lock:
            getattr(self, name).append(value)


def small_jpeg(seed: int) -> bytes:
    """A photo as a phone's shrinking script leaves it (or an old phone takes): 800 x 600."""
    rnd = random.Random(seed)
    image = Image.frombytes("RGB", (32, 24), rnd.randbytes(32 * 24 * 3)).resize((800, 600))
    noise = Image.merge("RGB", [Image.effect_noise((800, 600), 12) for _ in range(3)])
    image = Image.blend(image, noise, 0.2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def solve(challenge: str) -> str:
    """The proof of work the page's script finds (app/reports/proof.py)."""
    bits = int(challenge.split(".")[1])
    for n in itertools.count():
        digest = hashlib.sha256(f"{challenge}:{n}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(n)
    raise AssertionError


# -- the visitors' loops ------------------------------------------------------------------

def reader(client: Client, shared: Shared, deadline: float) -> None:
    pages = ["/", *(f"/{lang}/" for lang in LANGS)]
    for lang in LANGS:
        pages += [f"/{lang}/check/", f"/{lang}/found", f"/{lang}/found/sources",
                  f"/{lang}/map", f"/{lang}/map?view=list", f"/{lang}/lens", f"/{lang}/offline",
                  f"/{lang}/offline/report", f"/{lang}/manifest.webmanifest",
                  f"/{lang}/report/status", f"/{lang}/posters/"]
        pages += [f"/{lang}/check/{space}" for space in CHECKLISTS]
        pages += [f"/{lang}/map?space={space}&view=list" for space in SPACES]
    pages += ["/sw.js", "/favicon.ico", "/healthz", "/api/v1/openapi.json",
              "/api/v1/reports?bbox=73,18,135,54&zoom=4", "/api/v1/reports?bbox=113.8,22.1,114.4,"
              "22.6&zoom=12", "/api/v1/reports?bbox=113.8,22.1,114.4,22.6&zoom=15&space=restroom"]
    while time.monotonic() < deadline:
        roll = random.random()
        if roll < 0.15 and shared.static:
            client.get(shared.pick("static"), expect=(200,))
        elif roll < 0.25:  # htmx: the map's list, a checklist link followed with hx-boost
            lang = random.choice(LANGS)
            client.get(f"/{lang}/map?view=list&space={random.choice(SPACES)}",
                       headers={"HX-Request": "true"}, expect=(200,))
        elif roll < 0.28 and (code := shared.pick("posters")):
            client.get(f"/{random.choice('pP')}/{code}", expect=(302,))
        else:
            answer = client.get(random.choice(pages))
            if answer and answer.status == 200 and not shared.static:
                for asset in set(STATIC.findall(answer.text)):
                    shared.keep("static", asset)
        if random.random() < 0.05:
            client.move()  # another visitor
        time.sleep(random.uniform(0, 0.3))


def reporter(client: Client, shared: Shared, deadline: float, photos: dict[str, list[bytes]],
             per_client: int) -> None:
    while time.monotonic() < deadline:
        if client.used >= per_client - 1:
            client.move()
        lang = random.choice(LANGS)
        form = client.get(f"/{lang}/report?space={random.choice(SPACES)}", expect=(200,))
        if form is None or form.status != 200:
            time.sleep(1)
            continue
        fields = {"idempotency_key": IDEMPOTENCY_KEY.search(form.text)[1],
                  "space": random.choice(SPACES), "what": random.choice(WHAT),
                  "device": random.choice(DEVICES), "venue": f"Soak venue {random.randrange(99)}",
                  "city": random.choice(["Hong Kong", "上海 徐汇区", "台北", ""]),
                  "description": "Under load: a soak test report. " * random.randrange(1, 20),
                  "observed_on": random.choice(["", time.strftime("%Y-%m-%d")]),
                  "told_venue": random.choice(["yes", ""])}
        if random.random() < 0.6:
            fields.update(latitude=f"{random.uniform(22.2, 22.5):.3f}",
                          longitude=f"{random.uniform(113.9, 114.3):.3f}")
        roll = random.random()
        kind = "none" if roll < 0.45 else "small" if roll < 0.85 else "phone"
        files = ({"photo": ("IMG_0001.jpg", random.choice(photos[kind]), "image/jpeg")}
                 if kind != "none" else None)
        path = f"/{lang}/report"
        headers = {"HX-Request": "true"} if random.random() < 0.5 else {}
        answer = client.post(path, fields, files, headers)
        client.used += 1
        for _ in range(3):  # a flood: prove the work and send again, as new-report.js does
            if answer is None or answer.status != 429 or "SpotCheck-Proof" not in answer.headers:
                break
            challenge = answer.headers["SpotCheck-Proof"]
            client.tally.note(f"proof of work asked ({challenge.split('.')[1]} bits)")
            fields.update(proof_challenge=challenge, proof_answer=solve(challenge))
            answer = client.post(path, fields, files, headers)
        if answer is not None and (receipt := RECEIPT.search(answer.text)):
            shared.keep("receipts", receipt[1])
            if random.random() < 0.15:  # the network dropped the answer: she sends again
                again = client.post(path, fields, files, headers)
                if again is not None and RECEIPT.search(again.text) is None:
                    client.tally.note("a retry of a stored report got no receipt")
        elif answer is not None and answer.status == 429:
            client.tally.note("report refused: per-client limit")
            client.move()
        time.sleep(random.uniform(0, 0.5))


def status_checker(client: Client, shared: Shared, deadline: float) -> None:
    while time.monotonic() < deadline:
        lang = random.choice(LANGS)
        code = shared.pick("receipts")
        if code is None:
            time.sleep(0.5)
            continue
        if client.used >= 6:
            client.move()
        fields = {"code": code.lower() if random.random() < 0.3 else code}
        if random.random() < 0.15:
            fields["code"], client.used = "ABCD-EFGH-JKMN-PQRS", client.used + 1  # a wrong one
        elif random.random() < 0.2:
            fields["reply"] = "A reply from the soak test."
        answer = client.post(f"/{lang}/report/status", fields,
                             headers={"HX-Request": "true"} if random.random() < 0.5 else {},
                             expect=(200, 400, 429))
        if answer is not None and answer.status == 429:
            client.move()
        time.sleep(random.uniform(0, 0.5))


def poster_maker(client: Client, shared: Shared, deadline: float, per_client: int) -> None:
    while time.monotonic() < deadline:
        if client.used >= per_client - 2:
            client.move()
        lang = random.choice(LANGS)
        choice = {"destination": random.choice(DESTINATIONS),
                  "languages": random.choice(POSTER_LANGUAGES),
                  "format": random.choice(POSTER_FORMATS)}
        client.get(f"/{lang}/posters/?{urlencode(choice)}", expect=(200,))
        client.get(f"/{lang}/posters/?{urlencode(choice)}", headers={"HX-Request": "true"},
                   expect=(200,))
        if random.random() < 0.3:
            choice["label"] = f"Soak room {random.randrange(1000)}"
        made = client.post(f"/{lang}/posters/", choice, expect=(200,))
        client.used += 1
        if made is None or made.status != 200:
            if made is not None and made.status == 429:
                client.move()
            continue
        code = POSTER_CODE.search(made.text)[1]
        shared.keep("posters", code)
        if token := MANAGE.search(made.text):
            shared.keep("manage_tokens", token[1])
        client.get(f"/{lang}/posters/{code}/print", expect=(200,))
        client.get(f"/{lang}/posters/{code}/poster.pdf", expect=(200,))
        client.get(f"/{lang}/posters/{code}/qr.{random.choice(['svg', 'png'])}", expect=(200,))
        if token := shared.pick("manage_tokens"):
            client.get(f"/{lang}/posters/manage/{token}", expect=(200,))
        time.sleep(random.uniform(0, 1))


def organizer(client: Client, shared: Shared, deadline: float) -> None:
    """An admin at the review queue: signs in once, then reviews, exports, reads the log."""
    lang = random.choice(LANGS)
    client.get(f"/{lang}/organizers/login", expect=(200,))
    signed_in = client.post(f"/{lang}/organizers/login",
                            {"username": USERNAME, "password": PASSWORD}, expect=(302,))
    if signed_in is None or signed_in.status != 302:
        raise SystemExit(f"the organizer could not sign in: {signed_in and signed_in.status}")
    client.cookie = signed_in.headers["Set-Cookie"].split(";", 1)[0]
    base = f"/{lang}/organizers"
    csrf = None
    while time.monotonic() < deadline:
        roll = random.random()
        if roll < 0.45:  # the queue, then one report, then a decision
            status = random.choice(["received"] * 4 + ["published", "rejected", "duplicate"])
            queue = client.get(f"{base}/?status={status}", expect=(200,))
            ids = REPORT_LINK.findall(queue.text) if queue and queue.status == 200 else []
            if not ids:
                time.sleep(0.5)
                continue
            report_id = random.choice(ids[:10])
            card = client.get(f"{base}/reports/{report_id}", expect=(200,))
            if card is None or card.status != 200:
                continue
            csrf = CSRF.search(card.text)[1]
            if "/photo" in card.text:
                client.get(f"{base}/reports/{report_id}/photo", expect=(200,))
            version = (VERSION.search(card.text) or [None, ""])[1]
            action = random.choice(["publish", "publish", "reject", "ask", "duplicate"])
            fields: list[tuple[str, str]] = [("csrf_token", csrf), ("version", version)]
            if action == "publish":
                fields += [("public", name) for name in random.sample(
                    ["device", "venue", "city", "observed_on"], 2)]
                fields += [("public_note", "Checked by the soak test.")]
                if 'value="location"' in card.text:
                    fields.append(("public", "location"))
            elif action == "ask":
                fields += [("question", "Which floor was it on?")]
            elif action == "duplicate":
                fields += [("original", random.choice(ids))]
            if action in ("publish", "reject") and random.random() < 0.5:
                fields.append(("then", "next"))
            headers = {"HX-Request": "true"} if random.random() < 0.5 else {}
            client.post(f"{base}/reports/{report_id}/{action}", fields, headers=headers,
                        expect=(200, 204, 303, 400, 409))
        elif roll < 0.6:
            client.get(random.choice([f"{base}/export/published.csv",
                                      f"{base}/export/published.geojson",
                                      f"{base}/export/all.csv",
                                      f"{base}/export/all.csv?status=received"]), expect=(200,))
        elif roll < 0.7:
            client.get(random.choice([f"{base}/audit", f"{base}/stats", f"{base}/accounts"]),
                       expect=(200,))
        elif roll < 0.8:
            client.get(f"{base}/posters", expect=(200,))
            if code := shared.pick("posters"):
                client.get(f"{base}/posters/{code}", expect=(200,))
        else:
            client.get(f"{base}/?status=received", headers={"HX-Request": "true"},
                       expect=(200,))
        time.sleep(random.uniform(0.2, 1.5))


# -- servers, logs, load ------------------------------------------------------------------

class ErrorLogSocket:
    """Where nginx's error log goes: a datagram socket read here, each line kept with its
    client and every address cut out, in memory only."""

    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            line = NGINX_PREFIX.sub("", data.decode("utf-8", "replace").strip())
            line = ADDRESS.sub("[address]", CLIENT_FIELD.sub("", line))
            # Process and connection numbers, temporary files: so that like lines group.
            line = re.sub(r"\d+#\d+: (\*\d+ )?|(?<=/)\d{10}\b", "", line)
            self.lines.append(line)

    def close(self) -> None:
        self.sock.close()


@contextmanager
def soak_nginx(folder: Path, upstream_port: int, error_socket: Path, level: str):
    """Debian's nginx with the shipped includes (tests/support/nginx.py), its error logs
    sent to error_socket at `level` instead of to files."""
    port = free_port()
    for sub in ("logs", "cache", "temp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    to_socket = f"error_log syslog:server=unix:{error_socket},nohostname {level};"
    include, found = re.subn(r"error_log\s+\S+\s+emerg;", to_socket,
                             locations_include(folder))
    if found != 1:
        raise SystemExit("deploy/nginx/spotcheck-locations.conf no longer has one "
                         "`error_log ... emerg;`: update bench/soak.py")
    (folder / "spotcheck-locations.conf").write_text(include)
    conf, found = re.subn(r"error_log \S+;", to_socket, nginx_conf(folder, port, upstream_port))
    if found != 1:
        raise SystemExit("tests/support/nginx.py's nginx.conf changed: update bench/soak.py")
    (folder / "nginx.conf").write_text(conf)
    process = launch([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                      "-g", "daemon off;"], port, "nginx", folder / "logs" / "output.log")
    try:
        yield port
    finally:
        stop(process)


def create_admin(instance: Path) -> None:
    """The first admin, made as docs/deploy.md says: `flask create-admin NAME`."""
    env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": str(instance),
           "SPOTCHECK_SETUP_LINK_ON_START": "false"}
    # Its own session: no terminal, so the password prompt reads standard input.
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "create-admin",
                           USERNAME], input=f"{PASSWORD}\n{PASSWORD}\n", text=True,
                          capture_output=True, cwd=ROOT, env=env, start_new_session=True)
    if done.returncode != 0 or "created" not in done.stdout:
        raise SystemExit(f"create-admin failed:\n{done.stdout}\n{done.stderr}")


def flask_command(instance: Path, *command: str) -> str:
    """A maintenance command on the live instance, as deploy/bin/spotcheck-flask runs it
    (the daily purge from cron, a backup): its output, or why it failed."""
    env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": str(instance),
           "SPOTCHECK_SETUP_LINK_ON_START": "false"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *command],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        return f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}"
    return ""


def hog() -> None:
    os.nice(0)
    while True:
        pass


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def server_errors(logs: Path) -> list[str]:
    """gunicorn's error log and standard error, as records: a line that starts one,
    with its traceback, if any, joined to it. Routine lines (workers booting, signals
    handled) are left out."""
    routine = re.compile(r"\[INFO\] (Booting worker|Handling signal|Worker exiting|"
                         r"Starting gunicorn|Listening at|Using worker|Control socket|"
                         r"Hang up|Shutting down|Reopening|Worker reloading)")
    records: list[str] = []
    for name in ("error.log", "output.log"):
        path = logs / name
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            starts = line.startswith("[") or not records
            if starts:
                records.append(f"{name}: {line}")
            else:
                records[-1] += "\n    " + line
    return [r for r in records if not routine.search(r)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(tally: Tally, seconds: float, nginx_lines: list[str], gunicorn_records: list[str],
           loads: list[str]) -> int:
    total = sum(len(t) for t in tally.times.values())
    print(f"\n{total} requests in {seconds:.0f} s ({total / seconds:.1f}/s); "
          f"load average (1, 5, 15 min) before / during / after: {' / '.join(loads)}")
    print(f"\n{'endpoint':<52}{'n':>6}{'p50 ms':>9}{'p90':>8}{'p99':>8}{'max':>8}  statuses")
    for endpoint in sorted(tally.times, key=lambda e: (e.split()[1], e)):
        times = tally.times[endpoint]
        statuses = " ".join(f"{s}×{n}" for s, n in sorted(tally.statuses[endpoint].items(),
                                                           key=lambda i: str(i[0])))
        print(f"{endpoint[:51]:<52}{len(times):>6}{percentile(times, .5) * 1000:>9.0f}"
              f"{percentile(times, .9) * 1000:>8.0f}{percentile(times, .99) * 1000:>8.0f}"
              f"{max(times) * 1000:>8.0f}  {statuses}")
    every = Counter()
    for counts in tally.statuses.values():
        every.update(counts)
    print("\nstatuses:", ", ".join(f"{s}: {n}" for s, n in sorted(every.items(),
                                                                   key=lambda i: str(i[0]))))
    all_times = [t for times in tally.times.values() for t in times]
    print("latency (all): " + ", ".join(f"p{q * 100:g} {percentile(all_times, q) * 1000:.0f} ms"
                                       for q in (.5, .9, .99, .999)))
    if tally.notes:
        print("\nnotes:")
        for what, n in tally.notes.most_common():
            print(f"  {n:>5}  {what}")
    print(f"\nserver errors (5xx or no answer): {len(tally.failures)}")
    for failure in tally.failures:
        print(f"  at {failure.at:6.1f} s: {failure.method} {endpoint_of(failure.path)} "
              f"-> {failure.status} {failure.detail}")
        recent = sorted((failure.at - (at - tally.started), what) for at, what in EVENTS
                        if 0 <= failure.at - (at - tally.started) <= 15)
        if recent:
            print("    " + "; ".join(f"{since:.1f} s after {what}" for since, what in recent))
    print(f"\nnginx's error log (warn and up; client fields and addresses cut): "
          f"{len(nginx_lines)} lines")
    for line, n in Counter(nginx_lines).most_common(40):
        print(f"  {n:>4}×  {line[:400]}")
    print(f"\ngunicorn's error log and standard error (routine lines left out): "
          f"{len(gunicorn_records)} records")
    for record in gunicorn_records[:60]:
        print("  " + record)
    return 1 if tally.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=240)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--reporters", type=int, default=4)
    parser.add_argument("--checkers", type=int, default=2)
    parser.add_argument("--posters", type=int, default=3)
    parser.add_argument("--organizers", type=int, default=2)
    parser.add_argument("--hog", type=int, default=2, help="CPU-spinning processes")
    parser.add_argument("--reloads", type=float, default=60,
                        help="seconds between graceful reloads (HUP) and log reopens "
                             "(USR1); 0: none")
    parser.add_argument("--nginx-level", default="warn")
    parser.add_argument("--maintenance", type=float, default=40,
                        help="seconds between runs of `flask purge-reports` and `flask backup` "
                             "on the live instance, as cron runs them; 0: none")
    parser.add_argument("--lulls", type=float, default=15,
                        help="about how many seconds between 2-3 s pauses of every client; 0: none")
    parser.add_argument("--no-litestream", action="store_true",
                        help="without Litestream replicating the database (deploy/litestream/)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a SPOTCHECK_ setting for gunicorn (e.g. REPORTS_PER_HOUR=5)")
    parser.add_argument("--keep", type=Path, help="keep the servers' folder here")
    args = parser.parse_args()
    if not NGINX.exists():
        subprocess.run(["bash", "-c", "source scripts/lib/install.sh && need_apt nginx"],
                       cwd=ROOT, check=True)
    settings = dict(item.split("=", 1) for item in args.set)
    # As the unit runs it: scripts/gunicorn.conf.py's own worker count (2 x cores + 1).
    settings.setdefault("WORKERS", str(multiprocessing.cpu_count() * 2 + 1))
    per_client_reports = int(settings.get("REPORTS_PER_CLIENT_PER_HOUR", 5))
    per_client_posters = int(settings.get("POSTERS_PER_CLIENT_PER_HOUR", 30))

    print("making photos ...", flush=True)
    photos = {"small": [small_jpeg(seed) for seed in range(4)],
              "phone": [phone_jpeg(orientation) for orientation in (1, 6)]}
    tally, shared = Tally(), Shared()
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(args.hog)]
    loads = [load_average()]
    with ExitStack() as stack:
        folder = Path(args.keep) if args.keep else Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="spotcheck-soak-")))
        app_folder = folder / "gunicorn"
        create_admin(app_folder / "instance")
        app = start_gunicorn(app_folder, free_port(), **settings)
        stack.callback(stop, app.process)
        replicas: list[subprocess.Popen] = []  # Litestream, started again after each purge

        def start_litestream() -> None:
            with (folder / "litestream.log").open("ab") as out:
                replicas.append(subprocess.Popen(
                    [str(LITESTREAM), "replicate", "-config", str(folder / "litestream.yml")],
                    stdout=out, stderr=subprocess.STDOUT))

        if not args.no_litestream:
            (folder / "litestream.yml").write_text(litestream_config(
                app.instance / "spotcheck.sqlite3", folder / "replica"))
            start_litestream()
            stack.callback(lambda: stop(replicas[-1]))
        errors = ErrorLogSocket(folder / "nginx-error.sock")
        stack.callback(errors.close)
        port = stack.enter_context(soak_nginx(folder / "nginx", app.port, errors.path,
                                              args.nginx_level))
        for process in hogs:
            process.start()
            stack.callback(process.terminate)
        if args.hog:  # let the load average show them
            time.sleep(5)
        LULLS.every = args.lulls
        print(f"gunicorn ({settings['WORKERS']} workers) on {app.port}, nginx on {port}, "
              f"{'no ' if args.no_litestream else ''}Litestream, {args.hog} CPU hogs; "
              f"soaking for {args.seconds:.0f} s ...", flush=True)
        tally.started = started = time.monotonic()
        deadline = started + args.seconds
        roles = ([(reader, ())] * args.readers
                 + [(reporter, (photos, per_client_reports))] * args.reporters
                 + [(status_checker, ())] * args.checkers
                 + [(poster_maker, (per_client_posters,))] * args.posters
                 + [(organizer, ())] * args.organizers)
        threads = []
        for role, extra in roles:
            client = Client(port, tally)

            def run(role=role, client=client, extra=extra) -> None:
                while time.monotonic() < deadline:
                    try:
                        role(client, shared, deadline, *extra)
                    except Exception as error:  # a bug here, not the server's: say so, go on
                        tally.note(f"client error in {role.__name__}: {error!r}")
                        client.close()
                        time.sleep(1)
                client.close()

            threads.append(threading.Thread(target=run, name=role.__name__, daemon=True))
        for thread in threads:
            thread.start()
        next_reload = started + args.reloads if args.reloads else float("inf")
        next_reopen = next_reload - args.reloads / 2  # logrotate's USR1, on its own
        maintenance: list[threading.Thread] = []
        next_maintenance = started + args.maintenance / 2 if args.maintenance else float("inf")
        while any(t.is_alive() for t in threads):
            time.sleep(0.25)
            now = time.monotonic()
            if now < deadline:
                LULLS.tick(now)
            if now >= next_reload and now < deadline:
                os.kill(app.process.pid, signal.SIGHUP)
                tally.note("graceful reload of gunicorn (HUP, as `systemctl reload`)")
                EVENTS.append((now, "a graceful reload"))
                next_reload += args.reloads
            if now >= next_reopen and now < deadline:
                os.kill(app.process.pid, signal.SIGUSR1)
                tally.note("log reopen of gunicorn (USR1, as logrotate)")
                next_reopen += args.reloads
            if now >= next_maintenance and now < deadline:
                def maintain(at: float = now) -> None:
                    for command in (["purge-reports"],
                                    ["backup", "--force", str(folder / "backup.sqlite3")]):
                        EVENTS.append((time.monotonic(), f"`flask {command[0]}` began"))
                        # As the cron line in docs/deploy.md: Litestream stopped for the
                        # purge, whose checkpoint cannot finish beside its open reader.
                        purging = command == ["purge-reports"] and bool(replicas)
                        if purging:
                            stop(replicas[-1])
                        problem = flask_command(app.instance, *command)
                        if purging:
                            start_litestream()
                        if problem:
                            tally.note(problem)
                        tally.note(f"`flask {command[0]}` run on the live instance")
                maintenance.append(threading.Thread(target=maintain, daemon=True))
                maintenance[-1].start()
                next_maintenance += args.maintenance
            if len(loads) == 1 and now > started + args.seconds / 2:
                loads.append(load_average())
            if now > deadline + 300:
                tally.note("clients still busy 300 s after the end: left")
                break
        elapsed = time.monotonic() - started
        loads.append(load_average())
        for thread in maintenance:
            thread.join(timeout=60)
        for process in hogs:
            process.terminate()
        stop(app.process)
        time.sleep(0.5)  # the last lines of nginx's log
        nginx_lines = list(errors.lines)
        records = server_errors(app.logs)
        if not args.no_litestream:
            records += [f"litestream: {line}" for line in (folder / "litestream.log").read_text(
                errors="replace").splitlines() if "level=INFO" not in line]
        tally.notes["lulls (every client idle 1.8-3.2 s)"] = LULLS.count
    return report(tally, elapsed, nginx_lines, records, loads)


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        sys.exit(main())
