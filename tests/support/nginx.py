"""Debian's nginx in front of the app, as deploy/nginx/ configures it, on loopback.

nginx reads deploy/nginx/spotcheck-http.conf as it is, and
deploy/nginx/spotcheck-locations.conf with two changes (`locations_include`): its
log folder, /var/log/nginx/, becomes a temporary one, and so does the folder on
/run it would keep request bodies in (none ever goes there: they stay in memory). Around them,
nginx.conf holds what Debian's /etc/nginx/nginx.conf and deploy/nginx/spotcheck.conf
hold, minus TLS: Debian's http-level `combined` access log and `error`-level error
log included, so a test sees it if anything falls through to them.

For the deployment tests (support/stack.py) and bench/throughput.py.
"""

import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .servers import ROOT, free_port, launch, stop

NGINX = Path("/usr/sbin/nginx")
DEPLOY_NGINX = ROOT / "deploy" / "nginx"
# The log folder the shipped include names; the only thing the tests change in it.
LOG_FOLDER = "/var/log/nginx/"
# The tmpfs folder the shipped include names for request bodies, and where the tests put it.
BODY_FOLDER = "/run/spotcheck-nginx-body"
TEST_BODY_FOLDER = "temp/body-run"
SITE_NAME = "spotcheck.example"


@dataclass
class Nginx:
    port: int
    folder: Path  # nginx.conf, logs/, cache/, temp/
    process: subprocess.Popen

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def cache(self) -> Path:
        return self.folder / "cache"


def locations_include(folder: Path) -> str:
    """deploy/nginx/spotcheck-locations.conf with its log and body folders moved into
    nginx's folder, and nothing else."""
    text = (DEPLOY_NGINX / "spotcheck-locations.conf").read_text()
    if text.count(LOG_FOLDER) < 2 or f"client_body_temp_path {BODY_FOLDER};" not in text:
        raise AssertionError(f"the include no longer logs under {LOG_FOLDER} or keeps "
                             f"bodies in {BODY_FOLDER}: update tests/support/nginx.py")
    return (text.replace(LOG_FOLDER, f"{folder / 'logs'}/")
            .replace(BODY_FOLDER, str(folder / TEST_BODY_FOLDER)))


def nginx_conf(folder: Path, port: int, upstream_port: int, extra_servers: str = "") -> str:
    """nginx.conf for a folder: Debian's http settings, the site, minus TLS."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach tmp folders
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp = folder / "temp"
    return f"""{user}worker_processes 2;
pid {folder}/nginx.pid;
# As Debian's nginx.conf: the main error log at its default level.
error_log {folder}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
    # As Debian's nginx.conf.
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    {mime}
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    gzip on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

    # As deploy/nginx/spotcheck.conf, with a plain-HTTP loopback port for 443.
    include {DEPLOY_NGINX}/spotcheck-http.conf;
    upstream spotcheck_app {{
        server 127.0.0.1:{upstream_port};
        keepalive 16;
    }}
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=spotcheck_cache:10m
                     max_size=200m inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{port} default_server;
        server_name {SITE_NAME};
        include {folder}/spotcheck-locations.conf;
    }}
{extra_servers}}}
"""


@contextmanager
def running_nginx(folder: Path, upstream_port: int, port: int | None = None,
                  extra_servers: str = ""):
    """Debian's nginx in the foreground on its own folder, until the block ends."""
    port = port or free_port()
    for sub in ("logs", "cache", "temp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "spotcheck-locations.conf").write_text(locations_include(folder))
    (folder / "nginx.conf").write_text(nginx_conf(folder, port, upstream_port, extra_servers))
    process = launch([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                      "-g", "daemon off;"], port, "nginx", folder / "logs" / "output.log")
    try:
        yield Nginx(port, folder, process)
    finally:
        stop(process)


