"""gunicorn settings for `scripts/serve` and the systemd unit (see docs/deploy.md).

The access log keeps method, path, status, size and duration: never the
client's address, user agent, referrer, query string or the time of the
request (docs/privacy.md, promise 1), nor the secret part of a private link.
The error log has no time either, and no client address: gunicorn names the
client when it refuses a malformed request, and that line is rewritten.
"""

import logging
import multiprocessing
import os
import re
from urllib.parse import quote

from gunicorn.glogging import Logger

wsgi_app = "app.wsgi:app"
bind = os.environ.get("SPOTCHECK_BIND", "127.0.0.1:8000")
# Threads let slow phones on slow networks wait without holding a process.
worker_class = "gthread"
workers = int(os.environ.get("SPOTCHECK_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SPOTCHECK_THREADS", 4))
# How long a connection from nginx may sit idle between requests. Longer than nginx
# keeps an idle upstream connection (its `keepalive_timeout`, 60 s unless the
# `upstream spotcheck_app` block says otherwise), so that nginx, not gunicorn,
# always closes it. With gunicorn's default of 2 s, gunicorn closed connections
# that nginx still kept and sometimes had just sent a request on: nginx retries a
# GET then, but answers a POST (a report, a poster) with 502 (bench/soak.py found
# it after lulls in traffic; issue 28, item 14).
keepalive = int(os.environ.get("SPOTCHECK_KEEPALIVE", 75))
# Load the app (and apply migrations) once, before the workers fork.
preload_app = True
# "-" is standard output. Under systemd, journald would stamp every line with
# the time it arrived: the unit in deploy/systemd/ sends both logs to files.
accesslog = os.environ.get("SPOTCHECK_ACCESS_LOG", "-")
errorlog = os.environ.get("SPOTCHECK_ERROR_LOG", "-")
# The access line is written by RedactingLogger.access below, always as
# "GET /en/check/restroom 200 4213 0ms": gunicorn's access_log_format is not used,
# so no setting can bring the address or user agent back into it.

# Private links carry their secret in the path (a poster's management link, the
# organizers' setup, invitation and reset links): the log keeps the path, not the secret.
SECRET_IN_PATH = re.compile(r"/(manage|setup|invite|reset)/[^/]+", re.IGNORECASE)


# What gunicorn's refusals of malformed requests look like ("Invalid request
# from ip=203.0.113.9: Invalid HTTP method: ...") and any address at all.
INVALID_REQUEST = re.compile(r"^Invalid request from ip=.*", re.DOTALL)
IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"
IPV6 = (r"(?<![\w:])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|[0-9a-fA-F:]*::[0-9a-fA-F:.]*)"
        r"(?![\w:])")
ADDRESS = re.compile(f"{IPV4}|{IPV6}")


class ClientRedactingFilter(logging.Filter):
    """No client address, and nothing the client sent, reaches the error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(("Listening at", "Control socket")):
            return True  # the server's own address, not a visitor's
        # The refusal's details quote what the client sent (its request line or headers).
        message = INVALID_REQUEST.sub("Invalid request refused (details not logged)", message)
        record.msg, record.args = ADDRESS.sub("[address]", message), None
        return True


class RedactingLogger(Logger):
    # Without %(asctime)s: a refused request's line must not say when she came.
    error_fmt = r"[%(process)d] [%(levelname)s] %(message)s"

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, ClientRedactingFilter) for f in self.error_log.filters):
            self.error_log.addFilter(ClientRedactingFilter())

    def access(self, resp, req, environ, request_time):
        # Only the five fields we keep, built directly: gunicorn's own atoms (every
        # request and response header, the time, the address) cost a quarter of a
        # worker's time on a page served from memory (py-spy, bench/throughput.py).
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        milliseconds = request_time.seconds * 1000 + request_time.microseconds // 1000
        self.access_log.info("%s %s %s %s %sms", environ.get("REQUEST_METHOD"),
                             logged_path(environ.get("PATH_INFO", "")), status,
                             getattr(resp, "sent", None), milliseconds)


def logged_path(path: str) -> str:
    """The path as the access log keeps it: without the secret of a private link, and
    percent-encoded again, so a %0a or %1b in a URL can neither forge a line nor
    write a terminal escape (PATH_INFO is decoded; WSGI gives its bytes as Latin-1)."""
    hidden = SECRET_IN_PATH.sub(r"/\1/[secret]", path)
    return quote(hidden.encode("latin-1", "replace"), safe="/[]:@!$&'()*+,;=-._~%")


logger_class = RedactingLogger
# Trust X-Forwarded-Proto from a local reverse proxy only, for HTTPS detection.
forwarded_allow_ips = "127.0.0.1,::1"
# gunicornc's control socket, per instance: two SpotChecks on one machine must not
# share $XDG_RUNTIME_DIR/gunicorn.ctl.
control_socket = os.path.join(
    os.environ.get("SPOTCHECK_INSTANCE_PATH", os.path.join(os.getcwd(), "instance")),
    "gunicorn.ctl")
