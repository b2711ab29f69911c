"""Photos shrink on the phone before they travel (issue 27, static/js/shrink.js).

What the server receives, read off the wire: a phone's 4 MB, 12 MP photo
arrives as at most 600 KB, upright, at the server's own size cap, and with no
EXIF or GPS; a photo the browser cannot decode (HEIC in Chromium) arrives
exactly as she chose it, and is still stored.
"""

import http.client
import io
import threading
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from PIL import Image

from app.reports.photos import MAX_SIDE
from photo_samples import heic_with_gps
from support.browser import SEND, fill, stored
from support.phone_photo import MAKE, MARK, OWNER, header_segments, phone_jpeg

pytestmark = pytest.mark.e2e

BUDGET = 600 * 1024


@contextmanager
def recording(server):
    """A proxy in front of the server that keeps every POST body it passes on, as the
    server received it (Chromium tells Playwright nothing of a body holding a file).
    Yields (its URL, the bodies: a list of (content type, bytes))."""
    target = urlsplit(server.url)
    bodies = []

    class Forward(BaseHTTPRequestHandler):
        def do_GET(self):
            self.forward(None)

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            bodies.append((self.headers["Content-Type"], body))
            self.forward(body)

        def forward(self, body):
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                upstream.request(self.command, self.path, body, dict(self.headers.items()))
                answer = upstream.getresponse()
                data = answer.read()
            finally:
                upstream.close()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_port}", bodies
    finally:
        proxy.shutdown()
        proxy.server_close()


def sent_photo(content_type: str, body: bytes) -> tuple[str, bytes]:
    """The photo part of a report's multipart body: (its file name, its bytes)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    form = message_from_bytes(head + body, policy=HTTP)
    for part in form.iter_parts():
        if part.get_param("name", header="content-disposition") == "photo":
            return part.get_filename(), part.get_payload(decode=True)
    raise AssertionError("no photo in the report")


def send_report(server, phone, photo: dict, description: str) -> tuple[str, bytes]:
    """Fill the form with this photo and send it; once the receipt shows, the photo
    as the server received it: (its file name, its bytes)."""
    with recording(server) as (url, bodies):
        page = phone.new_page()
        page.goto(f"{url}/en/report")
        fill(page, "en", description)
        page.locator("#photo").set_input_files(photo)
        page.get_by_role("button", name=SEND["en"]).click()
        page.locator("#receipt-code").wait_for(timeout=30_000)
    assert stored(server, description) == 1
    assert page.evaluate("window.__cspViolations") == []
    [posted] = bodies
    return sent_photo(*posted)


def test_a_phone_photo_leaves_small_upright_and_without_metadata(server, phone):
    original = phone_jpeg(orientation=6)  # held upright: stored landscape, turned by EXIF
    assert len(original) > 3_900_000
    name, sent = send_report(server, phone, {"name": "IMG_0427.JPG", "mimeType": "image/jpeg",
                                             "buffer": original}, "a 12 MP photo")
    assert len(sent) <= BUDGET, f"{len(sent)} bytes left the phone"
    assert name == "IMG_0427.jpg"  # the server checks the name matches what it holds
    with Image.open(io.BytesIO(sent)) as image:
        assert image.format == "JPEG"
        # Upright, at the server's cap: the long side is MAX_SIDE and it is portrait.
        assert image.size == (MAX_SIDE * 3 // 4, MAX_SIDE)
        # No EXIF at all. (Chromium writes its generic sRGB profile, the same for everyone.)
        assert not image.getexif() and "exif" not in image.info
        # The blue mark in the stored top-left corner is now top right, as the phone showed it.
        top_right = image.getpixel((image.width - 40, 40))
        top_left = image.getpixel((40, 40))
    assert all(abs(a - b) < 40 for a, b in zip(top_right, MARK, strict=True)), top_right
    assert not all(abs(a - b) < 40 for a, b in zip(top_left, MARK, strict=True)), top_left
    # No EXIF or XMP segment at all; the strings the original held nowhere.
    assert 0xE1 not in header_segments(sent)
    for secret in (b"Exif\x00\x00", MAKE.encode(), OWNER.encode()):
        assert secret not in sent


def test_a_photo_the_browser_cannot_decode_is_sent_as_it_is(server, phone):
    # Chromium decodes no HEIC: the photo goes unchanged and the server converts it.
    original = heic_with_gps()
    sent = send_report(server, phone, {"name": "IMG_0428.HEIC", "mimeType": "image/heic",
                                       "buffer": original}, "an iPhone photo")
    assert sent == ("IMG_0428.HEIC", original)
