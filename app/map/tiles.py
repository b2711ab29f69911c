"""The background tiles every map of the site draws on: the public map, the report
form's picker and the organizers' small map on a report's card."""

from typing import Any

from flask import current_app


def tile_source() -> dict[str, Any]:
    """The tile address, its attribution and zoom, and how points sit on its tiles."""
    config = current_app.config
    return {"tiles": config["MAP_TILE_URL"], "attribution": config["MAP_TILE_ATTRIBUTION"],
            "maxZoom": config["MAP_TILE_MAX_ZOOM"], "coordinates": config["MAP_COORDINATES"]}


def tile_host() -> str:
    """The host that serves the tiles, and so sees the address of whoever loads them."""
    url: str = current_app.config["MAP_TILE_URL"]
    return url.split("/")[2]
