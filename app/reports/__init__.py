"""Anonymous reports: the form, the receipt, the status page, and forgetting them.

`views` parses requests and renders; `form` checks what arrives; `store` owns
the report and report_message rows a reporter writes; `photos` cleans photos
and `receipts` makes and checks receipt codes.
"""

from contextlib import closing
from pathlib import Path

import click
from flask import Blueprint, Flask, current_app
from flask.cli import with_appcontext

from ..db import checkpoint, connect, get_db
from ..vocab import today

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang>")


@click.command("purge-reports")
@with_appcontext
def purge_command() -> None:
    """Delete unpublished reports (and photos) older than REPORT_RETENTION_DAYS,
    and reviewed reports' private parts after PRIVATE_RETENTION_DAYS."""
    from .retention import forget_private_parts
    from .store import purge

    days = current_app.config["REPORT_RETENTION_DAYS"]
    reports = purge(get_db(), days, today())
    private_days = current_app.config["PRIVATE_RETENTION_DAYS"]
    cleared = forget_private_parts(get_db(), private_days, today())
    checkpoint(get_db())
    click.echo(f"deleted {reports} unpublished reports older than {days} days")
    click.echo(f"deleted the private parts of {cleared} reports reviewed {private_days} "
               "or more days ago")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)
    from .photos import adopt_files
    from .retention import forget_private_parts
    from .store import purge

    app.register_blueprint(bp)
    app.cli.add_command(purge_command)
    # Photo files of versions before 0007 move into the database, once.
    folder = Path(app.instance_path) / "photos"
    if folder.is_dir() or app.config["PURGE_ON_START"]:
        with app.app_context(), closing(connect(app.config["DATABASE"])) as conn:
            adopt_files(conn, folder)
            if app.config["PURGE_ON_START"] and (
                    purge(conn, app.config["REPORT_RETENTION_DAYS"], today())
                    + forget_private_parts(conn, app.config["PRIVATE_RETENTION_DAYS"], today())):
                checkpoint(conn)
