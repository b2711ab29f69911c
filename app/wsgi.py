"""The WSGI entry point gunicorn loads: `app.wsgi:app`."""

from . import create_app

app = create_app()
