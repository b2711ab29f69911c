"""Mirror build time and size over a million published reports (issue 32).

    .venv/bin/python bench/mirror.py [--reports 1000000] [--keep DIR]

Three runs on one instance, loaded as bench/map_api.py loads it (its spread of
cities, one map rebuild; `--keep DIR` keeps the database for the next run):

1. a full build into an empty folder: target <= 300 s;
2. 100 new reports published (each through app/map/publish.py, as review does),
   then a second build into the same folder: target <= 30 s, and it must keep
   most files (hard links) and write few;
3. the mirror's size: in all, per language, the map's data and the ZIP.

Prints each figure with the 1-minute load average (the machine is shared).
"""

import argparse
import os
import random
import shutil
import sys
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from app import create_app
from app.db import connect
from app.map.publish import sync
from app.mirror import mapdata, signed
from app.mirror.build import build
from app.web.i18n import LANGUAGES
from app.web.keys import load_or_create
from bench.map_api import GRID_METRES, counts, in_instance, prepare, report_rows, today

FULL_TARGET_S = 300
UPDATE_TARGET_S = 30
BASE = "/spotcheck/"


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def publish_more(database: str, count: int) -> None:
    """`count` new reports, published one by one as an organizer would."""
    rng = random.Random()  # fresh each run: a kept database holds the earlier ones
    rows = list(report_rows(rng, count, today() - timedelta(days=1), 1))
    with closing(connect(database)) as db:
        for row in rows:
            cursor = db.execute(
                "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, status, "
                "space, what, device, venue, city, latitude, longitude, observed_on, "
                "submitted_on, public_fields, reviewed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?)", row)
            sync(db, int(cursor.lastrowid or 0), GRID_METRES)
            db.commit()


def size_of(folder: Path, prefix: str = "") -> int:
    return sum(p.stat().st_size for p in folder.glob(f"{prefix}**/*") if p.is_file())


def timed_build(app, out: Path, label: str) -> tuple[float, int, int]:
    key = load_or_create(Path(app.instance_path) / signed.KEY_FILE)
    started = time.perf_counter()
    result = build(app, out, BASE, key)
    seconds = time.perf_counter() - started
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"{label}: {seconds:.1f} s ({parts}); {result.files:,} files, "
          f"{result.written:,} written, {result.kept:,} kept; load {load_average()}")
    return seconds, result.written, result.kept


def run(instance: str, args: argparse.Namespace) -> int:
    os.environ["SPOTCHECK_INSTANCE_PATH"] = instance  # read by create_app
    app = create_app({"SETUP_LINK_ON_START": False, "LOCATION_GRID_METRES": GRID_METRES})
    reports, _ = counts(app.config["DATABASE"])
    if reports < args.reports:
        prepare(app.config["DATABASE"], args.reports)
    else:  # a kept database, with the reports earlier runs published on top
        print(f"reusing the {reports:,} reports in {app.config['DATABASE']}")
    out = Path(instance) / "mirror"
    for old in (out, out.with_name(out.name + ".zip")):
        if old.is_dir():
            shutil.rmtree(old)  # our own earlier bench mirror
        elif old.exists():
            old.unlink()
    full, _, _ = timed_build(app, out, f"1. full build, {max(reports, args.reports):,} reports")
    started = time.perf_counter()
    publish_more(app.config["DATABASE"], 100)
    print(f"   published 100 more in {time.perf_counter() - started:.1f} s")
    update, written, kept = timed_build(app, out, "2. update after 100 new reports")
    total = size_of(out)
    print(f"3. size: {total / 1e6:,.1f} MB in all; map data "
          f"{size_of(out, mapdata.FOLDER + '/') / 1e6:,.1f} MB; static files "
          f"{size_of(out, 'static/') / 1e6:,.1f} MB; ZIP "
          f"{out.with_name(out.name + '.zip').stat().st_size / 1e6:,.1f} MB")
    print("   per language: " + ", ".join(f"{lang} {size_of(out, lang + '/') / 1e6:,.2f} MB"
                                           for lang in LANGUAGES))
    failed = []
    if full > FULL_TARGET_S:
        failed.append(f"full build {full:.0f} s > {FULL_TARGET_S} s")
    if update > UPDATE_TARGET_S:
        failed.append(f"update {update:.0f} s > {UPDATE_TARGET_S} s")
    if written > kept:
        failed.append(f"the update wrote {written} files and kept only {kept}")
    for problem in failed:
        print("OVER BUDGET:", problem)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR",
                        help="build (or reuse) the database in DIR and leave it there")
    return in_instance(run, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
