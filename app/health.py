"""`GET /healthz` for load balancers and uptime checks."""

import sqlite3

from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue

from .db import get_db, schema_version

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 with the schema version when the database answers, 503 when it doesn't."""
    try:
        version = schema_version(get_db())
    except sqlite3.Error:
        current_app.logger.exception("health check: database did not answer")
        return {"status": "unavailable"}, 503, {"Cache-Control": "no-store"}
    return {"status": "ok", "schema_version": version}, 200, {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
