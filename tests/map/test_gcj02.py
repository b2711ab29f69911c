"""static/js/gcj02.js, the WGS-84 <-> GCJ-02 converter, run under Node."""

import json
import math
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "gcj02.js"

# Published WGS-84 -> GCJ-02 pairs: (wgs_lat, wgs_lon, gcj_lat, gcj_lon).
REFERENCE_PAIRS = [
    # googollee/eviltransform, python/test.py (TESTS; same values in javascript/test.js).
    # It checks wgs2gcj to 6 decimal places.
    pytest.param(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215, id="shanghai"),
    pytest.param(22.543847, 113.912316, 22.540796131694766, 113.9171764808363, id="shenzhen"),
    pytest.param(39.911954, 116.377817, 39.91334545536069, 116.38404722455657, id="beijing"),
    # wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915) gives
    # [116.41024449916938, 39.91640428150164] (lon, lat order there).
    pytest.param(39.915, 116.404, 39.91640428150164, 116.41024449916938, id="tiananmen"),
]
PRECISION = 1e-6  # eviltransform's 6 decimal places


def run_js(expression):
    """Evaluate a JS expression with `g` bound to the module; return its JSON value."""
    script = (
        f"const g = require({json.dumps(str(SCRIPT))});\n"
        f"process.stdout.write(JSON.stringify({expression}));\n"
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def to_gcj02(points):
    return run_js(f"{json.dumps(points)}.map(([lat, lon]) => g.toGcj02(lat, lon))")


def metres_between(a, b):
    """Great-circle distance on a sphere; plenty for a sanity range."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371000 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), REFERENCE_PAIRS)
def test_forward_matches_published_pairs(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    [[lat, lon]] = to_gcj02([[wgs_lat, wgs_lon]])
    assert lat == pytest.approx(gcj_lat, abs=PRECISION)
    assert lon == pytest.approx(gcj_lon, abs=PRECISION)


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), REFERENCE_PAIRS)
def test_inverse_recovers_published_pairs(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lat, lon = run_js(f"g.fromGcj02({gcj_lat!r}, {gcj_lon!r})")
    assert lat == pytest.approx(wgs_lat, abs=PRECISION)
    assert lon == pytest.approx(wgs_lon, abs=PRECISION)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [pytest.param(51.5007, -0.1246, id="london"), pytest.param(35.6812, 139.7671, id="tokyo")],
)
def test_points_outside_china_are_unchanged(lat, lon):
    result = run_js(
        f"[g.outOfChina({lat!r}, {lon!r}), g.toGcj02({lat!r}, {lon!r}),"
        f" g.fromGcj02({lat!r}, {lon!r})]"
    )
    assert result == [True, [lat, lon], [lat, lon]]


def test_inverse_round_trips_across_mainland_china():
    # Every 2.5 degrees from Hainan to Heilongjiang, Xinjiang to the east coast.
    grid = [[18 + 2.5 * i, 75 + 2.5 * j] for i in range(14) for j in range(24)]
    shifted, back = run_js(
        f"(() => {{ const wgs = {json.dumps(grid)};"
        " const gcj = wgs.map(([lat, lon]) => g.toGcj02(lat, lon));"
        " return [gcj, gcj.map(([lat, lon]) => g.fromGcj02(lat, lon))]; })()"
    )
    assert len(back) == len(grid)
    for (lat, lon), gcj, (wgs_lat, wgs_lon) in zip(grid, shifted, back, strict=True):
        assert gcj != [lat, lon], f"({lat}, {lon}) was not shifted"
        assert abs(wgs_lat - lat) < 1e-6, (lat, lon)
        assert abs(wgs_lon - lon) < 1e-6, (lat, lon)


@pytest.mark.parametrize(
    "point",
    [
        pytest.param((39.9087, 116.3975), id="beijing"),
        pytest.param((31.2304, 121.4737), id="shanghai"),
    ],
)
def test_shift_in_big_cities_is_a_few_hundred_metres(point):
    [gcj] = to_gcj02([list(point)])
    assert 100 < metres_between(point, gcj) < 1000
