"""gunicorn settings for `scripts/serve` (see README.md).

The access log keeps method, path, status, size and duration: never the
client's address, user agent, referrer, query string or the time of the
request (DESIGN.md promise 1), nor the secret part of a private link.
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

wsgi_app = "app.wsgi:app"
bind = os.environ.get("SPOTCHECK_BIND", "127.0.0.1:8000")
# Threads let slow phones on slow networks wait without holding a process.
worker_class = "gthread"
workers = int(os.environ.get("SPOTCHECK_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SPOTCHECK_THREADS", 4))
# Load the app (and apply migrations) once, before the workers fork.
preload_app = True
accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"

# Private links carry their secret in the path (a poster's management link, the
# organizers' setup, invitation and reset links): the log keeps the path, not the secret.
SECRET_IN_PATH = re.compile(r"/(manage|setup|invite|reset)/[^/]+")


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = SECRET_IN_PATH.sub(r"/\1/[secret]", atoms["U"])
        return atoms


logger_class = RedactingLogger
# Trust X-Forwarded-Proto from a local reverse proxy only, for HTTPS detection.
forwarded_allow_ips = "127.0.0.1,::1"
