"""Mirrors in tests (issue 32): a built mirror, served by Debian's nginx as a plain
static host, and what a page's outbox will send where."""

import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from app import create_app
from app.config import SECRET_KEY_FILE
from helpers import TEST_CONFIG, insert_published

from .browser import running_server, visitor_traces
from .nginx import NGINX
from .servers import free_port, launch, stop

BASE = "/mirror/test/"
PLACES = [{"lat": 22.28 + i * 0.01, "lon": 114.16, "city": "Hong Kong"} for i in range(3)] + [
    {"lat": 25.03, "lon": 121.56, "city": "Taipei"}]

# Where each report waiting in the outbox will be sent (a list of endpoints per report).
OUTBOX_ENDPOINTS = """() => new Promise((resolve) => {
  const open = indexedDB.open("spotcheck-outbox", 1);
  open.onsuccess = () => {
    const all = open.result.transaction("reports").objectStore("reports").getAll();
    all.onsuccess = () => resolve(all.result.map((r) => r.endpoints));
  };
})"""


# The report sink's log (static_nginx's `report_csp`): one JSON body a line.
CSP_REPORTS = "logs/csp-reports.log"


@contextmanager
def static_nginx(root: Path, folder: Path, port: int | None = None,
                 report_csp: str | None = None):
    """Debian's nginx serving `root` as a plain static host: files, nothing else.

    `report_csp`: a policy (the pages' own) sent as Content-Security-Policy-Report-Only
    too, reporting to the host itself, which writes each report's body into
    folder/CSP_REPORTS: the pages' violations seen in any engine, even one whose driver
    cannot listen for them from the start of a page (WebKitWebDriver). The host stays
    static: the sink answers 204 and stores nothing else."""
    port = port or free_port()
    for sub in ("logs", "temp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    reports = ""
    if report_csp:
        # $request_body is only read, and so logged, when the body is proxied: the sink
        # location passes it to a second one that answers.
        policy = f"{report_csp}; report-uri /csp-report"
        reports = f"""
        add_header Content-Security-Policy-Report-Only "{policy}" always;
        location = /csp-report {{
            access_log {folder / CSP_REPORTS} reports;
            client_body_buffer_size 64k;
            proxy_pass http://127.0.0.1:{port}/csp-sink;
        }}
        location = /csp-sink {{ access_log off; return 204; }}"""
    (folder / "nginx.conf").write_text(f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/manifest+json webmanifest; text/javascript js; }}
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    log_format reports escape=json '$request_body';
    client_body_temp_path {folder}/temp;
    proxy_temp_path {folder}/temp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /healthz {{ return 200 "ok"; }}{reports}
    }}
}}
""")
    process = launch([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                      "-g", "daemon off;"], port, "nginx", folder / "logs" / "output.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def build_mirror(folder: Path, migrated_database: Path, **settings: str) -> Path:
    """`flask mirror` of a site with PLACES published, below BASE in folder/www (returned);
    `settings` are the app's (e.g. PUBLIC_BASE_URL, the primary its reports go to)."""
    instance = folder / "instance"
    instance.mkdir(mode=0o700)
    shutil.copyfile(migrated_database, instance / "spotcheck.sqlite3")
    (instance / SECRET_KEY_FILE).write_text(secrets.token_hex(32))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPOTCHECK_INSTANCE_PATH", str(instance))
        app = create_app(TEST_CONFIG | settings)
    insert_published(app, PLACES)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["mirror-key"]).exit_code == 0
    (folder / "www/mirror").mkdir(parents=True)
    out = folder / "www" / BASE.strip("/")
    result = runner.invoke(args=["mirror", str(out), "--base-path", BASE])
    assert result.exit_code == 0, result.output
    return folder / "www"


@contextmanager
def mirror_primary(instance: Path, log: Path, mirror_port: int, **settings: str):
    """gunicorn as the primary of a mirror on 127.0.0.1:`mirror_port`, whose origin alone
    it lists in MIRROR_ORIGINS (`settings` add more); one worker, no setup link (it
    would print the 127.0.0.1 address). Its reports from the mirror leave no more
    trace of the visitor than any other: checked when the block ends."""
    port = free_port()
    log.write_text("")
    with running_server(instance, port, log, WORKERS="1", SETUP_LINK_ON_START="false",
                        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                        MIRROR_ORIGINS=f"http://127.0.0.1:{mirror_port}", **settings) as running:
        yield running
    assert visitor_traces(running) == []
