"""The WSGI entry point gunicorn loads: `app.wsgi:app`."""

from . import create_app
from .web.warmup import warm

app = create_app()
# gunicorn loads this module once, before it forks (preload_app): no visitor
# pays for a cold worker.
warm(app)
