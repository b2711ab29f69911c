"""Acknowledged means kept: kill -9 under load, and the Litestream restore drill.

    .venv/bin/python bench/durability.py [--kills 3] [--clients 4] [--between 2] [--reports 20]
        [--parts kill9,drill,timeline,loss] [--burst 12] [--spread 60] [--every 0.5]

(a) Clients post reports straight to gunicorn (scripts/gunicorn.conf.py, 3 workers)
    while the whole gunicorn process group gets SIGKILL `--kills` times and is
    started again on the same instance folder; each client sends a report again
    under the same idempotency key until it has a receipt, as the phone's outbox
    does. Counts reports sent, acknowledged, stored, lost (acknowledged but not
    stored), doubled, retried, and PRAGMA integrity_check.
(b) With Litestream replicating (deploy/litestream/litestream.yml, its paths moved
    to a temporary folder), `--reports` reports with a photo; then the server and
    Litestream get SIGKILL, the database and its -wal and -shm are deleted,
    `litestream restore` puts it back and the server starts again. Counts reports
    written, restored, photos, the seconds until the replica held them all and
    the seconds the restore took.
(c) What Litestream's files show (issue 28, item 4): `--burst` reports evenly over
    `--spread` seconds, then the LTX files that appeared (replica and the hidden
    folder beside the database), their distinct header times and mtimes, and the
    lines Litestream logged; with the shipped config and with "1s" (Litestream's
    defaults, as shipped before: monitor-interval 1s, log at info).
(d) What that costs if the machine dies: a report every `--every` seconds, then at a
    random moment gunicorn and Litestream get SIGKILL and the database, its WAL and
    Litestream's local folder are deleted (the disk is gone); the replica is
    restored. Acknowledged reports missing from it, and the seconds from the oldest
    missing receipt to the death; both configs.

The same functions as tests/deploy/test_durability.py (tests/support/durability.py),
in a temporary folder, on 127.0.0.1 only.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from tests.support.durability import (
    kill9_under_load,
    litestream_missing,
    loss_when_the_machine_dies,
    restore_drill,
    timeline,
)

VARIANTS = ("1s", "shipped")  # before (Litestream's defaults) and after issue 28


def table(title: str, rows: list[tuple[str, object]]) -> None:
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<18} {value}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--between", type=float, default=2.0,
                        help="seconds of load before each kill and after the last")
    parser.add_argument("--reports", type=int, default=20, help="reports in the restore drill")
    parser.add_argument("--parts", default="kill9,drill,timeline,loss",
                        help="which of kill9, drill, timeline, loss to run")
    parser.add_argument("--burst", type=int, default=12, help="reports in the timeline burst")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the burst lasts")
    parser.add_argument("--every", type=float, default=0.5,
                        help="seconds between reports before the machine dies")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    failed = False
    with open("/proc/loadavg") as load:
        print("load average at start:", load.read().split()[0])
    with tempfile.TemporaryDirectory(prefix="spotcheck-durability-") as tmp:
        if "kill9" in parts:
            counted, _ = kill9_under_load(Path(tmp) / "kill9", args.kills, args.clients,
                                          args.between)
            table(f"kill -9 under load ({args.kills} x SIGKILL to the gunicorn group, "
                  f"{args.clients} clients)", counted.rows())
            failed |= counted.lost > 0 or counted.doubled > 0 or counted.integrity != "ok"
        if reason := litestream_missing():
            print(f"\nLitestream parts skipped: {reason}")
            parts -= {"drill", "timeline", "loss"}
        if "drill" in parts:
            drill = restore_drill(Path(tmp) / "drill", args.reports)
            table("restore drill (Litestream, shipped config, file replica)",
                  list(vars(drill).items()))
            failed |= drill.restored != drill.written or drill.photos != drill.written
        if "timeline" in parts:
            for variant in VARIANTS:
                shown = timeline(Path(tmp) / f"timeline-{variant}", args.burst, args.spread,
                                 variant)
                table(f"timeline: {args.burst} reports over {args.spread:g} s, "
                      f"config {variant}",
                      [(k, v) for k, v in vars(shown).items() if k != "files"])
        if "loss" in parts:
            for variant in VARIANTS:
                lost = loss_when_the_machine_dies(Path(tmp) / f"loss-{variant}", variant,
                                                  args.every)
                table(f"the machine dies (a report every {args.every:g} s), config {variant}",
                      list(vars(lost).items()))
    with open("/proc/loadavg") as load:
        print("\nload average at end:", load.read().split()[0])
    print("\nverdict:", "FAILED" if failed else "nothing acknowledged was lost or doubled "
          "(kill -9, restore drill; the machine dying loses what the replica had not got)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
