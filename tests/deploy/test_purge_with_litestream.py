"""purge-reports beside a running Litestream, as docs/deploy.md (Retention) runs it
(issue 28, item 6): while Litestream holds its read transaction the command cannot
empty the WAL and says so (exit 1); with Litestream stopped, as the cron line does,
it empties it and the purged text is in no file; Litestream, started again, goes on
replicating."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import ROOT
from support.durability import (
    MARKER,
    Report,
    deliver,
    litestream_config,
    litestream_missing,
    markers_in,
    monitor_interval,
    restore,
    start_gunicorn,
    start_litestream,
)
from support.servers import free_port, stop

pytestmark = pytest.mark.slow

PURGED = "ZZPURGETEXT91"


def purge_reports(instance: Path, wait: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": str(instance),
           "SPOTCHECK_SETUP_LINK_ON_START": "false"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "purge-reports",
                           "--wait", wait], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def files_with(folder: Path, needle: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and needle.encode() in p.read_bytes())


def test_purge_reports_fails_loudly_under_litestream_and_works_with_it_stopped(tmp_path):
    if reason := litestream_missing():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    port, folder = free_port(), tmp_path / "site"
    instance = folder / "instance"
    database = instance / "spotcheck.sqlite3"
    server = start_gunicorn(folder, port)
    litestream = None
    try:
        for n in range(3):
            report = Report(f"{PURGED}-{n}")
            deliver(port, report, time.monotonic() + 30)
            assert report.receipt
        with closing(sqlite3.connect(database, isolation_level=None)) as db:
            db.execute("UPDATE report SET submitted_on = ?",
                       ((date.today() - timedelta(days=100)).isoformat(),))
            assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        assert files_with(instance, PURGED) == ["spotcheck.sqlite3"]

        config = folder / "litestream.yml"
        # Litestream looking at the WAL every second, not the shipped minute: this tests
        # the cron line's steps, not the interval (test_litestream_minute.py does), and
        # each wait for a copy would otherwise be a minute.
        config.write_text(litestream_config(database, folder / "replica", variant="1s"))
        litestream = start_litestream(config, folder / "litestream.log")
        # Its first snapshot comes at its first look at the WAL, a monitor-interval in.
        deadline = time.monotonic() + monitor_interval(config.read_text()) + 30
        while not (folder / "replica").exists() or not any((folder / "replica").rglob("*.ltx")):
            assert time.monotonic() < deadline, "Litestream made no snapshot"
            time.sleep(0.2)
        time.sleep(1)

        busy = purge_reports(instance, "3")
        assert busy.returncode == 1, busy.stdout + busy.stderr
        assert "deleted 3 unpublished reports" in busy.stdout
        assert "the WAL could not be emptied in 3 s" in busy.stderr
        assert files_with(instance, PURGED)  # exactly what it warns about

        litestream.send_signal(signal.SIGTERM)  # systemctl stop litestream
        litestream.wait(timeout=60)
        done = purge_reports(instance, "10")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "the WAL is empty" in done.stdout
        assert files_with(instance, PURGED) == []

        litestream = start_litestream(config, folder / "litestream.log")  # systemctl start
        later = Report(f"{MARKER}after-purge")  # markers_in() finds MARKER
        deliver(port, later, time.monotonic() + 30)
        assert later.receipt
        scratch = folder / "scratch.sqlite3"
        deadline = time.monotonic() + monitor_interval(config.read_text()) + 30
        while True:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{scratch}{suffix}").unlink(missing_ok=True)
            if restore(config, database, scratch, check=False) and \
                    later.marker in markers_in(scratch):
                break
            assert time.monotonic() < deadline, (
                "Litestream stopped replicating: "
                + (folder / "litestream.log").read_text(errors="replace"))
            time.sleep(1)
        with closing(sqlite3.connect(scratch)) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM report WHERE description LIKE ?",
                                (f"{PURGED}%",)).fetchone()[0] == 0
    finally:
        stop(server.process)
        if litestream is not None:
            stop(litestream)
