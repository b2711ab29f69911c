"""SpotCheck behind nginx as deploy/nginx/ ships it: the micro-cache, scans counted per phone,
the pages never cached, rate limits per real client, and logs without visitors."""

import http.client
import re
import shutil
import ssl
import subprocess
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode

import pytest

from support.nginx import (
    BODY_FOLDER,
    DEPLOY_NGINX,
    LOG_FOLDER,
    NGINX,
    SITE_NAME,
    TEST_BODY_FOLDER,
    running_nginx,
)
from support.servers import free_port
from support.stack import (
    RECEIPT,
    VISITOR_USER_AGENT,
    bad_key_share_hello,
    files_containing,
    raw_exchange,
    request,
    running_gunicorn,
    same_site,
    self_signed_certificate,
    send_report,
    serving_pid,
)

pytestmark = pytest.mark.slow

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def access_lines(log, path: str, at_least: int = 0) -> list[str]:
    """The lines of a gunicorn or nginx access log for this exact path.

    A server writes its line after the answer has gone out, so a test that asks
    right after may be a moment early: wait (up to 5 s) for `at_least` lines.
    """
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in log.read_text().splitlines() if line.split()[1:2] == [path]]
        if len(lines) >= at_least or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_nginx_runs_the_shipped_include_with_only_its_log_and_body_folders_moved(nginx):
    shipped = (DEPLOY_NGINX / "spotcheck-locations.conf").read_text().splitlines()
    used = (nginx.folder / "spotcheck-locations.conf").read_text().splitlines()
    changed = [(a, b) for a, b in zip(shipped, used, strict=True)
               if a != b and not a.startswith("#")]
    assert [a.split()[0] for a, _ in changed] == ["access_log", "error_log",
                                                  "client_body_temp_path"]
    assert all(b == a.replace(LOG_FOLDER, f"{nginx.logs}/")
               .replace(BODY_FOLDER, str(nginx.folder / TEST_BODY_FOLDER)) for a, b in changed)


def test_a_public_page_is_a_miss_then_a_hit_and_gunicorn_sees_it_once(gunicorn, nginx):
    page = "/zh-hant/check/fitting-room"  # no other test asks for it
    first = request(nginx.port, "GET", page, headers=BROWSER)
    again = request(nginx.port, "GET", page, headers=BROWSER)
    assert (first.status, again.status) == (200, 200)
    assert first.headers["X-Cache-Status"] == "MISS"
    assert again.headers["X-Cache-Status"] == "HIT"
    assert again.body == first.body and again.headers["ETag"] == first.headers["ETag"]
    assert "public" in again.headers["Cache-Control"] and "Set-Cookie" not in again.headers
    # Revalidating a cached copy is answered by nginx, without the page.
    revalidated = request(nginx.port, "GET", page,
                          headers={**BROWSER, "If-None-Match": first.headers["ETag"]})
    assert (revalidated.status, revalidated.body) == (304, b"")
    assert revalidated.headers["X-Cache-Status"] == "HIT"
    assert len(access_lines(gunicorn.logs / "access.log", page, at_least=1)) == 1


def test_each_encoding_is_cached_apart_and_served_only_to_who_accepts_it(nginx):
    page = "/zh-hans/check/hotel-room"
    answers = {}
    for encoding in ("br", "gzip", "identity", "br"):
        answer = request(nginx.port, "GET", page, headers={"Accept-Encoding": encoding})
        answers.setdefault(encoding, []).append(answer)
        expected = None if encoding == "identity" else encoding
        assert answer.headers.get("Content-Encoding") == expected, encoding
    assert [a.headers["X-Cache-Status"] for a in answers["br"]] == ["MISS", "HIT"]
    assert answers["gzip"][0].headers["X-Cache-Status"] == "MISS"
    assert b"<html" in answers["identity"][0].body


def test_pages_keep_their_own_headers_and_scripts_behind_nginx(nginx):
    # The lens page allows the camera and forbids connections, whichever encoding
    # nginx's cache and the app's page cache answer with.
    for encoding in ("identity", "br", "gzip", "br"):
        lens = request(nginx.port, "GET", "/zh-hk/lens", headers={"Accept-Encoding": encoding})
        assert lens.status == 200, encoding
        assert "camera=(self)" in lens.headers["Permissions-Policy"], encoding
        assert "connect-src 'none'" in lens.headers["Content-Security-Policy"], encoding
    # Every script and stylesheet the map page names arrives through nginx, and
    # the one that sets up the page before it is drawn is in <head>.
    html = request(nginx.port, "GET", "/en/map").body.decode()
    assert re.search(r'<script src="/static/js/map-choice\.js[^"]*"></script>',
                     html.split("</head>")[0])
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("leaflet.js" in a for a in assets) and any("map.js" in a for a in assets)
    for asset in assets:
        answer = request(nginx.port, "GET", asset.replace("&amp;", "&"), headers=BROWSER)
        assert answer.status == 200 and answer.body, asset


def test_only_an_organizers_session_cookie_goes_past_the_cache(nginx):
    page = "/en/check/hotel-room"
    request(nginx.port, "GET", page, headers=BROWSER)  # now in the cache
    assert request(nginx.port, "GET", page, headers=BROWSER).headers["X-Cache-Status"] == "HIT"
    # A made-up cookie must not send every request on to gunicorn.
    for cookie in ("x=1", "spotcheck=1", "a=1; not_spotcheck_organizer=2"):
        answer = request(nginx.port, "GET", page, headers={**BROWSER, "Cookie": cookie})
        assert answer.headers["X-Cache-Status"] == "HIT", cookie
    for cookie in ("spotcheck_organizer=abc", "x=1; __Host-spotcheck=abc",
                   "__Host-spotcheck=abc; x=1"):
        answer = request(nginx.port, "GET", page, headers={**BROWSER, "Cookie": cookie})
        assert answer.headers["X-Cache-Status"] == "BYPASS", cookie


def test_a_boosted_request_cannot_poison_the_fragment_kept_for_htmx(nginx):
    page = "/en/map?view=list&what=found"  # no other test asks for it
    # Uncompressed, to read the bodies; the cache keeps each encoding apart anyway.
    boosted = request(nginx.port, "GET", page, headers={
        "HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.status == 200 and b"<html" in boosted.body
    fragment = request(nginx.port, "GET", page, headers={"HX-Request": "true"})
    assert fragment.status == 200 and b"<html" not in fragment.body
    whole = request(nginx.port, "GET", page, headers={})
    assert b"<html" in whole.body
    assert "HX-Boosted" in whole.headers["Vary"] and "HX-Request" in whole.headers["Vary"]


# One page of each kind, and what its policy allows beyond the strict default.
PAGE_KINDS = {
    "/en/check/restroom": "default-src 'none'",
    "/en/map": "img-src 'self' https://tile.openstreetmap.org",
    "/zh-hk/lens": "connect-src 'none'",
    "/zh-hant/offline/report": "frame-src 'self'",
    "/en/organizers/login": "frame-ancestors 'none'",
}
POLICY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options",
                  "Cache-Control", "Referrer-Policy")


@pytest.mark.parametrize("page", PAGE_KINDS)
def test_each_kind_of_page_has_the_same_headers_from_gunicorn_and_from_nginx(
        gunicorn, nginx, page):
    def policy(answer) -> dict:
        return {name: answer.headers.get(name) for name in POLICY_HEADERS}

    direct = policy(request(gunicorn.port, "GET", page))
    assert PAGE_KINDS[page] in direct["Content-Security-Policy"]
    for encoding in ("identity", "br", "gzip", "br", "identity"):
        answer = request(nginx.port, "GET", page, headers={"Accept-Encoding": encoding})
        assert answer.status == 200, (page, encoding)
        assert policy(answer) == direct, (page, encoding)


def test_each_phone_scanning_a_poster_counts_once_and_is_always_sent_on(gunicorn, nginx):
    made = request(nginx.port, "POST", "/en/posters/", urlencode({"destination": "home"}),
                   same_site(nginx.port), source="127.0.0.5")
    assert made.status == 200, made.text
    code = re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", made.text)[1]
    # Three phones, as nginx tells them apart; each scans three times.
    phones = ("127.0.0.5", "127.0.0.2", "127.0.0.3")
    scans = [request(nginx.port, "GET", f"/{p}/{code}", source=phone)
             for phone in phones for p in ("p", "P", "p")]
    for scan in scans:
        assert scan.status == 302
        assert "X-Cache-Status" not in scan.headers
        assert scan.headers["Cache-Control"] == "no-store"
    assert request(nginx.port, "HEAD", f"/p/{code}").status == 302  # looking is not scanning
    with closing(gunicorn.database()) as db:
        counted = db.execute("SELECT sum(s.scans) FROM poster_scan s JOIN poster p "
                             "ON p.id = s.poster_id WHERE p.code = ?", (code,)).fetchone()[0]
    assert counted == len(phones)


def test_a_private_links_secret_reaches_no_log(gunicorn, nginx):
    made = request(nginx.port, "POST", "/en/posters/", "", same_site(nginx.port),
                   source="127.0.0.5")
    token = re.search(r"/en/posters/manage/([\w-]+)<", made.text)[1]
    manage = request(nginx.port, "GET", f"/en/posters/manage/{token}", source="127.0.0.5")
    assert manage.status == 200 and manage.headers["Cache-Control"] == "no-store"
    assert "X-Cache-Status" not in manage.headers
    request(nginx.port, "GET", f"/en/posters/manage/{token}/more", source="127.0.0.5")
    # nginx also hides what looks like a secret in paths the app does not have.
    request(nginx.port, "GET", "/EN/Posters/Manage/NotARealTokenButSecretAll", source="127.0.0.5")
    time.sleep(0.2)  # gunicorn writes its line after the answer
    assert files_containing([gunicorn.logs, nginx.logs, nginx.cache], [token.encode()]) == []
    assert files_containing([nginx.logs], [b"NotARealToken"]) == []
    logged = (nginx.logs / "spotcheck.log").read_text()
    assert "GET /en/posters/manage/[secret] 200" in logged
    assert "GET /EN/Posters/Manage/[secret] 404" in logged


@pytest.mark.parametrize("method, path", [
    ("GET", "/en/report"),
    ("GET", "/zh-hans/report"),
    ("GET", "/en/report/status"),
    ("POST", "/en/report/status"),
    ("GET", "/en/organizers/"),
    ("GET", "/en/organizers/login"),
    ("GET", "/zh-hant/organizers/reports"),
])
def test_report_status_and_organizer_pages_are_never_cached(nginx, method, path):
    body = urlencode({"code": "AAAA-BBBB-CCCC-DDDD"}) if method == "POST" else None
    headers = same_site(nginx.port) if method == "POST" else {}
    answers = [request(nginx.port, method, path, body, headers, source="127.0.0.6")
               for _ in range(3)]
    for answer in answers:
        assert "X-Cache-Status" not in answer.headers, (path, answer.headers["X-Cache-Status"])
        assert answer.headers["Cache-Control"] == "no-store", path
    if path.endswith("/report"):  # each visitor gets a form of her own
        keys = {re.search(r'name="idempotency_key" value="([^"]+)"', a.text)[1] for a in answers}
        assert len(keys) == 3


def test_a_report_and_its_receipt_are_never_cached(nginx):
    sent = send_report(nginx.port, source="127.0.0.7")
    assert sent.status == 200 and RECEIPT.search(sent.text)
    assert sent.headers["Cache-Control"] == "no-store" and "X-Cache-Status" not in sent.headers


def test_each_address_has_its_own_limit_and_x_forwarded_for_changes_nothing(nginx):
    # REPORTS_PER_CLIENT_PER_HOUR is 5 (conftest.py).
    her = [send_report(nginx.port, "127.0.0.2").status for _ in range(6)]
    assert her == [200] * 5 + [429]
    # Claiming to be someone else, or a proxy for someone else, resets nothing.
    for spoof in ("127.0.0.66", "127.0.0.3", "127.0.0.66, 127.0.0.3", "unknown"):
        assert send_report(nginx.port, "127.0.0.2", {"X-Forwarded-For": spoof}).status == 429
        assert send_report(nginx.port, "127.0.0.2", {"X-Real-IP": spoof,
                                                     "Forwarded": f"for={spoof}"}).status == 429
    # Her neighbour still gets through, even while naming her.
    other = send_report(nginx.port, "127.0.0.3", {"X-Forwarded-For": "127.0.0.2"})
    assert other.status == 200 and RECEIPT.search(other.text)


def test_the_limit_counts_once_for_all_workers(gunicorn):
    """The 6th report from one client is refused, whichever of the 3 workers answers it.

    Straight to gunicorn, each report on a connection that the next worker in
    turn accepted (they accept from one shared socket; /proc tells which did).
    """
    workers = sorted(gunicorn.worker_pids())
    assert len(workers) == 3
    statuses, answered_by = [], []
    for n in range(9):
        wanted = workers[n % 3]
        # Which worker accepts is the kernel's choice, and on a busy machine one
        # worker can win many times running: keep asking, for up to 30 s.
        deadline = time.monotonic() + 30
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", gunicorn.port, timeout=30,
                                              source_address=("127.0.0.4", 0))
            conn.connect()
            if serving_pid(conn.sock, set(workers)) == wanted:
                break
            conn.close()  # at once: an idle connection holds one of the worker's threads
            if time.monotonic() > deadline:
                pytest.fail(f"worker {wanted} never accepted a connection")
            time.sleep(0.005)  # let the other workers run and reach accept()
        with closing(conn):
            statuses.append(send_report(gunicorn.port, "127.0.0.4", conn=conn).status)
            answered_by.append(serving_pid(conn.sock, set(workers)))
    assert answered_by == [workers[n % 3] for n in range(9)]
    assert statuses == [200] * 5 + [429] * 4


MALFORMED = [
    b"GARBAGE\r\n\r\n",  # no request line at all
    b"G\x7fT / HTTP/1.1\r\nHost: x\r\n\r\n",  # a method that is no token
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n",  # overlong header
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",  # an HTTP version that does not exist
    b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",  # a NUL in the path
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",  # and in a header
]


def test_malformed_requests_and_odd_visitors_leave_no_trace(tmp_path, nginx_binary):
    """Refused or not, nothing writes down where a request came from or what sent it.

    On a stack of its own, stopped before its files are searched.
    """
    visitor = "127.0.0.9"
    with running_gunicorn(tmp_path / "gunicorn") as app, \
            running_nginx(tmp_path / "nginx", app.port) as proxy:
        for data in MALFORMED:
            for port in (app.port, proxy.port):
                assert re.match(rb"HTTP/1\.1 [45]\d\d ", raw_exchange(port, data, visitor))
        # Ordinary visits too: pages, a report, a wrong receipt code, a missing page.
        for path in ("/en/", "/en/check/restroom", "/en/report", "/nowhere", "/p/ZZZZZZ"):
            request(proxy.port, "GET", path, source=visitor)
        assert send_report(proxy.port, visitor).status == 200
        request(proxy.port, "POST", "/en/report/status", urlencode({"code": "A"}),
                same_site(proxy.port), source=visitor)
        request(proxy.port, "GET", "/en/report", headers={"X-Forwarded-For": visitor},
                source=visitor)
    refusals = (app.logs / "error.log").read_text().count("Invalid request refused")
    assert refusals == len(MALFORMED)  # the requests did reach gunicorn and were logged
    assert (proxy.logs / "spotcheck.log").read_text().count(" 400 ") >= len(MALFORMED) - 1
    assert "GET /en/check/restroom 200" in (proxy.logs / "spotcheck.log").read_text()
    leaks = files_containing([app.folder, proxy.folder],
                             [visitor.encode(), VISITOR_USER_AGENT.encode(), b"SpotCheckDeploy"])
    assert leaks == [], f"visitor data written down: {leaks}"


def test_a_tls_handshake_nginx_refuses_leaves_no_address(tmp_path, nginx_binary):
    """nginx 1.22 logs a "bad key share" at `crit` with the client's address: the
    include's error log is at `emerg`, so nothing is written."""
    if not shutil.which("openssl"):
        pytest.skip("needs openssl for a throwaway certificate (scripts/test installs it)")
    cert, key = self_signed_certificate(tmp_path)
    port = free_port()
    locations = tmp_path / "nginx" / "spotcheck-locations.conf"  # what running_nginx writes
    tls = f"""    server {{
        listen 127.0.0.1:{port} ssl;
        server_name {SITE_NAME};
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        include {locations};
    }}
"""
    with running_gunicorn(tmp_path / "gunicorn") as app, \
            running_nginx(tmp_path / "nginx", app.port, extra_servers=tls) as proxy:
        for _ in range(3):
            alert = raw_exchange(port, bad_key_share_hello(), "127.0.0.9")
            assert alert.startswith(b"\x15\x03")  # a TLS alert: refused
        trusting = ssl.create_default_context(cafile=cert)
        trusting.check_hostname = False  # the certificate names spotcheck.example
        with closing(http.client.HTTPSConnection("127.0.0.1", port, context=trusting,
                                                 source_address=("127.0.0.9", 0))) as conn:
            conn.request("GET", "/en/", headers={"User-Agent": VISITOR_USER_AGENT})
            assert conn.getresponse().status == 200
    assert files_containing([proxy.logs], [b"127.0.0.9", VISITOR_USER_AGENT.encode()]) == []
    assert "GET /en/ 200" in (proxy.logs / "spotcheck.log").read_text()


def test_the_production_site_passes_nginx_t_in_debians_layout(tmp_path, nginx_binary):
    """deploy/nginx/spotcheck.conf with Debian's own nginx.conf, as docs/deploy.md installs it.

    The copy of /etc/nginx moves every absolute path into tmp_path; a throwaway
    certificate stands in for Let's Encrypt's.
    """
    if not shutil.which("openssl") or not Path("/etc/nginx/nginx.conf").exists():
        pytest.skip("needs Debian's /etc/nginx (package nginx-common) and openssl")
    conf = tmp_path / "nginx"
    # Without Debian's default site, as docs/deploy.md says; modules are not needed.
    shutil.copytree("/etc/nginx", conf, symlinks=False,
                    ignore=shutil.ignore_patterns("modules-enabled", "sites-enabled"))
    for folder in ("modules-enabled", "sites-enabled", "spotcheck"):
        (conf / folder).mkdir()
    for name in ("spotcheck-http.conf", "spotcheck-locations.conf"):
        shutil.copy(DEPLOY_NGINX / name, conf / "spotcheck" / name)
    shutil.copy(DEPLOY_NGINX / "spotcheck.conf", conf / "sites-enabled" / "spotcheck")
    certs = tmp_path / "live"
    certs.mkdir()
    self_signed_certificate(certs)
    moves = {"/etc/nginx": str(conf), "/var/log/nginx": str(tmp_path / "log"),
             "/etc/letsencrypt/live/spotcheck.example": str(certs),
             "/var/cache/spotcheck-nginx": str(tmp_path / "cache"),
             "/run/nginx.pid": str(tmp_path / "nginx.pid"),
             BODY_FOLDER: str(tmp_path / "body")}
    (tmp_path / "log").mkdir()
    for path in [p for p in conf.rglob("*") if p.is_file()]:
        text = path.read_text(errors="surrogateescape")
        for old, new in moves.items():
            text = text.replace(old, new)
        path.write_text(text, errors="surrogateescape")
    checked = subprocess.run([str(NGINX), "-t", "-p", str(tmp_path), "-c",
                              str(conf / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, checked.stderr
