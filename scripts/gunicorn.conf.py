"""gunicorn settings for `scripts/serve` (see README.md).

The access log keeps method, path, status, size and duration: never the
client's address, user agent, referrer, query string or the time of the
request (DESIGN.md promise 1).
"""

import multiprocessing
import os

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
# Trust X-Forwarded-Proto from a local reverse proxy only, for HTTPS detection.
forwarded_allow_ips = "127.0.0.1,::1"
