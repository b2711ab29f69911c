"""Public locations: snapped to a fixed grid, the same point for every report in a cell.

Never random jitter: jitter averages out over many reports of one place and
gives the spot away; a grid does not (DESIGN.md promise 6).
"""

import math

METRES_PER_DEGREE = 111_320


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
