"""Anonymous reports: the form, the receipt, the status page, and forgetting them.

`views` parses requests and renders; `form` checks what arrives; `store` owns
the report and report_message rows a reporter writes; `photos` cleans photos
and `receipts` makes and checks receipt codes.
"""

from contextlib import closing

import click
from flask import Blueprint, Flask, current_app
from flask.cli import with_appcontext

from ..db import connect, get_db
from ..vocab import today

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang>")


@click.command("purge-reports")
@with_appcontext
def purge_command() -> None:
    """Delete unpublished reports (and photos) older than REPORT_RETENTION_DAYS."""
    from .store import photo_folder, purge

    days = current_app.config["REPORT_RETENTION_DAYS"]
    reports, files = purge(get_db(), photo_folder(), days, today())
    click.echo(f"deleted {reports} unpublished reports older than {days} days "
               f"and {files} stray photo files")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)
    from .store import photo_folder, purge

    app.register_blueprint(bp)
    app.cli.add_command(purge_command)
    if app.config["PURGE_ON_START"]:
        with app.app_context(), closing(connect(app.config["DATABASE"])) as conn:
            purge(conn, photo_folder(), app.config["REPORT_RETENTION_DAYS"], today())
