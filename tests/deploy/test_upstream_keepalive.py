"""nginx's kept-alive connections to gunicorn are closed by nginx, never under its feet.

nginx keeps idle connections to gunicorn (`keepalive 16` in the upstream block) for
its upstream `keepalive_timeout`, 60 s unless set. gunicorn closed them after its own
default keepalive of 2 s: a request nginx sent on one just as gunicorn closed it
came back as "upstream prematurely closed connection" or a reset. nginx sends a GET
again on another connection, but answers a POST with 502: one report post in ~700
in the security review of 2026-12-06, and bench/soak.py's status check after a lull
(issue 28, item 14).
"""

import http.client
import re
import runpy
import time

from support.nginx import DEPLOY_NGINX
from support.servers import ROOT

NGINX_DEFAULT_KEEPALIVE_TIMEOUT = 60  # seconds, for upstream blocks that set none
GUNICORN_DEFAULT_KEEPALIVE = 2  # seconds, when gunicorn.conf.py sets none


def upstream_keepalive_timeout() -> float:
    """What the shipped upstream block lets nginx keep an idle connection, in seconds."""
    site = (DEPLOY_NGINX / "spotcheck.conf").read_text()
    upstream = re.search(r"upstream spotcheck_app \{(.*?)\}", site, re.DOTALL)
    assert upstream, "deploy/nginx/spotcheck.conf has no upstream spotcheck_app block"
    setting = re.search(r"^\s*keepalive_timeout\s+(\d+)(ms|s|m)?\s*;", upstream[1], re.MULTILINE)
    if setting is None:
        return NGINX_DEFAULT_KEEPALIVE_TIMEOUT
    return int(setting[1]) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[setting[2]]


def test_gunicorn_keeps_an_idle_connection_longer_than_nginx_does():
    config = runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))
    assert config.get("keepalive", GUNICORN_DEFAULT_KEEPALIVE) > upstream_keepalive_timeout()


def test_an_idle_connection_to_gunicorn_still_answers_after_a_lull(gunicorn):
    """As nginx uses it: a request, a few quiet seconds, the next request on the same
    connection. gunicorn used to have closed it after 2 to 3 s."""
    conn = http.client.HTTPConnection("127.0.0.1", gunicorn.port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        assert first.status == 200 and not first.will_close
        time.sleep(3.5)  # past the old keepalive (2 s) and gunicorn's 1 s loop
        sock = conn.sock
        sock.setblocking(False)
        try:
            closed = sock.recv(1) == b""  # b"": gunicorn closed its end meanwhile
        except BlockingIOError:
            closed = False  # nothing to read: still open
        sock.setblocking(True)
        assert not closed, "gunicorn closed an idle kept-alive connection before nginx would"
        conn.request("GET", "/healthz")
        again = conn.getresponse()
        again.read()
        assert again.status == 200
    finally:
        conn.close()
