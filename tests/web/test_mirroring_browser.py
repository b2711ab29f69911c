"""A report sent from a mirror's page reaches the primary; from an unlisted origin it is
refused, waits in the outbox, and she is told (issue 32, item 3). Chromium.

The primary is gunicorn with this mirror's origin in SPOTCHECK_MIRROR_ORIGINS. The
mirror is a tiny static server on another port, serving the report form as
mirror_client renders it and the project's static files, as a static host would: no
headers of its own, so the page's policy is its <meta>. The same server reached as
localhost is another origin, one the primary does not list.
"""

import functools
import http.client
import re
import sqlite3
import threading
from contextlib import closing, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app import create_app
from app.web.mirroring import mirror_client
from helpers import ROOT, TEST_CONFIG
from support.browser import (
    CODE,
    SEND,
    fill,
    running_server,
    stored,
    wait_for_worker,
)
from support.mirrors import OUTBOX_ENDPOINTS, mirror_primary
from support.phone_photo import phone_jpeg
from support.servers import free_port

pytestmark = pytest.mark.e2e

# Long, as a bucket on a big cloud domain is ("collateral freedom").
KNOWN_MIRROR = "https://s3.ap-east-1.amazonaws.com/a-long-bucket-name-for-spotcheck/mirror/"
BASE = "/copy/"  # where the mirror also holds pages laid out as `flask mirror` writes them
OTHER = "/unlisted/"  # pages below a path no SPOTCHECK_MIRRORS entry names


class MirrorHost(SimpleHTTPRequestHandler):
    """Files from one folder, query strings ignored (assets' ?v=), nothing logged."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.split("?", 1)[0])

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextmanager
def static_host(folder: Path, port: int):
    handler = functools.partial(MirrorHost, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def mirror_port():
    return free_port()


@pytest.fixture(scope="module")
def primary(tmp_path_factory, output_dir, mirror_port):
    """The primary, which lists http://127.0.0.1:<mirror_port> as its mirror (only)."""
    with mirror_primary(tmp_path_factory.mktemp("primary"), output_dir / "server-mirroring.log",
                        mirror_port,
                        MIRRORS=f"{KNOWN_MIRROR},http://127.0.0.1:{mirror_port}{BASE}") as running:
        yield running


@pytest.fixture
def mirror(migrated, tmp_path, primary, mirror_port):
    """The mirror's folder: the report form rendered for a mirror of `primary` (as
    report.html) and for one whose primary does not answer, `primary` then being its
    other endpoint (fallback.html), and the static files; below BASE, the report form
    and the notebook in their files as the build writes them; served on mirror_port
    until the test ends."""
    folder = tmp_path / "mirror"
    (folder / "en").mkdir(parents=True)
    (folder / "static").symlink_to(ROOT / "static")
    app = create_app(TEST_CONFIG)
    pages = {"report": mirror_client(app, primary=primary.url, endpoints=[]),
             "fallback": mirror_client(app, primary=f"http://127.0.0.1:{free_port()}",
                                       endpoints=[primary.url])}
    for name, client in pages.items():
        page = client.get("/en/report")
        assert page.status_code == 200
        (folder / "en" / f"{name}.html").write_bytes(page.get_data())
    write_below(folder, BASE, app, primary.url)
    with static_host(folder, mirror_port):
        yield mirror_port


def write_below(folder: Path, base: str, app, primary: str) -> None:
    """The report form and the notebook rendered for a mirror of `primary` below `base`,
    each in its file as `flask mirror` writes it, and the static files."""
    client = mirror_client(app, base, primary=primary, endpoints=[])
    for name in ("report", "notebook"):
        (folder / base.strip("/") / "en" / name).mkdir(parents=True)
        page = client.get(f"/en/{name}")
        assert page.status_code == 200
        (folder / base.strip("/") / "en" / name / "index.html").write_bytes(page.get_data())
    (folder / base.strip("/") / "static").symlink_to(ROOT / "static")


def test_a_report_from_a_listed_mirror_arrives_at_the_primary(phone, primary, mirror):
    page = phone.new_page()
    page.goto(f"http://127.0.0.1:{mirror}/en/report.html")
    fill(page, "en", "sent from the mirror")
    page.get_by_role("button", name=SEND["en"]).click()
    receipt = page.locator("[data-receipt]")
    receipt.wait_for(timeout=30_000)
    assert CODE.fullmatch(receipt.get_attribute("data-receipt"))
    assert stored(primary, "sent from the mirror") == 1
    assert phone.watch.csp_messages() == []
    # Sent to the primary itself, across origins, and nowhere else.
    posts = [u for u in phone.watch.requests if u.endswith("/en/report")]
    assert posts == [f"{primary.url}/en/report"]


def test_the_receipt_on_a_mirrors_page_leads_to_the_mirrors_notebook(phone, primary, mirror):
    page = phone.new_page()
    missing = []
    page.on("response", lambda answer: answer.status >= 400 and missing.append(answer.url))
    page.goto(f"http://127.0.0.1:{mirror}{BASE}en/report/index.html")
    fill(page, "en", "sent from below a base path")
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("[data-receipt]").wait_for(timeout=30_000)
    page.get_by_role("link", name="Keep it in the evidence notebook on this phone").click()
    page.get_by_role("heading", name="Evidence notebook", level=1).wait_for()
    assert page.url == f"http://127.0.0.1:{mirror}{BASE}en/notebook/index.html"
    assert phone.watch.csp_messages() == [] and phone.watch.foreign_requests() == []
    assert missing == []  # every file the pages asked for was there


@pytest.fixture
def flooded(migrated, tmp_path, output_dir):
    """A primary in a flood (two reports an hour, both stored), listing one mirror below
    BASE; that mirror's host also holds the same pages below a path no mirror setting
    names, OTHER. Yields (primary, the mirror's port)."""
    port, mirror_port = free_port(), free_port()
    log = output_dir / "server-mirroring-flood.log"
    log.write_text("")
    (tmp_path / "primary").mkdir()
    with running_server(tmp_path / "primary", port, log, WORKERS="1",
                        SETUP_LINK_ON_START="false", PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                        MIRROR_ORIGINS=f"http://127.0.0.1:{mirror_port}",
                        MIRRORS=f"http://127.0.0.1:{mirror_port}{BASE}",
                        REPORTS_PER_HOUR="2", POW_BITS="8") as running:
        app = create_app(TEST_CONFIG)
        for base in (BASE, OTHER):
            write_below(tmp_path / "mirror", base, app, running.url)
        for number in range(2):  # from another address: the phone pays for none of them
            conn = http.client.HTTPConnection("127.0.0.1", port, source_address=("127.0.0.2", 0))
            conn.request("GET", "/en/report")
            key = re.search(r'name="idempotency_key" value="([^"]+)"',
                            conn.getresponse().read().decode())[1]
            conn.request("POST", "/en/report", urlencode(
                {"idempotency_key": key, "space": "restroom", "what": "found",
                 "description": f"before the phone {number}"}),
                {"Content-Type": "application/x-www-form-urlencoded"})
            assert conn.getresponse().status == 200
            conn.close()
        with static_host(tmp_path / "mirror", mirror_port):
            yield running, mirror_port


@pytest.mark.parametrize("base", [BASE, OTHER])
def test_in_a_flood_a_mirrors_page_proves_its_work_with_its_own_worker(phone, flooded, base):
    primary, port = flooded
    page = phone.new_page()
    answers = []
    page.on("response", lambda answer: answers.append((answer.status, answer.url)))
    page.goto(f"http://127.0.0.1:{port}{base}en/report/index.html")
    fill(page, "en", f"proved below {base}")
    # Half a place: the primary gives the form back (swapped in), saying what to fix.
    page.get_by_text("Enter coordinates").click()
    page.get_by_label("Latitude").fill("22.28")
    page.get_by_role("button", name=SEND["en"]).click()
    page.get_by_text("Give both latitude and longitude").first.wait_for(timeout=60_000)
    # Sent again from that form, with a photo: shrunk and proved with the workers it names.
    page.get_by_label("Longitude").fill("114.16")
    page.set_input_files("input[name=photo]", files=[
        {"name": "room.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()}])
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("[data-receipt]").wait_for(timeout=60_000)
    posts = [status for status, url in answers if url == f"{primary.url}/en/report"]
    assert posts[-2:] == [429, 200]  # a challenge, then the report with its answer
    with closing(sqlite3.connect(primary.instance / "spotcheck.sqlite3")) as conn:
        held = conn.execute("SELECT held FROM report WHERE description = ?",
                            (f"proved below {base}",)).fetchall()
    assert held == [(0,)]  # proven, so not held
    for name in ("/proof-worker.js", "/shrink-worker.js"):
        workers = [(s, u) for s, u in answers if name in u]
        assert workers and all(s == 200 and u.startswith(f"http://127.0.0.1:{port}{base}static/")
                               for s, u in workers), workers
    assert phone.watch.csp_messages() == []


def test_a_report_from_an_unlisted_origin_is_refused_and_waits_with_a_message(
        phone, primary, mirror):
    page = phone.new_page()
    # The same page, from an origin the primary does not list.
    page.goto(f"http://localhost:{mirror}/en/report.html")
    fill(page, "en", "sent from a stranger")
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("SpotCheck could not be reached").wait_for(timeout=30_000)
    assert outbox.get_by_text("It will be sent by itself later").is_visible()
    assert stored(primary, "sent from a stranger") == 0
    # Kept on her phone, under the primary's address, to be sent again.
    waiting = page.evaluate(OUTBOX_ENDPOINTS)
    assert waiting == [[f"{primary.url}/en/report"]]


def test_when_the_primary_does_not_answer_the_next_endpoint_takes_the_report(
        phone, primary, mirror):
    page = phone.new_page()
    page.goto(f"http://127.0.0.1:{mirror}/en/fallback.html")
    fill(page, "en", "sent to the second endpoint")
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("[data-outbox]").get_by_text("Your report was sent").wait_for(timeout=30_000)
    assert stored(primary, "sent to the second endpoint") == 1
    assert phone.watch.csp_messages() == []


def test_a_phone_that_once_visited_finds_the_mirrors_when_the_site_cannot_be_reached(
        sw_phone, primary):
    page = sw_phone.new_page()
    page.goto(f"{primary.url}/zh-hans/")
    wait_for_worker(page)
    sw_phone.set_offline(True)  # to the phone, a blocked site looks the same
    page.goto(f"{primary.url}/zh-hans/")
    page.get_by_role("link", name="SpotCheck 被屏蔽时：其他镜像站").click()
    # The mirrors page itself is not kept; the offline page, with the list, is.
    page.get_by_role("link", name=KNOWN_MIRROR).wait_for()
    assert page.locator("h1").inner_text() == "你现在没有联网"


def test_the_mirrors_page_fits_a_phone(phone, primary):
    page = phone.new_page()
    page.goto(f"{primary.url}/zh-hk/mirrors")
    link = page.get_by_role("link", name=KNOWN_MIRROR)
    assert link.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.watch.csp_messages() == []
