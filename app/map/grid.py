"""The map's geometry: the public location grid, map cells and months.

Two grids, both fixed so a place always lands in the same square:
- the public grid (`snap`): every published location is moved to the centre
  of its square of `metres`, the same point for every report there. Never
  random jitter: jitter averages out over many reports of one place and gives
  the spot away; a grid does not (docs/privacy.md, promise 6);
- map cells (`cell_of`, `cell_bounds`): Web Mercator squares, half a tile at
  zoom `band`, in which published reports are counted for the zoomed-out map.

Nothing here reads the app's configuration: the grid size is an argument.
"""

import math
from datetime import date

METRES_PER_DEGREE = 111_320
FINEST_BAND = 15
BANDS = range(FINEST_BAND + 1)
# Bands that also count by day (map_cell_day, migration 0009): a box that needs
# a coarse band is large, too large to count a part of a month from its reports.
DAY_BANDS = range(11)
MERCATOR_LIMIT = 85.0511287798  # Web Mercator's square world ends here


def snap(latitude: float, longitude: float, metres: int) -> tuple[float, float]:
    """The centre of the grid cell holding this point.

    Rows are `metres` tall; within a row, cells are `metres` wide at the row's
    middle latitude, so the grid is fixed and each cell has one centre.
    """
    row_height = metres / METRES_PER_DEGREE
    row = math.floor((latitude + 90) / row_height)
    centre_lat = min(90.0, -90 + (row + 0.5) * row_height)
    cell_width = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(centre_lat)), 1e-6))
    column = math.floor((longitude + 180) / cell_width)
    centre_lon = -180 + (column + 0.5) * cell_width
    if centre_lon > 180:
        centre_lon -= 360
    return round(centre_lat, 6), round(centre_lon, 6)


def month_number(day: date) -> int:
    """Months since year 0: consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def mercator(latitude: float, longitude: float) -> tuple[float, float]:
    """Web Mercator x and y, each from 0 to 1 (y grows southwards, as tiles do)."""
    latitude = max(-MERCATOR_LIMIT, min(MERCATOR_LIMIT, latitude))
    x = (longitude + 180) / 360
    y = (1 - math.asinh(math.tan(math.radians(latitude))) / math.pi) / 2
    return x, y


def cell_of(latitude: float, longitude: float, band: int = FINEST_BAND) -> tuple[int, int]:
    """The (cx, cy) of the cell holding a point: half a tile at zoom `band`."""
    cells = 2 ** (band + 1)
    x, y = mercator(latitude, longitude)
    return min(int(x * cells), cells - 1), min(int(y * cells), cells - 1)


def cell_bounds(band: int, cx: int, cy: int) -> tuple[float, float, float, float]:
    """West, south, east, north of one cell, in degrees."""
    cells = 2 ** (band + 1)

    def latitude(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))

    return (cx / cells * 360 - 180, latitude((cy + 1) / cells),
            (cx + 1) / cells * 360 - 180, latitude(cy / cells))
