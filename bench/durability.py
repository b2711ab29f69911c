"""Acknowledged means kept: kill -9 under load, and the Litestream restore drill.

    .venv/bin/python bench/durability.py [--kills 3] [--clients 4] [--between 2] [--reports 20]

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
    restore_drill,
)


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
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="spotcheck-durability-") as tmp:
        counted, _ = kill9_under_load(Path(tmp) / "kill9", args.kills, args.clients,
                                      args.between)
        table(f"kill -9 under load ({args.kills} x SIGKILL to the gunicorn group, "
              f"{args.clients} clients)", counted.rows())
        failed |= counted.lost > 0 or counted.doubled > 0 or counted.integrity != "ok"
        if reason := litestream_missing():
            print(f"\nrestore drill skipped: {reason}")
        else:
            drill = restore_drill(Path(tmp) / "drill", args.reports)
            table("restore drill (Litestream, file replica, sync-interval 1s)",
                  list(vars(drill).items()))
            failed |= drill.restored != drill.written or drill.photos != drill.written
    print("\nverdict:", "FAILED" if failed else "nothing acknowledged was lost or doubled")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
