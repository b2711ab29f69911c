"""Timestamps from gunicorn (three workers) behind the shipped nginx: one key for every
worker, and no hash in any log, cache or file (docs/timestamps.md, "Nothing is kept")."""

import base64
import hashlib
import json
import os
import stat
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from support.nginx import NGINX, running_nginx
from support.stack import files_containing, request, running_gunicorn

pytestmark = pytest.mark.slow

HASHES = [hashlib.sha256(f"video {n}.mp4".encode()).hexdigest() for n in range(12)]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    if not NGINX.exists():
        message = f"{NGINX} is missing: scripts/test installs Debian's nginx package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("timestamps")
    with running_gunicorn(folder / "gunicorn") as app, \
            running_nginx(folder / "nginx", app.port) as proxy:
        yield app, proxy


def ask(port: int, sha256: str):
    return request(port, "POST", "/api/v1/timestamp", json.dumps({"sha256": sha256}),
                   {"Content-Type": "application/json"})


def test_every_worker_signs_with_the_one_published_key(deployed):
    app, proxy = deployed
    # A connection each, through nginx and straight to gunicorn: the workers share them.
    answers = [ask(port, sha256) for sha256 in HASHES for port in (proxy.port, app.port)]
    assert {a.status for a in answers} == {200}
    published = json.loads(request(proxy.port, "GET", "/api/v1/timestamp/key").body)
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    for answer in map(lambda a: json.loads(a.body), answers):
        assert answer["key_id"] == published["key_id"]
        key.verify(base64.b64decode(answer["signature"]),
                   f"spotcheck-timestamp-v1 {answer['sha256']} {answer['time']}".encode())
    path = app.instance / "timestamp_key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in app.instance.iterdir() if "timestamp" in p.name) == [
        "timestamp_key.pem"]


def test_no_log_cache_or_file_holds_a_hash(deployed):
    app, proxy = deployed
    for sha256 in HASHES:
        assert ask(proxy.port, sha256).status == 200
    refused = request(proxy.port, "POST", "/api/v1/timestamp",
                      json.dumps({"sha256": HASHES[0], "name": "IMG_0042.JPG"}),
                      {"Content-Type": "application/json"})
    assert refused.status == 400
    time.sleep(0.3)  # gunicorn writes its line after the answer
    needles = [h.encode() for h in HASHES] + [h.upper().encode() for h in HASHES] + [
        bytes.fromhex(h) for h in HASHES] + [b"IMG_0042"]
    assert files_containing([app.folder, proxy.folder], needles) == []
    access = (app.logs / "access.log").read_text().splitlines()
    assert sum(line.startswith("POST /api/v1/timestamp 200 ") for line in access) >= 12
    logged = (proxy.logs / "spotcheck.log").read_text().splitlines()
    assert sum(line.startswith("POST /api/v1/timestamp 200 ") for line in logged) >= 12
