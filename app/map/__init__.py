"""The public map: its page and list, the GeoJSON API, and the public copy behind them.

`publish` keeps the public copy (`map_report`, `map_cell`) in step with review,
inside the review's own transaction; `query` answers questions from that copy
alone; `grid` is the geometry (the public location grid and the map cells);
`views` parses requests and renders. The blueprint keeps its first name, `maps`.
"""

import click
from flask import Blueprint, Flask, current_app
from flask.cli import with_appcontext

from ..db import get_db

bp = Blueprint("maps", __name__)


@click.command("rebuild-map")
@with_appcontext
def rebuild_map_command() -> None:
    """Recompute the public map from the published reports."""
    from .publish import rebuild

    count = rebuild(get_db(), current_app.config["LOCATION_GRID_METRES"])
    click.echo(f"the map shows {count} published reports")


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401 (registers the routes on the blueprint)

    app.register_blueprint(bp)
    app.cli.add_command(rebuild_map_command)
