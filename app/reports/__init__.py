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
# app.extensions key: (reports, private parts) the start-up purge deleted, which
# purge-reports adds to its own counts.
PURGED_ON_START = "spotcheck_purged_on_start"


@click.command("purge-reports")
@click.option("--wait", default=60.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to keep trying to empty the WAL while another process reads it.")
@with_appcontext
def purge_command(wait: float) -> None:
    """Delete unpublished reports (and photos) older than REPORT_RETENTION_DAYS,
    and reviewed reports' private parts after PRIVATE_RETENTION_DAYS, then empty the
    WAL so nothing of them stays in the database's files. Exits 1 if it cannot."""
    from ..replies.store import purge as purge_responses
    from .retention import forget_private_parts
    from .store import purge

    # The app's start (create_app, run by this same command) purged first: count it.
    reports, cleared = current_app.extensions.pop(PURGED_ON_START, (0, 0))
    days = current_app.config["REPORT_RETENTION_DAYS"]
    reports += purge(get_db(), days, today())
    private_days = current_app.config["PRIVATE_RETENTION_DAYS"]
    cleared += forget_private_parts(get_db(), private_days, today())
    # Responses from places (app/replies/) go by the same two periods.
    responses = purge_responses(get_db(), days, private_days, today())
    click.echo(f"deleted {reports} unpublished reports older than {days} days")
    click.echo(f"deleted the private parts of {cleared} reports reviewed {private_days} "
               "or more days ago")
    click.echo(f"deleted {responses} responses from places not shown in public")
    if not checkpoint(get_db(), wait=wait):
        raise click.ClickException(
            f"the WAL could not be emptied in {wait:g} s: another process (Litestream?) "
            "keeps a read transaction open on the database, so what was deleted may "
            "still be in its files. Stop Litestream while this command runs, as "
            "docs/deploy.md (Retention) says, and run it again.")
    click.echo("the WAL is empty: nothing deleted is left in the database's files")


def init_app(app: Flask) -> None:
    from ..replies.store import purge as purge_responses
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
            if app.config["PURGE_ON_START"]:
                purged = (purge(conn, app.config["REPORT_RETENTION_DAYS"], today()),
                          forget_private_parts(conn, app.config["PRIVATE_RETENTION_DAYS"],
                                               today()))
                purge_responses(conn, app.config["REPORT_RETENTION_DAYS"],
                                app.config["PRIVATE_RETENTION_DAYS"], today())
                app.extensions[PURGED_ON_START] = purged
                if any(purged):
                    # One try: the server must start. purge-reports tries until it works.
                    checkpoint(conn)
