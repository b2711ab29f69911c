"""Acknowledged means kept: through kill -9 under load, and through losing the disk
with Litestream's second copy to restore from (issue 15; the restore drill itself
waits for Litestream's minute beside the timeline's, in test_litestream_minute.py).
The figures are printed: `pytest -s tests/deploy/test_durability.py` shows them;
bench/durability.py too."""

import shutil
import subprocess

import pytest

from helpers import ROOT
from support.durability import (
    SHIPPED_CONFIG,
    kill9_under_load,
    litestream_config,
)

pytestmark = pytest.mark.slow


def test_kill_9_three_times_under_load_loses_and_doubles_nothing_acknowledged(tmp_path):
    counted, reports = kill9_under_load(tmp_path / "gunicorn", kills=3, clients=4)
    print("\nkill -9 under load (3 x SIGKILL to the gunicorn group, 4 clients):")
    for name, value in counted.rows():
        print(f"  {name:>12}: {value}")
    assert counted.acknowledged >= 20, "too little load to show anything"
    assert counted.lost == 0, [r.marker for r in reports if r.receipt]
    assert counted.doubled == 0
    assert counted.integrity == "ok"
    # Every report made was finished in the end (the outbox's retries), and stored once.
    assert counted.acknowledged == counted.sent == counted.stored
    # Some reports were cut off by a kill and sent again under the same key.
    assert counted.retried > 0


def test_the_drill_uses_the_shipped_litestream_config_with_only_its_paths_moved(tmp_path):
    used = litestream_config(tmp_path / "db.sqlite3", tmp_path / "replica").splitlines()
    shipped = SHIPPED_CONFIG.read_text().splitlines()
    changed = [a for a, b in zip(shipped, used, strict=True)
               if a != b and not a.lstrip().startswith("#")]
    # The database's path and the replica's, both of the first (uncommented) database.
    assert [line.strip().removeprefix("- ").split(":")[0] for line in changed] == [
        "path", "path"]
    assert "sync-interval: 1s" in SHIPPED_CONFIG.read_text()


def test_the_litestream_unit_is_one_systemd_accepts_reading_the_shipped_config(tmp_path):
    unit = SHIPPED_CONFIG.parents[1] / "systemd" / "litestream.service"
    text = unit.read_text()
    assert "replicate -config /etc/litestream.yml" in text
    assert "User=spotcheck" in text and "UMask=0077" in text
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is missing (Debian package systemd)")
    # As installed from /srv/spotcheck, here with this checkout (and its venv) in its place.
    installed = tmp_path / "litestream.service"
    installed.write_text(text.replace("/srv/spotcheck", str(ROOT)))
    checked = subprocess.run(["systemd-analyze", "verify", str(installed)],
                             capture_output=True, text=True)
    assert (checked.returncode, checked.stderr.strip()) == (0, "")
