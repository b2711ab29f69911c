"""The timestamp API (issue 29, item 3): a signature anyone can check with the published
key, nothing kept, bad input refused with a 400 that names the field, the usual limits."""

import base64
import hashlib
import json
import logging
import os
import re
import sqlite3
import stat
from contextlib import closing

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from app import create_app
from app.timestamps import stamp
from helpers import ROOT, TEST_CONFIG

FILE = b"IMG_0042.JPG, as the phone keeps it"
HASH = hashlib.sha256(FILE).hexdigest()
URL = "/api/v1/timestamp"


def ask(client, body=None, **kwargs):
    """POST the hash as the notebook will: JSON, from one of the site's own pages."""
    kwargs.setdefault("headers", {"Sec-Fetch-Site": "same-origin"})
    return client.post(URL, json={"sha256": HASH} if body is None else body, **kwargs)


def published_key(client) -> Ed25519PublicKey:
    raw = base64.b64decode(client.get("/api/v1/timestamp/key").get_json()["public_key"])
    return Ed25519PublicKey.from_public_bytes(raw)


def signed_message(sha256: str, when: str) -> bytes:
    """The message as docs/timestamps.md lays it out, built here independently."""
    return b"spotcheck-timestamp-v1 " + sha256.encode() + b" " + when.encode()


# -- what an answer is ------------------------------------------------------------------


def test_a_signature_verifies_with_the_published_key(client):
    response = ask(client)
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"format", "sha256", "time", "signature", "key_id"}
    assert answer["format"] == "spotcheck-timestamp-v1" and answer["sha256"] == HASH
    message = signed_message(HASH, answer["time"])
    assert len(message) == 108
    published_key(client).verify(base64.b64decode(answer["signature"]), message)  # raises if not


@pytest.mark.parametrize("change", ["hash", "time", "signature"])
def test_a_changed_hash_or_time_fails(client, change):
    answer = ask(client).get_json()
    sha256, when = answer["sha256"], answer["time"]
    signature = base64.b64decode(answer["signature"])
    if change == "hash":
        sha256 = hashlib.sha256(FILE + b" ").hexdigest()
    elif change == "time":
        when = when[:-3] + f"{(int(when[-3:-1]) + 1) % 60:02d}Z"  # one second later
    else:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    with pytest.raises(InvalidSignature):
        published_key(client).verify(signature, signed_message(sha256, when))


@pytest.mark.parametrize(("now", "expected"), [
    (1796400000.0, "2026-12-04T16:00:00Z"),  # a whole second stays as it is
    (1796400000.001, "2026-12-04T16:00:01Z"),  # any part of one counts as the next
    (1796400059.999, "2026-12-04T16:01:00Z"),
])
def test_the_time_is_utc_rounded_up_to_the_second(client, monkeypatch, now, expected):
    # Rounded up, so "the file existed no later than this time" holds to the second.
    monkeypatch.setattr(stamp, "clock", lambda: now)
    answer = ask(client).get_json()
    assert answer["time"] == expected
    published_key(client).verify(base64.b64decode(answer["signature"]),
                                 signed_message(HASH, expected))


def test_the_answer_is_kept_by_no_cache_and_sets_no_cookie(client):
    response = ask(client)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers


def test_the_key_is_published_as_raw_bytes_and_pem_with_its_id(client):
    response = client.get("/api/v1/timestamp/key")
    key = response.get_json()
    raw = base64.b64decode(key["public_key"])
    assert len(raw) == 32 and key["algorithm"] == "Ed25519"
    assert key["key_id"] == hashlib.sha256(raw).hexdigest()[:16] == ask(client).get_json()["key_id"]
    assert load_pem_public_key(key["pem"].encode()).public_bytes_raw() == raw
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Set-Cookie" not in response.headers
    again = client.get("/api/v1/timestamp/key", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# -- bad input: a 400 naming the field, never a 500 -----------------------------------------


@pytest.mark.parametrize(("body", "content_type", "parameter", "code"), [
    (b"{}", "application/json", "sha256", "missing"),
    (b'{"sha256": null}', "application/json", "sha256", "missing"),
    (json.dumps({"sha256": "g" * 64}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": HASH[:-1]}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": HASH + "0"}), "application/json", "sha256", "bad_hash"),
    # One spelling per hash, so one message per hash and time.
    (json.dumps({"sha256": HASH.upper()}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": f" {HASH[1:]}"}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": HASH[:-1] + "\u0663"}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": int(HASH[:15], 16)}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": [HASH]}), "application/json", "sha256", "bad_hash"),
    (json.dumps({"sha256": HASH, "name": "IMG_0042.JPG"}), "application/json", "name",
     "unknown"),
    (f'{{"sha256": "{HASH}", "sha256": "{HASH}"}}', "application/json", "sha256", "repeated"),
    # A lone surrogate, as JSON may escape one: the answer repeats the name in UTF-8.
    ('{"\\ud800": 1}', "application/json", "\\ud800", "unknown"),
    ('{"\\udfff": 1, "\\udfff": 2}', "application/json", "\\udfff", "repeated"),
    (json.dumps({"x" * 5000: 1})[:1000], "application/json", "body", "not_json"),
    (json.dumps({"x" * 900: 1}), "application/json", "x" * 64, "unknown"),
    (json.dumps([HASH]), "application/json", "body", "not_json"),
    (json.dumps(HASH), "application/json", "body", "not_json"),
    (b"", "application/json", "body", "not_json"),
    (b"sha256=" + HASH.encode(), "application/json", "body", "not_json"),
    (b'{"sha256": "\xff"}', "application/json", "body", "not_json"),
    (b"[" * 500 + b"]" * 500, "application/json", "body", "not_json"),
    (json.dumps({"sha256": HASH}), "text/plain", "Content-Type", "not_json"),
    (f"sha256={HASH}", "application/x-www-form-urlencoded", "Content-Type", "not_json"),
    (json.dumps({"sha256": HASH}) + " " * 1000, "application/json", "body", "too_large"),
])
def test_bad_input_is_a_400_naming_the_field(client, body, content_type, parameter, code):
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["parameter"], answer["code"]) == (parameter, code)
    assert answer["error"] and response.headers["Cache-Control"] == "no-store"
    assert "Accept-Language" in response.headers["Vary"]


def test_no_body_at_all_is_a_400(client):
    response = client.post(URL)
    assert (response.status_code, response.get_json()["parameter"]) == (400, "Content-Type")


def test_a_body_over_the_servers_limit_is_a_413_in_json(migrated):
    app = create_app({**TEST_CONFIG, "MAX_CONTENT_LENGTH": 4096})
    response = app.test_client().post(URL, data=b" " * 5000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["parameter"] == "body"


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-CN", "小写"), ("zh-TW", "小寫"), ("zh-HK", "小寫"), ("en", "lowercase"),
])
def test_the_message_is_in_the_visitors_language(client, language, expected):
    response = client.post(URL, json={"sha256": "x"}, headers={"Accept-Language": language})
    assert expected in response.get_json()["error"]
    assert response.get_json()["code"] == "bad_hash"  # the same in every language


# -- who may ask, and how often -----------------------------------------------------------


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://elsewhere.example"}])
def test_another_sites_page_may_not_ask(client, headers):
    response = ask(client, headers=headers)
    assert (response.status_code, response.get_json()["code"]) == (403, "cross_site")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_cors_preflight_lets_another_site_read_an_answer(client):
    response = client.options(URL, headers={"Origin": "https://elsewhere.example",
                                            "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"})
    assert not any(name.startswith("Access-Control-") for name, _ in response.headers)
    for answer in (ask(client), client.get("/api/v1/timestamp/key",
                                            headers={"Origin": "https://elsewhere.example"})):
        assert "Access-Control-Allow-Origin" not in answer.headers
        assert answer.headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.fixture
def limited(migrated):
    return create_app({**TEST_CONFIG, "TIMESTAMPS_PER_CLIENT_PER_HOUR": 2})


def from_address(client, address, body=None):
    return ask(client, body, environ_base={"REMOTE_ADDR": address})


def test_the_limit_answers_429_per_client(limited):
    client = limited.test_client()
    assert [from_address(client, "198.51.100.7").status_code for _ in range(3)] == [200, 200, 429]
    refused = from_address(client, "198.51.100.7")
    assert (refused.status_code, refused.get_json()["code"]) == (429, "too_many")
    assert refused.get_json()["error"] and refused.headers["Cache-Control"] == "no-store"
    assert from_address(client, "198.51.100.8").status_code == 200  # someone else


def test_an_ipv6_client_is_counted_by_its_64(limited):
    client = limited.test_client()
    assert from_address(client, "2001:db8:1:2::a").status_code == 200
    assert from_address(client, "2001:db8:1:2:ffff::b").status_code == 200
    assert from_address(client, "2001:db8:1:2:1234:5678:9abc:def0").status_code == 429
    assert from_address(client, "2001:db8:1:3::a").status_code == 200


def test_a_refused_request_uses_none_of_her_limit(limited):
    client = limited.test_client()
    for _ in range(5):
        assert from_address(client, "198.51.100.9", {"sha256": "nope"}).status_code == 400
    assert from_address(client, "198.51.100.9").status_code == 200


# -- nothing kept -----------------------------------------------------------------------------


def instance_contents(folder) -> dict[str, bytes]:
    """Every file of the instance folder, the databases as their rows (not their pages)."""
    contents = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.endswith((".sqlite3-wal", ".sqlite3-shm")):
            continue  # read through their database below
        if path.suffix == ".sqlite3":
            with closing(sqlite3.connect(path)) as conn:
                contents[path.name] = "\n".join(conn.iterdump()).encode()
        else:
            contents[path.name] = path.read_bytes()
    return contents


def test_nothing_is_kept_and_no_log_line_has_the_hash(app, client, migrated, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/api/v1/timestamp/key")  # the key is made on first use
    before = instance_contents(migrated)
    assert "timestamp_key.pem" in before
    for sha256 in (HASH, hashlib.sha256(b"another file").hexdigest()):
        assert ask(client, {"sha256": sha256}).status_code == 200
    client.post(URL, json={"sha256": HASH, "note": "refused"})
    after = instance_contents(migrated)
    # Only the limits' counts changed: rows of keyed HMACs, never the hash.
    assert {name for name in after if after[name] != before.get(name)} == {"limits.sqlite3"}
    needles = [HASH.encode(), HASH.upper().encode(), bytes.fromhex(HASH),
               base64.b64encode(bytes.fromhex(HASH))]
    for path in migrated.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [n for n in needles if n in data], path
    assert HASH not in caplog.text and HASH.upper() not in caplog.text


# -- the key file ------------------------------------------------------------------------------


def test_the_key_file_is_0600_and_stable_across_app_instances(migrated):
    first = create_app(TEST_CONFIG).test_client()
    key_id = ask(first).get_json()["key_id"]
    path = migrated / "timestamp_key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    second = create_app(TEST_CONFIG).test_client()
    assert ask(second).get_json()["key_id"] == key_id
    assert second.get("/api/v1/timestamp/key").get_json()["key_id"] == key_id
    assert sorted(p.name for p in migrated.iterdir() if "key" in p.name) == [
        "secret_key", "timestamp_key.pem"]  # no temporary file left behind


def test_a_damaged_key_file_stops_signing_with_a_clear_error(migrated):
    (migrated / "timestamp_key.pem").write_bytes(b"not a key")
    app = create_app(TEST_CONFIG)
    with pytest.raises(RuntimeError, match="timestamp_key.pem holds no usable key"):
        ask(app.test_client())
    os.unlink(migrated / "timestamp_key.pem")


# -- the OpenAPI description says what the code does ---------------------------------------


def test_the_description_names_every_code_the_limit_and_the_hash(client):
    description = client.get("/api/v1/openapi.json").get_json()
    schemas = description["components"]["schemas"]
    source = "".join(p.read_text() for p in (ROOT / "app" / "timestamps").glob("*.py"))
    used = set(re.findall(r'(?:BadRequest\([^,]+|refuse\(\d+), "(\w+)"', source))
    assert sorted(schemas["TimestampError"]["properties"]["code"]["enum"]) == sorted(used)
    assert schemas["Sha256"]["pattern"] == f"^{stamp.SHA256.pattern}$"
    post = description["paths"]["/api/v1/timestamp"]["post"]
    assert f"over {stamp.MAX_BODY:,} bytes" in post["responses"]["400"]["description"]
    assert "`spotcheck-timestamp-v1 <sha256> <time>`" in post["description"]
