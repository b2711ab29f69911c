"""The public API, asked from outside through the shipped nginx, keeps to its OpenAPI
description (issue 28, item 13; the security review of 2026-12-06, "Outside tools").

The review ran schemathesis's command line with every check against the deployed
site and found two answers the description does not allow: `bbox=0,0,0,0`, valid
by the description, refused with 400 (positive_data_acceptance), and nginx's own 405
to TRACE without an `Allow` header (unsupported_method). This runs the same command
against nginx in front of gunicorn.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.nginx import running_nginx
from support.stack import request, running_gunicorn

pytestmark = pytest.mark.slow

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
EXAMPLES = os.environ.get("SPOTCHECK_OPENAPI_EXAMPLES", "100")


def test_trace_through_nginx_is_a_405_that_says_what_is_allowed(nginx):
    page = request(nginx.port, "TRACE", "/en/")
    assert page.status == 405
    assert page.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    api = request(nginx.port, "TRACE", "/api/v1/reports?bbox=0,0,1,1&zoom=3")
    assert (api.status, api.headers["Allow"]) == (405, "GET, HEAD, OPTIONS")
    # The app's own 405s keep their own single Allow, nginx adds none; other answers none.
    refused = request(nginx.port, "DELETE", "/api/v1/reports?bbox=0,0,1,1&zoom=3")
    [allow] = refused.headers.get_all("Allow")
    assert refused.status == 405 and set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Allow" not in request(nginx.port, "GET", "/en/").headers


def test_schemathesis_with_every_check_finds_nothing_through_nginx(tmp_path, nginx_binary):
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is in the [test] extras")
    with running_gunicorn(tmp_path / "gunicorn") as app, \
            running_nginx(tmp_path / "nginx", app.port) as proxy:
        base = f"http://127.0.0.1:{proxy.port}"
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{base}/api/v1/openapi.json", "--url", base,
             "--checks", "all", "--max-examples", EXAMPLES,
             "--generation-deterministic", "--no-color", "--report", "ndjson",
             "--report-ndjson-path", str(tmp_path / "events.ndjson")],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
        events = [json.loads(line) for line in
                  (tmp_path / "events.ndjson").read_text().splitlines()]
    assert run.returncode == 0, run.stdout[-6000:]
    # It did ask: the coverage phase sends undeclared methods, TRACE among them.
    assert "TRACE" in (tmp_path / "events.ndjson").read_text()
    assert len(events) > 10
