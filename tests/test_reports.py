"""The report form, receipts, the status page, photos, limits and retention."""

import io
import json
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

import photo_samples
from app import create_app
from app.db import connect
from app.reports.receipts import normalize
from app.vocab import today
from helpers import form_key, receipt_of, stored_photos, submit

VALID = {"space": "restroom", "what": "found"}
USER_AGENT = "ReporterPhone/7.0 (distinctive-test-agent)"


def rows(app, sql="SELECT * FROM report"):
    with closing(connect(app.config["DATABASE"])) as conn:
        return conn.execute(sql).fetchall()


# -- the form --------------------------------------------------------------

def test_form_explains_privacy_before_the_fields(client, lang):
    response = client.get(f"/{lang}/report")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.index('class="privacy"') < html.index("<form")
    assert {"en": "We don’t record your IP address", "zh-hans": "我们不记录你的 IP 地址",
            "zh-hant": "我們不記錄你的 IP 位址", "zh-hk": "我們不記錄你的 IP 地址"}[lang] in html
    assert 'enctype="multipart/form-data"' in html and 'data-hx-post="' in html


def test_checklist_link_prefills_space_and_device(client):
    html = client.get("/en/report?space=hotel-room&device=clock").get_data(as_text=True)
    assert re.search(r'name="space" value="hotel-room" required checked', html)
    assert '<option value="clock" selected>' in html
    html = client.get("/en/report?space=<script>&device=bomb").get_data(as_text=True)
    assert " required checked" not in html and " selected>" not in html


def test_each_form_gets_its_own_idempotency_key(client):
    assert form_key(client) != form_key(client)


# -- submitting --------------------------------------------------------------

def test_a_report_is_stored_once_with_a_receipt(app, client):
    before = today()
    response = submit(client, venue="Star Mall", city="Shanghai Jing'an", latitude="31.2304567",
                      longitude="121.4737", observed_on="2026-11-01", told_venue="yes",
                      description="A lens in the coat hook.", **VALID)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = receipt_of(response)
    assert code and normalize(code) == code
    [row] = rows(app)
    assert (row["space"], row["what"], row["venue"], row["city"]) == (
        "restroom", "found", "Star Mall", "Shanghai Jing'an")
    assert (row["latitude"], row["longitude"]) == (31.23, 121.474)  # rounded to ~100 m
    assert row["told_venue"] == 1 and row["told_police"] == 0
    # The day it arrived, in UTC (the one calendar), and no time of day.
    assert row["submitted_on"] in {before.isoformat(), today().isoformat()}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["submitted_on"])  # a day, not a time
    assert row["status"] == "received"
    # The code itself is nowhere in the database, only its hash.
    assert code not in json.dumps([dict(r) for r in rows(app)], default=str)
    assert code.encode() not in Path(app.config["DATABASE"]).read_bytes()


def test_a_retried_post_returns_the_same_receipt_and_stores_nothing(app, client):
    key = form_key(client)
    first = receipt_of(submit(client, key=key, **VALID))
    again = submit(client, key=key, **{**VALID, "description": "sent twice"})
    assert receipt_of(again) == first
    assert len(rows(app)) == 1


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_missing_fields_are_explained_and_nothing_is_stored(app, client, lang):
    response = submit(client, lang=lang, venue="Star Mall", description="kept")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert {"en": "Choose the kind of place.", "zh-hans": "请选择地点类型。",
            "zh-hant": "請選擇地點類型。"}[lang] in html
    assert 'value="Star Mall"' in html and ">kept</textarea>" in html  # what she typed
    assert rows(app) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "x" * 2001}, "description", "under 2000 characters (now 2001)"),
        ({"venue": "v" * 121}, "venue", "under 120 characters"),
        ({"latitude": "31.2"}, "location", "both latitude and longitude"),
        ({"latitude": "95", "longitude": "10"}, "location", "both latitude and longitude"),
        ({"latitude": "nan", "longitude": "inf"}, "location", "both latitude and longitude"),
        ({"observed_on": "2999-01-01"}, "observed_on", "can’t be in the future"),
        ({"observed_on": "yesterday"}, "observed_on", "year-month-day"),
        ({"device": "toaster"}, "device", "Choose a kind of device"),
        ({"what": "maybe"}, "what", "Choose what happened."),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(app, client, fields, field, message):
    response = submit(client, **{**VALID, **fields})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'href="#field-{field}"' in html and message in html
    assert rows(app) == []


def test_htmx_gets_only_the_fragment(client):
    response = submit(client, headers={"HX-Request": "true"}, **VALID)
    html = response.get_data(as_text=True)
    assert html.startswith('<div id="report-form" class="receipt"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_text_is_cleaned_of_control_characters(app, client):
    submit(client, venue="Star\x00 Mall\x1b[31m", description="line one\r\nline two", **VALID)
    [row] = rows(app)
    assert row["venue"] == "Star Mall[31m"
    assert row["description"] == "line one\nline two"


# -- abuse defences ------------------------------------------------------------

def test_the_honeypot_refuses_and_keeps_the_text(app, client):
    response = submit(client, x_check="https://spam.example", venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "should stay empty" in html and 'value="Star Mall"' in html
    assert "spam.example" not in html
    assert rows(app) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
])
def test_posts_from_other_sites_are_refused(app, client, headers):
    response = submit(client, headers=headers, venue="Star Mall", **VALID)
    assert response.status_code == 403
    assert "SpotCheck’s own page" in response.get_data(as_text=True)
    assert rows(app) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Origin": "http://localhost"},
    # "Origin: null" needs the form's post token: tests/test_post_hardening.py
])
def test_posts_from_our_own_pages_pass(client, headers):
    assert receipt_of(submit(client, headers=headers, **VALID))


def test_an_invalid_idempotency_key_is_refused_and_replaced(app, client):
    response = submit(client, key="short", **VALID)
    assert response.status_code == 400
    assert rows(app) == []
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', response.get_data(as_text=True))[1]
    assert fresh != "short"
    assert receipt_of(submit(client, key=fresh, **VALID))  # sending again now works


@pytest.fixture
def strict_app(instance):
    return create_app({"TESTING": True, "REPORTS_PER_CLIENT_PER_HOUR": 2, "REPORTS_PER_HOUR": 3})


def test_per_client_limit(strict_app):
    client = strict_app.test_client()
    for _ in range(2):
        assert receipt_of(submit(client, **VALID))
    refused = submit(client, lang="zh-hant", venue="Star Mall", **VALID)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "過去一小時內" in html and 'value="Star Mall"' in html
    assert len(rows(strict_app)) == 2
    # Someone else is not affected by her limit.
    other = strict_app.test_client()
    response = other.post("/en/report", data={"idempotency_key": form_key(other), **VALID},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert receipt_of(response)


def test_site_wide_cap(strict_app):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        client = strict_app.test_client()
        response = client.post("/en/report", data={"idempotency_key": form_key(client), **VALID},
                               environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 429
    assert len(rows(strict_app)) == 3


def test_failed_validation_does_not_use_up_the_limit(strict_app):
    client = strict_app.test_client()
    for _ in range(4):
        assert submit(client, venue="no space chosen").status_code == 400
    assert receipt_of(submit(client, **VALID))


def test_a_retry_is_answered_even_over_the_limit(strict_app):
    client = strict_app.test_client()
    key = form_key(client)
    code = receipt_of(submit(client, key=key, **VALID))
    receipt_of(submit(client, **VALID))
    assert submit(client, **VALID).status_code == 429
    assert receipt_of(submit(client, key=key, **VALID)) == code


# -- the status page -----------------------------------------------------------

def status(client, lang="en", **data):
    return client.post(f"/{lang}/report/status", data=data)


def test_status_page_shows_status_and_takes_answers(app, client, lang):
    code = receipt_of(submit(client, **VALID))
    [row] = rows(app)
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute(
            "INSERT INTO report_message (report_id, author, body, sent_on) "
            "VALUES (?, 'organizer', 'Which floor was it on?', '2026-11-02')",
            (row["id"],),
        )
    typed = code.lower().replace("-", " ").replace("1", "l")  # as she might type it
    html = status(client, lang, code=typed).get_data(as_text=True)
    assert {"en": "Received.", "zh-hans": "已收到。", "zh-hant": "已收到。",
            "zh-hk": "已收到。"}[lang] in html
    assert "Which floor was it on?" in html
    answered = status(client, lang, code=code, reply="Third floor, by the lifts.")
    assert answered.status_code == 200
    assert "Third floor, by the lifts." in answered.get_data(as_text=True)
    messages = rows(app, "SELECT author, body FROM report_message ORDER BY id")
    assert [tuple(m) for m in messages] == [("organizer", "Which floor was it on?"),
                                            ("reporter", "Third floor, by the lifts.")]


def test_status_never_puts_the_code_in_a_url(client):
    html = client.get("/en/report/status").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/en/report/status"', html)
    assert client.get("/en/report/status?code=ABCD").status_code == 200  # ignored, not used


def test_published_and_rejected_read_as_such(app, client):
    code = receipt_of(submit(client, **VALID))
    for state, words in (("published", "Published."), ("rejected", "Not published.")):
        with closing(connect(app.config["DATABASE"])) as conn:
            conn.execute("UPDATE report SET status = ?", (state,))
        assert words in status(client, code=code).get_data(as_text=True)


def test_wrong_codes_are_refused_then_rate_limited(instance):
    app = create_app({"TESTING": True, "RECEIPT_TRIES_PER_HOUR": 3})
    client = app.test_client()
    code = receipt_of(submit(client, **VALID))
    for guess in ("0000-0000-0000-0000", "not a code", "", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"[:14]):
        response = status(client, code=guess)
    assert response.status_code == 429
    # Even the right code waits now: guessing must not pay.
    assert status(client, code=code).status_code == 429


def test_empty_answer_is_refused(client):
    code = receipt_of(submit(client, **VALID))
    response = status(client, code=code, reply="   ")
    assert response.status_code == 400
    assert "Write your answer first." in response.get_data(as_text=True)


# -- photos --------------------------------------------------------------------

def exiftool(path: Path) -> dict | None:
    if not shutil.which("exiftool"):
        return None
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", str(path)], capture_output=True,
                         check=True, text=True).stdout
    return json.loads(out)[0]


@pytest.mark.parametrize(("name", "make"), [
    ("device.jpg", photo_samples.jpeg_with_gps),
    ("device.png", photo_samples.png_with_text),
    ("device.webp", photo_samples.webp_with_xmp),
    ("IMG_0001.HEIC", photo_samples.heic_with_gps),
    ("portrait.jpg", photo_samples.mpo_with_gps),
])
def test_photos_keep_no_metadata(app, client, name, make, tmp_path):
    original = make()
    assert any(secret in original for secret in photo_samples.SECRETS)
    assert receipt_of(submit(client, photo=(name, original), **VALID))
    # In the database, the report's own row of report_photo; no file anywhere.
    [data] = stored_photos(app)
    assert [r["report_id"] for r in rows(app, "SELECT report_id FROM report_photo")] == [
        rows(app)[0]["id"]]
    assert not (Path(app.instance_path) / "photos").exists()
    for secret in photo_samples.SECRETS:
        assert secret not in data
    path = tmp_path / "stored.webp"
    path.write_bytes(data)
    with Image.open(path) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
    if (tags := exiftool(path)) is not None:
        # Only what describes the file itself: no EXIF, GPS, XMP, ICC or comment groups.
        groups = {key.split(":")[0] for key in tags if ":" in key}
        assert groups <= {"ExifTool", "System", "File", "RIFF", "Composite"}, groups
        assert not [key for key in tags if "Comment" in key]


def test_photo_is_turned_upright_before_the_orientation_tag_goes(app, client):
    # Orientation 6: the camera was turned; the picture must be shown rotated 90°.
    submit(client, photo=("tall.jpg", photo_samples.jpeg_with_gps(orientation=6)), **VALID)
    [data] = stored_photos(app)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (48, 64)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bomb.png", photo_samples.png_bomb(), "too many pixels"),
    ("cut.jpg", photo_samples.truncated_jpeg(), "damaged or incomplete"),
    ("page.jpg", photo_samples.jpeg_with_gps() + b"<html><script>alert(1)</script>",
     "more than a photo"),
    ("zip.jpg", photo_samples.jpeg_with_gps() + b"PK\x03\x04" + b"\0" * 30 + b"PK\x05\x06"
     + b"\0" * 18, "more than a photo"),
    ("photo.png", photo_samples.jpeg_with_gps(), "holds another"),
    ("photo.gif", b"GIF89a" + b"\0" * 100, "JPEG, PNG, WebP or HEIC"),
    ("notes.jpg", b"just some text", "can’t read this file"),
])
def test_bad_photos_are_refused_and_nothing_is_stored(app, client, name, data, message):
    response = submit(client, photo=(name, data), venue="Star Mall", **VALID)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'href="#field-photo"' in html and 'value="Star Mall"' in html
    assert rows(app) == [] and stored_photos(app) == []


def multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    """A form body built by hand: Werkzeug's test client would spool this one to a
    temporary file that it never closes."""
    boundary = "spotcheck-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                 f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + data + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_photo_over_10_mb_is_refused(app, client):
    big = photo_samples.jpeg_with_gps() + b"\0" * (10 * 1024 * 1024)
    body, content_type = multipart({"idempotency_key": form_key(client), **VALID}, "big.jpg", big)
    response = client.post("/en/report", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.get_data(as_text=True)
    assert rows(app) == []


# -- retention -----------------------------------------------------------------

def test_old_unpublished_reports_and_their_photos_are_deleted(app, client, runner):
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        submit(client, photo=(name, photo_samples.jpeg_with_gps()), **VALID)
    old = (today() - timedelta(days=91)).isoformat()
    with closing(connect(app.config["DATABASE"])) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM report ORDER BY id")]
        conn.execute("UPDATE report SET submitted_on = ? WHERE id IN (?, ?)", (old, ids[0], ids[1]))
        conn.execute("UPDATE report SET status = 'published' WHERE id = ?", (ids[1],))
        conn.execute("INSERT INTO report_message (report_id, author, body, sent_on) "
                     "VALUES (?, 'organizer', 'q', ?)", (ids[0], old))

    result = runner.invoke(args=["purge-reports"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unpublished reports older than 90 days" in result.output
    assert [r["id"] for r in rows(app)] == ids[1:]  # the published one stays, however old
    assert rows(app, "SELECT * FROM report_message") == []
    assert [r[0] for r in rows(app, "SELECT report_id FROM report_photo")] == ids[1:]


def test_purge_runs_on_start(app, client, instance):
    submit(client, **VALID)
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("UPDATE report SET submitted_on = '2020-01-01'")
    create_app({"TESTING": True})
    assert rows(app) == []


# -- nothing about the reporter is kept (DESIGN.md promise 1) -------------------

def test_no_address_agent_or_their_hmac_is_stored_anywhere(app, client, caplog):
    caplog.set_level("DEBUG")
    address = "127.0.0.1"
    headers = {"User-Agent": USER_AGENT}
    for _ in range(3):
        submit(client, headers=headers, photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    submit(client, headers=headers)  # a refused one too
    code = receipt_of(submit(client, headers=headers, **VALID))
    status(client, code=code, reply="more detail")
    status(client, code="0000-0000-0000-0000")
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        from app.web.limits import limiter

        hmac_hex = limiter().client_key(address)
        boot_secret = limiter()._boot_secret
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    needles = [address.encode(), USER_AGENT.encode(), hmac_hex.encode(), bytes.fromhex(hmac_hex)]
    files = [p for p in Path(app.instance_path).rglob("*") if p.is_file()]
    scanned = {p.relative_to(app.instance_path).as_posix() for p in files}
    # Everywhere she could have been written down: the database and its WAL (the app
    # keeps its connection open, so recent writes sit there), which hold the photos.
    assert {"spotcheck.sqlite3", "spotcheck.sqlite3-wal"} <= scanned
    assert len(stored_photos(app)) == 3
    for path in files:
        data = path.read_bytes()
        # The HMAC is what the shared rate-limit counts are kept under (only there);
        # its key comes from a boot secret that is never written anywhere.
        allowed = {hmac_hex.encode()} if path.name.startswith("limits.sqlite3") else set()
        for needle in [*needles, boot_secret]:
            assert needle in allowed or needle not in data, f"{needle!r} found in {path}"
    assert any(p.name.startswith("limits.sqlite3") for p in files)
    for needle in (address, USER_AGENT, hmac_hex):
        assert needle not in caplog.text
    # No time of day either: only dates.
    for row in rows(app):
        assert all(not re.search(r"\d\d:\d\d", str(v)) for v in dict(row).values())


def test_a_failed_write_acknowledges_nothing(app, client, monkeypatch):
    from app.reports import store as report_store

    def broken_insert(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(report_store, "receipt_for_retry", lambda key: None)
    original = report_store.get_db

    class Failing:
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            if sql.lstrip().startswith("INSERT INTO report"):
                broken_insert()
            return self.db.execute(sql, *args)

    monkeypatch.setattr(report_store, "get_db", lambda: Failing(original()))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = submit(client, photo=("p.jpg", photo_samples.jpeg_with_gps()), **VALID)
    assert response.status_code == 500
    assert receipt_of(response) is None
    assert rows(app) == [] and stored_photos(app) == []
